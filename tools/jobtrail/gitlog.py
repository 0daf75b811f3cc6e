"""Every application's status history, read back from the commits: the reader that joins git, walk and cache.

How (and why this way):
- One streamed ``git log --raw -z -M --diff-merges=first-parent --topo-order``
  (``logformat``) gives every version of every file with the commit that made
  it, parents before children, a merge diffed against its first parent (so a
  status chosen while resolving it is seen). No commit is diffed in Python.
- The versions' contents come from one persistent ``git cat-file --batch``
  (``git.ObjectReader``), fed while the log is still streaming; only the status
  (and, for APPLIED, the Application Date) is read from each (``parse.status_facts``),
  never more than the size bound files on disk have.
- The walk itself (``walk``) is pure: commits and facts in, a snapshot of
  every path with its history out.
- The cache (``historycache``) keeps the snapshot at HEAD (a repeated run reads
  one file and runs one ``git status``), snapshots at HEAD's recent ancestors
  and at heads walked before (an amend, a reset, a small rebase or a switch
  back walks only the commits that differ), and the facts of every blob. It is
  valid only while everything that decides the reachable history is unchanged:
  the shallow boundary, replace refs and grafts are part of its fingerprint.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import TextIO

from . import git, historycache
from .config import Config
from .errors import JobtrailError
from .files import application_paths, application_relative, is_application_path, read_application
from .history import ApplicationHistory, RepositoryHistory, StatusChange
from .logformat import FORMAT, RECORD, LogCommit, parse_log_record
from .parse import Fields, read_fields, status_facts
from .repository import Repository
from .walk import (
    APPLIED,
    NO_FACTS,
    Facts,
    MissingParent,
    Snapshot,
    applied_date,
    event_dates,
    first_parent_chain,
    known_status,
    walk,
)


class WorkTreeChange:
    __slots__ = ("head_blob", "original_path", "path")

    def __init__(self, path: str, head_blob: str | None, original_path: str | None = None) -> None:
        self.path = path
        self.head_blob = head_blob  # the blob at HEAD (None for a new file)
        self.original_path = original_path  # before a staged rename


class WorkTreeState:
    __slots__ = ("changes", "head")

    def __init__(self, head: str | None, changes: dict[str, WorkTreeChange]) -> None:
        self.head = head  # None: no commits yet
        self.changes = changes


def _blob(sha: str) -> str | None:
    return None if sha == git.NULL_SHA else sha


def work_tree_state(repo: Repository) -> WorkTreeState:
    """HEAD and the uncommitted changes under the applications folder, in one ``git status``."""
    out = git.run(
        repo.root,
        "status",
        "--porcelain=v2",
        "--branch",
        "-z",
        "--untracked-files=all",
        "--renames",
        "--",
        repo.applications_dir,
    )
    head: str | None = None
    changes: dict[str, WorkTreeChange] = {}
    tokens = out.split(b"\0")
    index = 0
    while index < len(tokens):
        token = tokens[index].decode("utf-8", "surrogateescape")
        index += 1
        if token.startswith("# branch.oid "):
            oid = token.split(" ", 2)[2]
            head = None if oid == "(initial)" else oid
        elif token.startswith("1 "):
            parts = token.split(" ", 8)
            changes[parts[8]] = WorkTreeChange(parts[8], _blob(parts[6]))
        elif token.startswith("2 "):
            parts = token.split(" ", 9)
            original = tokens[index].decode("utf-8", "surrogateescape")
            index += 1
            changes[parts[9]] = WorkTreeChange(parts[9], _blob(parts[6]), original)
        elif token.startswith("u "):
            parts = token.split(" ", 10)  # u XY sub m1 m2 m3 mW h1 h2 h3 path: h2 is ours, HEAD's
            changes[parts[10]] = WorkTreeChange(parts[10], _blob(parts[8]))
        elif token.startswith("? "):
            changes[token[2:]] = WorkTreeChange(token[2:], None)
    return WorkTreeState(head, changes)


# ---------------------------------------------------------------- reading the log

KEEP_ANCESTORS = 16  # snapshots kept at HEAD's first-parent ancestors: an amend, a reset, a small rebase
MAX_RETAINED = 48  # snapshots kept in all (those of heads walked before: a switch back)
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


def _read_commits(
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


# ---------------------------------------------------------------- the walk, cached


def _fingerprint(repo: Repository) -> str:
    config = repo.config
    return json.dumps(
        [
            historycache.CACHE_VERSION,
            config.applications_dir,
            sorted(config.workflow.statuses),
            config.max_file_bytes,
            repo.graph_identity(),
        ]
    )


def _retain(known: dict[str, Snapshot], walked: dict[str, Snapshot], chain: list[str]) -> dict[str, Snapshot]:
    """The snapshots to keep, oldest first: those kept before, then this walk's, HEAD last."""
    retained = {sha: snapshot for sha, snapshot in known.items() if sha not in chain}
    retained.update((sha, walked[sha]) for sha in reversed(chain) if sha in walked)
    excess = len(retained) - MAX_RETAINED
    return dict(list(retained.items())[max(excess, 0) :])


def head_snapshot(repo: Repository, head: str | None, missing: set[str] | None = None) -> Snapshot:
    """Every application path at ``head`` with its history: from the cache when it is there, else walked."""
    return head_state(repo, head, missing)[0]


def head_state(
    repo: Repository, head: str | None, missing: set[str] | None = None
) -> tuple[Snapshot, dict[str, Facts]]:
    """``head_snapshot``, and what each file at ``head`` says (its blob's facts).

    With ``missing``, versions a partial clone cannot fetch are left out and named there;
    nothing is cached then (a later run, online, reads them).
    """
    if head is None:
        return {}, {}
    fingerprint = _fingerprint(repo)
    cached = historycache.head_from_json(historycache.load_part(repo.git_dir, "state"), fingerprint, head)
    if cached is not None and cached[0] == head:
        return cached[1], cached[2]  # the repeated run: one small file
    known = historycache.retained_from_json(historycache.load_part(repo.git_dir, "retained"), fingerprint)
    statuses = frozenset(repo.config.workflow.statuses)
    facts = historycache.blobs_from_json(historycache.load_part(repo.git_dir, "blobs"), repo.config.max_file_bytes)
    facts_before = len(facts)
    if head in known and all(version.blob in facts for version in known[head].values()):
        # a reset, a switch back: no walk at all
        snapshot = known[head]
        known[head] = known.pop(head)  # the newest now
        retained = known
    else:
        walked: dict[str, Snapshot] | None = None
        commits: list[LogCommit] = []
        if known:
            try:
                commits = _read_commits(repo, [head, "--not", *known], facts, missing)
                keep = set(first_parent_chain(commits, head, KEEP_ANCESTORS))
                walked = walk(commits, facts, statuses, known, keep)
            except (MissingParent, JobtrailError):  # a parent older than every snapshot, or one gone from git
                walked = None
        if walked is None:  # the whole history; the snapshots kept before stay valid for other heads
            commits = _read_commits(repo, [head], facts, missing)
            keep = set(first_parent_chain(commits, head, KEEP_ANCESTORS))
            try:
                walked = walk(commits, facts, statuses, {}, keep)
            except MissingParent:  # cannot happen in a whole walk; said plainly if it ever does
                raise JobtrailError("git's log of HEAD names a parent it does not show: run `git fsck`") from None
        snapshot = walked.get(head, {})
        retained = _retain(known, walked, first_parent_chain(commits, head, KEEP_ANCESTORS))
        retained.setdefault(head, snapshot)
        if missing:
            return snapshot, {path: facts.get(version.blob, NO_FACTS) for path, version in snapshot.items()}
        if len(facts) != facts_before:  # an amend of the message, a rebase: no version git had not shown before
            historycache.save(repo.git_dir, {"blobs": historycache.blobs_to_json(repo.config.max_file_bytes, facts)})
    historycache.save(
        repo.git_dir,
        {
            "retained": historycache.retained_to_json(fingerprint, head, retained),
            "state": historycache.head_to_json(fingerprint, head, snapshot, facts),
        },
    )
    return snapshot, {path: facts.get(version.blob, NO_FACTS) for path, version in snapshot.items()}


def _notes(repo: Repository, shallow: bool, head: str | None) -> tuple[str, ...]:
    notes = []
    if shallow:
        notes.append("this is a shallow clone: the history is cut short (run `git fetch --unshallow` for all of it)")
    for what in sorted(repo.operations_in_progress()):
        notes.append(
            f"{what} is in progress: the history is read up to the commit checked out now; the rest counts as uncommitted"
        )
    if head is None:
        notes.append("no commits yet: every application counts as uncommitted")
    return tuple(notes)


def current_fields(path: str, relative: str, config: Config) -> Fields | None:
    """The history's fields of a file in the work tree (None when it cannot be read)."""
    data, _problem = read_application(path, relative, config.root, config.max_file_bytes)
    return read_fields(data, names=True) if data is not None else None


def read_history(
    repo: Repository,
    *,
    today: datetime.date | None = None,
    fields_of: Callable[[str, str, Config], Fields | None] = current_fields,
) -> RepositoryHistory:
    """Every current application with its status changes, oldest first; uncommitted changes last.

    ``fields_of`` reads a current file (the watcher passes one that remembers unchanged files).
    """
    config = repo.config
    shallow = repo.shallow
    work_tree = work_tree_state(repo)
    missing: set[str] = set()
    snapshot, at_head = head_state(repo, work_tree.head, missing)
    statuses = frozenset(config.workflow.statuses)
    applications: list[ApplicationHistory] = []
    for path in application_paths(config.applications_path):
        relative = application_relative(path, config.applications_path, config.applications_dir)
        committed = at_head.get(relative) if fields_of is current_fields and relative not in work_tree.changes else None
        fields: Fields | None
        if committed is not None and not os.path.islink(path):
            # Unchanged since HEAD (git status says so): HEAD's version says what the file says.
            fields = Fields(committed.status, committed.application_date, committed.company, committed.position)
        else:
            fields = fields_of(path, relative, config)
        current_raw = (fields.status or "") if fields else ""
        current = known_status(current_raw, statuses)
        change = work_tree.changes.get(relative)
        version = snapshot.get(change.original_path or relative) if change else snapshot.get(relative)
        events = version.history if version is not None else ()
        changes = [
            StatusChange(event.status, datetime.date.fromisoformat(date), event.commit)
            for event, date in zip(events, event_dates(events), strict=True)
        ]
        last_changed = datetime.date.fromisoformat(version.last_date) if version is not None else None
        if change is not None:
            today = today or git.author_today(repo.root)  # `git var` only when something is uncommitted
            before = None
            if version is not None and change.head_blob is not None:
                before = version.status
            # git records a symlink's target, not the file it points to: no committed version of a
            # symlink has a status, so its uncommitted change has none either (or committing it would
            # change the history).
            if current is not None and current != before and fields is not None and not os.path.islink(path):
                date = today.isoformat()
                if current == APPLIED and all(event.status != APPLIED for event in events):
                    date = applied_date(fields.application_date, date)
                changes.append(StatusChange(current, datetime.date.fromisoformat(date), None))
            last_changed = today
        applications.append(
            ApplicationHistory(
                path=relative,
                company=(fields.company or "") if fields else "",
                position=(fields.position or "") if fields else "",
                status=current or current_raw,
                changes=tuple(changes),
                last_changed=last_changed,
            )
        )
    notes = _notes(repo, shallow, work_tree.head) + missing_note(missing)
    return RepositoryHistory(tuple(applications), shallow=shallow, notes=notes)


def read_history_at(
    repo: Repository, commit: str, parents: list[str], fields: Mapping[str, Fields | None]
) -> RepositoryHistory:
    """The history as it reads once ``commit`` is checked out with nothing uncommitted.

    ``commit`` is the commit a pre-commit hook is about to see made (its tree is
    the index, its parents the commit's parents): what this returns is exactly
    what ``read_history`` returns at the real commit, so the generated files
    staged with it are fresh there. ``fields``: each application in its tree.
    The walk is cached at the first parent (the real commit walks on from
    there), never at ``commit``, which no branch will hold.
    """
    shallow = repo.shallow
    statuses = frozenset(repo.config.workflow.statuses)
    base = parents[0] if parents else None
    missing: set[str] = set()  # a partial clone offline: versions left out, said in the notes
    known = {base: head_snapshot(repo, base, missing)} if base else {}
    facts = historycache.blobs_from_json(historycache.load_part(repo.git_dir, "blobs"), repo.config.max_file_bytes)
    try:
        commits = _read_commits(repo, [commit, *(f"^{parent}" for parent in parents[:1])], facts, missing)
        walked = walk(commits, facts, statuses, known, {commit})
    except MissingParent:  # a merge's other side forked before the first parent's snapshot: all of it
        commits = _read_commits(repo, [commit], facts, missing)
        walked = walk(commits, facts, statuses, {}, {commit})
    snapshot = walked.get(commit, {})
    applications = []
    for relative in sorted(fields):
        found = fields[relative]
        current_raw = (found.status or "") if found else ""
        version = snapshot.get(relative)
        events = version.history if version is not None else ()
        applications.append(
            ApplicationHistory(
                path=relative,
                company=(found.company or "") if found else "",
                position=(found.position or "") if found else "",
                status=known_status(current_raw, statuses) or current_raw,
                changes=tuple(
                    StatusChange(event.status, datetime.date.fromisoformat(date), event.commit)
                    for event, date in zip(events, event_dates(events), strict=True)
                ),
                last_changed=datetime.date.fromisoformat(version.last_date) if version is not None else None,
            )
        )
    notes = ("this is a shallow clone: the history is cut short",) if shallow else ()
    return RepositoryHistory(tuple(applications), shallow=shallow, notes=notes + missing_note(missing))
