"""The pre-commit hook from the parent's memo (nextcommit, rowmemo): the files of a full render, reading only what changed.

Each commit goes through the hook's own code (``stage_generated``) and real git;
after it, INDEX.md and HISTORY.md in the commit must be byte for byte what a full
render of that commit makes (``render_repository`` with no cache), and the hook
must have read only the changed files when its parent was staged by the hook too.
"""

from __future__ import annotations

import datetime
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Repo, application, git
from jobtrail import rowmemo
from jobtrail.generated import render_repository
from jobtrail.repository import open_repository
from jobtrail.settle import settle
from jobtrail.staging import Staged, stage_generated

NAMES = ("acme-data.md", "globex-ml.md", "hooli-sre.md", "initech-web.md")
COMPANIES = {"acme-data.md": "Acme", "globex-ml.md": "Globex", "hooli-sre.md": "Hooli", "initech-web.md": "Initech"}
STATUSES = ("PENDING", "APPLIED", "SCREENING", "INTERVIEWING", "OFFER", "REJECTED", "GHOSTED", "WITHDRAWN")
START = datetime.date(2026, 10, 1)


def at(day: datetime.date) -> str:
    return f"{day.isoformat()}T10:00:00+00:00"


def hook_commit(repo: Repo, day: datetime.date, message: str = "change") -> Staged:
    """`git add -A`, the pre-commit hook, `git commit`, the post-commit hook's settle: as git runs them."""
    os.environ["GIT_AUTHOR_DATE"] = os.environ["GIT_COMMITTER_DATE"] = at(day)
    repo.git("add", "-A")
    staged = stage_generated(open_repository(str(repo.root)))
    if staged.refused:
        repo.git("reset", "-q", "--hard")
        repo.git("clean", "-qfd")
        return staged
    repo.git("commit", "-q", "--no-verify", "--allow-empty", "-m", message)
    settle(open_repository(str(repo.root)))
    return staged


def assert_fresh(repo: Repo) -> None:
    """HEAD's generated files are a full render's, with nothing kept from an earlier run."""
    found = open_repository(str(repo.root))
    day = datetime.date.fromisoformat(repo.git("log", "-1", "--format=%ad", "--date=short").strip())
    rendered = render_repository(found, day)
    for name, data in rendered.files.items():
        committed = Path(repo.root / name).read_bytes()
        assert committed == data, f"{name} at {repo.git('log', '-1', '--format=%s').strip()}"
        assert repo.git("status", "--porcelain", "--", name) == ""


@pytest.fixture
def started(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Two applications committed through the hook (a full render: there is no memo yet)."""
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, at(START))
    repo.write("acme-data.md", application("Acme", "Data Engineer", "APPLIED", "2026-09-28"))
    first = hook_commit(repo, START, "start")
    assert not first.refused and not first.from_parent
    assert_fresh(repo)
    return repo


def test_a_commit_after_a_hooked_commit_reads_only_the_changed_file(started: Repo) -> None:
    started.write("acme-data.md", application("Acme", "Data Engineer", "INTERVIEWING", "2026-09-28"))
    staged = hook_commit(started, START + datetime.timedelta(days=3))
    assert staged.from_parent and staged.staged == ("INDEX.md", "HISTORY.md")
    assert_fresh(started)
    assert (started.root / ".git" / "jobtrail" / rowmemo.NEXT_NAME).is_file()


def test_a_commit_whose_parent_was_made_without_the_hook_renders_in_full(started: Repo) -> None:
    started.write("acme-data.md", application("Acme", "Data Engineer", "SCREENING", "2026-09-28"))
    started.commit("no hook", date=at(START + datetime.timedelta(days=1)))
    started.write("hooli-sre.md", application("Hooli", "SRE", "PENDING"))
    staged = hook_commit(started, START + datetime.timedelta(days=2))
    assert not staged.from_parent
    assert_fresh(started)


def test_an_aborted_commit_leaves_the_memo_of_head(started: Repo) -> None:
    """The hook ran, then the commit did not happen (an empty message, a commit-msg hook): the next commit
    still starts from HEAD's memo."""
    started.write("hooli-sre.md", application("Hooli", "SRE", "PENDING"))
    started.git("add", "-A")
    stage_generated(open_repository(str(started.root)))  # the commit never follows
    started.git("reset", "-q")
    started.git("update-index", "--no-skip-worktree", "--", "INDEX.md", "HISTORY.md")
    started.git("checkout", "-q", "--", "INDEX.md", "HISTORY.md")
    staged = hook_commit(started, START + datetime.timedelta(days=1))
    assert staged.from_parent
    assert_fresh(started)


def test_an_application_date_no_longer_in_the_future_is_checked_again(started: Repo) -> None:
    """The memo keeps problems as of one day: a date in the future then is not an error later on."""
    started.write("globex-ml.md", application("Globex", "ML Engineer", "APPLIED", "2026-10-05"))
    started.commit("a future date, without the hook", date=at(START))
    started.write("hooli-sre.md", application("Hooli", "SRE", "PENDING"))
    first = hook_commit(started, START)
    assert "Application Date 2026-10-05 is in the future" in (started.root / "INDEX.md").read_text()
    started.write("initech-web.md", application("Initech", "Web", "PENDING"))
    later = hook_commit(started, START + datetime.timedelta(days=7))
    assert not first.from_parent and later.from_parent
    assert "in the future" not in (started.root / "INDEX.md").read_text()
    assert_fresh(started)


@pytest.mark.parametrize(
    "damage",
    ["garbage", "torn", "wrong types", "disagreeing values", "fifo", "symlink to /dev/zero", "folder", "nested"],
)
def test_a_damaged_memo_is_rendered_in_full(started: Repo, damage: str) -> None:
    """Anything unexpected in the memo reads as nothing: the files are those of a full render, and the memo
    is written again."""
    folder = started.root / ".git" / "jobtrail"
    base = folder / rowmemo.BASE_NAME
    body = base.read_bytes().partition(b"\n")[2]
    base.unlink()
    if damage == "garbage":
        base.write_bytes(b"\x00\xff not a memo")
    elif damage == "torn":
        base.write_bytes(rowmemo.frame(b"jobtrail-rows", rowmemo._checksum, body)[:-100])
    elif damage in ("wrong types", "disagreeing values", "nested"):
        if damage == "wrong types":
            body = body.replace(b'"APPLIED"', b"17", 1)
        elif damage == "disagreeing values":
            body = body.replace(b'["new, APPLIED"]', b"[]", 1)  # a feed line fewer than the changes
        else:
            body = b"[" * 100_000 + b"]" * 100_000
        base.write_bytes(rowmemo.frame(b"jobtrail-rows", rowmemo._checksum, body))
    elif damage == "fifo":
        os.mkfifo(base)
    elif damage == "symlink to /dev/zero":
        base.symlink_to("/dev/zero")
    else:
        base.mkdir()
    started.write("hooli-sre.md", application("Hooli", "SRE", "PENDING"))  # acme's kept row is rendered
    staged = hook_commit(started, START + datetime.timedelta(days=1))
    assert not staged.refused and not staged.from_parent
    assert_fresh(started)
    if damage not in ("fifo", "folder", "symlink to /dev/zero"):
        assert stat.S_ISREG(base.lstat().st_mode)


# A random run of edits, each committed through the hook: renames, deletions, new files (duplicates of
# others too), status changes with reasons, a commit without the hook now and then, days passing.
EDIT = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(NAMES), st.sampled_from(STATUSES)),
    st.tuples(st.just("reason"), st.sampled_from(NAMES), st.sampled_from(STATUSES)),
    st.tuples(st.just("rename"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.just("delete"), st.sampled_from(NAMES), st.just("")),
    st.tuples(st.just("duplicate"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.just("swap"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
)
STEP = st.tuples(st.lists(EDIT, min_size=1, max_size=3), st.integers(0, 9), st.booleans())


def _edit(repo: Repo, edit: tuple[str, str, str], day: datetime.date) -> None:
    kind, name, other = edit
    path, target = repo.applications / name, repo.applications / other
    applied = (day - datetime.timedelta(days=1)).isoformat()
    if kind == "status":
        path.write_text(application(COMPANIES[name], "Engineer", other, applied), encoding="utf-8")
    elif kind == "reason" and path.exists():
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"\n- {day.isoformat()} {other}: reason {day.day}\n")
    elif kind == "rename" and path.exists() and name != other:
        path.replace(target)
    elif kind == "delete" and path.exists():
        path.unlink()
    elif kind == "duplicate" and path.exists():
        target.write_bytes(path.read_bytes())
    elif kind == "swap" and path.exists() and target.exists() and name != other:
        first, second = path.read_bytes(), target.read_bytes()
        path.write_bytes(second)
        target.write_bytes(first)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=2, max_size=6))
def test_every_commit_from_the_memo_equals_a_full_render(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[list[tuple[str, str, str]], int, bool]]
) -> None:
    root = tmp_path_factory.mktemp("repo")
    git(root, "init", "-q", "-b", "main")
    repo = Repo(root)
    repo.applications.mkdir()
    repo.write("acme-data.md", application("Acme", "Engineer", "PENDING"))
    repo.write("stays.md", application("Stays", "Engineer", "PENDING"))  # the folder is never empty
    day = START
    hook_commit(repo, day, "start")
    hooked_before = True
    for edits, days, with_hook in steps:
        day += datetime.timedelta(days=days)
        for edit in edits:
            _edit(repo, edit, day)
        if not with_hook:
            repo.git("add", "-A")
            repo.git("commit", "-q", "--no-verify", "--allow-empty", "-m", "without the hook", date=at(day))
            hooked_before = False
            continue
        staged = hook_commit(repo, day)
        if staged.refused:
            continue
        assert staged.from_parent == hooked_before
        assert_fresh(repo)
        hooked_before = True


def test_a_file_name_that_is_not_utf8_commits_and_keeps_no_memo(started: Repo) -> None:
    """Committed without the hook (its name rule refuses it): the next commits still go through."""
    with open(os.path.join(os.fsencode(started.applications), b"caf\xe9.md"), "wb") as handle:
        handle.write(application("Cafe", "Engineer", "PENDING").encode())
    started.commit("no hook", date=at(START + datetime.timedelta(days=1)))
    for day in (2, 3):
        started.write(f"hooli-{day}.md", application("Hooli", f"SRE {day}", "PENDING"))
        staged = hook_commit(started, START + datetime.timedelta(days=day))
        assert not staged.refused and not staged.from_parent and staged.rendered is not None


def test_a_mode_change_alone_is_no_change(started: Repo) -> None:
    """chmod +x changes no blob: the fast path checks the file no more than a full render does."""
    started.write("Bad Name.md", application("Bad", "Engineer", "PENDING"))  # a name the rules refuse
    started.commit("no hook", date=at(START + datetime.timedelta(days=1)))
    started.write("hooli-sre.md", application("Hooli", "SRE", "PENDING"))
    assert not hook_commit(started, START + datetime.timedelta(days=2)).refused
    os.chmod(started.applications / "Bad Name.md", 0o755)
    staged = hook_commit(started, START + datetime.timedelta(days=3))
    assert staged.from_parent and not staged.refused
    assert_fresh(started)


def test_a_file_outside_the_folder_that_changes_the_renames_is_another_memo(repo: Repo) -> None:
    """An amend without the hook adds an exact copy of a renamed file's old version outside the folder:
    git pairs the rename there now, so the renamed file's history is not the one the memo kept."""
    day = [START + datetime.timedelta(days=number) for number in range(4)]
    repo.write("acme-data.md", application("Acme", "Data Engineer", "PENDING"))
    hook_commit(repo, day[0], "pending")
    applied = application("Acme", "Data Engineer", "APPLIED", day[1].isoformat())
    repo.write("acme-data.md", applied)
    hook_commit(repo, day[1], "applied")
    (repo.applications / "acme-data.md").unlink()
    repo.write("acme-renamed.md", applied + "\nsome more notes here\n")
    assert hook_commit(repo, day[2], "rename").from_parent
    (repo.root / "docs").mkdir()
    (repo.root / "docs" / "acme-data.md").write_text(applied, encoding="utf-8")
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "--no-verify", "-m", "rename", date=at(day[2]))
    repo.write("hooli-sre.md", application("Hooli", "SRE", "PENDING"))
    assert not hook_commit(repo, day[3], "next").from_parent
    assert_fresh(repo)


@pytest.mark.parametrize("kind", ["file", "symlink"])
def test_an_applications_folder_that_becomes_a_file_is_rendered_in_full(started: Repo, kind: str) -> None:
    started.write("hooli-sre.md", application("Hooli", "SRE", "PENDING"))
    assert hook_commit(started, START + datetime.timedelta(days=1)).from_parent
    started.applications.rename(started.root / "elsewhere")
    if kind == "file":
        started.applications.write_text("not a folder\n", encoding="utf-8")
    else:
        started.applications.symlink_to("elsewhere")
    staged = hook_commit(started, START + datetime.timedelta(days=2))
    assert not staged.refused and not staged.from_parent and "INDEX.md" in staged.staged
