"""sheet.py: a row's events and whole sheets read, without git."""

from __future__ import annotations

import datetime

import pytest

from jobtrail.config import Workflow
from jobtrail.incoming import Event
from jobtrail.sheet import read_sheet, row_events
from jobtrail.sheetcolumns import ColumnError

WORKFLOW = Workflow()


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
