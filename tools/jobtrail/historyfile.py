"""HISTORY.md: the latest changes week by week, then every application's status changes with their reasons."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from .cells import GENERATED, notes, plural
from .config import Config
from .escape import inline, link
from .history import RepositoryHistory
from .model import Application
from .reasons import reasons_for, reasons_in
from .rows import Row, application_rows, latest_first, sort_text

FEED_WEEKS = 8  # HISTORY.md's feed: the changes of this many weeks up to the as-of date


def _history_lines(row: Row, reasons: Sequence[str | None]) -> list[str]:
    """One line per change, with its reason; a finished stage says how many days it lasted (never fewer than 0).

    An APPLIED change is dated by the Application Date, which can be earlier than
    the commit that recorded the stage before it.
    """
    if not row.changes:
        return ["No status recorded yet: the file has never had a valid status."]
    lines = []
    for change, following, reason in zip(row.changes, (*row.changes[1:], None), reasons, strict=True):
        lasted = f" ({plural(max(0, (following.date - change.date).days), 'day')})" if following else ""
        because = f": {inline(reason)}" if reason else ""
        lines.append(f"- {change.date.isoformat()} {inline(change.status)}{lasted}{because}")
    return lines


def _feed(rows: Sequence[Row], reasons: Mapping[str, Sequence[str | None]]) -> list[str]:
    """The changes of the last weeks across all applications, newest first, under the Monday of their week.

    The weeks run up to the newest change (not the newest date in the history), so
    HISTORY.md changes only when a status does.
    """
    lines = ["## Latest changes", ""]
    dates = [change.date for row in rows for change in row.changes]
    if not dates:
        return [*lines, "No changes yet.", ""]
    newest = max(dates)
    start = newest - datetime.timedelta(days=newest.weekday() + 7 * (FEED_WEEKS - 1))
    events = []
    for row in rows:
        for index, (change, reason) in enumerate(zip(row.changes, reasons[row.path], strict=True)):
            if change.date >= start:
                before = row.changes[index - 1].status if index else None
                events.append((change.date, index, row, before, change.status, reason))
    lines += [f"The changes of the {FEED_WEEKS} weeks up to the latest one, newest first.", ""]
    events.sort(key=lambda event: (-event[0].toordinal(), -event[1], sort_text(event[2])))
    week: datetime.date | None = None
    for day, _, row, before, status, reason in events:
        monday = day - datetime.timedelta(days=day.weekday())
        if monday != week:
            if week is not None:
                lines.append("")
            lines += [f"### Week of {monday.isoformat()}", ""]
            week = monday
        move = f"{inline(before)} → {inline(status)}" if before else f"new, {inline(status)}"
        because = f": {inline(reason)}" if reason else ""
        lines.append(f"- {day.isoformat()} {link(row.label, row.path)}: {move}{because}")
    return [*lines, ""]


def render_history(
    history: RepositoryHistory,
    config: Config,
    apps: Mapping[str, Application] | None = None,
    *,
    rows: Sequence[Row] | None = None,
) -> str:
    """HISTORY.md. ``rows`` as for ``render_index``."""
    apps = apps or {}
    rows = sorted(application_rows(history, apps, config) if rows is None else rows, key=latest_first)
    lines = ["# Application history", "", GENERATED, ""]
    lines += notes(history)
    if not rows:
        return "\n".join([*lines, "No applications yet.", ""])
    reasons = {row.path: reasons_for(row.changes, reasons_in(apps.get(row.path))) for row in rows}
    lines += _feed(rows, reasons)
    lines += ["## Applications", ""]
    lines += [
        "Each application's status changes, oldest first, with the days spent in each status and the reason",
        "given (`jobtrail status APP STATUS --reason TEXT`); the most recently changed application first.",
        "",
    ]
    for row in rows:
        lines += [f"### {link(row.label, row.path)}", ""]
        lines += [*_history_lines(row, reasons[row.path]), ""]
    return "\n".join(lines)
