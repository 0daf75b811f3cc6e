"""Spreadsheets as people keep them: a CSV or TSV file in, one ``Incoming`` application per row out.

Pure: bytes in, records and row problems out. What it understands:
- the delimiter (comma, tab or semicolon, from the header line) and the
  encoding (UTF-8 with or without BOM, UTF-16 as Excel's "Unicode text"
  writes it, else Windows-1252);
- header names in their usual spellings (``Company``/``Employer``/
  ``Organization``, ``Position``/``Title``/``Job Title``/``Role``, ...);
  ``--map COLUMN=FIELD`` for the rest; dated stage columns (``Date Applied``,
  ``Interview Date``, ``Rejected On``) by their status word;
- status words (``Wishlist``, ``Phone screen``, ``Ghosted``, any letter case)
  mapped to the workflow;
- dates as ``2026-01-05``, ``2026/01/05``, ``01/05/2026`` or ``05/01/2026``
  (which of the two: decided from the whole file), ``05.01.2026``,
  ``Jan 5, 2026``, ``5 January 2026``, or an ISO date and time.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import DEFAULT_ACTIVE, Workflow

EMPTY_CELLS = frozenset({"", "-", "--", "—", "n/a", "na", "none", "null"})

# Field names a column can be mapped to (`--map COLUMN=FIELD`), besides `date:STATUS` and `ignore`.
FIELDS = (
    "company",
    "position",
    "url",
    "status",
    "status_date",
    "created",
    "location",
    "salary",
    "notes",
    "tags",
    "description",
    "source",
)

# Header spellings, compared without case, spaces or punctuation.
HEADERS: Mapping[str, str] = {
    **dict.fromkeys(
        ("company", "companyname", "employer", "organization", "organisation", "org", "companytitle"), "company"
    ),
    **dict.fromkeys(
        ("position", "title", "jobtitle", "role", "jobposition", "positiontitle", "job", "jobrole", "roletitle"),
        "position",
    ),
    **dict.fromkeys(
        ("url", "link", "joblink", "joburl", "postingurl", "posting", "listing", "listingurl", "applicationlink"),
        "url",
    ),
    **dict.fromkeys(("status", "stage", "listname", "applicationstatus", "jobstatus", "state"), "status"),
    "date": "date:APPLIED",  # a lone Date column in a sheet of applications: when it was sent
    **dict.fromkeys(("lastmovedat", "statusdate", "stagedate", "datemoved"), "status_date"),
    **dict.fromkeys(("createdat", "created", "dateadded", "added", "datecreated", "addedon"), "created"),
    **dict.fromkeys(("location", "city", "joblocation", "place"), "location"),
    **dict.fromkeys(("salary", "pay", "compensation", "salaryrange", "payrange"), "salary"),
    **dict.fromkeys(("notes", "note", "comments", "comment"), "notes"),
    **dict.fromkeys(("tags", "tag", "labels", "label", "keywords"), "tags"),
    **dict.fromkeys(("description", "jobdescription", "htmldescription", "details"), "description"),
    **dict.fromkeys(("source", "channel", "jobboard", "foundon", "foundvia"), "source"),
}

# Status words people and trackers use, by the default workflow's status they mean.
STATUS_WORDS: Mapping[str, str] = {
    **dict.fromkeys(
        (
            "wishlist", "wish list", "bookmarked", "bookmark", "saved", "save", "interested", "planning", "plan",
            "to apply", "not applied", "not yet applied", "draft", "prospect", "idea", "researching", "applying",
            "pending", "todo", "to do", "created", "added",
        ),
        "PENDING",
    ),
    **dict.fromkeys(("applied", "application sent", "submitted", "sent", "applied online", "apply"), "APPLIED"),
    **dict.fromkeys(
        (
            "screening", "screen", "phone screen", "recruiter screen", "recruiter call", "phone call", "hr call",
            "hr screen", "assessment", "online assessment", "oa", "take home", "coding test",
        ),
        "SCREENING",
    ),
    **dict.fromkeys(
        (
            "interviewing", "interview", "interviews", "interviewed", "onsite", "on site", "final round",
            "technical interview", "phone interview", "video interview", "second round", "first round",
        ),
        "INTERVIEWING",
    ),
    **dict.fromkeys(("offer", "offered", "offer received", "offers"), "OFFER"),
    **dict.fromkeys(("accepted", "hired", "offer accepted", "accept", "signed"), "ACCEPTED"),
    **dict.fromkeys(("rejected", "rejection", "not selected", "turned down", "denied", "no offer"), "REJECTED"),
    **dict.fromkeys(("withdrawn", "withdrew", "withdraw", "i withdrew"), "WITHDRAWN"),
    **dict.fromkeys(("declined", "offer declined", "i declined", "decline"), "DECLINED"),
    **dict.fromkeys(("ghosted", "no response", "no answer", "no reply", "silence", "unresponsive"), "GHOSTED"),
}  # fmt: skip

_DATE_WORDS = frozenset({"date", "on", "at", "of", "when", "day"})
_WORD = re.compile(r"[a-z0-9]+")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
            ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
            ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)?$")
_YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T][0-9:.]+(?:\s*[AaPp][Mm])?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]+)\.?,?[ -](\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$")


class ColumnError(ValueError):
    """The table cannot be read as applications: no header, no company or position column, a bad --map."""


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def header_key(text: str) -> str:
    return "".join(words(text))


def in_workflow(status: str, workflow: Workflow) -> str:
    """A default workflow's status as ``workflow`` names it: the first (PENDING) and the sent one
    (APPLIED, ``Workflow.applied``) keep their roles under any name; the others keep their own."""
    if status == DEFAULT_ACTIVE[0]:
        return workflow.initial
    if status == DEFAULT_ACTIVE[1]:
        return workflow.applied
    return status


def status_word(text: str, workflow: Workflow, extra: Mapping[str, str] | None = None) -> str | None:
    """The workflow status a word means (any letter case, spaces or punctuation), or None."""
    phrase = " ".join(words(text))
    if not phrase:
        return None
    for table in (extra or {}, {status.casefold(): status for status in workflow.statuses}, STATUS_WORDS):
        found = table.get(phrase) or table.get(phrase.replace(" ", ""))
        if found is not None and table is STATUS_WORDS:
            found = in_workflow(found, workflow)
        if found is not None and found in workflow.statuses:
            return found
    return None


def column_field(header: str, workflow: Workflow) -> str | None:
    """The field a header names: one of FIELDS, ``date:STATUS`` for a dated stage column, or None."""
    key = header_key(header)
    if key in HEADERS:
        target = HEADERS[key]
        return "date:" + in_workflow(target[5:], workflow) if target.startswith("date:") else target
    parts = words(header)
    rest = [part for part in parts if part not in _DATE_WORDS]
    if rest and len(rest) < len(parts):  # a date word and a status word: `Date Interview`, `Rejected On`
        status = status_word(" ".join(rest), workflow)
        if status is not None:
            return f"date:{status}"
    return None


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class DateOrder:
    """How to read ``01/02/2026``: day first or month first, and why."""

    day_first: bool
    decided: bool  # False: nothing in the file tells; month first was assumed


def _numeric_parts(cell: str) -> tuple[int, int] | None:
    match = _NUMERIC.match(cell.strip())
    if match is None or match.group(2) == ".":
        return None
    return int(match.group(1)), int(match.group(3))


def date_order(cells: Sequence[str], day_first: bool | None = None) -> DateOrder:
    """Day first when a date like 25/01/2026 is in the file, month first when 01/25/2026 is."""
    if day_first is not None:
        return DateOrder(day_first, True)
    firsts = seconds = False
    for cell in cells:
        parts = _numeric_parts(cell)
        if parts:
            firsts = firsts or parts[0] > 12
            seconds = seconds or parts[1] > 12
    if firsts and not seconds:
        return DateOrder(True, True)
    return DateOrder(False, seconds)


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if len(text) == 2 else value


def parse_date(cell: str, order: DateOrder) -> datetime.date:
    """The date a cell holds; ValueError saying why not."""
    text = cell.strip()
    parts: tuple[int, int, int] | None = None
    if match := _ISO_DATE.match(text) or _YEAR_FIRST.match(text):
        parts = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    elif match := _NUMERIC.match(text):
        first, second, year = int(match.group(1)), int(match.group(3)), _year(match.group(4))
        day_first = order.day_first or match.group(2) == "."
        parts = (year, second, first) if day_first else (year, first, second)
    elif match := _DAY_MONTH_YEAR.match(text):
        month = _MONTHS.get(match.group(2).casefold())
        if month is not None:
            parts = (int(match.group(3)), month, int(match.group(1)))
    elif match := _MONTH_DAY_YEAR.match(text):
        month = _MONTHS.get(match.group(1).casefold())
        if month is not None:
            parts = (int(match.group(3)), month, int(match.group(2)))
    if parts is None:
        raise ValueError("is not a date: write it as YYYY-MM-DD")
    try:
        return datetime.date(*parts)
    except ValueError:
        raise ValueError("is not a date in the calendar") from None


# ---------------------------------------------------------------- reading the table


def decode_table(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (old Excel)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def read_table(text: str, delimiter: str | None = None) -> list[list[str]]:
    """The table's rows (header first), empty rows dropped."""
    first = text.split("\n", 1)[0]
    if delimiter is None:
        delimiter = max((",", "\t", ";"), key=first.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [row for row in rows if any(cell.strip() for cell in row)]


# ---------------------------------------------------------------- rows into applications


@dataclass(frozen=True)
class Event:
    status: str
    date: datetime.date | None  # None: the row gives no date for it


@dataclass(frozen=True)
class Incoming:
    """One application to bring in, as a row of a sheet (or a record of an export) says."""

    where: str  # `row 4`, `application 2 (applications/x.md)`
    company: str
    position: str
    url: str
    status: str
    events: tuple[Event, ...]  # oldest first; the last one is ``status``
    front_matter: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    description: str = ""  # Markdown text (HTML already converted)
    description_html: str = ""  # HTML to convert
    text: bytes | None = None  # the whole file, from a jobtrail export
    path: str = ""  # the path it had, from a jobtrail export
    application_date: datetime.date | None = None


@dataclass(frozen=True)
class RowProblem:
    where: str
    message: str
    unknown_status: str = ""  # the word, when the problem is a status word the workflow lacks


@dataclass(frozen=True)
class SheetResult:
    incoming: tuple[Incoming, ...]
    problems: tuple[RowProblem, ...]
    columns: dict[str, str]  # header -> field, for the columns used
    unused: tuple[str, ...]  # headers read but not used
    notes: tuple[str, ...]  # what the reader assumed (dates read month first, ...)


def _mapped_columns(
    headers: Sequence[str], workflow: Workflow, mapping: Mapping[str, str]
) -> tuple[dict[int, str], list[str]]:
    wanted = {header_key(name): target for name, target in mapping.items()}
    unknown = [name for name in mapping if header_key(name) not in {header_key(header) for header in headers}]
    if unknown:
        raise ColumnError(f"--map names no column of the file: {', '.join(unknown)} (columns: {', '.join(headers)})")
    columns: dict[int, str] = {}
    unused: list[str] = []
    taken: set[str] = set()
    for index, header in enumerate(headers):
        target = wanted.get(header_key(header)) or column_field(header, workflow)
        if target is None or target == "ignore" or (target in taken and not target.startswith("date:")):
            if header.strip():
                unused.append(header)
            continue
        columns[index] = target
        taken.add(target)
    for needed in ("company", "position"):
        if needed not in taken:
            raise ColumnError(
                f"no {needed} column (columns: {', '.join(headers)}): name one with --map 'COLUMN={needed}'"
            )
    return columns, unused


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
    columns, unused = _mapped_columns(headers, workflow, mapping)
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
    if not order.decided and any(_numeric_parts(row[i]) for row in body for i in date_columns if i < len(row)):
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
