"""HISTORY.md: the latest changes week by week, then every application's status changes with their reasons."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from .cells import GENERATED, notes
from .config import Config
from .history import RepositoryHistory
from .model import Application
from .rows import Row, application_rows, by_text, newest_first
from .rowtext import RowText

FEED_WEEKS = 8  # HISTORY.md's feed: the changes of this many weeks up to the as-of date


def _feed(rows: Sequence[Row]) -> list[str]:
    """The changes of the last weeks across all applications, newest first, under the Monday of their week.

    The weeks run up to the newest change (not the newest date in the history), so
    HISTORY.md changes only when a status does. ``rows``: ``by_text``.
    """
    lines = ["## Latest changes", ""]
    dates = [change.date for row in rows for change in row.changes]
    if not dates:
        return [*lines, "No changes yet.", ""]
    newest = max(dates)
    start = newest - datetime.timedelta(days=newest.weekday() + 7 * (FEED_WEEKS - 1))
    # The newest first, the latest of a file's changes first, then by_text: each (day, index) collects its
    # events in the rows' order, and only those keys are sorted.
    events: dict[tuple[int, int], list[tuple[RowText, int]]] = {}
    for row in rows:
        for index, change in enumerate(row.changes):
            if change.date >= start:
                events.setdefault((-change.date.toordinal(), -index), []).append((row.text, index))
    lines += [f"The changes of the {FEED_WEEKS} weeks up to the latest one, newest first.", ""]
    week: datetime.date | None = None
    for (ordinal, _), found in sorted(events.items()):
        day = datetime.date.fromordinal(-ordinal)
        monday, iso = day - datetime.timedelta(days=day.weekday()), day.isoformat()
        if monday != week:
            if week is not None:
                lines.append("")
            lines += [f"### Week of {monday.isoformat()}", ""]
            week = monday
        lines += [f"- {iso} {text.label_link}: {text.feed[index]}" for text, index in found]
    return [*lines, ""]


def render_history(
    history: RepositoryHistory,
    config: Config,
    apps: Mapping[str, Application] | None = None,
    *,
    rows: Sequence[Row] | None = None,
) -> str:
    """HISTORY.md. ``rows`` as for ``render_index``."""
    rows = application_rows(history, apps or {}, config) if rows is None else rows
    return history_text(rows, shallow=history.shallow)


def history_text(rows: Sequence[Row], *, shallow: bool) -> str:
    """HISTORY.md from the rows of every application (``shallow``: the clone is)."""
    texts = by_text(rows)
    rows = newest_first(texts)
    lines = ["# Application history", "", GENERATED, ""]
    lines += notes(shallow)
    if not rows:
        return "\n".join([*lines, "No applications yet.", ""])
    lines += _feed(texts)
    lines += ["## Applications", ""]
    lines += [
        "Each application's status changes, oldest first, with the days spent in each status and the reason",
        "given (`jobtrail status APP STATUS --reason TEXT`); the most recently changed application first.",
        "",
    ]
    for row in rows:
        lines += [f"### {row.text.label_link}", "", *row.text.history, ""]
    return "\n".join(lines)
