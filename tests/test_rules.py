"""One row per rule: a file that breaks it, the exit status, the code and the line."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Repo, reddit_text

REDDIT = reddit_text()
# Line numbers in the Reddit example (1-based).
LINE_COMPANY_HEADING, LINE_COMPANY = 3, 4
LINE_URL = 10
LINE_STATUS_HEADING, LINE_STATUS = 12, 14
LINE_DATE = 46


def replace(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return edit


def status(word: str) -> Callable[[str], str]:
    return replace("### Application\nPENDING", f"### Application\n{word}")


def applied_with(date: str = "2026-11-20", url: str = "https://www.redditinc.com/careers") -> Callable[[str], str]:
    def edit(text: str) -> str:
        text = status("APPLIED")(text)
        text = text.replace("[Current date in YYYY-MM-DD format]", date)
        return text.replace("[URL to job listing]", url)

    return edit


def front_matter(yaml: str) -> Callable[[str], str]:
    return lambda text: f"---\n{yaml}\n---\n{text}"


# (id, file name, edit, code, line, exit status)
CASES: list[tuple[str, str, Callable[[str], str] | bytes, str, int, int]] = [
    ("binary", "binary.md", b"# Application Details\n\x00\x01\x02", "JT101", 2, 1),
    ("not utf-8", "latin.md", "# Application Details\n\n## Company\nCaf\xe9\n".encode("latin-1"), "JT102", 4, 1),
    ("too large", "huge.md", REDDIT.encode() + b"x" * 1_100_000, "JT103", 1, 1),
    ("invalid yaml", "yaml.md", front_matter("tags: [ml, remote\nlocation: x"), "JT201", 3, 1),
    ("unsafe yaml tag", "tag.md", front_matter("x: !!python/object/apply:os.system ['echo pwned']"), "JT202", 2, 1),
    ("front matter not a mapping", "list.md", front_matter("- a\n- b"), "JT203", 2, 1),
    ("tags not a list", "tags.md", front_matter("location: Remote\ntags: ml"), "JT204", 3, 1),
    ("follow_up not a date", "followup.md", front_matter("follow_up: next week"), "JT204", 2, 1),
    ("follow_up impossible date", "followup2.md", front_matter("follow_up: '2026-02-30'"), "JT204", 2, 1),
    ("front matter unclosed", "unclosed.md", lambda text: "---\ntags: [a]\n" + text, "JT205", 1, 1),
    (
        "billion laughs",
        "laughs.md",
        front_matter(
            "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]"
        ),
        "JT206",
        2,
        1,
    ),
    ("missing title", "notitle.md", replace("# Application Details\n", ""), "JT301", 1, 1),
    ("missing title, front matter only", "fmonly.md", b"---\ntags: [a]\n---\n", "JT301", 3, 1),
    (
        "missing section, where it belongs",
        "nodate.md",
        replace("## Application Date\n[Current date in YYYY-MM-DD format]\n", ""),
        "JT302",
        46,
        1,
    ),
    ("missing section", "nonotes.md", lambda text: text[: text.index("## Notes")], "JT302", 55, 1),
    ("duplicate section", "dup.md", replace("## Notes\n", "## Company\nAgain\n\n## Notes\n"), "JT303", 56, 1),
    ("empty section", "empty.md", replace("## Company\nReddit\n", "## Company\n\n"), "JT304", LINE_COMPANY_HEADING, 1),
    (
        "section out of order",
        "order.md",
        replace(
            "## Company\nReddit\n\n## Position\nSenior Machine Learning Engineer, Safety\n",
            "## Position\nSenior Machine Learning Engineer, Safety\n\n## Company\nReddit\n",
        ),
        "JT305",
        3,
        0,
    ),
    ("### Application missing", "nosub.md", replace("### Application\n", ""), "JT306", LINE_STATUS_HEADING, 1),
    (
        "merge conflict left in the file",
        "conflict.md",
        replace(
            "### Application\nPENDING\n", "### Application\n<<<<<<< HEAD\nREJECTED\n=======\nAPPLIED\n>>>>>>> other\n"
        ),
        "JT308",
        LINE_STATUS,
        1,
    ),
    ("code fence never closed", "fence.md", replace("environments.\n```\n", "environments.\n"), "JT307", 17, 1),
    ("unknown status", "unknown.md", status("APPLID"), "JT401", LINE_STATUS, 1),
    ("status letter case", "case.md", status("Pending"), "JT402", LINE_STATUS, 0),
    (
        "date not a date",
        "baddate.md",
        replace("[Current date in YYYY-MM-DD format]", "2026-13-01"),
        "JT501",
        LINE_DATE,
        1,
    ),
    ("date in the future", "future.md", applied_with(date="2999-01-01"), "JT502", LINE_DATE, 1),
    ("date placeholder past PENDING", "applied.md", status("APPLIED"), "JT503", LINE_DATE, 1),
    ("url not http", "ftp.md", applied_with(url="ftp://example.com/job"), "JT601", LINE_URL, 1),
    ("url javascript", "js.md", applied_with(url="javascript:alert(1)"), "JT602", LINE_URL, 1),
    ("url javascript in a link", "jslink.md", applied_with(url="[apply](javascript:alert(1))"), "JT602", LINE_URL, 1),
    ("url placeholder past PENDING", "nourl.md", applied_with(url="[URL to job listing]"), "JT603", LINE_URL, 1),
    (
        "leftover placeholder",
        "leftover.md",
        replace("Reddit is a social media", "[Company Name] is a social media"),
        "JT701",
        43,
        0,
    ),
    ("file name not a slug", "Reddit Application.md", lambda text: text, "JT801", 1, 1),
    ("file name not .md slug", "-reddit.md", lambda text: text, "JT801", 1, 1),
]


@pytest.mark.parametrize(
    ("name", "edit", "code", "line", "exit_status"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_rule_reports_code_and_line(
    repo: Repo, run_cli, name: str, edit, code: str, line: int, exit_status: int
) -> None:
    os.remove(repo.applications / "reddit-senior-machine-learning-engineer-safety.md")
    content = edit if isinstance(edit, bytes) else edit(REDDIT)
    path = repo.write(name, content)

    result = run_cli(repo.root, "check", str(path.relative_to(repo.root)))

    found = [problem for problem in result.out.splitlines() if f": {code} " in problem]
    assert found, result.out
    assert found[0].startswith(f"applications/{name}:{line}:"), found
    assert result.status == exit_status
    assert "Traceback" not in result.err


def duplicate_warnings(output: str) -> list[str]:
    """The JT802 lines of a `check` output, in the order printed."""
    return [line for line in output.splitlines() if "JT802" in line]


def files_named(lines: list[str]) -> list[str]:
    return [line.split(":")[0] for line in lines]


def test_duplicate_company_and_position_warns_on_both(repo: Repo, run_cli) -> None:
    repo.write("reddit-copy.md", REDDIT)

    result = run_cli(repo.root, "check")

    warnings = duplicate_warnings(result.out)
    assert files_named(warnings) == [
        "applications/reddit-copy.md",
        "applications/reddit-senior-machine-learning-engineer-safety.md",
    ]
    assert all(f":{LINE_COMPANY}:" in line for line in warnings)
    assert result.status == 0  # a warning alone


def test_duplicate_is_found_when_checking_one_file(repo: Repo, run_cli) -> None:
    """pre-commit passes only the changed file: the others still count."""
    repo.write("reddit-copy.md", REDDIT)

    result = run_cli(repo.root, "check", "applications/reddit-copy.md")

    assert "applications/reddit-copy.md:4:1: JT802" in result.out
    assert "reddit-senior-machine-learning-engineer-safety.md:" not in result.out.split("JT802")[0]


def test_symlink_out_of_the_repository_is_refused(repo: Repo, run_cli, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(REDDIT)
    (repo.applications / "link.md").symlink_to(outside)

    result = run_cli(repo.root, "check")

    assert "applications/link.md:1:1: JT104" in result.out
    assert result.status == 1


def test_symlink_inside_the_repository_is_read(repo: Repo, run_cli) -> None:
    (repo.root / "notes").mkdir()
    (repo.root / "notes" / "x.md").write_text(status("APPLID")(REDDIT))
    (repo.applications / "link.md").symlink_to(repo.root / "notes" / "x.md")

    result = run_cli(repo.root, "check", "applications/link.md")

    assert f"applications/link.md:{LINE_STATUS}:1: JT401" in result.out


def test_unknown_status_names_the_closest(repo: Repo, run_cli) -> None:
    repo.write("x.md", status("INTERVEWING")(REDDIT))

    result = run_cli(repo.root, "check", "applications/x.md")

    assert "did you mean `INTERVIEWING`?" in result.out


def test_placeholders_are_fine_while_pending(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "check")

    assert result.out == ""
    assert result.status == 0


def test_filled_in_application_passes(repo: Repo, run_cli) -> None:
    repo.write("x.md", applied_with()(REDDIT).replace("Reddit\n", "Reddit Inc\n", 1))

    result = run_cli(repo.root, "check", "applications/x.md")

    assert result.out == ""
    assert result.status == 0


def test_valid_front_matter_passes(repo: Repo, run_cli) -> None:
    repo.write(
        "x.md",
        front_matter("tags: [ml, remote]\nlocation: Remote\nfollow_up: 2026-12-01\ninterviews: [2026-12-03]")(
            REDDIT.replace("Reddit\n", "Other\n", 1)
        ),
    )

    result = run_cli(repo.root, "check", "applications/x.md")

    assert result.out == ""


@pytest.mark.parametrize("closed", ["WITHDRAWN", "REJECTED", "DECLINED", "GHOSTED", "ACCEPTED", "DROPPED"])
def test_a_closed_status_needs_no_date_or_url_an_active_one_does(repo: Repo, run_cli, closed: str) -> None:
    """An application can close without ever being sent; only an active status past the first says it was."""
    (repo.root / "jobtrail.toml").write_text(
        'active = ["PENDING", "APPLIED", "SCREENING", "INTERVIEWING", "OFFER"]\n'
        'closed = ["ACCEPTED", "REJECTED", "WITHDRAWN", "DECLINED", "GHOSTED", "DROPPED"]\n'
    )
    repo.write("x.md", status(closed)(REDDIT).replace("Reddit\n", "Other\n", 1))
    repo.write("y.md", status("SCREENING")(REDDIT).replace("Reddit\n", "Third\n", 1))

    result = run_cli(repo.root, "check")

    assert "applications/x.md" not in result.out
    assert {line.split(": ")[1].split()[0] for line in result.out.splitlines()} == {"JT503", "JT603"}
    assert all(line.startswith("applications/y.md:") for line in result.out.splitlines())


def test_the_agendas_dated_keys_pass_in_every_documented_form(repo: Repo, run_cli) -> None:
    keys = (
        "interviews:\n  - 2026-12-03\n  - 2026-12-04 09:30\n  - {date: 2026-12-05, time: '14:30', with: Dana, kind: onsite}\n"
        "  - {date: 2026-12-06, time: 14:30}\n"  # unquoted: the front matter reads 14:30 as text
        "deadline: 2026-12-10\nfollow_up: 2026-12-01\nfollowed_up: 2026-11-28\nnext_action: Send the take-home"
    )
    repo.write("x.md", front_matter(keys)(REDDIT.replace("Reddit\n", "Other\n", 1)))

    result = run_cli(repo.root, "check", "applications/x.md")

    assert result.out == "" and result.status == 0


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("interviews: [2026-12-03, soon]", "`soon` is not one"),
        ("interviews:\n  - {date: 2026-12-03, time: noon}", "`date: 2026-12-03, time: noon` is not one"),
        ("interviews: 2026-12-03", "front matter `interviews` must be a list"),
        ("deadline: next week", "front matter `deadline` must be a date"),
        ("followed_up: yes", "front matter `followed_up` must be a date"),
        ("next_action: [call, write]", "front matter `next_action` must be text"),
    ],
)
def test_the_agendas_dated_keys_are_checked(repo: Repo, run_cli, keys: str, message: str) -> None:
    repo.write("x.md", front_matter(keys)(REDDIT.replace("Reddit\n", "Other\n", 1)))

    result = run_cli(repo.root, "check", "applications/x.md")

    assert result.status == 1 and "JT204" in result.out and message in result.out, result.out


def test_the_same_name_composed_or_decomposed_is_a_duplicate(repo: Repo, run_cli) -> None:
    composed = REDDIT.replace("Reddit\n", "Caf\u00e9 Inc\n", 1)
    decomposed = REDDIT.replace("Reddit\n", "Cafe\u0301  inc\n", 1)
    repo.write("cafe-composed.md", composed)
    repo.write("cafe-decomposed.md", decomposed)

    result = run_cli(repo.root, "check")

    assert files_named(duplicate_warnings(result.out)) == [
        "applications/cafe-composed.md",
        "applications/cafe-decomposed.md",
    ]
