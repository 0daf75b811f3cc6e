"""reasons.py: the reason given for each status change, read from the dated lines under ## Notes."""

from __future__ import annotations

import datetime

from conftest import application
from jobtrail.history import StatusChange
from jobtrail.parse import parse_text
from jobtrail.reasons import Reason, reasons_for, reasons_in

DAY = datetime.date


def change(status: str, day: int, month: int = 11) -> StatusChange:
    return StatusChange(status, DAY(2026, month, day), None)


def test_reasons_are_read_from_the_notes_section_only() -> None:
    text = application("Acme", "Engineer", "REJECTED", "2026-11-02")
    text = text.replace("## Job Description\n", "## Job Description\n- 2026-11-01 APPLIED: not a note\n", 1)
    text = text.rstrip("\n") + "\n- 2026-11-19 rejected: went with an internal candidate\n* 2026-11-20 NOTE no colon\n"
    assert reasons_in(parse_text("a.md", text)) == [
        Reason(DAY(2026, 11, 19), "REJECTED", "went with an internal candidate")
    ]
    assert reasons_in(None) == []


def test_a_reason_goes_to_the_nearest_change_to_its_status_between_its_neighbours() -> None:
    changes = [change("PENDING", 1), change("APPLIED", 3), change("PENDING", 10), change("APPLIED", 20)]
    reasons = [
        Reason(DAY(2026, 11, 2), "APPLIED", "sent on the 2nd, committed on the 3rd"),
        Reason(DAY(2026, 11, 21), "APPLIED", "sent again"),
        Reason(DAY(2026, 11, 25), "REJECTED", "no such change"),
    ]
    assert reasons_for(changes, reasons) == [None, "sent on the 2nd, committed on the 3rd", None, "sent again"]


def test_each_reason_is_used_once() -> None:
    changes = [change("APPLIED", 3), change("SCREENING", 5), change("APPLIED", 6)]
    reasons = [Reason(DAY(2026, 11, 5), "APPLIED", "once")]
    assert reasons_for(changes, reasons).count("once") == 1
