"""Spreadsheets as people keep them: a CSV or TSV file in, one ``Incoming`` application per row out.

Pure: bytes in, records and row problems out. The row reader; the parts it joins are ``sheettable``
(encoding and delimiter), ``sheetcolumns`` (header spellings, ``--map``), ``statuswords`` and
``sheetdates`` (dates, day or month first decided from the whole file).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from .config import Workflow
from .incoming import Event, Incoming, RowProblem, SheetResult
from .sheetcolumns import HEADERS, ColumnError, header_key, mapped_columns
from .sheetdates import date_order, numeric_parts, parse_date
from .sheettable import decode_table, read_table
from .statuswords import status_word

EMPTY_CELLS = frozenset({"", "-", "--", "—", "n/a", "na", "none", "null"})


def _looks_like_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def normal_url(text: str) -> str:
    """``www.x.com/jobs/1`` -> ``https://www.x.com/jobs/1``; a full http(s) URL as it is."""
    text = text.strip()
    if _looks_like_url(text) or not text:
        return text
    host = text.split("/", 1)[0]
    if "." in host and " " not in text and ":" not in host:
        return f"https://{text}"
    return text


def _tags(text: str) -> list[str]:
    return [tag.strip() for tag in re.split(r"[,;|]", text) if tag.strip()]


def _status_rank(status: str, workflow: Workflow) -> int:
    return workflow.statuses.index(status) if status in workflow.statuses else len(workflow.statuses)


def row_events(
    dated: list[tuple[str, datetime.date]],
    status: str | None,
    status_date: datetime.date | None,
    created: datetime.date | None,
    workflow: Workflow,
) -> tuple[list[Event], str | None]:
    """The row's status changes, oldest first, ending on its current status; or a problem."""
    events: dict[str, datetime.date] = {}
    for name, day in dated:
        events[name] = min(day, events.get(name, day))
    if status is not None and status_date is not None:
        events[status] = status_date
    if status is None:
        status = max(events, key=lambda name: (events[name], _status_rank(name, workflow))) if events else None
    if status is None:
        status = workflow.initial
    if status not in events and not events and created is not None:
        events[status] = created  # nothing else is dated: the row was made in its current stage
    elif created is not None and workflow.initial not in events and all(created < day for day in events.values()):
        events[workflow.initial] = created
    ordered = sorted(events.items(), key=lambda item: (item[1], _status_rank(item[0], workflow)))
    if status in events:
        later = [(name, day) for name, day in ordered if day > events[status]]
        if later:
            name, day = later[0]
            return [], (
                f"the status is {status} ({events[status].isoformat()}) but {name} is dated later"
                f" ({day.isoformat()}): make the status {name}, or fix the dates"
            )
        ordered = [item for item in ordered if item[0] != status] + [(status, events[status])]
        return [Event(name, day) for name, day in ordered], None
    return [*(Event(name, day) for name, day in ordered), Event(status, None)], None


def read_sheet(
    data: bytes,
    workflow: Workflow,
    *,
    mapping: Mapping[str, str] | None = None,
    status_words: Mapping[str, str] | None = None,
    delimiter: str | None = None,
    day_first: bool | None = None,
) -> SheetResult:
    """Every row of a spreadsheet as an Incoming application, and every row's problems."""
    rows = read_table(decode_table(data), delimiter)
    if not rows:
        raise ColumnError("the file has no rows: export the sheet with its header row")
    headers, body = [cell.strip() for cell in rows[0]], rows[1:]
    mapping = mapping or {}
    columns, unused = mapped_columns(headers, workflow, mapping)
    used = {headers[index]: target for index, target in columns.items()}
    if "url" not in columns.values():
        # A `source` column of links (some trackers name the posting's address so) is the URL.
        for index, header in enumerate(headers):
            if HEADERS.get(header_key(header)) != "source" or header_key(header) in map(header_key, mapping):
                continue
            links = [row[index].strip() for row in body if len(row) > index and row[index].strip()]
            if links and all(_looks_like_url(link) or link.casefold() in EMPTY_CELLS for link in links):
                columns[index] = used[header] = "url"
                unused = [name for name in unused if name != header]
                break
    date_columns = [index for index, target in columns.items() if target.startswith("date:") or "date" in target]
    date_columns += [index for index, target in columns.items() if target == "created"]
    order = date_order([row[index] for row in body for index in date_columns if index < len(row)], day_first)
    notes = []
    if not order.decided and any(numeric_parts(row[i]) for row in body for i in date_columns if i < len(row)):
        notes.append("dates like 01/02/2026 read month first (January 2); give --day-first if they are day first")
    incoming: list[Incoming] = []
    problems: list[RowProblem] = []
    for number, row in enumerate(body, start=2):
        where = f"row {number}"
        cells: dict[str, str] = {}
        dated: list[tuple[str, datetime.date]] = []
        status: str | None = None
        status_date = created = None
        row_problems: list[str] = []
        unknown = False
        for index, target in columns.items():
            cell = row[index].strip() if index < len(row) else ""
            if cell.casefold() in EMPTY_CELLS:
                continue
            header = headers[index]
            if target.startswith("date:") or target in ("status_date", "created"):
                try:
                    day = parse_date(cell, order)
                except ValueError as exc:
                    row_problems.append(f"{header} `{cell}` {exc}")
                    continue
                if target.startswith("date:"):
                    dated.append((target[5:], day))
                elif target == "status_date":
                    status_date = day
                else:
                    created = day
            elif target == "status":
                status = status_word(cell, workflow, status_words)
                if status is None:
                    problems.append(RowProblem(where, f"unknown status `{cell}`", cell))
                    unknown = True
            else:
                cells[target] = cell
        for needed in ("company", "position"):
            if not cells.get(needed):
                row_problems.append(f"no {needed}")
        url = normal_url(cells.get("url", ""))
        if url and not _looks_like_url(url):
            row_problems.append(f"the link `{cells['url']}` is not an http(s) URL")
        events, why = row_events(dated, status, status_date, created, workflow)
        if why:
            row_problems.append(why)
        if row_problems or unknown:
            problems.extend(RowProblem(where, message) for message in row_problems)
            continue
        front_matter: dict[str, Any] = {}
        for key in ("location", "salary", "source"):
            if cells.get(key):
                front_matter[key] = cells[key]
        if cells.get("tags"):
            front_matter["tags"] = _tags(cells["tags"])
        description = cells.get("description", "")
        is_html = bool(re.search(r"<[a-zA-Z][^>]*>", description))
        incoming.append(
            Incoming(
                where=where,
                company=cells["company"],
                position=cells["position"],
                url=url,
                status=events[-1].status,
                events=tuple(events),
                front_matter=front_matter,
                notes=cells.get("notes", ""),
                description="" if is_html else description,
                description_html=description if is_html else "",
            )
        )
    return SheetResult(tuple(incoming), tuple(problems), used, tuple(unused), tuple(notes))
