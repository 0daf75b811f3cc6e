"""A sheet's header row: header names in their usual spellings (``Company``/``Employer``/``Organization``,
``Position``/``Title``/``Job Title``/``Role``, ...), ``--map COLUMN=FIELD`` for the rest, dated stage
columns (``Date Applied``, ``Interview Date``, ``Rejected On``) by their status word. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .config import Workflow
from .statuswords import in_workflow, status_word, words

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

_DATE_WORDS = frozenset({"date", "on", "at", "of", "when", "day"})


class ColumnError(ValueError):
    """The table cannot be read as applications: no header, no company or position column, a bad --map."""


def header_key(text: str) -> str:
    return "".join(words(text))


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


def mapped_columns(
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
