"""The history model's own questions, on hand-built changes."""

from __future__ import annotations

import datetime

from jobtrail.history import ApplicationHistory, StatusChange


def _history(*changes: tuple[str, str]) -> ApplicationHistory:
    made = tuple(StatusChange(status, datetime.date.fromisoformat(day), None) for status, day in changes)
    return ApplicationHistory("applications/a.md", "A", "B", made[-1].status if made else "", made)


def test_returned_on_is_the_last_return_to_the_first_status() -> None:
    assert _history().returned_on("PENDING") is None
    assert _history(("PENDING", "2026-10-01"), ("APPLIED", "2026-10-02")).returned_on("PENDING") is None
    back_twice = _history(
        ("PENDING", "2026-10-01"),
        ("APPLIED", "2026-10-02"),
        ("PENDING", "2026-10-05"),
        ("REJECTED", "2026-10-09"),
        ("PENDING", "2026-10-20"),
    )
    assert back_twice.returned_on("PENDING") == datetime.date(2026, 10, 20)
