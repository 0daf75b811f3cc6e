"""The history as it reads at a commit object not yet on any branch (the one a pre-commit hook sees made)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from .headstate import all_facts, head_walk
from .history import ApplicationHistory, RepositoryHistory, StatusChange
from .logread import missing_note, read_commits
from .parse import Fields
from .repository import Repository
from .walk import Facts, MissingParent, Snapshot, event_dates, known_status, walk


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
    return history_at(repo, commit, parents, fields)[0]


def history_at(
    repo: Repository,
    commit: str,
    parents: list[str],
    fields: Mapping[str, Fields | None],
    parent_snapshot: Snapshot | None = None,
) -> tuple[RepositoryHistory, Snapshot]:
    """``read_history_at``, and the walk's snapshot at ``commit``.

    ``parent_snapshot``: the only parent's versions of (at least) every path
    ``commit`` changes, adds, deletes or renames (the pre-commit hook keeps them:
    rowmemo); the walk of that one commit then needs no other, and the history
    cache is not read. Only the paths it holds come out right in the snapshot.
    """
    shallow = repo.shallow
    statuses = frozenset(repo.config.workflow.statuses)
    missing: set[str] = set()  # a partial clone offline: versions left out, said in the notes
    facts: dict[str, Facts] = {}
    if parent_snapshot is not None and len(parents) == 1:
        commits = read_commits(repo, [commit, f"^{parents[0]}"], facts, missing)
        walked = walk(commits, facts, statuses, {parents[0]: parent_snapshot}, {commit})
    else:
        walked = _walk_from_cache(repo, commit, parents, statuses, missing)
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
    return RepositoryHistory(tuple(applications), shallow=shallow, notes=notes + missing_note(missing)), snapshot


def _walk_from_cache(
    repo: Repository, commit: str, parents: list[str], statuses: frozenset[str], missing: set[str]
) -> dict[str, Snapshot]:
    base = parents[0] if parents else None
    known: dict[str, Snapshot] = {}
    facts: dict[str, Facts] = {}
    if base:
        known[base], facts = head_walk(repo, base, missing)
    try:
        commits = read_commits(repo, [commit, *(f"^{parent}" for parent in parents[:1])], facts, missing)
        return walk(commits, facts, statuses, known, {commit})
    except MissingParent:  # a merge's other side forked before the first parent's snapshot: all of it
        facts = all_facts(repo, facts)
        commits = read_commits(repo, [commit], facts, missing)
        return walk(commits, facts, statuses, {}, {commit})
