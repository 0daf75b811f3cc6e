"""The history walk, pure: log commits and the facts of each file version in, each path's history out.

No git and no files here: the reader (``logread.py``, ``headstate.py``) feeds it, tests feed it
hand-built commits.

The walk follows the commit graph, parents before children, and keeps for each
commit a ``Snapshot``: every application path with its version and the history
that led to it. A commit's snapshot is its first parent's with the commit's
changes against that parent applied (a merge is diffed against its first parent
too, so a status chosen while resolving it is seen). At a merge, a changed
file's history joins the histories it has in every parent:

- the parent whose version the merge kept (the same blob, else the same
  status, else the first parent) gives the tail, so the history still ends on
  the status the merge holds;
- the other parents' events since the fork come before that tail, except a
  change the tail already makes (the same status change reaching the merge
  twice: a cherry-pick, the same edit on two branches);
- a status only the merge's result holds is an event of the merge itself.

Histories are built along ancestry, never sorted by time: a commit dated
"earlier" (another time zone, a rebase that kept the author date) cannot
reorder them. Every event's commit holds its status, and a history's last
event is the status of the version it belongs to (a version without a known
status carries its predecessor's forward).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from .parse import iso_date

if TYPE_CHECKING:  # the walk reads log records, never makes them: a repeated run need not import them
    from .logformat import LogCommit

APPLIED = "APPLIED"


class Facts(NamedTuple):
    """What one version (blob) of an application says: its status text and its Application Date text
    (and its company and position: HEAD's versions stand for unchanged files in the work tree)."""

    status: str | None
    application_date: str | None
    company: str | None = None
    position: str | None = None


NO_FACTS = Facts(None, None)


class Event(NamedTuple):
    """One change of status, recorded by a commit."""

    status: str
    commit: str
    date: str  # the commit's author date, YYYY-MM-DD, in the author's time zone
    application_date: str | None  # the version's Application Date text (APPLIED only)
    before: str | None  # the status it changed from (None: the first known status)


History = tuple[Event, ...]


class Version(NamedTuple):
    """One path in one commit."""

    blob: str
    status: str | None  # the status the version stands for: its own, or (unknown) its predecessor's
    history: History
    last_date: str  # the date of the last commit that changed the file
    origin: str  # ``commit:path`` where the file began: which versions in a merge's parents are one file


Snapshot = dict[str, Version]


class MissingParent(Exception):
    """A commit's parent is neither in the walk nor a snapshot given to it."""


def known_status(raw: str | None, statuses: frozenset[str]) -> str | None:
    """The workflow status a version stands for, or None when it has none."""
    if raw is None:
        return None
    upper = raw.upper()
    return upper if upper in statuses else None


def applied_date(application_date: str | None, fallback: str) -> str:
    """An application's first APPLIED is dated by its Application Date when one is filled in (the real event).

    A date after ``fallback`` (the commit's date, or today) is a typo (JT502), not the
    event: taken as it is, it would move "the newest date" and every day count into the future.
    """
    if application_date is not None:
        date = iso_date(application_date)
        if date is not None and date.isoformat() <= fallback:
            return date.isoformat()
    return fallback


def event_dates(history: Iterable[Event]) -> list[str]:
    """The date of each event: the commit's, except the first APPLIED's (``applied_date``)."""
    dates = []
    applied_seen = False
    for event in history:
        if event.status == APPLIED and not applied_seen:
            dates.append(applied_date(event.application_date, event.date))
        else:
            dates.append(event.date)
        applied_seen = applied_seen or event.status == APPLIED
    return dates


class HeadEntry(NamedTuple):
    """What a reader of the history needs of one path at HEAD (the ``state`` cache keeps these)."""

    status: str | None  # the version's status: its own, or (unknown) its predecessor's
    changes: tuple[tuple[str, datetime.date, str], ...]  # status, date (``event_dates``), commit of each event
    last_date: datetime.date  # the last commit that changed the file
    facts: Facts  # what the file says: it stands for the file in a work tree that has it unchanged


def head_entry(version: Version, facts: Facts) -> HeadEntry:
    parse = datetime.date.fromisoformat
    changes = tuple(
        (event.status, parse(date), event.commit)
        for event, date in zip(version.history, event_dates(version.history), strict=True)
    )
    return HeadEntry(version.status, changes, parse(version.last_date), facts)


def _new_version(
    prior: Version | None,
    path: str,
    blob: str,
    commit: LogCommit,
    facts: Mapping[str, Facts],
    statuses: frozenset[str],
) -> Version:
    version = facts.get(blob, NO_FACTS)
    now = known_status(version.status, statuses)
    history = prior.history if prior is not None else ()
    before = prior.status if prior is not None else None
    if now is not None and now != before:
        application_date = version.application_date if now == APPLIED else None
        history = (*history, Event(now, commit.sha, commit.date, application_date, before))
    origin = prior.origin if prior is not None else f"{commit.sha}:{path}"
    return Version(blob, now if now is not None else before, history, commit.date, origin)


def _key(event: Event) -> tuple[str, str]:
    return event.commit, event.status


def join_histories(kept: History, others: Iterable[History]) -> History:
    """One history from a merge's parents' histories of a file; ``kept`` (the side the merge kept) ends it."""
    result = list(kept)
    seen = {_key(event) for event in result}
    for other in others:
        shared = 0
        while shared < min(len(result), len(other)) and _key(result[shared]) == _key(other[shared]):
            shared += 1
        tail_changes = {(event.before, event.status) for event in result[shared:]}
        extra = [
            event
            for event in other[shared:]
            if _key(event) not in seen and (event.before, event.status) not in tail_changes
        ]
        result[shared:shared] = extra
        seen.update(_key(event) for event in extra)
    joined: list[Event] = []
    for event in result:
        if not joined or joined[-1].status != event.status:  # the same status twice in a row is one entry
            joined.append(event)
    return tuple(joined)


def _drop_removed(snapshot: Snapshot, commit: LogCommit) -> None:
    """The paths ``commit`` deletes or renames away leave ``snapshot``."""
    for change in commit.changes:
        if change.kind == "D":
            snapshot.pop(change.path, None)
        elif change.kind == "R" and change.old_path is not None:
            snapshot.pop(change.old_path, None)


def _apply_linear(snapshot: Snapshot, commit: LogCommit, facts: Mapping[str, Facts], statuses: frozenset[str]) -> None:
    """A commit with at most one parent: renames carry a file's history; so does an exact swap of contents."""
    touched: dict[str, Version] = {}
    for change in commit.changes:
        for path in (change.path, change.old_path):
            if path is not None and path in snapshot:
                touched[path] = snapshot[path]
    # Whose content moved where: `git mv a tmp; git mv b a; git mv tmp b` is two modifications to git.
    new_blobs = {change.new_blob: change.path for change in commit.changes if change.new_blob is not None}
    moved_away = {
        touched[change.path].blob: change
        for change in commit.changes
        if change.kind in ("M", "D") and change.path in touched and touched[change.path].blob != change.new_blob
    }
    _drop_removed(snapshot, commit)
    for change in commit.changes:
        if change.kind == "D" or change.new_blob is None:
            continue
        prior = touched.get(change.old_path if change.kind == "R" and change.old_path else change.path)
        if change.kind == "A":
            prior = None
        source = moved_away.get(change.new_blob)
        if source is not None and source.path != change.path and change.kind in ("M", "A"):
            # This path now holds another file's old content: that file moved here. Only when its old
            # content is gone (deleted, or moved on too: a swap), never for a copy.
            own_old = prior.blob if prior is not None else None
            if source.kind == "D" or (own_old is not None and new_blobs.get(own_old, change.path) != change.path):
                prior = touched[source.path]
        snapshot[change.path] = _new_version(prior, change.path, change.new_blob, commit, facts, statuses)


def _apply_merge(
    snapshot: Snapshot,
    parents: Sequence[Snapshot],
    commit: LogCommit,
    facts: Mapping[str, Facts],
    statuses: frozenset[str],
) -> None:
    """A merge, diffed against its first parent (``parents[0]``, which ``snapshot`` started as)."""
    first = parents[0]
    _drop_removed(snapshot, commit)
    for change in commit.changes:
        if change.kind == "D" or change.new_blob is None:
            continue
        candidates = [first.get(change.old_path if change.kind == "R" and change.old_path else change.path)]
        candidates += [parent.get(change.path) for parent in parents[1:]]
        found = [candidate for candidate in candidates if candidate is not None]
        if not found:
            snapshot[change.path] = _new_version(None, change.path, change.new_blob, commit, facts, statuses)
            continue
        now = known_status(facts.get(change.new_blob, NO_FACTS).status, statuses)
        kept = next(
            (candidate for candidate in found if candidate.blob == change.new_blob),
            next((candidate for candidate in found if now is not None and candidate.status == now), found[0]),
        )
        # Only versions of the same file join (a swap on one side puts another file at this path).
        same_file = (
            candidate.history for candidate in found if candidate is not kept and candidate.origin == kept.origin
        )
        history = join_histories(kept.history, same_file)
        joined = kept._replace(status=history[-1].status if history else None, history=history)
        snapshot[change.path] = _new_version(joined, change.path, change.new_blob, commit, facts, statuses)


def walk(
    commits: Sequence[LogCommit],
    facts: Mapping[str, Facts],
    statuses: frozenset[str],
    known: Mapping[str, Snapshot],
    keep: Collection[str],
) -> dict[str, Snapshot]:
    """The snapshots of the commits in ``keep`` (and of every commit no child follows in the walk).

    ``commits``: parents before children. A parent outside ``commits`` must be in
    ``known`` (snapshots from an earlier walk), else ``MissingParent``; a commit
    without parents (a root, or a shallow clone's boundary) starts empty.
    Snapshots in ``known`` and returned snapshots are never changed afterwards.
    """
    children = Counter(parent for commit in commits for parent in commit.parents)
    live: dict[str, Snapshot] = {}
    result: dict[str, Snapshot] = {}
    for commit in commits:
        parents: list[Snapshot] = []
        for parent in commit.parents:
            found = live.get(parent)
            if found is None:
                found = known.get(parent)
            if found is None:
                raise MissingParent(parent)
            parents.append(found)
        first = commit.parents[0] if commit.parents else None
        if first is not None and first in live and children[first] == 1 and first not in keep:
            snapshot = live.pop(first)  # its only child: changed in place, no copy
        else:
            snapshot = dict(parents[0]) if parents else {}
        if len(parents) > 1:
            _apply_merge(snapshot, parents, commit, facts, statuses)
        else:
            _apply_linear(snapshot, commit, facts, statuses)
        for parent in commit.parents:
            children[parent] -= 1
            if children[parent] <= 0:
                live.pop(parent, None)
        live[commit.sha] = snapshot
        if commit.sha in keep:
            result[commit.sha] = snapshot
    for sha, snapshot in live.items():
        result.setdefault(sha, snapshot)
    return result


def first_parent_chain(commits: Iterable[LogCommit], head: str, depth: int) -> list[str]:
    """``head`` and its first-parent ancestors among ``commits``, newest first, at most ``depth``."""
    first_parent = {commit.sha: commit.parents[0] if commit.parents else None for commit in commits}
    chain: list[str] = []
    sha: str | None = head
    while sha is not None and sha in first_parent and len(chain) < depth:
        chain.append(sha)
        sha = first_parent.get(sha)
    return chain
