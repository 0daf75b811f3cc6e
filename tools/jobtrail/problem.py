"""The one record every check, command and report shares: a Problem."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class LazyPattern:
    """A regular expression compiled when first used: these character classes cost ~1 ms each to
    compile, on every start of every command (``check`` runs on each commit), and most runs use none."""

    __slots__ = ("_pattern", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._pattern: re.Pattern[str] | None = None

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        if self._pattern is None:
            self._pattern = re.compile(self._source)
        return self._pattern.sub(replacement, text)


# Control characters (an escape sequence, a newline), line separators, bidirectional
# overrides and invisible format characters (zero-width space, tag characters) could
# rewrite the terminal, disguise a line or make two different words look the same; a
# lone surrogate (a file name that is not UTF-8) cannot be printed on a UTF-8 terminal.
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f"
)
_UNPRINTABLE = LazyPattern(f"[\\x00-\\x1f\\x7f-\\x9f{_INVISIBLE}]")
# The same, but for the line breaks and tabs a multi-line value may keep.
# (A lone surrogate stays: the writer shows a file name that is not UTF-8 as `\\udcff`.)
UNPRINTABLE_BUT_LAYOUT = LazyPattern(
    "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
# Invisible format characters alone (zero-width space, soft hyphen, tags), dropped from what lists show.
INVISIBLE = LazyPattern("[\u00ad\u061c\u180e\u200b-\u200d\u2060-\u2064\ufeff\U000e0000-\U000e007f]")
# json.dumps escapes the first 32 itself (a newline left in its output is the layout's).
_UNPRINTABLE_IN_JSON = LazyPattern(f"[\\x7f-\\x9f{_INVISIBLE}]")
MAX_QUOTED = 80


def printable(text: str) -> str:
    """``text`` safe to print as one terminal line: such characters written as ``\\x1b``, ``\\n``, ``\\udcff``."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def quoted(text: str, limit: int = MAX_QUOTED) -> str:
    """A value from a file as a message quotes it: at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class Problem(NamedTuple):
    """One thing wrong with one file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str

    def as_text(self) -> str:
        return f"{printable(self.path)}:{self.line}:{self.column}: {self.code} {printable(self.message)}"


def error(path: str, line: int, code: str, message: str, column: int = 1) -> Problem:
    return Problem(path, line, column, code, "error", message)


def warning(path: str, line: int, code: str, message: str, column: int = 1) -> Problem:
    return Problem(path, line, column, code, "warning", message)


def problems_as_json(problems: list[Problem]) -> str:
    import json

    text = json.dumps([problem._asdict() for problem in problems], indent=2, ensure_ascii=False)
    # The same characters as JSON escapes: decoders read back the very same strings.
    return _UNPRINTABLE_IN_JSON.sub(lambda match: _json_escape(match.group()), text)


def _json_escape(char: str) -> str:
    """``\\uXXXX``, as a surrogate pair past U+FFFF (a lone surrogate stays one escape)."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity == "error" for problem in problems)
