"""Every application with its fields, current status and dated history, as JSON or CSV (``ics.py``: the calendar).

Pure: records in, text or bytes out.
- CSV is UTF-8 with a byte order mark (so spreadsheet programs read it as UTF-8),
  CRLF rows, quoted by the csv module; a cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so a spreadsheet
  shows it as text instead of running it as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .history import RepositoryHistory, StatusChange
from .model import APPLICATION_DATE, JOB_URL, Application
from .problem import UNPRINTABLE_BUT_LAYOUT
from .template import is_placeholder

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BASE_COLUMNS = ("path", "company", "position", "status", "since", "application_date", "job_url", "history")
KNOWN_FIELDS = (
    "source",
    "resume",
    "location",
    "tags",
    "follow_up",
    "followed_up",
    "next_action",
    "deadline",
    "interviews",
)


@dataclass(frozen=True)
class ExportRecord:
    path: str
    company: str
    position: str
    status: str
    job_url: str  # "" while it is a placeholder
    application_date: str  # "" while it is a placeholder
    front_matter: dict[str, Any]
    changes: tuple[StatusChange, ...]
    text: str | None = None  # the whole file (JSON exports), so an import gives it back byte for byte

    @property
    def since(self) -> datetime.date | None:
        return self.changes[-1].date if self.changes else None

    def history_text(self) -> str:
        return "; ".join(f"{change.status} {change.date.isoformat()}" for change in self.changes)


def _filled(app: Application | None, name: str) -> str:
    text = app.text(name) if app is not None else ""
    return "" if is_placeholder(text) else text


def export_records(
    history: RepositoryHistory, apps: Iterable[Application], texts: Mapping[str, str | None] | None = None
) -> list[ExportRecord]:
    """One record per application in ``history``; ``apps`` (same paths) supply the fields and front matter,
    ``texts`` (by path) the files' whole text."""
    by_path = {app.path: app for app in apps}
    records = []
    for entry in history.applications:
        app = by_path.get(entry.path)
        records.append(
            ExportRecord(
                path=entry.path,
                company=entry.company,
                position=entry.position,
                status=entry.status,
                job_url=_filled(app, JOB_URL),
                application_date=_filled(app, APPLICATION_DATE),
                front_matter=dict(app.front_matter) if app is not None else {},
                changes=entry.changes,
                text=(texts or {}).get(entry.path),
            )
        )
    return records


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # YAML's .nan and .inf: JSON has no such numbers
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def to_json(records: Sequence[ExportRecord]) -> str:
    return json.dumps(
        {
            "applications": [
                {
                    "path": record.path,
                    "company": record.company,
                    "position": record.position,
                    "status": record.status,
                    "since": record.since.isoformat() if record.since else None,
                    "application_date": record.application_date or None,
                    "job_url": record.job_url or None,
                    "front_matter": _jsonable(record.front_matter),
                    "history": [change.as_json() for change in record.changes],
                    "text": record.text,
                }
                for record in records
            ]
        },
        indent=2,
        ensure_ascii=False,
    )


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: a leading ``'`` before what would start a formula.

    Control characters (an escape sequence), bidirectional overrides and invisible
    characters (a zero-width space) are dropped; tabs and line breaks stay.
    """
    cell = UNPRINTABLE_BUT_LAYOUT.sub("", cell)
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(_jsonable(value), ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _field_columns(records: Sequence[ExportRecord]) -> list[str]:
    present = {key for record in records for key in record.front_matter}
    return [key for key in KNOWN_FIELDS if key in present] + sorted(present - set(KNOWN_FIELDS))


def _column_name(field: str) -> str:
    # A front matter key named like a base column (`status`) keeps its own column.
    return f"{field} (front matter)" if field in BASE_COLUMNS else field


def to_csv(records: Sequence[ExportRecord]) -> bytes:
    fields = _field_columns(records)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name in [*BASE_COLUMNS, *map(_column_name, fields)]])
    for record in records:
        base = [
            record.path,
            record.company,
            record.position,
            record.status,
            record.since.isoformat() if record.since else "",
            record.application_date,
            record.job_url,
            record.history_text(),
        ]
        extra = [_cell_text(record.front_matter.get(name)) for name in fields]
        writer.writerow([neutralise(cell) for cell in [*base, *extra]])
    return (BOM + out.getvalue()).encode("utf-8", "backslashreplace")
