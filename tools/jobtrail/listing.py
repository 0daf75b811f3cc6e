"""`jobtrail list` as data: one row per application, and the table that shows them at any width."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from .history import RepositoryHistory
from .terminal import fit, plain, width

GAP = "  "
MIN_TEXT_COLUMNS = 8


@dataclass(frozen=True)
class ListRow:
    path: str
    company: str
    position: str
    status: str
    since: datetime.date | None  # when the current status began
    days: int | None  # days in the current status, up to today

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "company": self.company,
            "position": self.position,
            "status": self.status,
            "since": self.since.isoformat() if self.since else None,
            "days": self.days,
        }


def list_rows(
    history: RepositoryHistory, statuses: Sequence[str], today: datetime.date, only: Collection[str] | None = None
) -> list[ListRow]:
    """Rows in workflow order (``statuses``), longest waiting first within a status; ``only`` filters by status."""
    rows = []
    for app in history.applications:
        if only is not None and app.status not in only:
            continue
        since = app.since()
        days = max(0, (today - since).days) if since else None
        rows.append(ListRow(app.path, app.company, app.position, app.status, since, days))
    order = {status: index for index, status in enumerate(statuses)}
    return sorted(rows, key=lambda row: (order.get(row.status, len(order)), row.since or datetime.date.max, row.path))


def format_table(rows: Sequence[ListRow], columns: int = 80) -> str:
    """A table that fits in ``columns``: company and position share what the fixed columns leave."""
    header = ("STATUS", "SINCE", "DAYS", "COMPANY", "POSITION")
    cells = [
        (
            plain(row.status) or "?",
            row.since.isoformat() if row.since else "-",
            str(row.days) if row.days is not None else "-",
            plain(row.company) or "-",
            plain(row.position) or "-",
        )
        for row in rows
    ]
    fixed = [max(width(line[index]) for line in [header, *cells]) for index in range(3)]
    free = max(columns - sum(fixed) - len(GAP) * 4, 2 * MIN_TEXT_COLUMNS)
    wanted_company = max(width(line[3]) for line in [header, *cells])
    wanted_position = max(width(line[4]) for line in [header, *cells])
    company = min(wanted_company, max(MIN_TEXT_COLUMNS, free * 2 // 5, free - wanted_position))
    position = min(wanted_position, free - company)
    lines = []
    for line in [header, *cells]:
        parts = [
            fit(line[0], fixed[0]),
            fit(line[1], fixed[1]),
            " " * (fixed[2] - width(line[2])) + line[2],
            fit(line[3], company),
            fit(line[4], position),
        ]
        lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)
