"""The one parser: bytes of an application file -> Application.

Never raises on content: whatever is wrong with the bytes (binary, not UTF-8,
bad or unsafe YAML) becomes a Problem on the returned Application.
Front matter goes through python-frontmatter's YAML handler with safe loading
(``yamlsafe``: no base-60 numbers, integers within 64 bits, 32 KB at most, so
reading it is linear and bounded); it is imported only when a file has front
matter, to keep ``check`` fast.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, NamedTuple

from .markdown import Heading, heading_of, iter_headings, outline, split_lines
from .model import APPLICATION_DATE, COMPANY, POSITION, STATUS, STATUS_ENTRY, Application, Section
from .problem import Problem, error

BOM = b"\xef\xbb\xbf"
_FRONT_MATTER_FENCE = re.compile(r"^-{3,}[ \t]*$")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:-{3,}|\.{3})[ \t]*$")
MAX_FRONT_MATTER_SIZE = 10_000
# PyYAML builds a value in about 10 µs per node: 32 KB of `[1,1,1,...]` takes 0.2 s, and
# a megabyte would take 8. Real front matter (tags, dates, contacts) is far smaller.
MAX_FRONT_MATTER_CHARACTERS = 32_768

# Codes raised while reading a file; the rules in rules.py add the rest.
BINARY = "JT101"
NOT_UTF8 = "JT102"
YAML_INVALID = "JT201"
YAML_UNSAFE = "JT202"
YAML_NOT_MAPPING = "JT203"
YAML_UNCLOSED = "JT205"
YAML_TOO_COMPLEX = "JT206"


def decode(path: str, data: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 text without its BOM, or the problem that prevents reading it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, error(
            path, 1, NOT_UTF8, "saved as UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8"
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, error(path, line, BINARY, "binary content (NUL byte): an application must be a UTF-8 text file")
    data = data.removeprefix(BOM)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, error(
            path, line, NOT_UTF8, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}): save the file as UTF-8", column
        )


def _expanded_size(value: Any, budget: int) -> int:
    """Size of a loaded YAML value with every alias expanded: one per node plus the length
    of each string; stops counting past ``budget``. Aliases are shared objects once loaded,
    so a billion-laughs block is cheap to load and only explodes when something walks it."""
    size = 0
    stack = [value]
    while stack:
        item = stack.pop()
        size += 1 + (len(item) if isinstance(item, str | bytes) else 0)
        if size > budget:
            return size
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):  # !!omap and !!pairs load as tuples
            stack.extend(item)
    return size


def _tag_in(problem: str) -> str:
    """``!!python/object/apply:os.system`` from PyYAML's "could not determine a constructor for the tag '...'"."""
    quoted = re.search(r"'(.*)'", problem)
    tag = quoted.group(1) if quoted else ""
    return tag.replace("tag:yaml.org,2002:", "!!") or "custom tag"


def _load_yaml(path: str, text: str, first_line: int) -> tuple[dict[str, Any], Problem | None]:
    if len(text) > MAX_FRONT_MATTER_CHARACTERS:
        return {}, error(
            path,
            first_line,
            YAML_TOO_COMPLEX,
            f"front matter is longer than {MAX_FRONT_MATTER_CHARACTERS:,} characters:"
            " keep long text in the Markdown sections below it",
        )
    import yaml
    from frontmatter.default_handlers import YAMLHandler

    from .yamlsafe import FrontMatterLoader

    try:
        loaded = YAMLHandler().load(text, Loader=FrontMatterLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 1
        problem = exc.problem or "syntax error"
        if isinstance(exc, yaml.constructor.ConstructorError) and problem.startswith(
            "could not determine a constructor"
        ):
            return {}, error(
                path,
                line,
                YAML_UNSAFE,
                f"front matter uses a YAML tag that is not allowed ({_tag_in(problem)}): only plain values, lists and mappings",
                column,
            )
        return {}, error(
            path, line, YAML_INVALID, f"front matter is not valid YAML ({problem}): fix it or remove the block", column
        )
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        return {}, error(
            path,
            first_line + before.count("\n"),
            YAML_INVALID,
            f"front matter is not valid YAML (character #x{exc.character:04x} is not allowed): remove it",
            exc.position - (before.rfind("\n") + 1) + 1,
        )
    except Exception as exc:
        # PyYAML's constructors raise plain IndexError, KeyError, AttributeError or
        # ValueError on some values (`!!int` with nothing after it, `2026-02-30`).
        detail = (
            str(exc).splitlines()[0].split(";")[0] if isinstance(exc, ValueError | yaml.YAMLError) and str(exc) else ""
        )
        return {}, error(
            path,
            first_line,
            YAML_INVALID,
            f"front matter is not valid YAML ({detail or 'a value YAML cannot read'}): fix it or remove the block",
        )
    if loaded is None:
        return {}, None
    if not isinstance(loaded, dict):
        return {}, error(path, first_line, YAML_NOT_MAPPING, "front matter must be a mapping of `key: value` lines")
    # Without aliases the loaded size stays under twice the text; past that, aliases multiplied it.
    budget = MAX_FRONT_MATTER_SIZE + 2 * len(text)
    if _expanded_size(loaded, budget) > budget:
        return {}, error(
            path,
            first_line,
            YAML_TOO_COMPLEX,
            "front matter is too large once aliases are expanded: remove the anchors (&) and aliases (*)",
        )
    return {str(key): value for key, value in loaded.items()}, None


def _front_matter(path: str, lines: list[str], load: bool) -> tuple[dict[str, Any], int, Problem | None]:
    """(metadata, last line of the block, problem); (``{}``, 0, None) when there is no block.

    With ``load`` false the block is located but its YAML is not read.
    """
    if not lines or not _FRONT_MATTER_FENCE.match(lines[0]):
        return {}, 0, None
    for index in range(1, len(lines)):
        if _FRONT_MATTER_CLOSE.match(lines[index]):
            if not load:
                return {}, index + 1, None
            metadata, problem = _load_yaml(path, "\n".join(lines[1:index]), 2)
            return metadata, index + 1, problem
    return (
        {},
        0,
        error(path, 1, YAML_UNCLOSED, "front matter opened with `---` is never closed: add a `---` line after it"),
    )


def _build_sections(found: list[Heading], lines: list[str], level: int, last_line: int) -> tuple[Section, ...]:
    """Sections at ``level`` among ``found``, with their subsections one level down."""
    sections: list[Section] = []
    for index, heading in enumerate(found):
        if heading.level != level:
            continue
        stop = index + 1
        while stop < len(found) and found[stop].level > level:
            stop += 1
        end = found[stop].line - 1 if stop < len(found) else last_line
        subsections = _build_sections(found[index + 1 : stop], lines, level + 1, end) if level < 3 else ()
        sections.append(Section(heading, tuple(lines[heading.line : end]), subsections))
    return tuple(sections)


def parse_text(path: str, text: str, *, front_matter: bool = True) -> Application:
    lines = split_lines(text)
    metadata, front_matter_end, problem = _front_matter(path, lines, front_matter)
    structure = outline(lines[front_matter_end:], first_line=front_matter_end + 1)
    return Application(
        path=path,
        lines=tuple(lines),
        front_matter=metadata,
        front_matter_end=front_matter_end,
        headings=structure.headings,
        sections=_build_sections(list(structure.headings), lines, 2, len(lines)),
        problems=(problem,) if problem else (),
        unclosed_fence=structure.unclosed_fence,
    )


def parse_bytes(path: str, data: bytes, *, front_matter: bool = True) -> Application:
    text, problem = decode(path, data)
    if text is None:
        return Application(path=path, problems=(problem,) if problem else (), readable=False)
    return parse_text(path, text, front_matter=front_matter)


def _value_after(lines: list[str], heading: Heading) -> str | None:
    """A value as ``Section.value`` reads it: the first non-blank line, unless a (sub)section heading comes first."""
    for line in lines[heading.line :]:
        stripped = line.strip()
        if stripped:
            found = heading_of(line)
            return None if found is not None and found[0] <= 3 else stripped
    return None


class Fields(NamedTuple):
    status: str | None
    application_date: str | None
    company: str | None
    position: str | None


def read_fields(data: bytes, *, names: bool = False, date_for: str = "APPLIED") -> Fields:
    """The values the history needs, as the full parser reads them, reading no further than needed.

    The history reader calls this on every version of every file, so it stops as
    soon as the status is known (and, with ``names``, the company and position),
    unless the status is ``date_for``, whose Application Date matters.
    """
    text, _ = decode("", data)
    if text is None:
        return Fields(None, None, None, None)
    lines = split_lines(text)
    start = 0
    if lines and _FRONT_MATTER_FENCE.match(lines[0]):
        start = next((index + 1 for index in range(1, len(lines)) if _FRONT_MATTER_CLOSE.match(lines[index])), 0)
    values: dict[str, str | None] = {}
    wanted = {APPLICATION_DATE, COMPANY, POSITION} if names else {APPLICATION_DATE}
    status: str | None = None
    status_done = in_status = False
    seen: set[str] = set()
    for heading in iter_headings(lines[start:], start + 1):
        if heading.level <= 2:
            status_done = status_done or in_status  # leaving the first `## Status` decides it
            in_status = False
            if heading.level == 2 and heading.text not in seen:
                seen.add(heading.text)
                if heading.text == STATUS:
                    in_status = True
                elif heading.text in wanted:
                    values[heading.text] = _value_after(lines, heading)
        elif heading.level == 3 and in_status and not status_done and heading.text == STATUS_ENTRY:
            status, status_done = _value_after(lines, heading), True
        if (
            status_done
            and (not names or (COMPANY in values and POSITION in values))
            and (APPLICATION_DATE in values or (status or "").upper() != date_for)
        ):
            break
    return Fields(status, values.get(APPLICATION_DATE), values.get(COMPANY), values.get(POSITION))


def fields_of_application(app: Application) -> Fields | None:
    """The same Fields ``read_fields(..., names=True)`` gives, from a file already parsed in full."""
    if not app.readable:
        return None
    return Fields(app.status or None, app.text(APPLICATION_DATE) or None, app.company or None, app.position or None)


def status_facts(data: bytes) -> Fields:
    """Status, Application Date (when the status is APPLIED), company and position of one version of a file."""
    return read_fields(data, names=True)


def iso_date(value: object) -> datetime.date | None:
    """A calendar date from ``YYYY-MM-DD`` text (or a YAML date), else None."""
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
