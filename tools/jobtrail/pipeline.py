"""INDEX.md's Pipeline section: the counts now, the rates, the Mermaid chart and the sent-per-week table."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from .cells import NO_VALUE, table, unbroken
from .config import Config
from .escape import inline
from .palette import status_colours
from .rows import Row, status_counts
from .stats import Stats

INTERVIEWING = "INTERVIEWING"  # the rates name these stages when the workflow has them
OFFER = "OFFER"
WEEKS_SHOWN = 8  # sent per week: at most this many of the latest weeks (a table that fits a code host's page)
# The same look in every state of the repository: the base theme, whose colours are ours only.
INIT = (
    '%%{init: {"theme": "base", "themeVariables": {"fontSize": "16px", "lineColor": "#8c959f"}, '
    '"flowchart": {"rankSpacing": 24, "nodeSpacing": 24, "padding": 8}}}%%'
)
FRAME = "fill:none,stroke:#d1d9e0"  # the boxes around the pipeline and the closed statuses


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 // whole}%" if whole else NO_VALUE


def _rates(stats: Stats) -> str:
    """Response, interview and offer rates, each a share of the applications sent."""
    reached = dict(stats.funnel)
    parts = [f"response {_percent(stats.responses, stats.sent)} ({stats.responses})"]
    for stage, noun in ((INTERVIEWING, "interview"), (OFFER, "offer")):
        if stage in reached:
            parts.append(f"{noun} {_percent(reached[stage], stats.sent)} ({reached[stage]})")
    return f"**Rates** of the {stats.sent} sent: " + ", ".join(parts) + "."


def _node(status: str, text: str) -> str:
    return f'["{status}<br/>{text}"]'


def _ended_from(rows: Sequence[Row], status: str, furthest: Mapping[str, int], active: Sequence[str]) -> str:
    """``from SCREENING``, or ``from APPLIED 1, SCREENING 2``: the stages the applications closed from."""
    counts = [
        (stage, sum(furthest[row.path] == index for row in rows if row.status == status))
        for index, stage in enumerate(active)
    ]
    found = [(stage, count) for stage, count in counts if count]
    if len(found) == 1:
        return f"from {found[0][0]}"
    return "from " + ", ".join(f"{stage} {count}" for stage, count in found)


def _pipeline_chart(rows: Sequence[Row], now: Mapping[str, int], stats: Stats, config: Config) -> list[str]:
    """The active stages left to right, each with how many are there now and how many reached it; below them,
    apart, the closed statuses, each with the stages its applications ended from."""
    active, closed = config.workflow.active, config.workflow.closed
    colours = status_colours(config.workflow)
    reached = dict(stats.funnel)
    furthest = {row.path: _furthest_stage(row, config) for row in rows if row.status in closed}
    ended = [(index, status) for index, status in enumerate(closed) if now.get(status)]
    lines = ["```mermaid", INIT, "flowchart TB", '    subgraph pipeline[" "]', "        direction LR"]
    nodes = [
        f"a{index}" + _node(status, f"{now.get(status, 0)} now · {reached.get(status, 0)} reached")
        for index, status in enumerate(active)
    ]
    lines += ["        " + " --> ".join(nodes), "    end"]
    if ended:
        lines += ['    subgraph closed["Closed"]', "        direction LR"]
        closed_nodes = [
            f"c{index}" + _node(status, f"{now[status]} · {_ended_from(rows, status, furthest, active)}")
            for index, status in ended
        ]
        # Invisible links keep the closed statuses side by side, below the pipeline.
        lines += ["        " + " ~~~ ".join(closed_nodes), "    end", "    pipeline ~~~ closed"]
    lines += [f"    style a{index} {colours[status].mermaid_style()}" for index, status in enumerate(active)]
    lines += [f"    style c{index} {colours[status].mermaid_style()}" for index, status in ended]
    lines.append(f"    style pipeline {FRAME}")
    if ended:
        lines.append(f"    style closed {FRAME},stroke-dasharray:3 3")
    return [*lines, "```"]


def _furthest_stage(row: Row, config: Config) -> int:
    reached = [
        config.workflow.active.index(s) for s in (c.status.upper() for c in row.changes) if s in config.workflow.active
    ]
    return max(reached, default=0)


def _weeks_table(stats: Stats) -> list[str]:
    """Sent per week as one short table: a column per week (its Monday), idle weeks included."""
    weeks = stats.sent_per_week[-WEEKS_SHOWN:]
    if not weeks:
        return []
    mondays = []
    for week, _ in weeks:
        year, number = week.split("-W")
        mondays.append(datetime.date.fromisocalendar(int(year), int(number), 1))
    shown = f"the last {len(weeks)} weeks" if len(stats.sent_per_week) > len(weeks) else "every week"
    lines = [
        f"**Sent per week** ({shown}: Mondays {mondays[0].isoformat()} to {mondays[-1].isoformat()}):",
        "",
    ]
    header = ["Week of", *(unbroken(f"{monday:%m-%d}") for monday in mondays)]
    cells = [["Sent", *(str(count) for _, count in weeks)]]
    return [*lines, *table(header, ("---", *(("---:",) * len(weeks))), cells), ""]


def pipeline_section(rows: Sequence[Row], stats: Stats, config: Config) -> list[str]:
    counts = status_counts(rows, config)
    active = [f"{count} {inline(status)}" for status, count in counts if status not in config.workflow.closed]
    closed = [f"{count} {inline(status)}" for status, count in counts if status in config.workflow.closed]
    summary = "**Now:** " + (", ".join(active) or "none active")
    if closed:
        summary += "; closed: " + ", ".join(closed)
    lines = ["## Pipeline", "", summary + ".", ""]
    if stats.sent:
        lines += [_rates(stats), ""]
    lines += [*_pipeline_chart(rows, dict(counts), stats, config), ""]
    lines += _weeks_table(stats)
    return lines
