"""`jobtrail index [--check] [--hook]` on real repositories: fresh after writing, after committing, stale after an edit."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import Repo, reddit_text, with_status
from jobtrail.commands.index import hook_from_pre_commit
from jobtrail.files import locked
from jobtrail.generated import regenerate
from jobtrail.git import author_today
from jobtrail.repository import repository_at

REDDIT = reddit_text()
NAME = "reddit-senior-machine-learning-engineer-safety.md"
GENERATED = ("INDEX.md", "HISTORY.md")


def application(company: str, status: str = "APPLIED", applied: str = "2026-11-20") -> str:
    text = REDDIT.replace("Reddit\n", f"{company}\n", 1).replace(
        "### Application\nPENDING", f"### Application\n{status}"
    )
    text = text.replace("[URL to job listing]", "https://example.com/jobs/1")
    return text.replace("[Current date in YYYY-MM-DD format]", applied)


def snapshot(repo: Repo) -> dict[str, tuple[bytes, int]]:
    """The generated files' bytes and modification times (nanoseconds)."""
    found = {}
    for name in GENERATED:
        path = repo.root / name
        if path.exists():
            found[name] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def test_fresh_after_index_after_commit_and_stale_after_an_edit(repo: Repo, run_cli) -> None:
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")

    written = run_cli(repo.root, "index")
    assert written.status == 0
    assert written.out == "1 application: 1 PENDING; 0 problems. Wrote INDEX.md and HISTORY.md.\n"
    assert run_cli(repo.root, "index", "--check").status == 0

    repo.commit("index", date="2026-11-20T09:05:00+00:00")
    after_commit = run_cli(repo.root, "index", "--check")
    assert (after_commit.status, after_commit.err) == (0, "")
    assert "INDEX.md and HISTORY.md are up to date." in after_commit.out

    repo.write("acme-data-engineer.md", application("Acme"))
    before = snapshot(repo)
    stale = run_cli(repo.root, "index", "--check")
    assert stale.status == 1
    assert "INDEX.md and HISTORY.md are out of date: run `jobtrail index`" in stale.err
    assert snapshot(repo) == before  # --check writes nothing


def test_writes_only_files_whose_bytes_change(repo: Repo, run_cli) -> None:
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")
    run_cli(repo.root, "index")
    before = snapshot(repo)
    time.sleep(0.01)

    again = run_cli(repo.root, "index")

    assert again.out == "1 application: 1 PENDING; 0 problems. INDEX.md and HISTORY.md are up to date.\n"
    assert snapshot(repo) == before


def test_only_the_changed_file_is_written(repo: Repo, run_cli) -> None:
    """A new quiet day changes the day counts in INDEX.md, not the history."""
    repo.commit("add reddit", date="2026-11-01T09:00:00+00:00")
    repo.write("acme-data-engineer.md", application("Acme", applied="2026-11-02"))
    repo.commit("acme", date="2026-11-02T09:00:00+00:00")
    run_cli(repo.root, "index")
    repo.write(
        "acme-data-engineer.md", application("Acme", applied="2026-11-02").replace("## Notes\n", "## Notes\nCalled.\n")
    )
    repo.commit("note", date="2026-11-09T09:00:00+00:00")

    result = run_cli(repo.root, "index")

    assert result.out.endswith("Wrote INDEX.md.\n")


def test_summary_counts_by_status_and_problems(repo: Repo, run_cli) -> None:
    repo.write("acme-data-engineer.md", application("Acme"))
    repo.write("globex-ml.md", application("Globex", status="SCREENING"))
    repo.write("broken.md", application("Broken", status="APPLID"))
    repo.commit("three more", date="2026-11-21T09:00:00+00:00")

    result = run_cli(repo.root, "index")

    assert result.out.startswith(
        "4 applications: 1 PENDING, 1 APPLIED, 1 SCREENING, 1 (invalid); 1 problem (run `jobtrail check`)."
    )
    index = (repo.root / "INDEX.md").read_text(encoding="utf-8")
    assert "fails `jobtrail check`: line 14: JT401 unknown status" in index


def test_committing_what_a_pre_commit_run_generated_leaves_it_fresh(repo: Repo, run_cli, monkeypatch) -> None:
    """Uncommitted changes are dated by the commit about to be made, late evening at UTC-8 included."""
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")
    late = "2026-11-30T23:30:00-08:00"  # already December 1st in UTC
    monkeypatch.setenv("GIT_AUTHOR_DATE", late)
    monkeypatch.setenv("GIT_COMMITTER_DATE", late)
    repo.write(NAME, application("Reddit", status="APPLIED", applied="2026-11-29"))
    repo.write("acme-data-engineer.md", application("Acme", status="PENDING"))

    assert author_today(str(repo.root)) == datetime.date(2026, 11, 30)
    run_cli(repo.root, "index")
    index = (repo.root / "INDEX.md").read_text(encoding="utf-8")
    assert "As of 2026-11-30" in index

    repo.commit("apply, add acme, regenerate", date=late)
    assert run_cli(repo.root, "index", "--check").status == 0


def test_same_bytes_whatever_the_clock_and_time_zone(repo: Repo, run_cli, monkeypatch) -> None:
    repo.commit("add reddit", date="2026-11-20T22:00:00-05:00")
    run_cli(repo.root, "index")
    repo.commit("index", date="2026-11-20T22:05:00-05:00")
    before = snapshot(repo)

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14
    time.tzset()
    try:
        result = regenerate(repository_at(str(repo.root)), check=True, today=datetime.date(2031, 1, 1))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()

    assert result.stale == ()
    assert snapshot(repo) == before


def test_no_commit_sha_in_the_generated_files(repo: Repo, run_cli) -> None:
    sha = repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")
    run_cli(repo.root, "index")
    for name in GENERATED:
        text = (repo.root / name).read_text(encoding="utf-8")
        assert sha not in text and sha[:7] not in text


def test_evil_company_in_a_real_repository_renders_safely(repo: Repo, run_cli) -> None:
    repo.write("evil-corp.md", application("Evil | Corp <script>alert(1)</script>"))
    repo.commit("evil", date="2026-11-21T09:00:00+00:00")
    run_cli(repo.root, "index")

    tokens = MarkdownIt("commonmark").enable("table").parse((repo.root / "INDEX.md").read_text(encoding="utf-8"))
    children = [child for token in tokens for child in (token.children or ())]
    assert not [t for t in [*tokens, *children] if t.type in ("html_inline", "html_block")]
    rows = [t for t in tokens if t.type == "tr_open"]
    cells = [t for t in tokens if t.type in ("th_open", "td_open")]
    # The agenda (header + Evil's follow-up), sent per week (a header row and one of counts), active (header + 2 rows).
    assert len(cells) == 3 * 2 + 2 * 2 + 6 * 3
    assert len(rows) == 2 + 2 + 3 + 0


def test_check_in_a_repository_never_indexed(repo: Repo, run_cli) -> None:
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")
    result = run_cli(repo.root, "index", "--check")
    assert result.status == 1
    assert not (repo.root / "INDEX.md").exists()


def test_index_registers_the_merge_driver_and_check_does_not(repo: Repo, run_cli) -> None:
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")
    run_cli(repo.root, "index", "--check")
    assert subprocess.run(["git", "config", "--get-regexp", "^merge"], cwd=repo.root, capture_output=True).stdout == b""

    run_cli(repo.root, "index")

    assert repo.git("config", "--get", "merge.jobtrail-generated.driver").strip() == "true"


def test_pre_commit_hook_mode_stages_fresh_files_and_leaves_the_work_tree_alone(repo: Repo, run_cli) -> None:
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")

    first = run_cli(repo.root, "index", "--hook", "pre-commit")
    staged = repo.git("diff", "--cached", "--name-only").split()
    second = run_cli(repo.root, "index", "--hook", "pre-commit")

    assert (first.status, first.out, first.err) == (0, "", "")
    assert staged == ["HISTORY.md", "INDEX.md"]
    assert not (repo.root / "INDEX.md").exists()  # the work tree's copy comes after the commit (post-commit)
    assert (second.status, repo.git("diff", "--cached", "--name-only").split()) == (0, staged)


def test_pre_commit_hook_mode_refuses_unresolved_conflicts_and_writes_nothing(repo: Repo, run_cli) -> None:
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "other")
    repo.write(NAME, application("Reddit", status="APPLIED"))
    repo.commit("applied", date="2026-11-21T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.write(NAME, application("Reddit", status="WITHDRAWN"))
    repo.commit("withdrawn", date="2026-11-21T09:00:00+00:00")
    merge = subprocess.run(["git", "merge", "-q", "other"], cwd=repo.root, capture_output=True)
    assert merge.returncode == 1  # a real conflict: MERGE_HEAD exists

    result = run_cli(repo.root, "index", "--hook", "pre-commit")

    assert (result.status, snapshot(repo)) == (1, {})
    assert "unresolved conflicts" in result.err


def test_a_second_writer_waits_for_the_lock(repo: Repo) -> None:
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")
    lock = repo.root / ".git" / "jobtrail-index.lock"
    with locked(str(lock)):
        writer = subprocess.Popen([sys.executable, "-m", "jobtrail", "index"], cwd=repo.root, stdout=subprocess.PIPE)
        time.sleep(0.5)
        assert writer.poll() is None and not (repo.root / "INDEX.md").exists()
    assert writer.wait(timeout=30) == 0
    assert (repo.root / "INDEX.md").exists()


def test_outside_a_repository_is_a_clear_error(tmp_path: Path, run_cli) -> None:
    result = run_cli(tmp_path, "index")
    assert result.status == 1
    assert "not inside a git repository" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize("argv", [["index"], ["index", "--check"]])
def test_works_from_a_subfolder(repo: Repo, run_cli, argv: list[str]) -> None:
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")
    run_cli(repo.root, "index")
    result = run_cli(repo.applications, *argv)
    assert result.status == 0
    assert not os.path.exists(repo.applications / "INDEX.md")


def test_notes_about_the_history_go_to_the_terminal(repo: Repo, run_cli, tmp_path: Path) -> None:
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")
    repo.write("acme-data-engineer.md", application("Acme"))
    repo.commit("acme", date="2026-11-21T09:00:00+00:00")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(shallow)], check=True)

    result = run_cli(shallow, "index")

    assert result.status == 0
    assert "note: this is a shallow clone" in result.err
    assert "this is a shallow clone, so the history is cut short" in (shallow / "INDEX.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("variables", "hook"),
    [
        ({}, "pre-commit"),
        ({"PRE_COMMIT_CHECKOUT_TYPE": "1"}, "post-checkout"),
        ({"PRE_COMMIT_CHECKOUT_TYPE": "0"}, "post-checkout"),
        ({"PRE_COMMIT_IS_SQUASH_MERGE": "0"}, "post-merge"),
        ({"PRE_COMMIT_REWRITE_COMMAND": "rebase"}, "post-rewrite"),
    ],
)
def test_a_bare_hook_option_asks_pre_commit_which_hook_runs(variables: dict[str, str], hook: str) -> None:
    assert hook_from_pre_commit({"PRE_COMMIT": "1", **variables}) == hook


def test_a_bare_hook_option_after_a_checkout_never_writes(repo: Repo, run_cli, monkeypatch) -> None:
    """`jobtrail init` configures one `jobtrail index --hook` for every stage."""
    repo.commit("add reddit", date="2026-11-20T09:00:00+00:00")
    monkeypatch.setenv("PRE_COMMIT_CHECKOUT_TYPE", "1")

    result = run_cli(repo.root, "index", "--hook")

    assert (result.status, snapshot(repo)) == (0, {})
    assert "INDEX.md and HISTORY.md out of date here" in result.err


def test_a_folder_in_the_way_of_a_generated_file_is_an_error_not_a_crash(repo: Repo, run_cli) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    (repo.root / "INDEX.md").mkdir()

    result = run_cli(repo.root, "index")

    assert result.status == 1 and "INDEX.md: cannot write it" in result.err


def test_the_dashboard_rates_count_only_applications_that_were_sent(repo: Repo, run_cli) -> None:
    """PENDING straight to REJECTED never went out: it is neither sent nor a response in INDEX.md's rates."""
    other = reddit_text().replace("Reddit", "Zeta", 1)
    repo.write("zeta-ops.md", other)
    repo.commit("two pending", date="2026-11-02T09:00:00+00:00")
    repo.write("zeta-ops.md", with_status("REJECTED", text=other))
    repo.write("reddit-senior-machine-learning-engineer-safety.md", with_status("APPLIED", "2026-11-03"))
    repo.commit("one rejected unsent, one applied", date="2026-11-04T09:00:00+00:00")

    assert run_cli(repo.root, "index").status == 0

    index = (repo.root / "INDEX.md").read_text(encoding="utf-8")
    assert "**Rates** of the 1 sent: response 0% (0)" in index
