"""The README documents every command, every check code and every hook."""

from __future__ import annotations

import re

import yaml

from conftest import PROJECT
from jobtrail.cli import PARSERS

README = (PROJECT / "README.md").read_text(encoding="utf-8")
SOURCES = "".join(path.read_text(encoding="utf-8") for path in (PROJECT / "tools" / "jobtrail").rglob("*.py"))


def test_quick_start_starts_with_the_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1]
    first_block = quick_start.split("```", 2)[1]
    assert [line.split()[1] for line in first_block.splitlines() if line.startswith("make ")] == ["run", "test"]


def test_every_command_is_documented() -> None:
    for command in PARSERS:
        assert f"`jobtrail {command}" in README, command


def test_every_check_code_is_in_the_table() -> None:
    codes = set(re.findall(r'"(JT\d{3})"', SOURCES))
    assert len(codes) >= 25
    documented = set(re.findall(r"^\| (JT\d{3}) \|", README, flags=re.MULTILINE))
    assert codes == documented


def test_every_hook_is_documented() -> None:
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        assert f"`{hook['id']}`" in README, hook["id"]
