"""sheet.py: header spellings, status words, dates and a row's events, without git."""

from __future__ import annotations

import datetime

import pytest

from jobtrail.config import Workflow
from jobtrail.sheet import (
    ColumnError,
    DateOrder,
    Event,
    column_field,
    date_order,
    parse_date,
    read_sheet,
    row_events,
    status_word,
)

WORKFLOW = Workflow()
MONTH_FIRST = DateOrder(day_first=False, decided=True)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Company", "company"),
        ("Employer", "company"),
        ("Organization", "company"),
        ("companyName", "company"),
        ("Position", "position"),
        ("Title", "position"),
        ("Job Title", "position"),
        ("Role", "position"),
        ("URL", "url"),
        ("Link", "url"),
        ("Job Link", "url"),
        ("Status", "status"),
        ("Stage", "status"),
        ("listName", "status"),
        ("Date Applied", "date:APPLIED"),
        ("Applied On", "date:APPLIED"),
        ("date", "date:APPLIED"),
        ("Date Interview", "date:INTERVIEWING"),
        ("Interview Date", "date:INTERVIEWING"),
        ("Date Rejected", "date:REJECTED"),
        ("Rejected On", "date:REJECTED"),
        ("Date Offer", "date:OFFER"),
        ("Phone Screen Date", "date:SCREENING"),
        ("Date Saved", "date:PENDING"),
        ("lastMovedAt", "status_date"),
        ("createdAt", "created"),
        ("Location", "location"),
        ("Salary", "salary"),
        ("Notes", "notes"),
        ("Tags", "tags"),
        ("htmlDescription", "description"),
        ("Sector", None),
        ("Date", "date:APPLIED"),
        ("Interview", None),  # a status word alone is not a date column
    ],
)
def test_header_spellings(header: str, field: str | None) -> None:
    assert column_field(header, WORKFLOW) == field


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Applied", "APPLIED"),
        ("applied", "APPLIED"),
        ("Interviewing", "INTERVIEWING"),
        ("INTERVIEW", "INTERVIEWING"),
        ("Wishlist", "PENDING"),
        ("wish-list", "PENDING"),
        ("Bookmarked", "PENDING"),
        ("Ghosted", "GHOSTED"),
        ("No response", "GHOSTED"),
        ("Phone Screen", "SCREENING"),
        ("Offer", "OFFER"),
        ("Withdrew", "WITHDRAWN"),
        ("declined", "DECLINED"),
        ("rejected", "REJECTED"),
        ("Limbo", None),
        ("", None),
    ],
)
def test_status_words_any_case(word: str, status: str | None) -> None:
    assert status_word(word, WORKFLOW) == status


def test_a_status_word_the_workflow_lacks_is_unknown() -> None:
    assert status_word("ghosted", Workflow(active=("NEW", "SENT"), closed=("NO",))) is None
    assert status_word("sent", Workflow(active=("NEW", "SENT"), closed=("NO",))) == "SENT"


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


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def test_row_events_in_date_order_ending_on_the_status() -> None:
    events, why = row_events(
        [("REJECTED", day("2026-02-01")), ("APPLIED", day("2026-01-05")), ("INTERVIEWING", day("2026-01-20"))],
        "REJECTED",
        None,
        None,
        WORKFLOW,
    )
    assert why is None
    assert events == [
        Event("APPLIED", day("2026-01-05")),
        Event("INTERVIEWING", day("2026-01-20")),
        Event("REJECTED", day("2026-02-01")),
    ]


def test_a_status_without_its_date_comes_last_undated() -> None:
    events, _ = row_events([("APPLIED", day("2026-01-05"))], "GHOSTED", None, None, WORKFLOW)
    assert events == [Event("APPLIED", day("2026-01-05")), Event("GHOSTED", None)]


def test_a_later_dated_stage_than_the_status_is_a_problem() -> None:
    _, why = row_events(
        [("APPLIED", day("2026-01-05")), ("REJECTED", day("2026-02-01"))], "APPLIED", None, None, WORKFLOW
    )
    assert why is not None and "the status is APPLIED (2026-01-05) but REJECTED is dated later (2026-02-01)" in why


def test_created_dates_the_status_when_nothing_else_is_dated() -> None:
    assert row_events([], "APPLIED", None, day("2026-02-26"), WORKFLOW)[0] == [Event("APPLIED", day("2026-02-26"))]
    assert row_events([], "REJECTED", day("2026-04-11"), day("2026-02-26"), WORKFLOW)[0] == [
        Event("PENDING", day("2026-02-26")),
        Event("REJECTED", day("2026-04-11")),
    ]


def test_tab_and_semicolon_separated_and_utf16() -> None:
    for data in (
        b"Company\tPosition\nAcme\tEngineer\n",
        b"Company;Position\nAcme;Engineer\n",
        "Company\tPosition\nAcme\tEngineer\n".encode("utf-16"),
    ):
        result = read_sheet(data, WORKFLOW)
        assert [(item.company, item.position) for item in result.incoming] == [("Acme", "Engineer")]


def test_no_company_column_says_how_to_map_one() -> None:
    with pytest.raises(ColumnError, match=r"no company column .*--map 'COLUMN=company'"):
        read_sheet(b"Firm,Position\nAcme,Engineer\n", WORKFLOW)
