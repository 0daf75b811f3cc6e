"""The applications as the generated files show them: one ``Row`` each, from the history and the parsed files.

A row holds everything INDEX.md and HISTORY.md need of its application and no
more: besides what the tables show, the reason of each change, the agenda's
items before they are dated and the numbers' entry. Nothing in it depends on
the as-of date, so a row made at one commit is the row at the next when the
file and its history did not change (the pre-commit hook keeps them: rowmemo).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from typing import NamedTuple

from .agenda import AgendaItem, AgendaSource, undated_items
from .config import Config
from .history import ApplicationHistory, RepositoryHistory, StatusChange
from .model import APPLICATION_DATE, Application
from .parse import iso_date
from .reasons import reasons_for, reasons_in
from .rowtext import RowText, row_text
from .stats import StatsEntry, stats_entry

APPLIED = "APPLIED"
UNKNOWN = "(invalid)"  # the status shown for a file whose status is not in the workflow


class RowOrder(NamedTuple):
    """What the tables and HISTORY.md sort a row by, made once with it: 50,000 rows then sort in C
    (``by_text`` and ``operator.attrgetter``), not through a Python key function each."""

    text: tuple[str, str]  # the company and the position, case-folded (then the path: ``by_text``)
    latest: int  # the most recently changed first: -(since or date.min).toordinal()
    waiting: int  # the longest waiting first: (since or date.max).toordinal()
    stage: int  # the furthest along first: -(its index among the active stages), 1 when it is not active


class Row(NamedTuple):
    """One application as the dashboard shows it."""

    path: str
    company: str
    position: str
    status: str  # a workflow status, or UNKNOWN
    changes: tuple[StatusChange, ...]  # without their commits: no sha is ever shown
    applied: datetime.date | None
    last_changed: datetime.date | None
    text: RowText  # its Markdown that does not depend on the day
    order: RowOrder
    # Only for an application the history knows (normally all of them):
    agenda: tuple[AgendaItem, ...] = ()  # agenda.undated_items
    agenda_active: bool = False  # the agenda counts it as active
    stats: StatsEntry | None = None

    @property
    def since(self) -> datetime.date | None:
        return self.changes[-1].date if self.changes else None

    @property
    def label(self) -> str:
        return label_of(self.company, self.position, self.path)


def label_of(company: str, position: str, path: str) -> str:
    """``Company — Position``, or the file name when the file does not say."""
    return " — ".join(part for part in (company, position) if part) or path.rsplit("/", 1)[-1]


def _canonical(status: str, config: Config) -> str:
    upper = status.strip().upper()
    return upper if upper in config.workflow.statuses else UNKNOWN


def application_row(path: str, found: ApplicationHistory | None, app: Application | None, config: Config) -> Row:
    """The row of the application at ``path``: its history (``found``) and its parsed file (``app``), either
    of which may be missing."""
    company = (found.company if found else "") or (app.company if app else "")
    position = (found.position if found else "") or (app.position if app else "")
    status = found.status if found and found.status else (app.status if app else "")
    changes = tuple(StatusChange(change.status, change.date, None) for change in found.changes) if found else ()
    # The history's applied date, as HISTORY.md, list, stats and export show it (a mistyped or future
    # Application Date falls back to the commit there); the file's own date only when no APPLIED was recorded.
    applied = found.applied_on(APPLIED) if found is not None else None
    if applied is None and app is not None:
        applied = iso_date(app.text(APPLICATION_DATE))
    last_changed = found.last_changed if found and found.last_changed else (changes[-1].date if changes else None)
    text = row_text(
        path, company, label_of(company, position, path), position, changes, reasons_for(changes, reasons_in(app))
    )
    canonical = _canonical(status, config)
    since = changes[-1].date if changes else None
    order = RowOrder(
        (company.casefold(), position.casefold()),
        -(since or datetime.date.min).toordinal(),
        (since or datetime.date.max).toordinal(),
        -config.workflow.active.index(canonical) if canonical in config.workflow.active else 1,
    )
    row = Row(path, company, position, canonical, changes, applied, last_changed, text, order)
    if found is None:
        return row
    source = AgendaSource(
        path,
        found.company or (app.company if app else ""),
        found.position or (app.position if app else ""),
        found.status.strip().upper(),
        found.since(),
        app.front_matter if app is not None else {},
    )
    agenda = tuple(undated_items(source, config))
    return row._replace(
        agenda=agenda, agenda_active=source.status in config.workflow.active, stats=stats_entry(found, app, config)
    )


def application_rows(history: RepositoryHistory, apps: Mapping[str, Application], config: Config) -> tuple[Row, ...]:
    """Every application, whether the history or the folder knows it (normally both do), by path."""
    by_path = {found.path: found for found in history.applications}
    paths = sorted(set(by_path) | set(apps))
    return tuple(application_row(path, by_path.get(path), apps.get(path), config) for path in paths)


def newest_date(rows: Sequence[Row]) -> datetime.date | None:
    """The newest date in the history (``RepositoryHistory.newest``): the day "days waiting" count up to."""
    dates = [change.date for row in rows for change in row.changes]
    dates += [row.last_changed for row in rows if row.last_changed]
    return max(dates) if dates else None


def by_text(rows: Iterable[Row]) -> list[Row]:
    """By company, position and path (case-folded): the order every sort below starts from (a stable sort
    by one more key then orders by that key, then by these)."""
    return sorted(sorted(rows), key=attrgetter("order.text"))  # a row starts with its path


def latest_first(rows: Iterable[Row]) -> list[Row]:
    """The most recently changed (or closed) first, then ``by_text``."""
    return newest_first(by_text(rows))


def newest_first(texts: Iterable[Row]) -> list[Row]:
    """``latest_first`` of rows already ``by_text``."""
    return sorted(texts, key=attrgetter("order.latest"))


def status_counts(rows: Sequence[Row], config: Config) -> list[tuple[str, int]]:
    """How many applications are in each status now, in the workflow's order; a status none is in is left out."""
    found = Counter(row.status for row in rows)
    return [(status, found[status]) for status in (*config.workflow.statuses, UNKNOWN) if found[status]]
