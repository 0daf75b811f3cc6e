"""The agenda: every dated thing an application asks of you, as one list sorted by date and time.

Pure: applications in, items out; ``today`` is an argument (INDEX.md passes the
newest date in the history, `jobtrail agenda` the clock). Read from each file's
front matter (all optional):

- ``interviews``: a list of ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` strings, or
  mappings with ``date``, ``time``, ``with`` and ``kind``;
- ``deadline: DATE`` (e.g. an offer's answer-by date);
- ``follow_up: DATE`` (the next follow-up, due that day);
- ``followed_up: DATE`` (the follow-up due by then was done);
- ``next_action: TEXT`` (what to do: the follow-up item's text).

An active application has one follow-up: its ``follow_up`` date while that is
not done, else the default rule (``follow_up_days`` after the current status
began, or after ``followed_up`` when that is later). Follow-ups and deadlines
are for active applications only; a closed application keeps the interviews it
had up to its closing day, for the calendar.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .config import Config
from .parse import iso_date

if TYPE_CHECKING:  # `jobtrail check` reads interviews through this module: it imports no more than it needs
    from .history import RepositoryHistory
    from .model import Application

INTERVIEW = "interview"
DEADLINE = "deadline"
FOLLOW_UP = "follow-up"
GROUPS = ("overdue", "today", "this week", "later")
WEEK_DAYS = 7  # "this week": today and the six days after it

_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


class Interview(NamedTuple):
    date: datetime.date
    time: datetime.time | None
    with_: str
    kind: str


class AgendaItem(NamedTuple):
    date: datetime.date
    time: datetime.time | None
    kind: str  # INTERVIEW, DEADLINE or FOLLOW_UP
    path: str
    company: str
    position: str
    text: str
    overdue: bool
    key: str  # unique within the application, and stable while the item stays the same item

    @property
    def label(self) -> str:
        return " — ".join(part for part in (self.company, self.position) if part) or self.path.rsplit("/", 1)[-1]

    def when(self) -> str:
        """``2026-12-01 14:00``, or the date alone."""
        return f"{self.date.isoformat()} {self.time:%H:%M}" if self.time else self.date.isoformat()

    def group(self, today: datetime.date) -> str:
        if self.overdue:
            return GROUPS[0]
        if self.date <= today:
            return GROUPS[1]
        return GROUPS[2] if (self.date - today).days < WEEK_DAYS else GROUPS[3]

    def as_json(self, today: datetime.date) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "time": f"{self.time:%H:%M}" if self.time else None,
            "kind": self.kind,
            "path": self.path,
            "company": self.company,
            "position": self.position,
            "text": self.text,
            "overdue": self.overdue,
            "group": self.group(today),
        }


class AgendaSource(NamedTuple):
    """What the agenda needs to know about one application."""

    path: str
    company: str
    position: str
    status: str  # a workflow status in upper case, or anything else for a file the workflow does not know
    since: datetime.date | None  # when the current status began
    front_matter: Mapping[str, Any]


def _time(value: object) -> datetime.time | None:
    """``14:30`` (the front matter reads an unquoted ``14:30`` as text, not as a base-60 number)."""
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str) and (match := _TIME.fullmatch(value.strip())):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour < 24 and minute < 60:
            return datetime.time(hour, minute)
    return None


def _date_and_time(value: object) -> tuple[datetime.date, datetime.time | None] | None:
    if isinstance(value, datetime.datetime):
        return value.date(), value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, str) and (match := _DATE_TIME.fullmatch(value.strip())):
        day = iso_date(match.group(1))
        if day is None:
            return None
        if match.group(2) is None:
            return day, None
        moment = _time(f"{match.group(2)}:{match.group(3)}")
        return (day, moment) if moment is not None else None
    return None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def interview_of(item: object) -> Interview | None:
    """One entry of ``interviews``, or None when it is not one of the accepted forms."""
    if isinstance(item, Mapping):
        found = _date_and_time(item.get("date"))
        if found is None:
            return None
        day, moment = found
        if item.get("time") is not None:
            moment = _time(item["time"])
            if moment is None:
                return None
        return Interview(day, moment, _text(item.get("with")), _text(item.get("kind")))
    found = _date_and_time(item)
    return Interview(found[0], found[1], "", "") if found else None


def interviews_of(front_matter: Mapping[str, Any]) -> list[Interview]:
    value = front_matter.get("interviews")
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [interview for item in items if (interview := interview_of(item)) is not None]


def follow_up_due(source: AgendaSource, config: Config) -> tuple[datetime.date, str] | None:
    """When this active application's next follow-up is due, and why; None when nothing sets one."""
    front = source.front_matter
    done = iso_date(front.get("followed_up"))
    explicit = iso_date(front.get("follow_up"))
    if explicit is None:
        explicit = iso_date(front.get("next_action"))  # an older file's dated next action
    if explicit is not None and (done is None or done < explicit):
        return explicit, "as set in the file"
    days = config.follow_up_days.get(source.status)
    if days is None or source.since is None:
        return None
    if done is not None and done > source.since:
        return done + datetime.timedelta(days=days), f"{_days(days)} after the follow-up on {done.isoformat()}"
    return source.since + datetime.timedelta(days=days), f"{_days(days)} after {source.status} on {source.since}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _interview_text(interview: Interview) -> str:
    kind = f" ({interview.kind})" if interview.kind else ""
    with_ = f" with {interview.with_}" if interview.with_ else ""
    return f"Interview{kind}{with_}"


def application_items(
    source: AgendaSource, config: Config, today: datetime.date, *, past: bool = False
) -> list[AgendaItem]:
    """One application's items. ``past``: also the interviews before ``today`` (a calendar keeps them)."""
    return items_as_of(undated_items(source, config), source.status in config.workflow.active, today, past=past)


def undated_items(source: AgendaSource, config: Config) -> list[AgendaItem]:
    """One application's items whatever the day: every interview (a closed application's up to its closing
    day), and an active one's deadline and follow-up, none marked overdue (``items_as_of`` dates them)."""
    active = source.status in config.workflow.active
    closed = source.status in config.workflow.closed
    if not active and not closed:
        return []
    base = (source.path, source.company, source.position)
    items: dict[str, AgendaItem] = {}
    for interview in interviews_of(source.front_matter):
        if closed and (source.since is None or interview.date > source.since):
            continue  # it will not happen
        stamp = interview.date.strftime("%Y%m%d") + (f"T{interview.time:%H%M}" if interview.time else "")
        key = f"{INTERVIEW}-{stamp}"
        items[key] = AgendaItem(
            interview.date, interview.time, INTERVIEW, *base, _interview_text(interview), False, key
        )
    if not active:
        return list(items.values())
    deadline = iso_date(source.front_matter.get("deadline"))
    if deadline is not None:
        items[DEADLINE] = AgendaItem(deadline, None, DEADLINE, *base, "Deadline", False, DEADLINE)
    due = follow_up_due(source, config)
    if due is not None:
        action = _text(source.front_matter.get("next_action"))
        text = action or f"Follow up ({due[1]})"
        items[FOLLOW_UP] = AgendaItem(due[0], None, FOLLOW_UP, *base, text, False, FOLLOW_UP)
    return list(items.values())


def items_as_of(
    items: Iterable[AgendaItem], active: bool, today: datetime.date, *, past: bool = False
) -> list[AgendaItem]:
    """``undated_items`` as of ``today``: an interview before it is left out (it happened) unless ``past``; a
    deadline or follow-up before it is overdue. A closed application has items in the past only."""
    if not active and not past:
        return []
    dated = []
    for item in items:
        if item.kind != INTERVIEW:
            dated.append(item._replace(overdue=item.date < today))
        elif past or item.date >= today:
            dated.append(item)
    return dated


def agenda_order(item: AgendaItem) -> tuple[datetime.date, datetime.time, str, str, str, str]:
    # An all-day item comes before the timed ones of its day.
    return (item.date, item.time or datetime.time.min, item.kind, item.company.casefold(), item.path, item.key)


def agenda(
    sources: Iterable[AgendaSource], config: Config, today: datetime.date, *, past: bool = False
) -> list[AgendaItem]:
    """Every item of every application, sorted by date then time."""
    items = [item for source in sources for item in application_items(source, config, today, past=past)]
    return sorted(items, key=agenda_order)


def grouped(items: Sequence[AgendaItem], today: datetime.date) -> list[tuple[str, list[AgendaItem]]]:
    """The items under overdue, today, this week and later (empty groups left out)."""
    groups: dict[str, list[AgendaItem]] = {name: [] for name in GROUPS}
    for item in items:
        groups[item.group(today)].append(item)
    return [(name, found) for name, found in groups.items() if found]


def agenda_sources(history: RepositoryHistory, apps: Mapping[str, Application]) -> list[AgendaSource]:
    """One source per application in ``history``; ``apps`` (by path) supply the front matter."""
    sources = []
    for entry in history.applications:
        app = apps.get(entry.path)
        sources.append(
            AgendaSource(
                entry.path,
                entry.company or (app.company if app else ""),
                entry.position or (app.position if app else ""),
                entry.status.strip().upper(),
                entry.since(),
                app.front_matter if app is not None else {},
            )
        )
    return sources
