"""Dates as spreadsheets hold them: ``2026-01-05``, ``2026/01/05``, ``01/05/2026`` or ``05/01/2026``
(which of the two: decided from the whole file), ``05.01.2026``, ``Jan 5, 2026``, ``5 January 2026``, or an
ISO date and time. Pure."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class DateOrder:
    """How to read ``01/02/2026``: day first or month first, and why."""

    day_first: bool
    decided: bool  # False: nothing in the file tells; month first was assumed


def numeric_parts(cell: str) -> tuple[int, int] | None:
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
        parts = numeric_parts(cell)
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
