"""`jobtrail status APP STATUS [--reason TEXT]`: only the bytes that must change do."""

from __future__ import annotations

import datetime
import os
import stat

import pytest

from conftest import Repo, reddit_text, with_status

NAME = "reddit-senior-machine-learning-engineer-safety.md"
DATE_PLACEHOLDER = b"[Current date in YYYY-MM-DD format]"
WITH_URL = reddit_text().replace("[URL to job listing]", "https://www.redditinc.com/careers")


def changed_lines(before: bytes, after: bytes) -> list[tuple[bytes, bytes]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


@pytest.mark.parametrize("eol", [b"\n", b"\r\n"])
def test_applied_changes_the_status_line_and_fills_the_date_and_nothing_else(repo: Repo, run_cli, eol: bytes) -> None:
    before = WITH_URL.encode().replace(b"\n", eol)
    path = repo.write(NAME, before)
    today = datetime.date.today().isoformat().encode()

    result = run_cli(repo.root, "status", "reddit", "applied")

    after = path.read_bytes()
    assert result.status == 0, result.err
    assert result.out == f"applications/{NAME}: PENDING -> APPLIED; Application Date {today.decode()}\n"
    assert changed_lines(before, after) == [(b"PENDING" + eol, b"APPLIED" + eol), (DATE_PLACEHOLDER + eol, today + eol)]
    assert after == before.replace(b"PENDING", b"APPLIED").replace(DATE_PLACEHOLDER, today)
    assert run_cli(repo.root, "check").status == 0


@pytest.mark.parametrize(
    "original",
    [
        reddit_text().encode(),
        b"\xef\xbb\xbf" + reddit_text().replace("\n", "\r\n").rstrip("\r\n").encode(),  # BOM, CRLF, no final newline
    ],
)
def test_a_status_and_back_gives_the_original_bytes(repo: Repo, run_cli, original: bytes) -> None:
    path = repo.write(NAME, original)

    assert run_cli(repo.root, "status", NAME, "REJECTED").status == 0
    assert path.read_bytes() == original.replace(b"PENDING", b"REJECTED")
    assert run_cli(repo.root, "status", f"applications/{NAME}", "pending").status == 0
    assert path.read_bytes() == original


def test_a_real_date_is_never_overwritten(repo: Repo, run_cli) -> None:
    path = repo.write(NAME, WITH_URL.replace("[Current date in YYYY-MM-DD format]", "2026-11-02"))
    assert run_cli(repo.root, "status", "reddit", "APPLIED").status == 0
    assert "## Application Date\n2026-11-02\n" in path.read_text()


def test_reason_adds_one_dated_line_at_the_end_of_notes(repo: Repo, run_cli) -> None:
    before = WITH_URL.replace("\n", "\r\n").encode()
    path = repo.write(NAME, before)
    today = datetime.date.today().isoformat()

    result = run_cli(repo.root, "status", "reddit", "withdrawn", "--reason", "  relocation fell through ")

    after = path.read_bytes()
    assert result.status == 0
    note = f"\r\n- {today} WITHDRAWN: relocation fell through".encode()
    # Notes is the last section and the file has no final newline: it still has none after.
    assert not before.endswith(b"\n")
    assert after == before.replace(b"PENDING", b"WITHDRAWN") + note


def test_same_status_changes_nothing(repo: Repo, run_cli) -> None:
    path = repo.applications / NAME
    before = path.read_bytes()
    result = run_cli(repo.root, "status", "reddit", "Pending")
    assert (result.status, result.out) == (0, f"applications/{NAME}: already PENDING; nothing changed\n")
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("argv", "message", "exit_status"),
    [
        (
            ("reddit", "APPLID"),
            "unknown status `APPLID`: did you mean APPLIED? use one of PENDING, APPLIED, SCREENING",
            2,
        ),
        (("reddit", "APPLIED", "--reason", "two\nlines"), "--reason must be one line", 2),
        (("nobody", "APPLIED"), "no application matches `nobody`", 1),
        (
            ("a", "APPLIED"),
            "`a` matches 2 applications: applications/acme-engineer.md, applications/apple-engineer.md",
            1,
        ),
    ],
)
def test_mistakes_are_clear_errors_that_leave_every_file_untouched(
    repo: Repo, run_cli, argv: tuple[str, ...], message: str, exit_status: int
) -> None:
    repo.write("acme-engineer.md", WITH_URL.replace("Reddit\n", "Acme\n", 1))
    repo.write("apple-engineer.md", WITH_URL.replace("Reddit\n", "Apple\n", 1))
    before = {path.name: path.read_bytes() for path in repo.applications.iterdir()}

    result = run_cli(repo.root, "status", *argv)

    assert result.status == exit_status
    assert message in result.err
    assert "Traceback" not in result.err
    assert {path.name: path.read_bytes() for path in repo.applications.iterdir()} == before


def test_a_file_without_a_status_line_is_an_error(repo: Repo, run_cli) -> None:
    path = repo.write(NAME, reddit_text().replace("### Application\nPENDING\n", "### Application\n"))
    before = path.read_bytes()
    result = run_cli(repo.root, "status", "reddit", "APPLIED")
    assert result.status == 1 and "no status" in result.err
    assert path.read_bytes() == before


def test_errors_that_the_change_brings_are_pointed_out(repo: Repo, run_cli) -> None:
    """The Reddit example has no Job URL yet: past PENDING, check will want one."""
    result = run_cli(repo.root, "status", "reddit", "APPLIED")
    assert result.status == 0
    assert "JT603" in result.err and "JT503" not in result.err


def test_the_write_is_atomic_and_keeps_the_file_mode(repo: Repo, run_cli) -> None:
    path = repo.applications / NAME
    os.chmod(path, 0o600)
    inode = path.stat().st_ino

    assert run_cli(repo.root, "status", "reddit", "REJECTED").status == 0

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.stat().st_ino != inode  # replaced in one rename, not rewritten in place
    assert [name for name in os.listdir(repo.applications) if name.startswith(".")] == []


def test_a_symlinked_application_is_edited_through_the_link(repo: Repo, run_cli) -> None:
    drafts = repo.root / "drafts"
    drafts.mkdir()
    (drafts / "acme.md").write_text(reddit_text().replace("Reddit\n", "Acme\n", 1), encoding="utf-8")
    link = repo.applications / "acme.md"
    link.symlink_to("../drafts/acme.md")

    assert run_cli(repo.root, "status", "acme", "rejected").status == 0

    assert link.is_symlink()
    assert "### Application\nREJECTED\n" in (drafts / "acme.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the workflow fixes (issue 11)


@pytest.mark.parametrize("closed", ["withdrawn", "rejected", "declined", "ghosted", "accepted"])
def test_closing_an_application_never_sent_needs_no_date_and_no_url(repo: Repo, run_cli, closed: str) -> None:
    path = repo.applications / NAME
    result = run_cli(repo.root, "status", "reddit", closed)

    assert (result.status, result.err) == (0, "")  # no JT503 / JT603 note
    assert DATE_PLACEHOLDER in path.read_bytes()  # no date invented for an application never sent
    assert run_cli(repo.root, "check").status == 0


def _applied_then_pending(repo: Repo, *, commit_return: bool) -> None:
    """Applied on 2026-10-01 (committed), back to PENDING on 2026-10-20 (committed, or only in the work tree)."""
    repo.write(NAME, with_status("APPLIED", "2026-10-01", WITH_URL))
    repo.commit("Applied", date="2026-10-01T10:00:00+00:00")
    repo.write(NAME, with_status("PENDING", "2026-10-01", WITH_URL))
    if commit_return:
        repo.commit("Back to pending: the posting was re-opened", date="2026-10-20T10:00:00+00:00")


@pytest.mark.parametrize("commit_return", [True, False])
def test_applied_again_after_a_return_to_pending_gets_a_fresh_date_and_says_so(
    repo: Repo, run_cli, commit_return: bool
) -> None:
    _applied_then_pending(repo, commit_return=commit_return)
    before = (repo.applications / NAME).read_bytes()
    today = datetime.date.today().isoformat()

    result = run_cli(repo.root, "status", "reddit", "applied")

    assert result.status == 0, result.err
    assert result.out == (
        f"applications/{NAME}: PENDING -> APPLIED; Application Date 2026-10-01 -> {today} "
        "(a new application: the old date is from before the return to PENDING)\n"
    )
    after = (repo.applications / NAME).read_bytes()
    assert changed_lines(before, after) == [(b"PENDING\n", b"APPLIED\n"), (b"2026-10-01\n", f"{today}\n".encode())]


def test_a_date_written_after_the_return_to_pending_is_kept(repo: Repo, run_cli) -> None:
    _applied_then_pending(repo, commit_return=True)
    path = repo.write(NAME, with_status("PENDING", "2026-10-25", WITH_URL))  # written by hand since

    result = run_cli(repo.root, "status", "reddit", "applied")

    assert result.out == f"applications/{NAME}: PENDING -> APPLIED\n"
    assert "## Application Date\n2026-10-25\n" in path.read_text()


def test_a_reason_is_recorded_even_when_the_status_does_not_change(repo: Repo, run_cli) -> None:
    path = repo.write(NAME, with_status("INTERVIEWING", "2026-11-02", WITH_URL))
    before = path.read_bytes()
    today = datetime.date.today().isoformat()

    result = run_cli(repo.root, "status", "reddit", "interviewing", "--reason", "second round moved to Friday")

    assert (result.status, result.err) == (0, "")
    assert result.out == f"applications/{NAME}: already INTERVIEWING; reason added under ## Notes\n"
    assert path.read_bytes() == before + f"\n- {today} INTERVIEWING: second round moved to Friday".encode()


def test_an_accented_app_name_finds_the_folded_file(repo: Repo, run_cli) -> None:
    path = repo.write("grune-energie-analyst.md", WITH_URL.replace("Reddit\n", "Grüne Energie\n", 1))

    result = run_cli(repo.root, "status", "grüne", "rejected")

    assert (result.status, result.out) == (0, "applications/grune-energie-analyst.md: PENDING -> REJECTED\n")
    assert "### Application\nREJECTED\n" in path.read_text(encoding="utf-8")


def test_a_custom_workflows_sent_status_fills_the_date_as_applied_does(repo: Repo, run_cli) -> None:
    """The second active status is the one that says the application went out, whatever its name."""
    (repo.root / "jobtrail.toml").write_text('active = ["IDEA", "SENT", "CALL"]\nclosed = ["NO"]\n', encoding="utf-8")
    path = repo.write(NAME, WITH_URL.replace("### Application\nPENDING", "### Application\nIDEA"))
    today = datetime.date.today().isoformat()

    result = run_cli(repo.root, "status", "reddit", "SENT")

    assert result.status == 0, result.err
    assert result.out == f"applications/{NAME}: IDEA -> SENT; Application Date {today}\n"
    assert f"\n{today}\n" in path.read_text(encoding="utf-8")
    assert run_cli(repo.root, "check").status == 0  # JT503: a sent status needs its date
