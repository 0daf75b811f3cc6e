"""The log of some revisions read in one stream, with the facts of every version it names.

One streamed ``git log --raw -z -M --diff-merges=first-parent --topo-order``
(``logformat``) gives every version of every file with the commit that made it,
parents before children, a merge diffed against its first parent (so a status
chosen while resolving it is seen). No commit is diffed in Python. The
versions' contents come from one persistent ``git cat-file --batch``
(``git.ObjectReader``), fed while the log is still streaming; only the status
(and, for APPLIED, the Application Date) is read from each
(``parse.status_facts``), never more than the size bound files on disk have.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Collection
from typing import TextIO

from . import git
from .errors import JobtrailError
from .files import is_application_path
from .logformat import FORMAT, RECORD, LogCommit, parse_log_record
from .parse import status_facts
from .repository import Repository
from .walk import NO_FACTS, Facts

PROGRESS_AFTER = 2.0  # seconds: a longer walk says how far it is, on a terminal


def log_arguments(revisions: list[str]) -> list[str]:
    """The log walk, parents before children; a merge diffed against its first parent.

    No pathspec: git limits a walk to a folder by comparing trees at every commit,
    which costs more than skipping the few other files' entries here (measured:
    0.75 s against 1.25 s for 10,000 commits).
    """
    return [
        "log",
        "--raw",
        "-z",
        "-M",
        "--no-abbrev",
        "--diff-merges=first-parent",
        "--topo-order",
        "--reverse",
        FORMAT,
        *revisions,
        "--",  # revisions only: never read as paths
    ]


class Progress:
    """``jobtrail: reading the history: 12,000 commits`` on a terminal's stderr, once a walk is slow."""

    def __init__(self, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._clock = clock
        self._started = clock()
        self._next = self._started + PROGRESS_AFTER
        self._shown = False
        self._terminal = self._stream.isatty()

    def update(self, commits: int) -> None:
        if not self._terminal or commits % 256:
            return
        now = self._clock()
        if now >= self._next:
            self._next = now + 0.5
            self._shown = True
            self._stream.write(f"\rjobtrail: reading the history: {commits:,} commits ({now - self._started:.0f} s)")
            self._stream.flush()

    def done(self, commits: int) -> None:
        if self._shown:
            self._stream.write(f"\rjobtrail: reading the history: {commits:,} commits, done\n")
            self._stream.flush()


def read_commits(
    repo: Repository, revisions: list[str], facts: dict[str, Facts], missing: set[str] | None = None
) -> list[LogCommit]:
    """The commits of ``revisions``, with the facts of every version they name added to ``facts``.

    In a partial clone, versions git cannot fetch (offline) go into ``missing`` when it is
    given (the history leaves them out, and says so); anywhere else they mean damage.
    """
    reader = git.ObjectReader(repo.root, _remember(facts), repo.config.max_file_bytes)
    commits: list[LogCommit] = []
    progress = Progress()
    try:
        for record in git.stream_records(repo.root, log_arguments(revisions), RECORD):
            commit = parse_log_record(record, _is_application(repo))
            if commit is None:
                continue
            commits.append(commit)
            progress.update(len(commits))
            for change in commit.changes:
                if change.new_blob and change.new_blob not in facts:
                    reader.ask(change.new_blob)
    finally:
        reader.finish()
        progress.done(len(commits))
    _read_the_rest(repo, reader.unread, commits, facts, missing)
    return commits


def read_commits_back_to(repo: Repository, head: str, known: Collection[str]) -> list[LogCommit]:
    """``head`` and its ancestors back to the first commit in ``known`` on every path (or a root), parents
    first; no version read (``read_facts`` reads those).

    Not ``git log HEAD --not KNOWN...``: git then works out all that the known commits reach before it
    prints a line (~30 ms at 10,000 commits whenever a commit is dated before its parent, as an amend,
    a rebase or a skewed clock makes them, and the repository has no commit-graph). The log streams
    newest first instead and is cut as soon as every path back has reached a known commit.
    """
    arguments = [argument for argument in log_arguments([head]) if argument not in ("--topo-order", "--reverse")]
    found: dict[str, LogCommit] = {}
    wanted = {head} - set(known)  # commits to read yet: neither known nor read
    if not wanted:
        return []
    is_application = _is_application(repo)
    records = git.stream_records(repo.root, arguments, RECORD)
    try:
        for record in records:
            commit = parse_log_record(record, is_application)
            if commit is None or commit.sha in known:  # git walks on past them: their snapshots are here
                continue
            found[commit.sha] = commit
            wanted.discard(commit.sha)
            wanted.update(parent for parent in commit.parents if parent not in known and parent not in found)
            if not wanted:
                break
    finally:
        records.close()
    return _parents_first(found, head)


def _parents_first(commits: dict[str, LogCommit], head: str) -> list[LogCommit]:
    """``commits`` ordered parents before children (git's newest-first order may interleave branches)."""
    ordered: list[LogCommit] = []
    done: set[str] = set()
    stack = [head] if head in commits else []
    while stack:
        sha = stack[-1]
        if sha in done:
            stack.pop()
            continue
        pending = [parent for parent in commits[sha].parents if parent in commits and parent not in done]
        if pending:
            stack.extend(reversed(pending))
        else:
            stack.pop()
            done.add(sha)
            ordered.append(commits[sha])
    return ordered


def read_facts(
    repo: Repository, commits: list[LogCommit], facts: dict[str, Facts], missing: set[str] | None = None
) -> None:
    """The facts of every version ``commits`` name that ``facts`` lacks, added to it."""
    wanted = {
        change.new_blob
        for commit in commits
        for change in commit.changes
        if change.new_blob and change.new_blob not in facts
    }
    if not wanted:
        return  # no git process at all (an amend of the message, a rebase of known versions)
    reader = git.ObjectReader(repo.root, _remember(facts), repo.config.max_file_bytes)
    try:
        for sha in sorted(wanted):
            reader.ask(sha)
    finally:
        reader.finish()
    _read_the_rest(repo, reader.unread, commits, facts, missing)


def _is_application(repo: Repository) -> Callable[[str], bool]:
    folder = repo.applications_dir

    def is_application(path: str) -> bool:
        return is_application_path(path, folder)

    return is_application


def _remember(facts: dict[str, Facts]) -> Callable[[str, bytes, bytes | None], None]:
    def remember(sha: str, kind: bytes, data: bytes | None) -> None:
        facts[sha] = Facts(*status_facts(data)) if kind == b"blob" and data is not None else NO_FACTS

    return remember


def _read_the_rest(
    repo: Repository, unread: set[str], commits: list[LogCommit], facts: dict[str, Facts], missing: set[str] | None
) -> None:
    """Versions git's batch did not give: in a partial clone each is asked alone (git's batch stops at
    the first it cannot fetch) and those still missing go into ``missing``; anywhere else, damage."""
    if not unread:
        return
    if missing is None or not partial_clone(repo):
        raise JobtrailError(_unreadable(commits, unread))
    remember = _remember(facts)
    for sha in sorted(unread):
        data = git.output_or_none(repo.root, "cat-file", "blob", sha)
        if data is None:
            missing.add(sha)
        else:
            remember(sha, b"blob", data if len(data) <= repo.config.max_file_bytes else None)


def partial_clone(repo: Repository) -> bool:
    """A clone made with ``--filter`` (its objects come from a promisor remote when needed)."""
    found = git.output_or_none(
        repo.root, "config", "--get-regexp", r"^(remote\..*\.promisor|extensions\.partialclone)$"
    )
    return bool(found and found.strip())


def missing_note(missing: set[str]) -> tuple[str, ...]:
    if not missing:
        return ()
    return (
        f"{len(missing)} version(s) of the application files are not in this partial clone and git could not"
        " fetch them (offline?): the history leaves them out until `git fetch` can get them",
    )


def _unreadable(commits: list[LogCommit], unread: set[str]) -> str:
    where = next(
        (
            f" ({change.path} in commit {commit.sha[:10]})"
            for commit in commits
            for change in commit.changes
            if change.new_blob in unread
        ),
        "",
    )
    return (
        f"git cannot read {len(unread)} version(s) of the application files{where}: the repository is damaged;"
        " run `git fsck` and restore the missing objects (for example from a clone or a backup)"
    )
