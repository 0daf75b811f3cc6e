"""What an import brings in: an ``Incoming`` application per sheet row or export record, its status
``Event``s, and the problems of the rows that cannot come in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


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
