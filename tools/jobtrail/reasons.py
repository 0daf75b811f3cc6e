"""The reasons given with status changes: ``- 2026-11-25 REJECTED: went with an internal candidate``.

`jobtrail status APP STATUS --reason TEXT` writes such a line under ``## Notes``;
people write them by hand too. Pure: a parsed application in, reasons out.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import NamedTuple

from .history import StatusChange
from .model import NOTES, Application
from .parse import iso_date

# One scan of the whole section, in C (a section can be long).
_REASON = re.compile(
    r"^[ \t]*[-*+][ \t]+(\d{4}-\d{2}-\d{2})[ \t]+([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(\S[^\n]*?)[ \t]*$", re.MULTILINE
)


class Reason(NamedTuple):
    date: datetime.date
    status: str  # upper case
    text: str


def reasons_in(app: Application | None) -> list[Reason]:
    """The dated status lines under ``## Notes``, in the order written."""
    section = app.section(NOTES) if app is not None else None
    found = []
    for match in _REASON.finditer("\n".join(section.content) if section else ""):
        day = iso_date(match.group(1))
        if day is not None:
            found.append(Reason(day, match.group(2).upper(), match.group(3)))
    return found


def reasons_for(changes: Sequence[StatusChange], reasons: Sequence[Reason]) -> list[str | None]:
    """The reason for each change, or None.

    A reason belongs to a change to its status dated between the change before
    and the change after (the note is written when the status is set; the commit
    can come days later, and an APPLIED change is dated by the Application Date).
    The nearest such change takes it; a reason is used once.
    """
    found: list[str | None] = [None] * len(changes)
    used: set[int] = set()
    for index, change in enumerate(changes):
        low = changes[index - 1].date if index else datetime.date.min
        high = changes[index + 1].date if index + 1 < len(changes) else datetime.date.max
        candidates = [
            (abs((reason.date - change.date).days), number)
            for number, reason in enumerate(reasons)
            if number not in used and reason.status == change.status.upper() and low <= reason.date <= high
        ]
        if candidates:
            number = min(candidates)[1]
            used.add(number)
            found[index] = reasons[number].text
    return found
