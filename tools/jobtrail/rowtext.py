"""The Markdown of one application that does not depend on the day: made once with its row (``rows``).

At 50,000 applications, escaping every name and formatting every change at
each render was most of the rendering; a row carries these texts, and the pre-commit
hook keeps rows from one commit to the next (``rowmemo``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .cells import NO_VALUE, plural
from .escape import inline, link
from .history import StatusChange


class RowText(NamedTuple):
    """The texts of one row."""

    linked: str  # the tables' first cell: the company (or the label) linked to the file
    label_link: str  # ``Company — Position`` linked to the file
    position: str  # the tables' position cell
    history: tuple[str, ...]  # HISTORY.md's lines for the application
    feed: tuple[str, ...]  # for each change, its line in HISTORY.md's feed after the date and the link


def row_text(
    path: str, company: str, label: str, position: str, changes: Sequence[StatusChange], reasons: Sequence[str | None]
) -> RowText:
    label_link = link(label, path)
    return RowText(
        link(company or label, path),
        label_link,
        inline(position) or NO_VALUE,
        history_lines(changes, reasons),
        tuple(f"{_move(changes, index)}{_because(reason)}" for index, reason in enumerate(reasons)),
    )


def _because(reason: str | None) -> str:
    return f": {inline(reason)}" if reason else ""


def _move(changes: Sequence[StatusChange], index: int) -> str:
    status = inline(changes[index].status)
    return f"{inline(changes[index - 1].status)} → {status}" if index else f"new, {status}"


def history_lines(changes: Sequence[StatusChange], reasons: Sequence[str | None]) -> tuple[str, ...]:
    """One line per change, with its reason; a finished stage says how many days it lasted (never fewer than 0).

    An APPLIED change is dated by the Application Date, which can be earlier than
    the commit that recorded the stage before it.
    """
    if not changes:
        return ("No status recorded yet: the file has never had a valid status.",)
    lines = []
    for change, following, reason in zip(changes, (*changes[1:], None), reasons, strict=True):
        lasted = f" ({plural(max(0, (following.date - change.date).days), 'day')})" if following else ""
        lines.append(f"- {change.date.isoformat()} {inline(change.status)}{lasted}{_because(reason)}")
    return tuple(lines)
