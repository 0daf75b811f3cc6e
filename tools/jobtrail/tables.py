"""INDEX.md's lists and tables: the agenda, the invalid files, the active and the closed applications."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from .agenda import AgendaItem
from .cells import NO_VALUE, date_cell, days, table, unbroken
from .config import Config
from .escape import inline, link
from .problem import Problem
from .rows import Row, latest_first, sort_text


def _active_order(row: Row, config: Config) -> tuple[int, datetime.date, tuple[str, str, str]]:
    """The furthest along first; within a stage, the longest waiting first."""
    stage = config.workflow.active.index(row.status) if row.status in config.workflow.active else -1
    return (-stage, row.since or datetime.date.max, sort_text(row))


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
    by_path = {row.path: row for row in rows}
    failing: dict[str, list[Problem]] = {}
    for problem in sorted(problems):
        if problem.severity == "error":
            failing.setdefault(problem.path, []).append(problem)
    if not failing:
        return []
    items = []
    for path, found in sorted(failing.items()):
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        name = by_path[path].label if path in by_path else path
        items.append(
            f"- {link(name, path)} fails `jobtrail check`: line {first.line}: {first.code} {inline(first.message)}{more}"
        )
    return ["## Invalid files", "", *items, ""]


def active_section(rows: Sequence[Row], newest: datetime.date | None, config: Config) -> list[str]:
    chosen = sorted(
        (row for row in rows if row.status not in config.workflow.closed), key=lambda r: _active_order(r, config)
    )
    lines = ["## Active applications", ""]
    if not chosen:
        return [*lines, "None.", ""]
    lines += table(
        ("Company", "Position", "Status", "Since", "Days in status", "Applied"),
        ("---", "---", "---", "---", "---:", "---"),
        [
            [
                link(row.company or row.label, row.path),
                inline(row.position) or NO_VALUE,
                inline(row.status),
                date_cell(row.since),
                days(row.since, newest),
                date_cell(row.applied),
            ]
            for row in chosen
        ],
    )
    return [*lines, ""]


def closed_section(rows: Sequence[Row], config: Config) -> list[str]:
    chosen = sorted((row for row in rows if row.status in config.workflow.closed), key=latest_first)
    lines = ["## Closed applications", ""]
    if not chosen:
        return [*lines, "None.", ""]
    lines += table(
        ("Company", "Position", "Status", "Closed", "Applied"),
        ("---",) * 5,
        [
            [
                link(row.company or row.label, row.path),
                inline(row.position) or NO_VALUE,
                inline(row.status),
                date_cell(row.since),
                date_cell(row.applied),
            ]
            for row in chosen
        ],
    )
    return [*lines, ""]
