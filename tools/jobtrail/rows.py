"""The applications as the generated files show them: one ``Row`` each, from the history and the parsed files."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .config import Config
from .history import ApplicationHistory, RepositoryHistory, StatusChange
from .model import APPLICATION_DATE, Application
from .parse import iso_date

APPLIED = "APPLIED"
UNKNOWN = "(invalid)"  # the status shown for a file whose status is not in the workflow


@dataclass(frozen=True)
class Row:
    """One application as the dashboard shows it."""

    path: str
    company: str
    position: str
    status: str  # a workflow status, or UNKNOWN
    changes: tuple[StatusChange, ...]
    applied: datetime.date | None
    last_changed: datetime.date | None

    @property
    def since(self) -> datetime.date | None:
        return self.changes[-1].date if self.changes else None

    @property
    def label(self) -> str:
        """``Company — Position``, or the file name when the file does not say."""
        named = " — ".join(part for part in (self.company, self.position) if part)
        return named or self.path.rsplit("/", 1)[-1]


def _canonical(status: str, config: Config) -> str:
    upper = status.strip().upper()
    return upper if upper in config.workflow.statuses else UNKNOWN


def _row(path: str, found: ApplicationHistory | None, app: Application | None, config: Config) -> Row:
    company = (found.company if found else "") or (app.company if app else "")
    position = (found.position if found else "") or (app.position if app else "")
    status = found.status if found and found.status else (app.status if app else "")
    changes = found.changes if found else ()
    # The history's applied date, as HISTORY.md, list, stats and export show it (a mistyped or future
    # Application Date falls back to the commit there); the file's own date only when no APPLIED was recorded.
    applied = found.applied_on(APPLIED) if found is not None else None
    if applied is None and app is not None:
        applied = iso_date(app.text(APPLICATION_DATE))
    last_changed = found.last_changed if found and found.last_changed else (changes[-1].date if changes else None)
    return Row(path, company, position, _canonical(status, config), changes, applied, last_changed)


def application_rows(history: RepositoryHistory, apps: Mapping[str, Application], config: Config) -> tuple[Row, ...]:
    """Every application, whether the history or the folder knows it (normally both do), by path."""
    by_path = {found.path: found for found in history.applications}
    paths = sorted(set(by_path) | set(apps))
    return tuple(_row(path, by_path.get(path), apps.get(path), config) for path in paths)


def sort_text(row: Row) -> tuple[str, str, str]:
    return (row.company.casefold(), row.position.casefold(), row.path)


def latest_first(row: Row) -> tuple[int, tuple[str, str, str]]:
    """The most recently changed (or closed) first."""
    return (-(row.since or datetime.date.min).toordinal(), sort_text(row))


def status_counts(rows: Sequence[Row], config: Config) -> list[tuple[str, int]]:
    """How many applications are in each status now, in the workflow's order; a status none is in is left out."""
    found = Counter(row.status for row in rows)
    return [(status, found[status]) for status in (*config.workflow.statuses, UNKNOWN) if found[status]]
