"""Byte-preserving edits to an application file: change a value or add a line, touch nothing else.

Works on the file's raw bytes so that the byte order mark, each line's own
ending (LF, CRLF or a lone CR) and a missing final newline all survive. Lines are
numbered as ``markdown.split_lines`` numbers them, so a ``Value`` found by the
parser addresses the same line here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .model import APPLICATION_DATE, NOTES, STATUS, STATUS_ENTRY, Application, Value
from .parse import BOM, YAML_INVALID, YAML_NOT_MAPPING, YAML_TOO_COMPLEX, YAML_UNCLOSED, YAML_UNSAFE
from .template import is_placeholder

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True)
class LineSpan:
    """Where one line is in the bytes: its text is ``data[start:end]``, its ending ``data[end:stop]``."""

    start: int
    end: int
    stop: int

    @property
    def ending_length(self) -> int:
        return self.stop - self.end


def line_spans(data: bytes) -> list[LineSpan]:
    """Every line's span, line 1 first; a final line ending adds no line (as in ``split_lines``)."""
    spans: list[LineSpan] = []
    start = len(BOM) if data.startswith(BOM) else 0
    for match in _LINE_BREAK.finditer(data, start):
        spans.append(LineSpan(start, match.start(), match.end()))
        start = match.end()
    if start < len(data):
        spans.append(LineSpan(start, len(data), len(data)))
    return spans


class EditError(ValueError):
    """The bytes do not hold what the parsed value said they would (the file changed under us)."""


def replace_value(data: bytes, value: Value, text: str) -> bytes:
    """``data`` with ``value`` (a section's value, as the parser found it) replaced by ``text``.

    The indentation before the value and anything after it on the line (trailing
    spaces, the line ending) stay as they were.
    """
    spans = line_spans(data)
    if not 1 <= value.line <= len(spans):
        raise EditError(f"line {value.line} is not in the file")
    span = spans[value.line - 1]
    start = span.start + len(data[span.start : span.end].decode("utf-8")[: value.column - 1].encode("utf-8"))
    old = value.text.encode("utf-8")
    if data[start : start + len(old)] != old:
        raise EditError(f"line {value.line} does not hold `{value.text}`")
    return data[:start] + text.encode("utf-8") + data[start + len(old) :]


def line_ending(data: bytes, near: int) -> bytes:
    """The line ending to use for a new line next to line ``near``: its own, else the file's first, else LF."""
    spans = line_spans(data)
    if 1 <= near <= len(spans) and spans[near - 1].ending_length:
        span = spans[near - 1]
        return data[span.end : span.stop]
    match = _LINE_BREAK.search(data)
    return match.group(0) if match else b"\n"


def insert_line(data: bytes, after: int, text: str) -> bytes:
    """``data`` with a new line ``text`` after line ``after`` (0: before the first line).

    The new line takes the ending of its neighbour. When it goes after a last
    line that has no ending, the file keeps having no final newline.
    """
    spans = line_spans(data)
    if not 0 <= after <= len(spans):
        raise EditError(f"line {after} is not in the file")
    eol = line_ending(data, after or 1)
    new = text.encode("utf-8")
    if after == 0:
        start = len(BOM) if data.startswith(BOM) else 0
        return data[:start] + new + eol + data[start:]
    span = spans[after - 1]
    if span.ending_length:
        return data[: span.stop] + new + eol + data[span.stop :]
    return data[: span.end] + eol + new + data[span.end :]


def set_status(
    data: bytes, app: Application, status: str, *, fill_date: datetime.date | None = None, stale_date: bool = False
) -> bytes:
    """``data`` with the status value replaced by ``status``.

    With ``fill_date``, an Application Date that is still a placeholder becomes
    that date too, and so does a real one when ``stale_date`` says it belongs to
    an earlier round. ``app`` must be ``data`` parsed.
    """
    value = app.status_value
    if value is None:
        raise EditError(f"no status under `## {STATUS}` / `### {STATUS_ENTRY}`: add the status line there")
    edited = replace_value(data, value, status)
    date = app.value(APPLICATION_DATE)
    if fill_date is not None and date is not None and (stale_date or is_placeholder(date.text)):
        edited = replace_value(edited, date, fill_date.isoformat())
    return edited


def add_note(data: bytes, app: Application, text: str) -> bytes:
    """``data`` with ``text`` as a new line at the end of the ``## Notes`` section's own text."""
    section = app.section(NOTES)
    if section is None:
        raise EditError(f"no `## {NOTES}` section to write the reason in: add one, or leave out --reason")
    own = section.own_lines()
    filled = [offset for offset, line in enumerate(own) if line.strip()]
    after = section.first_content_line + filled[-1] if filled else section.heading.line
    return insert_line(data, after, text)


_FRONT_MATTER_PROBLEMS = (YAML_INVALID, YAML_UNSAFE, YAML_NOT_MAPPING, YAML_UNCLOSED, YAML_TOO_COMPLEX)


def set_front_matter_value(data: bytes, app: Application, key: str, text: str) -> bytes:
    """``data`` with the top-level front matter line ``key: text``: the key's line rewritten, else a new
    line at the end of the block, else a new block at the top of the file. ``text`` is one plain YAML scalar.
    """
    if any(problem.code in _FRONT_MATTER_PROBLEMS for problem in app.problems):
        raise EditError("the front matter cannot be read: fix it first (`jobtrail check` says where)")
    line = f"{key}: {text}"
    if app.front_matter_end == 0:
        return insert_line(insert_line(insert_line(data, 0, "---"), 1, line), 2, "---")
    spans = line_spans(data)
    own = re.compile(rf"{re.escape(key)}\s*:(\s|$)".encode())
    for number in range(2, app.front_matter_end):
        span = spans[number - 1]
        if own.match(data, span.start, span.end):
            following = spans[number] if number < app.front_matter_end - 1 else None
            if following is not None and data[following.start : following.start + 1] in (b" ", b"\t", b"-"):
                raise EditError(f"line {number}: `{key}` spans several lines: write `{line}` there yourself")
            return data[: span.start] + line.encode("utf-8") + data[span.end :]
    return insert_line(data, app.front_matter_end - 1, line)
