"""`jobtrail stats [--json]`: funnel, response rate and time in each stage, from the git history."""

from __future__ import annotations

import argparse
import json

from ..repository import open_repository
from ..snapshot import print_notes, read_snapshot
from ..stats import Stats, compute_stats

BAR_WIDTH = 30


def _bar(count: int, most: int) -> str:
    return "█" * (round(BAR_WIDTH * count / most) if most else 0)


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def _days(value: float) -> str:
    return f"{value:g}"


def format_text(stats: Stats) -> str:
    lines = [
        f"Applications: {stats.applications}, sent: {stats.sent}",
        "",
        "Funnel (reached each stage or a later one)",
    ]
    most = max((count for _, count in stats.funnel), default=0)
    lines += [f"  {status:<13}{count:>5}  {_bar(count, most)}".rstrip() for status, count in stats.funnel]
    lines += ["", "Now"]
    lines += [f"  {status:<13}{count:>5}" for status, count in stats.current if count]
    lines += [
        "",
        f"Response rate: {_percent(stats.response_rate)} ({stats.responses} of {stats.sent} sent;"
        " ghosted and withdrawn count as no response)",
    ]
    if stats.days_to_first_response is not None:
        lines.append(
            f"Median days from {stats.applied} to the first response: {_days(stats.days_to_first_response)}"
            f" ({stats.responses_timed} response(s))"
        )
    if stats.days_in_stage:
        lines += ["", "Median days in each stage (finished stays)"]
        lines += [
            f"  {stage.status:<13}{_days(stage.median_days):>5}  ({stage.stays} stay(s))"
            for stage in stats.days_in_stage
        ]
    if stats.sent_per_week:
        lines += ["", "Sent per week"]
        most = max(count for _, count in stats.sent_per_week)
        lines += [f"  {week:<13}{count:>5}  {_bar(count, most)}".rstrip() for week, count in stats.sent_per_week]
    for name, groups in stats.by_field:
        lines += ["", f"By {name}"]
        width = max(len(group.value) for group in groups)
        lines += [
            f"  {group.value:<{width}}  {group.applications} application(s), {group.sent} sent,"
            f" {group.responses} response(s) ({_percent(group.response_rate)})"
            for group in groups
        ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    repo = open_repository()
    config = repo.config
    snapshot = read_snapshot(repo)
    print_notes(snapshot.history)
    stats = compute_stats(snapshot.history, snapshot.apps, config)
    if args.json:
        print(json.dumps(stats.as_json(), indent=2, ensure_ascii=False))
    else:
        print(format_text(stats))
    return 0
