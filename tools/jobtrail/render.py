"""Render INDEX.md from the history, the parsed files and their problems.

Pure: the output depends on the arguments only. Days are counted up to
``history.newest`` (never the wall clock) and no commit sha is written, so
the files generated just before a commit are the files generated just after
it. Every text that comes from an application file goes through ``escape``.
The sections live in ``tables`` and ``pipeline``; HISTORY.md in ``historyfile``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .agenda import agenda_order, items_as_of
from .cells import GENERATED, notes, plural
from .config import Config
from .escape import inline
from .history import RepositoryHistory
from .model import Application
from .pipeline import pipeline_section
from .problem import Problem
from .rows import Row, application_rows, newest_date
from .stats import aggregate
from .tables import active_section, agenda_section, closed_section, problems_section

INDEX_FILE = "INDEX.md"
HISTORY_FILE = "HISTORY.md"


def render_index(
    history: RepositoryHistory,
    apps: Mapping[str, Application],
    problems: Sequence[Problem],
    config: Config,
    *,
    rows: Sequence[Row] | None = None,
) -> str:
    """INDEX.md. ``rows``: ``application_rows(history, apps, config)``, when the caller has them already."""
    rows = application_rows(history, apps, config) if rows is None else rows
    return index_text(rows, problems, config, shallow=history.shallow)


def index_text(rows: Sequence[Row], problems: Sequence[Problem], config: Config, *, shallow: bool) -> str:
    """INDEX.md from the rows of every application and their problems (``shallow``: the clone is)."""
    newest = newest_date(rows)
    lines = ["# Job applications", "", GENERATED, ""]
    if not rows:
        lines += [f"No applications yet: add a file to {inline(config.applications_dir)}/.", ""]
        return "\n".join(lines)
    closed = sum(row.status in config.workflow.closed for row in rows)
    as_of = f"As of {newest.isoformat()}, the newest date in the history: " if newest else ""
    lines += [f"{as_of}{plural(len(rows), 'application')}, {len(rows) - closed} active, {closed} closed.", ""]
    lines += notes(shallow)
    items = (
        sorted(
            (item for row in rows if row.agenda for item in items_as_of(row.agenda, row.agenda_active, newest)),
            key=agenda_order,
        )
        if newest
        else []
    )
    lines += agenda_section(items, newest)
    lines += problems_section(rows, problems)
    stats = aggregate([row.stats for row in rows if row.stats is not None], config, until=newest)
    lines += pipeline_section(rows, stats, config)
    lines += active_section(rows, newest, config)
    lines += closed_section(rows, config)
    return "\n".join(lines)
