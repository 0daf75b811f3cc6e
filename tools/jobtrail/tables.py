"""INDEX.md's lists and tables: the agenda, the invalid files, the active and the closed applications."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from operator import attrgetter

from .agenda import AgendaItem
from .cells import date_cell, days, table, unbroken
from .config import Config
from .escape import inline, link
from .problem import Problem
from .rows import Row, by_text, latest_first

# A few hundred distinct days and a handful of statuses among 50,000 rows: each cell is made once.
dates = functools.lru_cache(maxsize=4096)(date_cell)
status_cell = functools.lru_cache(maxsize=256)(inline)


def agenda_section(items: Sequence[AgendaItem], newest: datetime.date | None) -> list[str]:
    """Every dated item with its absolute date; overdue means before the as-of date."""
    lines = ["## Agenda", ""]
    if not items:
        return [*lines, "Nothing is due: no interviews, deadlines or follow-ups.", ""]
    if newest is not None:
        lines += [f"Overdue means due before {newest.isoformat()}, the as-of date.", ""]
    rows = []
    for item in items:
        when = unbroken(item.when())
        what = f"**Overdue:** {inline(item.text)}" if item.overdue else inline(item.text)
        rows.append([f"**{when}**" if item.overdue else when, link(item.label, item.path), what])
    lines += table(("Date", "Application", "What"), ("---",) * 3, rows)
    return [*lines, ""]


def problems_section(rows: Sequence[Row], problems: Sequence[Problem]) -> list[str]:
    failing: dict[str, list[Problem]] = {}
    for problem in sorted(problems):
        if problem.severity == "error":
            failing.setdefault(problem.path, []).append(problem)
    if not failing:
        return []
    by_path = {row.path: row for row in rows}
    items = []
    for path, found in sorted(failing.items()):
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        named = by_path[path].text.label_link if path in by_path else link(path, path)
        items.append(f"- {named} fails `jobtrail check`: line {first.line}: {first.code} {inline(first.message)}{more}")
    return ["## Invalid files", "", *items, ""]


def active_section(rows: Sequence[Row], newest: datetime.date | None, config: Config) -> list[str]:
    # The furthest along first; within a stage, the longest waiting first; then by_text.
    chosen = by_text(row for row in rows if row.status not in config.workflow.closed)
    chosen.sort(key=attrgetter("order.waiting"))
    chosen.sort(key=attrgetter("order.stage"))
    lines = ["## Active applications", ""]
    if not chosen:
        return [*lines, "None.", ""]
    lines += table(
        ("Company", "Position", "Status", "Since", "Days in status", "Applied"),
        ("---", "---", "---", "---", "---:", "---"),
        [],
    )
    waited: dict[datetime.date | None, str] = {}  # each start day's cells, once
    for row in chosen:  # one line each, as ``table`` makes them (50,000 rows: no list per row)
        since = row.changes[-1].date if row.changes else None
        cells = waited.get(since)
        if cells is None:
            cells = waited[since] = f"{dates(since)} | {days(since, newest)}"
        lines.append(
            f"| {row.text.linked} | {row.text.position} | {status_cell(row.status)} | {cells} | {dates(row.applied)} |"
        )
    return [*lines, ""]


def closed_section(rows: Sequence[Row], config: Config) -> list[str]:
    chosen = latest_first(row for row in rows if row.status in config.workflow.closed)
    lines = ["## Closed applications", ""]
    if not chosen:
        return [*lines, "None.", ""]
    lines += table(("Company", "Position", "Status", "Closed", "Applied"), ("---",) * 5, [])
    for row in chosen:
        lines.append(
            f"| {row.text.linked} | {row.text.position} | {status_cell(row.status)} | {dates(row.since)}"
            f" | {dates(row.applied)} |"
        )
    return [*lines, ""]
