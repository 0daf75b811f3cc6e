"""A `jobtrail export --format json` file read back: one ``Incoming`` application per record.

Pure: bytes in, records and problems out. With the file's ``text`` (exports
write it), the application comes back byte for byte; its ``history`` gives the
dated status changes to replay.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from .config import Workflow
from .incoming import Event, Incoming, RowProblem, SheetResult
from .sheetcolumns import ColumnError


def is_export(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _events(history: Any, status: str, workflow: Workflow) -> tuple[list[Event], list[str]]:
    problems: list[str] = []
    events: list[Event] = []
    if not isinstance(history, list):
        return [], ["`history` is not a list"]
    for number, entry in enumerate(history, start=1):
        if not isinstance(entry, dict):
            problems.append(f"history entry {number} is not an object")
            continue
        name = str(entry.get("status", "")).upper()
        try:
            day = datetime.date.fromisoformat(str(entry.get("date")))
        except ValueError:
            problems.append(f"history entry {number}: date `{entry.get('date')}` is not a date")
            continue
        if name not in workflow.statuses:
            problems.append(f"history entry {number}: unknown status `{entry.get('status')}`")
            continue
        if events and events[-1].status == name:
            continue
        if events and events[-1].date is not None and day < events[-1].date:
            problems.append(f"history entry {number} ({name} {day}) is older than the one before it")
            continue
        events.append(Event(name, day))
    if not problems and (not events or events[-1].status != status):
        events.append(Event(status, None))
    return events, problems


def read_export(data: bytes, workflow: Workflow) -> SheetResult:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ColumnError(f"not a valid JSON file ({exc}): give a `jobtrail export --format json` file") from None
    records = document.get("applications") if isinstance(document, dict) else None
    if not isinstance(records, list):
        raise ColumnError("no `applications` list: give a `jobtrail export --format json` file")
    incoming: list[Incoming] = []
    problems: list[RowProblem] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(RowProblem(f"application {number}", "is not an object"))
            continue
        path = str(record.get("path") or "")
        where = f"application {number} ({path})" if path else f"application {number}"
        found: list[str] = []
        company, position = str(record.get("company") or "").strip(), str(record.get("position") or "").strip()
        for name, value in (("company", company), ("position", position)):
            if not value:
                found.append(f"no {name}")
        status = str(record.get("status") or "").upper()
        if status not in workflow.statuses:
            found.append(f"unknown status `{record.get('status')}`")
        events, history_problems = _events(record.get("history", []), status, workflow)
        found += history_problems
        text = record.get("text")
        if text is not None and not isinstance(text, str):
            found.append("`text` is not a string")
        front_matter = record.get("front_matter") or {}
        if not isinstance(front_matter, dict):
            found.append("`front_matter` is not an object")
        applied: datetime.date | None = None
        if record.get("application_date"):
            try:
                applied = datetime.date.fromisoformat(str(record["application_date"]))
            except ValueError:
                found.append(f"application_date `{record['application_date']}` is not a date")
        if found:
            problems.extend(RowProblem(where, message) for message in found)
            continue
        incoming.append(
            Incoming(
                where=where,
                company=company,
                position=position,
                url=str(record.get("job_url") or ""),
                status=status,
                events=tuple(events),
                front_matter=dict(front_matter),
                text=text.encode("utf-8") if isinstance(text, str) else None,
                path=path,
                application_date=applied,
            )
        )
    return SheetResult(tuple(incoming), tuple(problems), {}, (), ())
