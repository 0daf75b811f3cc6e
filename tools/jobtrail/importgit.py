"""Write an import plan into git as one step: dated commits built aside, the branch moved once.

How (and why this way):
- ``git fast-import`` builds every commit in one process (a commit per dated
  status change, oldest first, author date = the event's date at noon UTC,
  committer = now) on a temporary ref. Nothing the user sees changes yet.
- The generated files are rendered for exactly that tree and history (its
  files read from git, the history read as it will be at that commit, as the
  pre-commit hook does) and committed on top with ``mktree``/``commit-tree``,
  so the import's last commit carries fresh INDEX.md and HISTORY.md.
- ``git update-ref HEAD NEW OLD`` moves the branch once, only if it is still
  where the import started: that is the import, all or nothing. A crash before
  it leaves the branch as it was (the objects are garbage git collects).
- Then ``git read-tree -m -u OLD NEW`` brings the index and work tree along as
  a checkout would: the new files appear, every other staged or unstaged change
  stays as it was. INDEX.md and HISTORY.md are first reset to OLD's (they are
  generated, nothing is lost), and regenerated at the end for any uncommitted
  change, as the post-commit hook does.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence

from . import git
from .errors import JobtrailError
from .files import is_application_path, locked
from .generated import regenerate, render
from .gittree import REGULAR_FILES, read_blobs, tree_entries
from .historyat import read_history_at
from .importplan import Plan
from .parse import fields_of_application, parse_bytes
from .repository import Repository
from .settle import GENERATED, clear_marks

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def head_commit(repo: Repository) -> str | None:
    out = git.output_or_none(repo.root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    return out.decode().strip() if out else None


def _identity(repo: Repository, role: str) -> tuple[str, str]:
    """(``Name <email>``, ``epoch zone``) of the next commit's author or committer."""
    out = git.output_or_none(repo.root, "var", f"GIT_{role}_IDENT")
    if out is None:
        raise JobtrailError(
            "git does not know who you are: run `git config user.name 'Your Name'` and"
            " `git config user.email you@example.com`, then import again"
        )
    ident = out.decode("utf-8", "surrogateescape").strip()
    who, _, when = ident.rpartition("> ")
    return f"{who}>", when


def _data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def fast_import_stream(plan: Plan, ref: str, parent: str | None, author: str, committer: str, source: str) -> bytes:
    """Every version of every new application as one commit, oldest event first."""
    steps = sorted(
        ((version.date, order, index, app, version) for order, app in enumerate(plan.new)
         for index, version in enumerate(app.versions)),
        key=lambda step: (step[0], step[1], step[2]),
    )  # fmt: skip
    chunks: list[bytes] = [b"feature done\n"]
    seconds: dict[datetime.date, int] = {}
    for number, (day, _order, index, app, version) in enumerate(steps):
        tick = seconds.get(day, 0)
        seconds[day] = tick + 1
        noon = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)
        epoch = int(noon.timestamp()) + tick  # same-day events keep their order in the author dates too
        label = f"{app.incoming.company} — {app.incoming.position}"
        verb = "Import" if index == 0 else "Imported"
        message = f"{verb} {label}: {version.status}\n\nFrom {source}, {app.incoming.where}.\n"
        chunks.append(f"commit {ref}\nmark :{number + 1}\n".encode())
        chunks.append(f"author {author} {epoch} +0000\ncommitter {committer}\n".encode("utf-8", "surrogateescape"))
        chunks.append(_data(message.encode("utf-8", "surrogateescape")))
        if number == 0 and parent is not None:
            chunks.append(f"from {parent}\n".encode())
        chunks.append(f"M 100644 inline {app.path}\n".encode("utf-8", "surrogateescape"))
        chunks.append(_data(version.data))
    chunks.append(b"done\n")
    return b"".join(chunks)


def _render_generated(repo: Repository, commit: str, parents: list[str], today: datetime.date) -> dict[str, bytes]:
    """INDEX.md and HISTORY.md as they read with ``commit`` checked out: its files (read from git,
    never from the work tree, which holds none of them yet) and its history."""
    folder = repo.config.applications_dir
    entries = {
        path: entry for path, entry in tree_entries(repo, commit, folder).items() if is_application_path(path, folder)
    }
    blobs = read_blobs(repo, {entry.sha for entry in entries.values() if entry.mode in REGULAR_FILES})
    apps = {
        path: parse_bytes(path, data)
        for path, entry in entries.items()
        if entry.mode in REGULAR_FILES and (data := blobs[entry.sha]) is not None
    }
    fields = {path: fields_of_application(app) for path, app in apps.items()}
    history = read_history_at(repo, commit, parents, fields)
    return dict(render(repo.config, history, apps, today).files)


def _commit_generated(repo: Repository, parent: str, files: dict[str, bytes], source: str) -> str:
    """A commit on ``parent`` whose tree is ``parent``'s with the generated files replaced."""
    entries = git.run(repo.root, "ls-tree", "-z", parent).split(b"\0")
    kept = [
        entry for entry in entries if entry and entry.split(b"\t", 1)[1].decode("utf-8", "surrogateescape") not in files
    ]
    for name, data in files.items():
        blob = git.run(repo.root, "hash-object", "-w", "--stdin", input=data).decode().strip()
        kept.append(f"100644 blob {blob}\t{name}".encode())
    tree = git.run(repo.root, "mktree", "-z", input=b"\0".join(kept) + b"\0").decode().strip()
    message = f"Regenerate INDEX.md and HISTORY.md after importing {source}\n"
    return git.run(repo.root, "commit-tree", tree, "-p", parent, input=message.encode()).decode().strip()


def _reset_generated(repo: Repository, old: str | None) -> None:
    """INDEX.md and HISTORY.md as OLD has them (or gone, when OLD has none), so the checkout can move them."""
    tracked = set()
    if old is not None:
        listed = git.run(repo.root, "ls-tree", "--name-only", "-z", old, "--", *GENERATED)
        tracked = {name.decode() for name in listed.split(b"\0") if name}
    if tracked:
        git.run(repo.root, "checkout", old or "HEAD", "--", *sorted(tracked))
    for name in set(GENERATED) - tracked:
        git.output_or_none(repo.root, "rm", "-q", "--cached", "--ignore-unmatch", "--", name)
        try:
            os.unlink(os.path.join(repo.root, name))
        except FileNotFoundError:
            pass


def write_import(repo: Repository, plan: Plan, source: str, today: datetime.date) -> tuple[str, int]:
    """Commit ``plan`` on the current branch in one step; (the new HEAD, commits made)."""
    if (operation := repo.operation_in_progress()) is not None:
        raise JobtrailError(f"{operation} is in progress: finish or abort it first, then import")
    old = head_commit(repo)
    author, _ = _identity(repo, "AUTHOR")
    committer_name, committer_when = _identity(repo, "COMMITTER")
    ref = f"refs/jobtrail/import-{os.getpid()}"
    stream = fast_import_stream(plan, ref, old, author, f"{committer_name} {committer_when}", source)
    try:
        git.run(repo.root, "fast-import", "--quiet", "--date-format=raw", "--force", input=stream)
        last = git.run(repo.root, "rev-parse", "--verify", ref).decode().strip()
    finally:
        git.output_or_none(repo.root, "update-ref", "-d", ref)
    commits = plan.commits
    files = _render_generated(repo, last, [old] if old else [], today)
    new = _commit_generated(repo, last, files, source)
    commits += 1
    expected = old or git.NULL_SHA
    # The lock every writer of INDEX.md takes (the watcher, the hooks): none rewrites the
    # generated files between the move of the branch and the work tree following it.
    with locked(os.path.join(repo.git_dir, "jobtrail-index.lock"), timeout=10, waiting_for="import"):
        if not git.succeeds(repo.root, "update-ref", "-m", f"jobtrail import {source}", "HEAD", new, expected):
            raise JobtrailError(
                "the branch moved while importing (a commit made meanwhile?): nothing was imported; run it again"
            )
        _move_work_tree(repo, old, new)
    # As after any commit: with uncommitted changes to applications, the work tree's generated
    # files show them too (without any, they are the committed ones, fresh already).
    if git.run(repo.root, "status", "--porcelain", "-z", "--untracked-files=all", "--", repo.applications_dir):
        regenerate(repo, wait_for_git=True)
    return new, commits


def _move_work_tree(repo: Repository, old: str | None, new: str) -> None:
    try:
        clear_marks(repo)  # skip-worktree bits an interrupted commit left on the generated files
        _reset_generated(repo, old)
        git.run(repo.root, "read-tree", "-m", "-u", old or EMPTY_TREE, new)
    except JobtrailError as exc:
        raise JobtrailError(
            f"the import is committed ({new[:10]}) but the work tree could not follow ({exc}):"
            " run `git status`, then `git checkout HEAD -- .` for the files it lists as deleted"
        ) from None


def taken_paths(repo: Repository) -> Sequence[str]:
    """Paths under the applications folder at HEAD, in the index or on disk: names an import must not reuse."""
    folder = repo.applications_dir
    names: set[str] = set()
    out = git.output_or_none(repo.root, "ls-files", "-z", "--cached", "--others", "--", folder)
    names.update(name.decode("utf-8", "surrogateescape") for name in (out or b"").split(b"\0") if name)
    if head_commit(repo) is not None:
        out = git.output_or_none(repo.root, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", folder)
        names.update(name.decode("utf-8", "surrogateescape") for name in (out or b"").split(b"\0") if name)
    for top, _dirs, files in os.walk(repo.applications_path):
        for name in files:
            names.add(os.path.relpath(os.path.join(top, name), repo.root).replace(os.sep, "/"))
    return sorted(names)
