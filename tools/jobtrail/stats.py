"""Numbers about a job search, computed from the status history: a pure function of its inputs.

Definitions (docs/commands.md repeats them):
- An application was *sent* when its history reached an active status past the
  first (``Workflow.is_sent``: APPLIED or a later stage), the one definition the
  checks use too. A closed status alone does not make it sent: PENDING straight
  to REJECTED, DECLINED, GHOSTED or WITHDRAWN never went out.
- It got a *response* when, once sent, it moved to a later active stage or to a
  closed status other than GHOSTED and WITHDRAWN (silence and your own
  withdrawal are not answers). Response rate = responses / sent.
- The *funnel* counts, for each active stage, the applications that reached it
  or a later one (so it never grows from one stage to the next).
- *Days to first response*: from the APPLIED change (``Workflow.applied``) to the first response.
  *Days in a stage*: from entering a status to the next change, over finished
  stays only (the stage an application is in now has not ended). A day count
  is never negative (an Application Date can be earlier than the commit before).
- *Sent per week*: applications by the ISO week of the day they were sent.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from .config import Config, Workflow
from .history import ApplicationHistory, RepositoryHistory
from .model import Application

NO_RESPONSE = frozenset({"GHOSTED", "WITHDRAWN"})
GROUP_FIELDS = ("source", "resume")
NOT_SET = "(not set)"


class StageTime(NamedTuple):
    status: str
    median_days: float
    stays: int


class GroupStats(NamedTuple):
    """The response numbers of the applications sharing one front matter value."""

    value: str
    applications: int
    sent: int
    responses: int

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.sent if self.sent else None


class Stats(NamedTuple):
    applications: int
    sent: int
    responses: int
    funnel: tuple[tuple[str, int], ...]  # active stage -> applications that reached it (or a later one)
    current: tuple[tuple[str, int], ...]  # every status -> applications in it now
    days_to_first_response: float | None  # median
    responses_timed: int  # responses with both dates known
    days_in_stage: tuple[StageTime, ...]
    sent_per_week: tuple[tuple[str, int], ...]  # ISO week ("2026-W32") -> applications sent, no week skipped
    by_field: tuple[tuple[str, tuple[GroupStats, ...]], ...]  # ("source", groups), ("resume", groups)
    applied: str  # the status days to a response count from (Workflow.applied)

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.sent if self.sent else None

    def as_json(self) -> dict[str, Any]:
        return {
            "applications": self.applications,
            "sent": self.sent,
            "responses": self.responses,
            "response_rate": _rounded(self.response_rate),
            "funnel": [{"status": status, "reached": count} for status, count in self.funnel],
            "current": {status: count for status, count in self.current},
            "median_days_to_first_response": self.days_to_first_response,
            "days_in_stage": [
                {"status": stage.status, "median_days": stage.median_days, "stays": stage.stays}
                for stage in self.days_in_stage
            ],
            "sent_per_week": [{"week": week, "sent": count} for week, count in self.sent_per_week],
            "by": {
                name: [
                    {
                        "value": group.value,
                        "applications": group.applications,
                        "sent": group.sent,
                        "responses": group.responses,
                        "response_rate": _rounded(group.response_rate),
                    }
                    for group in groups
                ]
                for name, groups in self.by_field
            },
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


class _Stages(NamedTuple):
    """Where each status stands in the workflow."""

    workflow: Workflow
    applied: int  # the index of the sent status (Workflow.applied, APPLIED by default) among the active stages

    @classmethod
    def of(cls, config: Config) -> _Stages:
        workflow = config.workflow
        return cls(workflow, workflow.active.index(workflow.applied))

    @property
    def active(self) -> tuple[str, ...]:
        return self.workflow.active

    @property
    def closed(self) -> tuple[str, ...]:
        return self.workflow.closed

    def is_sent(self, status: str) -> bool:
        return self.workflow.is_sent(status)

    def is_response(self, status: str) -> bool:
        if status in self.active:
            return self.active.index(status) > self.applied
        return status in self.closed and status not in NO_RESPONSE

    def reach(self, statuses: Iterable[str]) -> int:
        """The furthest active stage reached (0 at least: every application starts in the pipeline)."""
        furthest = 0
        for status in statuses:
            if status in self.active:
                furthest = max(furthest, self.active.index(status))
        return furthest


def _days(start: datetime.date, end: datetime.date) -> int:
    return max(0, (end - start).days)


def _median(values: Sequence[int]) -> float | None:
    """The median: the middle value, or the mean of the two middle ones (``statistics.median``, without its
    import, which costs INDEX.md's regeneration more than the numbers do)."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _weeks(days: Sequence[datetime.date], until: datetime.date | None = None) -> tuple[tuple[str, int], ...]:
    """Applications sent per ISO week, from the first week to the last one sent (or ``until``), none skipped."""
    if not days:
        return ()
    counts: dict[str, int] = {}
    for day in days:
        counts[_iso_week(day)] = counts.get(_iso_week(day), 0) + 1
    monday = min(days) - datetime.timedelta(days=min(days).weekday())
    weeks: list[tuple[str, int]] = []
    while monday <= max(*days, until or min(days)):
        weeks.append((_iso_week(monday), counts.get(_iso_week(monday), 0)))
        monday += datetime.timedelta(days=7)
    return tuple(weeks)


class Outcome(NamedTuple):
    """What one application's history says, in the terms above."""

    sent_on: datetime.date | None
    sent: bool
    responded: bool
    days_to_response: int | None
    reach: int

    @classmethod
    def of(cls, app: ApplicationHistory, stages: _Stages) -> Outcome:
        changes = app.changes
        sent_at = next((index for index, change in enumerate(changes) if stages.is_sent(change.status)), None)
        response = None
        if sent_at is not None:
            response = next((change for change in changes[sent_at:] if stages.is_response(change.status)), None)
        applied = next((change.date for change in changes if change.status == stages.workflow.applied), None)
        return cls(
            sent_on=changes[sent_at].date if sent_at is not None else None,
            sent=sent_at is not None,
            responded=response is not None,
            days_to_response=_days(applied, response.date) if response is not None and applied is not None else None,
            reach=stages.reach(change.status for change in changes),
        )


class StatsEntry(NamedTuple):
    """All the numbers need of one application: the dashboard keeps it with the application's row."""

    status: str  # the history's current status
    outcome: Outcome
    stays: tuple[tuple[str, int], ...]  # each finished stay: (status, days)
    groups: tuple[str, ...]  # the application's value of each of GROUP_FIELDS (NOT_SET when it has none)


def _group_value(app: Application | None, name: str) -> str:
    value = app.front_matter.get(name) if app is not None else None
    return value.strip() if isinstance(value, str) and value.strip() else NOT_SET


def stats_entry(history: ApplicationHistory, app: Application | None, config: Config) -> StatsEntry:
    """What ``aggregate`` needs of one application: its history, and ``app`` (the same path) for the front matter."""
    changes = history.changes
    stays = tuple(
        (change.status, _days(change.date, following.date)) for change, following in itertools.pairwise(changes)
    )
    groups = tuple(_group_value(app, name) for name in GROUP_FIELDS)
    return StatsEntry(history.status, Outcome.of(history, _Stages.of(config)), stays, groups)


def _groups(entries: Sequence[StatsEntry], field: int) -> tuple[GroupStats, ...]:
    values = [entry.groups[field] for entry in entries]
    if all(value == NOT_SET for value in values):
        return ()
    members: dict[str, list[Outcome]] = {}
    for entry, value in zip(entries, values, strict=True):
        members.setdefault(value, []).append(entry.outcome)
    return tuple(
        GroupStats(
            value,
            len(members[value]),
            sum(outcome.sent for outcome in members[value]),
            sum(outcome.responded for outcome in members[value]),
        )
        for value in sorted(members, key=lambda value: (value == NOT_SET, value.casefold()))
    )


def compute_stats(
    history: RepositoryHistory, apps: Iterable[Application], config: Config, *, until: datetime.date | None = None
) -> Stats:
    """The numbers for every application in ``history``; ``apps`` (same paths) supply the front matter.

    ``until``: ``sent_per_week`` runs up to that day's week (idle weeks included), not only to the last one sent.
    """
    by_path = {app.path: app for app in apps}
    entries = [stats_entry(app, by_path.get(app.path), config) for app in history.applications]
    return aggregate(entries, config, until=until)


def aggregate(entries: Sequence[StatsEntry], config: Config, *, until: datetime.date | None = None) -> Stats:
    """``compute_stats`` from each application's ``stats_entry`` (one pass: 50,000 entries at each commit)."""
    stages = _Stages.of(config)
    stays: dict[str, list[int]] = {}
    timed: list[int] = []
    sent_days: list[datetime.date] = []
    sent = responses = 0
    reached: Counter[int] = Counter()
    current = {status: 0 for status in config.workflow.statuses}
    for entry in entries:
        outcome = entry.outcome
        if outcome.sent_on is not None:
            sent_days.append(outcome.sent_on)
        sent += outcome.sent
        responses += outcome.responded
        if outcome.days_to_response is not None:
            timed.append(outcome.days_to_response)
        reached[outcome.reach] += 1
        for status, days in entry.stays:
            stays.setdefault(status, []).append(days)
        if entry.status in current:
            current[entry.status] += 1
    return Stats(
        applications=len(entries),
        sent=sent,
        responses=responses,
        funnel=tuple(
            (stage, sum(count for reach, count in reached.items() if reach >= index))
            for index, stage in enumerate(stages.active)
        ),
        current=tuple(current.items()),
        days_to_first_response=_median(timed),
        responses_timed=len(timed),
        days_in_stage=tuple(
            StageTime(status, _median(stays[status]) or 0.0, len(stays[status]))
            for status in config.workflow.statuses
            if status in stays
        ),
        sent_per_week=_weeks(sent_days, until),
        by_field=tuple(
            (name, groups) for field, name in enumerate(GROUP_FIELDS) if (groups := _groups(entries, field))
        ),
        applied=config.workflow.applied,
    )
