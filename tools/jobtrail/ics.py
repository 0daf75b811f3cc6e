"""The agenda as an RFC 5545 calendar: pure, agenda items in, bytes out.

Interviews with a time are timed, busy events of an hour, their time read in
the local time zone (``zone``) and written in UTC, so every calendar shows them
at the right moment; an interview without a time is a busy all-day event.
Follow-ups and deadlines are all-day events that leave the day free. UIDs are
stable (the application and the item, e.g. ``acme-follow-up@jobtrail``), so
importing the calendar again moves an event instead of adding a copy.
"""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Sequence

from . import __version__
from .agenda import INTERVIEW, AgendaItem
from .problem import UNPRINTABLE_BUT_LAYOUT

LINE_OCTETS = 75
INTERVIEW_LENGTH = datetime.timedelta(hours=1)
SUMMARY_PREFIX = {"interview": "Interview", "deadline": "Deadline", "follow-up": "Follow up"}


def ics_text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped; other controls dropped.

    So are C1 controls, bidirectional overrides and invisible characters (a zero-width space).
    """
    value = UNPRINTABLE_BUT_LAYOUT.sub("", value)
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return "".join(char for char in value if char == "\t" or (ord(char) >= 0x20 and ord(char) != 0x7F))


def fold(line: str) -> str:
    """One content line folded at 75 octets (CRLF + space), never inside a UTF-8 sequence."""
    pieces: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8", "backslashreplace"))  # as the file is written
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1  # the leading space counts
        current += char
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def uid(item: AgendaItem) -> str:
    """``acme-follow-up@jobtrail``: the file's path below the applications folder, and the item's key."""
    parts = posixpath.splitext(item.path)[0].split("/")
    return f"{'-'.join(parts[1:] or parts)}-{item.key}@jobtrail"


def _utc(item: AgendaItem, time: datetime.time, zone: datetime.tzinfo | None) -> datetime.datetime:
    local = datetime.datetime.combine(item.date, time)
    # Without a zone, astimezone() reads the machine's own (TZ, /etc/localtime), daylight saving included.
    aware = local.replace(tzinfo=zone) if zone is not None else local.astimezone()
    return aware.astimezone(datetime.UTC)


def _when(item: AgendaItem, zone: datetime.tzinfo | None) -> list[str]:
    if item.time is not None:
        start = _utc(item, item.time, zone)
        return [f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{start + INTERVIEW_LENGTH:%Y%m%dT%H%M%SZ}"]
    following = item.date + datetime.timedelta(days=1)
    return [f"DTSTART;VALUE=DATE:{item.date:%Y%m%d}", f"DTEND;VALUE=DATE:{following:%Y%m%d}"]


def _event(item: AgendaItem, stamp: datetime.date, zone: datetime.tzinfo | None) -> list[str]:
    details = [item.text, f"File: {item.path}"]
    return [
        "BEGIN:VEVENT",
        f"UID:{ics_text(uid(item))}",
        f"DTSTAMP:{stamp:%Y%m%d}T000000Z",
        *_when(item, zone),
        f"SUMMARY:{ics_text(SUMMARY_PREFIX.get(item.kind, item.kind) + ': ' + item.label)}",
        f"DESCRIPTION:{ics_text(chr(10).join(details))}",
        f"CATEGORIES:{ics_text(item.kind)}",
        "TRANSP:OPAQUE" if item.kind == INTERVIEW else "TRANSP:TRANSPARENT",  # an interview is busy time
        "END:VEVENT",
    ]


def to_ics(items: Sequence[AgendaItem], stamp: datetime.date, zone: datetime.tzinfo | None = None) -> bytes:
    """A calendar of ``items``; ``stamp`` (DTSTAMP) keeps the output reproducible; ``zone``: the interviews' zone."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//jobtrail//jobtrail {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Job applications",
    ]
    for item in items:
        lines += _event(item, stamp, zone)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8", "backslashreplace")
