"""sheetdates.py: the dates a cell can hold, and day or month first decided by the file."""

from __future__ import annotations

import datetime

import pytest

from jobtrail.sheetdates import DateOrder, date_order, parse_date

MONTH_FIRST = DateOrder(day_first=False, decided=True)


@pytest.mark.parametrize(
    ("cell", "date"),
    [
        ("2026-01-05", datetime.date(2026, 1, 5)),
        ("2026-1-5", datetime.date(2026, 1, 5)),
        ("2026/01/05", datetime.date(2026, 1, 5)),
        ("01/05/2026", datetime.date(2026, 1, 5)),
        ("1/5/26", datetime.date(2026, 1, 5)),
        ("05.01.2026", datetime.date(2026, 1, 5)),  # dots: day first, always
        ("Jan 5, 2026", datetime.date(2026, 1, 5)),
        ("5 January 2026", datetime.date(2026, 1, 5)),
        ("5-Jan-2026", datetime.date(2026, 1, 5)),
        ("2026-01-05T14:03:11.000Z", datetime.date(2026, 1, 5)),
        ("2026-01-05 19:17:05", datetime.date(2026, 1, 5)),
    ],
)
def test_dates(cell: str, date: datetime.date) -> None:
    assert parse_date(cell, MONTH_FIRST) == date


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("2026-02-30", "not a date in the calendar"),
        ("02/30/2026", "not a date in the calendar"),
        ("13/13/2026", "not a date in the calendar"),
        ("next Tuesday", "is not a date"),
        ("Smarch 3, 2026", "is not a date"),
    ],
)
def test_impossible_dates(cell: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_date(cell, MONTH_FIRST)


def test_day_first_is_decided_by_the_file() -> None:
    assert date_order(["01/02/2026", "25/01/2026"]) == DateOrder(True, True)
    assert date_order(["01/02/2026", "01/25/2026"]) == DateOrder(False, True)
    assert date_order(["01/02/2026"]) == DateOrder(False, False)
    assert date_order(["01/02/2026"], day_first=True) == DateOrder(True, True)
