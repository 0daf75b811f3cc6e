"""`jobtrail followed-up APP [DATE]`: mark the application's follow-up done (``followed_up: DATE``).

The follow-up leaves the agenda, and the default rule counts the next one from
DATE. Only the ``followed_up`` line changes (or is added, with a front matter
block when the file has none); every other byte of the file stays as it was.
"""

from __future__ import annotations

import argparse
import datetime
import os

from ..config import load_config
from ..edit import EditError, set_front_matter_value
from ..errors import JobtrailError, UsageError
from ..files import display_path, find_root, write_atomic
from ..parse import iso_date, parse_bytes
from ..selection import resolve_app
from .status import read_for_edit

KEY = "followed_up"


def date_from_argument(text: str | None, today: datetime.date) -> datetime.date:
    if text is None:
        return today
    day = iso_date(text)
    if day is None:
        raise UsageError(f"`{text}` is not a date: write it YYYY-MM-DD")
    if day > today:
        raise UsageError(f"{day.isoformat()} is after today: a follow-up is marked done once it is done")
    return day


def run(args: argparse.Namespace) -> int:
    root = find_root()
    config = load_config(root)
    day = date_from_argument(args.date, datetime.date.today())
    path = resolve_app(config, args.app)
    shown = display_path(path, root)
    data, app = read_for_edit(path, shown, config)
    if iso_date(app.front_matter.get(KEY)) == day:
        print(f"{shown}: already {KEY}: {day.isoformat()}; nothing changed")
        return 0
    try:
        edited = set_front_matter_value(data, app, KEY, day.isoformat())
    except EditError as exc:
        raise JobtrailError(f"{shown}: {exc}") from None
    if iso_date(parse_bytes(shown, edited).front_matter.get(KEY)) != day:
        raise JobtrailError(f"{shown}: could not write `{KEY}: {day.isoformat()}`: add it to the front matter yourself")
    if read_for_edit(path, shown, config)[0] != data:
        raise JobtrailError(f"{shown}: the file changed while jobtrail was editing it: run the command again")
    write_atomic(os.path.realpath(path), edited)  # through a symlink: the link stays a link
    print(f"{shown}: {KEY}: {day.isoformat()} (the follow-up is done; the next one counts from this date)")
    return 0
