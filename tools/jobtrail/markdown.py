"""The Markdown structure jobtrail needs: lines and ATX headings, fences respected.

Only what the application format uses is recognised: ATX headings (``## Company``)
outside fenced code blocks. A ``#`` line inside a ``` or ~~~ fence is text.
Line endings may be LF, CRLF or a lone CR (as CommonMark treats them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Greedy `.*` and trimming in Python: a lazy `.*?` before `[ \t]*$` (or a regex for
# the closing hashes) backtracks quadratically on a long line of spaces.
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t](.*))?$")
_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


class Heading(NamedTuple):
    """An ATX heading: its level (1-6), its text and its 1-based line."""

    level: int
    text: str
    line: int


def split_lines(text: str) -> list[str]:
    """Split text into lines without their endings; a final newline adds no line."""
    lines = normalize_newlines(text).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _expand_leading_tabs(line: str) -> str:
    """Expand tabs in the indentation to tab stops of 4, as CommonMark does."""
    if "\t" not in line:
        return line
    column = 0
    for index, char in enumerate(line):
        if char == " ":
            column += 1
        elif char == "\t":
            column += 4 - column % 4
        else:
            return " " * column + line[index:]
    return " " * column


def heading_of(line: str) -> tuple[int, str] | None:
    """Return (level, text) when the line is an ATX heading, else None."""
    if "#" not in line[:10]:
        return None
    if line[0] == "#" and "\t" not in line:
        # The common case, `## Company`, without the regular expression.
        level = len(line) - len(line.lstrip("#"))
        rest = line[level:]
        if level > 6 or (rest and rest[0] != " "):
            return None
        return level, _without_closing_hashes(rest.strip(" "))
    match = _ATX.match(_expand_leading_tabs(line))
    if match is None:
        return None
    return len(match.group(1)), _without_closing_hashes((match.group(2) or "").strip(" \t"))


def _without_closing_hashes(text: str) -> str:
    """Drop an optional closing run of ``#`` (it must follow a space or tab, or be all there is)."""
    if not text.endswith("#"):
        return text
    before = text.rstrip("#")
    if before == "":
        return ""
    if before[-1] in " \t":
        return before.rstrip(" \t")
    return text


class Fence(NamedTuple):
    """The opening of a fenced code block: its marker (```, ~~~ or longer) and 1-based line."""

    marker: str
    line: int


class Outline(NamedTuple):
    """What the checks need from a file's Markdown: its headings, and a fence left open."""

    headings: tuple[Heading, ...]
    unclosed_fence: Fence | None


def _fence_opening(line: str) -> str | None:
    """The fence marker when the line opens a fenced code block."""
    if "`" not in line[:7] and "~" not in line[:7]:
        return None
    match = _FENCE_OPEN.match(_expand_leading_tabs(line))
    if match is None:
        return None
    marker, info = match.group(2), match.group(3)
    if marker[0] == "`" and "`" in info:
        return None
    return str(marker)


def _closes(marker: str, line: str) -> bool:
    stripped = _expand_leading_tabs(line)
    body = stripped.lstrip(" ")
    if len(stripped) - len(body) > 3:
        return False
    run = len(body) - len(body.lstrip(marker[0]))
    return run >= len(marker) and body[run:].strip(" \t") == ""


def normalize_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def iter_headings(lines: list[str], first_line: int = 1) -> Iterator[Heading]:
    """Every ATX heading outside fenced code, numbered from ``first_line``, lazily."""
    return _scan(lines, first_line, [])


def _scan(lines: list[str], first_line: int, left_open: list[Fence]) -> Iterator[Heading]:
    """The headings; once exhausted, ``left_open`` holds the fence never closed, if any."""
    fence: Fence | None = None
    for offset, line in enumerate(lines):
        # Only lines starting with up to three spaces and then `#`, a backtick or a
        # tilde can matter (a tab before the marker puts it at column 4 or more).
        if not line or line[0] not in _CANDIDATE_START:
            continue
        if line[0] == " " and line.lstrip(" ")[:1] not in _MARKERS:
            continue
        if fence is not None:
            if _closes(fence.marker, line):
                fence = None
            continue
        marker = _fence_opening(line)
        if marker is not None:
            fence = Fence(marker, first_line + offset)
            continue
        heading = heading_of(line)
        if heading is not None:
            yield Heading(heading[0], heading[1], first_line + offset)
    if fence is not None:
        left_open.append(fence)


def outline(lines: list[str], first_line: int = 1) -> Outline:
    """Every ATX heading outside fenced code, numbered from ``first_line``; the fence left open, if any."""
    left_open: list[Fence] = []
    found = tuple(_scan(lines, first_line, left_open))
    return Outline(found, left_open[0] if left_open else None)


def headings(lines: list[str], first_line: int = 1) -> list[Heading]:
    """Every ATX heading outside fenced code, numbered from ``first_line``."""
    return list(iter_headings(lines, first_line))


_MARKERS = ("#", "`", "~")
_CANDIDATE_START = frozenset("#`~ ")
