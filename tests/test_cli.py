"""The command line's own behaviour around every command."""

from __future__ import annotations

import argparse
import gc
import importlib

import pytest

from jobtrail.cli import main


def _collector_seen_by(command: str, argv: list[str], monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether Python's cyclic garbage collector was on while ``command`` ran (its module's ``run`` replaced)."""
    seen: list[bool] = []

    def run(_args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(importlib.import_module(f"jobtrail.commands.{command}"), "run", run)
    assert main(argv) == 0
    return seen


@pytest.mark.parametrize(
    "argv",
    [["index"], ["index", "--hook", "pre-commit"], ["check"], ["history"], ["stats"], ["export", "--format", "csv"]],
)
def test_a_one_shot_command_runs_without_the_cyclic_collector(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """With 50,000 applications parsed, the collector's full passes over objects kept until exit cost
    nearly half of a render; a one-shot command turns it off, and gives it back to an in-process caller."""
    assert gc.isenabled()
    assert _collector_seen_by(argv[0], argv, monkeypatch) == [False]
    assert gc.isenabled()


def test_the_watcher_keeps_the_cyclic_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """The watcher runs for hours: the garbage of each regeneration must not pile up."""
    assert _collector_seen_by("watch", ["watch"], monkeypatch) == [True]


def test_a_caller_that_turned_the_collector_off_finds_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    gc.disable()
    try:
        assert _collector_seen_by("index", ["index"], monkeypatch) == [False]
        assert not gc.isenabled()
    finally:
        gc.enable()
