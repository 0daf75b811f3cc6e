"""One colour per status, from its place in the configured workflow: never from which statuses are present.

So a status keeps its colour in every INDEX.md of a repository, whatever the
other applications do. Active stages are solid, closed statuses pale with a
dashed border: the two sets never share a colour.
"""

from __future__ import annotations

from typing import NamedTuple

from .config import Workflow

# Solid, with white text: the pipeline, in order (slate, blue, purple, amber, green, then on).
ACTIVE = ("#57606a", "#0969da", "#8250df", "#9a6700", "#1a7f37", "#bc4c00", "#1b7c83", "#bf3989")
# Pale, with dark text and a dashed border: the ways out (green, red, grey, orange, lavender, then on).
CLOSED = ("#dafbe1", "#ffebe9", "#eaeef2", "#fff1e5", "#fbefff", "#ddf4ff", "#fff8c5", "#ffeff7")
CLOSED_STROKE = ("#1a7f37", "#cf222e", "#57606a", "#bc4c00", "#8250df", "#0969da", "#9a6700", "#bf3989")


class Colour(NamedTuple):
    fill: str
    stroke: str
    text: str
    dashed: bool

    def mermaid_style(self) -> str:
        dash = ",stroke-dasharray:4 3" if self.dashed else ""
        return f"fill:{self.fill},stroke:{self.stroke},color:{self.text}{dash}"


def status_colours(workflow: Workflow) -> dict[str, Colour]:
    """Every workflow status's colour (past the palette's end, colours repeat within their set)."""
    colours = {
        status: Colour(ACTIVE[index % len(ACTIVE)], ACTIVE[index % len(ACTIVE)], "#ffffff", False)
        for index, status in enumerate(workflow.active)
    }
    for index, status in enumerate(workflow.closed):
        colours[status] = Colour(CLOSED[index % len(CLOSED)], CLOSED_STROKE[index % len(CLOSED)], "#1f2328", True)
    return colours
