"""`jobtrail agenda [--json]`: what is due, on the real clock: overdue, today, this week, later."""

from __future__ import annotations

import argparse
import datetime
import json
from collections.abc import Sequence

from ..agenda import AgendaItem, agenda, agenda_sources, grouped
from ..repository import Repository, open_repository
from ..snapshot import print_notes, read_snapshot
from ..terminal import plain

HEADINGS = {"overdue": "Overdue", "today": "Today", "this week": "This week (the next 6 days)", "later": "Later"}


def format_text(items: Sequence[AgendaItem], today: datetime.date) -> str:
    lines = [f"Agenda for {today:%A} {today.isoformat()}"]
    if not items:
        return "\n".join([*lines, "", "Nothing is due: no interviews, deadlines or follow-ups."])
    for group, found in grouped(items, today):
        lines += ["", HEADINGS[group]]
        lines += [
            f"  {item.when():<16}  {item.kind:<9}  {plain(item.label)}: {plain(item.text)}".rstrip() for item in found
        ]
    return "\n".join(lines)


def read_agenda(repo: Repository, today: datetime.date) -> list[AgendaItem]:
    """The repository's agenda as of ``today`` (the history's notes go to stderr)."""
    snapshot = read_snapshot(repo, today=today)
    print_notes(snapshot.history)
    return agenda(agenda_sources(snapshot.history, {app.path: app for app in snapshot.apps}), repo.config, today)


def as_json(items: Sequence[AgendaItem], today: datetime.date) -> str:
    return json.dumps(
        {"today": today.isoformat(), "items": [item.as_json(today) for item in items]}, indent=2, ensure_ascii=False
    )


def run(args: argparse.Namespace) -> int:
    today = datetime.date.today()
    items = read_agenda(open_repository(), today)
    if args.json:
        print(as_json(items, today))
    else:
        print(format_text(items, today))
    return 0
