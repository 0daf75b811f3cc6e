"""The history walk, pure: parsed log commits and the facts of each file version in, status events out.

No git and no files here: the reader (``gitlog.py``) feeds it, tests feed it
hand-built commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from .logformat import LogCommit
from .parse import iso_date

APPLIED = "APPLIED"


class Facts(NamedTuple):
    """What one version (blob) of an application says: its status text and its Application Date text."""

    status: str | None
    application_date: str | None


NO_FACTS = Facts(None, None)


class Event(NamedTuple):
    """One change of status, recorded by a commit."""

    status: str
    date: str  # YYYY-MM-DD: the commit's author date, or (APPLIED) the Application Date
    commit: str
    epoch: int
    sequence: int  # the order the walk met it in


@dataclass
class Lineage:
    """One application across renames: its events and the status of each of its versions."""

    events: list[Event] = field(default_factory=list)
    effective: dict[str, str | None] = field(default_factory=dict)  # blob -> status it stands for
    last_date: str | None = None
    last_epoch: int = 0


@dataclass
class WalkState:
    head: str | None = None
    paths: dict[str, int] = field(default_factory=dict)
    lineages: dict[int, Lineage] = field(default_factory=dict)
    sequence: int = 0

    def new_lineage(self) -> int:
        number = len(self.lineages)
        self.lineages[number] = Lineage()
        return number


def known_status(raw: str | None, statuses: frozenset[str]) -> str | None:
    """The workflow status a version stands for, or None when it has none."""
    if raw is None:
        return None
    upper = raw.upper()
    return upper if upper in statuses else None


def event_date(status: str, facts: Facts, fallback: str) -> str:
    """APPLIED is dated by the file's Application Date when one is filled in (the real event).

    A date after ``fallback`` (the commit's date, or today) is a typo (JT502), not the
    event: taken as it is, it would move "the newest date" and every day count into the future.
    """
    if status == APPLIED and facts.application_date is not None:
        date = iso_date(facts.application_date)
        if date is not None and date.isoformat() <= fallback:
            return date.isoformat()
    return fallback


def apply_commit(state: WalkState, commit: LogCommit, facts: Mapping[str, Facts], statuses: frozenset[str]) -> None:
    for change in commit.changes:
        if change.kind == "D":
            state.paths.pop(change.path, None)
            continue
        if change.kind == "R" and change.old_path in state.paths:
            number = state.paths[change.old_path]
        elif change.kind == "A" or change.path not in state.paths:
            number = state.new_lineage()
        else:
            number = state.paths[change.path]
        state.paths[change.path] = number
        lineage = state.lineages[number]
        before: str | None = None
        if change.kind != "A" and change.old_blob is not None:
            if change.old_blob in lineage.effective:
                before = lineage.effective[change.old_blob]
            else:
                before = known_status(facts.get(change.old_blob, NO_FACTS).status, statuses)
        blob = change.new_blob or ""
        version = facts.get(blob, NO_FACTS)
        now = known_status(version.status, statuses)
        lineage.effective[blob] = now if now is not None else before
        if now is not None and now != before:
            state.sequence += 1
            lineage.events.append(
                Event(now, event_date(now, version, commit.date), commit.sha, commit.epoch, state.sequence)
            )
        if commit.epoch >= lineage.last_epoch:
            lineage.last_date, lineage.last_epoch = commit.date, commit.epoch


def walk(
    state: WalkState, commits: Iterable[LogCommit], facts: Mapping[str, Facts], statuses: frozenset[str], head: str
) -> WalkState:
    for commit in commits:
        apply_commit(state, commit, facts, statuses)
    state.head = head
    return state


def ordered(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda event: (event.epoch, event.sequence))
