"""sheetcolumns.py: header spellings and the field each names."""

from __future__ import annotations

import pytest

from jobtrail.config import Workflow
from jobtrail.sheetcolumns import column_field

WORKFLOW = Workflow()


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
