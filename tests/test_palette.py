"""palette.py: a status's colour comes from its place in the workflow, never from what is present."""

from __future__ import annotations

from jobtrail.config import Workflow
from jobtrail.palette import status_colours


def test_the_default_workflow_has_ten_distinct_colours_closed_ones_pale_and_dashed() -> None:
    colours = status_colours(Workflow())
    assert len({colour.fill for colour in colours.values()}) == 10
    assert all(colours[status].dashed for status in Workflow().closed)
    assert not any(colours[status].dashed for status in Workflow().active)


def test_a_status_keeps_its_colour_when_another_workflow_keeps_its_place() -> None:
    default = status_colours(Workflow())
    longer = status_colours(Workflow((*Workflow().active, "NEGOTIATING"), (*Workflow().closed, "ON_HOLD")))
    assert all(longer[status] == colour for status, colour in default.items())
    assert longer["NEGOTIATING"].fill not in {colour.fill for colour in default.values()}


def test_past_the_palette_colours_repeat_within_their_own_set() -> None:
    many = Workflow(tuple(f"A{index}" for index in range(20)), tuple(f"C{index}" for index in range(20)))
    colours = status_colours(many)
    active = {colours[f"A{index}"].fill for index in range(20)}
    closed = {colours[f"C{index}"].fill for index in range(20)}
    assert not active & closed
