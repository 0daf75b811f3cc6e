"""`jobtrail index` with nothing changed renders nothing; any change renders, and the files equal a full render."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable

import pytest

import jobtrail.appcache as appcache
import jobtrail.generated as generated
import jobtrail.outputmemo as outputmemo
from conftest import Repo, application
from jobtrail.cli import main
from jobtrail.generated import regenerate, render_repository
from jobtrail.outputmemo import memo_path
from jobtrail.repository import Repository, repository_at

DAY = datetime.date(2026, 11, 30)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once (a change time cannot be set back, and a test cannot wait a second each)."""
    monkeypatch.setattr(appcache, "SETTLED_NS", -(10**18))


def _repository(repo: Repo, *, broken: bool = True) -> Repository:
    for number in range(3):
        repo.write(f"company-{number}.md", application(f"Company{number}", "Engineer", "PENDING"))
    if broken:
        repo.write("broken.md", "# no sections at all\n")
    repo.commit("applications", date="2026-11-20T10:00:00+00:00")
    return repository_at(str(repo.root))


def _on_disk(repo: Repo) -> dict[str, bytes]:
    return {name: (repo.root / name).read_bytes() for name in ("INDEX.md", "HISTORY.md")}


def _no_render(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("rendered although nothing changed")

    monkeypatch.setattr(generated, "render_repository", refuse)


@pytest.mark.usefixtures("settled")
def test_nothing_changed_renders_nothing_and_says_the_same(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repository = _repository(repo)
    first = regenerate(repository, today=DAY)
    assert first.written == ("INDEX.md", "HISTORY.md")
    _no_render(monkeypatch)
    again = regenerate(repository, today=DAY)
    checked = regenerate(repository, today=DAY, check=True)
    for result in (again, checked):
        assert (result.counts, result.problem_list, result.stale) == (first.counts, first.problem_list, ())
    assert any(problem.path == "applications/broken.md" for problem in again.problem_list)


@pytest.mark.usefixtures("settled")
def test_a_generated_file_changed_by_hand_is_rendered_again(repo: Repo) -> None:
    repository = _repository(repo)
    regenerate(repository, today=DAY)
    rendered = _on_disk(repo)
    (repo.root / "INDEX.md").write_text("edited by hand\n", encoding="utf-8")
    assert regenerate(repository, today=DAY, check=True).stale == ("INDEX.md",)
    assert regenerate(repository, today=DAY).written == ("INDEX.md",)
    assert _on_disk(repo) == rendered


def _edit(repo: Repo) -> None:
    repo.write("company-1.md", application("Company1", "Engineer", "APPLIED", applied="2026-11-21"))


def _edit_same_size(repo: Repo) -> None:  # git status shows the file modified before and after
    _edit(repo)
    regenerate(repository_at(str(repo.root)), today=DAY)
    repo.write("company-1.md", application("Company1", "Engineer", "APPLIED", applied="2026-11-22"))


def _new_file(repo: Repo) -> None:
    repo.write("newco.md", application("Newco", "Engineer", "PENDING"))


def _staged(repo: Repo) -> None:
    _edit(repo)
    repo.git("add", "-A")


def _committed(repo: Repo) -> None:
    _edit(repo)
    repo.commit("applied", date="2026-11-22T10:00:00+00:00")


def _removed(repo: Repo) -> None:
    os.unlink(repo.applications / "company-2.md")


def _workflow(repo: Repo) -> None:
    (repo.root / "jobtrail.toml").write_text(
        'applications_dir = "applications"\nfollow_up_days = {PENDING = 3}\n', encoding="utf-8"
    )


CHANGES: dict[str, Callable[[Repo], None]] = {
    "an edit": _edit,
    "an edit of the same size to a file already modified": _edit_same_size,
    "a new file": _new_file,
    "a staged edit": _staged,
    "a commit": _committed,
    "a removed file": _removed,
    "another configuration": _workflow,
}


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("change", CHANGES)
def test_any_change_renders_and_equals_a_full_render(repo: Repo, change: str) -> None:
    repository = _repository(repo)
    regenerate(repository, today=DAY)
    before = _on_disk(repo)
    CHANGES[change](repo)
    repository = repository_at(str(repo.root))
    result = regenerate(repository, today=DAY)
    full = render_repository(repository, DAY)
    assert _on_disk(repo) == full.files != before
    assert result.problem_list == full.problems
    assert regenerate(repository, today=DAY).written == ()


@pytest.mark.usefixtures("settled")
def test_another_day_renders_again(repo: Repo) -> None:
    repository = _repository(repo)
    _edit(repo)  # an uncommitted change is dated today
    regenerate(repository, today=DAY)
    later = DAY + datetime.timedelta(days=2)
    regenerate(repository, today=later)
    assert _on_disk(repo) == render_repository(repository, later).files


def test_files_written_just_now_are_named_by_their_content(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write within the clock's tick can keep a file's stamps: such a file counts by what it holds."""
    monkeypatch.setattr(appcache, "SETTLED_NS", 10**18)  # every file was written "just now"
    repository = _repository(repo)
    regenerate(repository, today=DAY)
    repo.write("company-1.md", application("Company1", "Engineer", "APPLIED", applied="2026-11-21"))
    regenerate(repository, today=DAY)
    repo.write("company-1.md", application("Company1", "Engineer", "APPLIED", applied="2026-11-22"))
    assert regenerate(repository, today=DAY).written == ("INDEX.md", "HISTORY.md")
    assert _on_disk(repo) == render_repository(repository, DAY).files
    _no_render(monkeypatch)
    assert regenerate(repository, today=DAY).written == ()


def test_after_a_commit_through_the_hooks_index_renders_nothing(hooked: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repository = _repository(hooked, broken=False)
    hooked.write("company-1.md", application("Company1", "Staff Engineer", "PENDING"))
    hooked.git("add", "-A")
    hooked.git("commit", "-q", "-m", "applied")
    full = render_repository(repository, datetime.date(2026, 11, 25))  # the author date conftest sets
    _no_render(monkeypatch)
    result = regenerate(repository)  # today as the hooks take it: the author date
    assert (result.written, result.problem_list) == ((), full.problems)
    assert _on_disk(hooked) == full.files


def test_the_post_commit_hook_leaves_the_work_trees_key_to_index(hooked: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The post-commit hook only brings the work tree copies to the committed ones: the work tree's key (one
    git status and a stamp of every application: ~0.5 s of a 0.6 s hook at 50,000 applications) is taken by
    the next `jobtrail index`, which hands the pre-commit hook's rendering on and renders nothing."""
    repository = _repository(hooked, broken=False)
    hooked.write("company-1.md", application("Company1", "Staff Engineer", "PENDING"))
    hooked.git("add", "-A")
    post_commit = hooked.root / ".git" / "hooks" / "post-commit"
    post_commit.rename(post_commit.with_suffix(".off"))  # run by hand below
    hooked.git("commit", "-q", "-m", "staff")  # the pre-commit hook renders and stages both files
    post_commit.with_suffix(".off").rename(post_commit)

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("the post-commit hook took the work tree's key")

    with monkeypatch.context() as patched:
        patched.setattr(outputmemo, "inputs", refuse)
        patched.chdir(hooked.root)
        assert main(["index", "--hook", "post-commit"]) == 0
    assert hooked.git("status", "--porcelain") == ""
    full = render_repository(repository, datetime.date(2026, 11, 25))  # the author date conftest sets
    _no_render(monkeypatch)
    result = regenerate(repository)
    assert (result.written, result.problem_list) == ((), full.problems)
    assert _on_disk(hooked) == full.files


def test_a_configuration_changed_between_the_hook_and_the_commit_is_rendered(hooked: Repo) -> None:
    """The pre-commit hook rendered with one configuration; the post-commit hook does not hand that on
    when the configuration is another by then."""
    repository = _repository(hooked, broken=False)
    hooked.write("company-1.md", application("Company1", "Staff Engineer", "PENDING"))
    hooked.git("add", "-A")
    done = subprocess.run([sys.executable, "-m", "jobtrail", "index", "--hook", "pre-commit"], cwd=hooked.root)
    assert done.returncode == 0
    _workflow(hooked)
    hooked.git("commit", "-q", "--no-verify", "-m", "staff")  # the post-commit hook runs
    repository = repository_at(str(hooked.root))
    result = regenerate(repository)
    assert _on_disk(hooked) == render_repository(repository, datetime.date(2026, 11, 25)).files
    assert result.written


HOSTILE: dict[str, bytes] = {
    "not JSON": b"\x00\xff garbage",
    "a torn file": b"jobtrail-output-memo 0000\n{",
    "the wrong checksum": b'jobtrail-output-memo 0123456789abcdef0123456789abcdef01234567\n{"version":1}',
}


def _forged(body: bytes) -> bytes:

    return b"jobtrail-output-memo %s\n%s" % (hashlib.sha1(body).hexdigest().encode(), body)


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize(
    "content",
    [
        *HOSTILE.values(),
        _forged(b"[]"),
        _forged(b'{"version":1,"key":"KEY","racy":{},"digests":[],"counts":[],"problems":[]}'),
        _forged(b'{"version":1,"key":"KEY","racy":{},"digests":{},"counts":[["PENDING","3"]],"problems":[]}'),
        _forged(
            b'{"version":1,"key":"KEY","racy":{},"digests":{},"counts":[],"problems":[["a",1,1,"JT1","fatal","m"]]}'
        ),
        _forged(b'{"version":1,"key":"KEY","racy":{},"digests":{},"counts":[],"problems":[[1]]}'),
        _forged(b'{"version":1,"key":"KEY","racy":[],"digests":{},"counts":[],"problems":[]}'),
        _forged(b"[" * 100_000),
    ],
    ids=[
        *HOSTILE,
        "a list",
        "digests a list",
        "a count as text",
        "a severity unknown",
        "a short problem",
        "racy a list",
        "deep",
    ],
)
def test_a_hostile_memo_is_ignored_and_rewritten(repo: Repo, content: bytes) -> None:
    repository = _repository(repo)
    regenerate(repository, today=DAY)
    path = memo_path(repository.git_dir)
    key = json.loads(open(path, "rb").read().partition(b"\n")[2])["key"]
    with open(path, "wb") as handle:
        handle.write(content.replace(b"KEY", key.encode()))
    (repo.root / "INDEX.md").write_text("stale\n", encoding="utf-8")
    result = regenerate(repository, today=DAY)
    assert result.written == ("INDEX.md",)
    assert _on_disk(repo) == render_repository(repository, DAY).files
    assert regenerate(repository, today=DAY).written == ()


@pytest.mark.usefixtures("settled")
@pytest.mark.parametrize("kind", ["fifo", "symlink to /dev/zero", "folder"])
def test_a_memo_that_is_not_a_file_is_ignored(repo: Repo, kind: str) -> None:
    repository = _repository(repo)
    path = memo_path(repository.git_dir)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        os.mkdir(path)
    else:
        os.symlink("/dev/zero", path)
    result = regenerate(repository, today=DAY)
    assert result.written == ("INDEX.md", "HISTORY.md")
    assert _on_disk(repo) == render_repository(repository, DAY).files
