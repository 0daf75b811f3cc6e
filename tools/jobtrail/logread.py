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
from collections.abc import Callable
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
    folder = repo.applications_dir

    def is_application(path: str) -> bool:
        return is_application_path(path, folder)

    def remember(sha: str, kind: bytes, data: bytes | None) -> None:
        facts[sha] = Facts(*status_facts(data)) if kind == b"blob" and data is not None else NO_FACTS

    reader = git.ObjectReader(repo.root, remember, repo.config.max_file_bytes)
    commits: list[LogCommit] = []
    progress = Progress()
    try:
        for record in git.stream_records(repo.root, log_arguments(revisions), RECORD):
            commit = parse_log_record(record, is_application)
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
    if reader.unread:
        if missing is None or not partial_clone(repo):
            raise JobtrailError(_unreadable(commits, reader.unread))
        # git's batch stops at the first version it cannot fetch: ask for each of the rest alone.
        for sha in sorted(reader.unread):
            data = git.output_or_none(repo.root, "cat-file", "blob", sha)
            if data is None:
                missing.add(sha)
            else:
                remember(sha, b"blob", data if len(data) <= repo.config.max_file_bytes else None)
    return commits


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
