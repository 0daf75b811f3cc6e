"""The README is a first read; docs/ is the reference: every command, option, check code and hook."""

from __future__ import annotations

import argparse
import re

import yaml

from conftest import PROJECT
from jobtrail.cli import PARSERS, build_parser

README = (PROJECT / "README.md").read_text(encoding="utf-8")
DOCS = PROJECT / "docs"
COMMANDS = (DOCS / "commands.md").read_text(encoding="utf-8")
SOURCES = "".join(path.read_text(encoding="utf-8") for path in (PROJECT / "tools" / "jobtrail").rglob("*.py"))


def test_the_readme_is_short_and_starts_with_the_two_commands() -> None:
    assert len(README.encode("utf-8")) <= 12 * 1024
    quick_start = README.split("## Quick start", 1)[1]
    first_block = quick_start.split("```", 2)[1]
    assert [line.split()[1] for line in first_block.splitlines() if line.startswith("make ")] == ["run", "test"]
    assert README.index("## Quick start") < README.index("## A session") < README.index("## Commands")


def test_every_command_is_in_the_readme_table_and_the_reference() -> None:
    table = README.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    for command in PARSERS:
        assert f"| `jobtrail {command}" in table, command
        assert f"\n## `jobtrail {command}" in COMMANDS, command


def test_every_option_is_documented_under_its_command() -> None:
    subparsers = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for command, parser in subparsers.choices.items():
        section = COMMANDS.split(f"\n## `jobtrail {command}", 1)[1].split("\n## ", 1)[0]
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}" in section or f"{option}" in section.splitlines()[0], (command, option)


def test_every_check_code_is_in_the_table() -> None:
    codes = set(re.findall(r'"(JT\d{3})"', SOURCES))
    assert len(codes) >= 25
    documented = set(re.findall(r"^\| (JT\d{3}) \|", COMMANDS, flags=re.MULTILINE))
    assert codes == documented


def test_every_hook_is_documented() -> None:
    reference = (DOCS / "generated-files.md").read_text(encoding="utf-8")
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        assert f"`{hook['id']}`" in reference, hook["id"]


def test_every_link_to_docs_leads_to_a_file() -> None:
    for text in [README, *(path.read_text(encoding="utf-8") for path in DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(((?:docs/)?[\w-]+\.md)(?:#[\w-]+)?\)", text):
            name = target.removeprefix("docs/")
            assert (DOCS / name).exists() or (PROJECT / target).exists(), target
