"""What `jobtrail new` makes: the template with Company, Position and Job URL filled in.

Pure: text in, bytes out. The template's own bytes stay as they are apart from
the filled values, so a user's template (its comments, its extra sections) is
what a new application starts from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .edit import insert_line, line_ending, line_spans, replace_value
from .fence import fenced
from .markdown import split_lines
from .model import COMPANY, JOB_URL, POSITION, Application
from .parse import BOM, parse_bytes


class FillError(ValueError):
    """A value cannot go into the template as given."""


class TemplateError(ValueError):
    """The template lacks a section a value must go into: the template needs fixing, not the command."""


def fill_template(template_text: str, values: Mapping[str, str]) -> bytes:
    """The template's bytes with each ``## Section``'s value set; sections the template lacks are an error.

    A value must read back as itself: text that Markdown would turn into a
    heading or a code fence (``# Acme``, ```` ``` ````) is refused.
    """
    data = template_text.encode("utf-8")
    app = parse_bytes("template", data, front_matter=False)
    structure = [(heading.level, heading.text) for heading in app.headings]
    for name, text in values.items():
        if not text.strip() or "\n" in text or "\r" in text:
            raise FillError(f"{name} must be one line of text")
        section = app.section(name)
        if section is None:
            raise TemplateError(f"the template has no `## {name}` section: add it to the template")
        value = section.value()
        if value is None:
            data = insert_line(data, section.heading.line, text)
            app = parse_bytes("template", data, front_matter=False)  # lines below moved down: read them again
        else:
            data = replace_value(data, value, text)  # within its line: every other value stays where it was
        # Checked after each value: a `~~~` or `# ` that swallows the sections below is this value's
        # fault, not the template's (nor the next value's).
        app = parse_bytes("template", data, front_matter=False)
        if app.text(name) != text.strip() or [(h.level, h.text) for h in app.headings] != structure:
            raise FillError(
                f"{name} `{text}` would not read back as written: Markdown would read it as a heading or"
                " a code fence; write it another way"
            )
    return data


JOB_DESCRIPTION = "Job Description"
NOTES = "Notes"


def replace_section_text(data: bytes, name: str, text: str) -> bytes:
    """``data`` with the ``## name`` section's own lines (before any subsection) replaced by ``text``.

    ``text`` takes the file's line endings; a blank line stays between it and the
    next heading. Headings below the section, and its subsections, stay as they were.
    """
    app = parse_bytes("template", data, front_matter=False)
    section = app.section(name)
    if section is None:
        raise TemplateError(f"the template has no `## {name}` section: add it to the template")
    spans = line_spans(data)
    heading = spans[section.heading.line - 1]
    own = len(section.own_lines())
    eol = line_ending(data, section.heading.line)
    start = heading.stop if heading.ending_length else heading.end
    end = spans[section.heading.line + own - 1].stop if own else start
    more = section.heading.line + own < len(spans)  # a heading follows: keep a blank line before it
    lines = eol.join(line.encode("utf-8") for line in split_lines(text))
    block = lines + eol + (eol if more else b"")
    return data[:start] + (b"" if heading.ending_length else eol) + block + data[end:]


def set_description(data: bytes, text: str) -> bytes:
    """``data`` with the ``## Job Description`` section's own text replaced by ``text`` in a code fence.

    The fence is longer than any fence inside ``text`` (``fence.fenced``), so a
    description that quotes code keeps the file's structure.
    """
    return replace_section_text(data, JOB_DESCRIPTION, fenced(text))


def set_notes(data: bytes, text: str) -> bytes:
    """``data`` with ``text`` as the ``## Notes`` section's text; in a code fence when Markdown
    would read a line of it as a heading or a fence (so the file keeps its sections)."""
    plain = replace_section_text(data, NOTES, text)
    before = [(h.level, h.text) for h in parse_bytes("x", data, front_matter=False).headings]
    after = parse_bytes("x", plain, front_matter=False)
    if [(h.level, h.text) for h in after.headings] == before and after.unclosed_fence is None:
        return plain
    return replace_section_text(data, NOTES, fenced(text))


def with_front_matter(data: bytes, fields: Mapping[str, Any]) -> bytes:
    """``data`` with ``fields`` as YAML front matter: a new block first, or new keys at the top of the one it has.

    Values are written by PyYAML's safe dumper, so any text reads back as itself.
    """
    if not fields:
        return data
    import yaml

    eol = line_ending(data, 1).decode()
    dumped = yaml.safe_dump(dict(fields), sort_keys=False, allow_unicode=True, width=1_000_000)
    lines = eol.join(dumped.splitlines()) + eol
    spans = line_spans(data)
    if spans and data[spans[0].start : spans[0].end].rstrip() == b"---":
        return data[: spans[0].stop] + lines.encode("utf-8") + data[spans[0].stop :]
    start = len(BOM) if data.startswith(BOM) else 0
    return data[:start] + f"---{eol}{lines}---{eol}".encode() + data[start:]


def new_application(template_text: str, company: str, position: str, url: str | None) -> bytes:
    values = {COMPANY: company.strip(), POSITION: position.strip()}
    if url is not None:
        values[JOB_URL] = url.strip()
    return fill_template(template_text, values)


def url_key(url: str) -> str:
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.casefold().removeprefix('www.')}{path}{query}"


def look_alikes(apps: Iterable[Application], company: str, position: str, url: str | None) -> list[tuple[str, str]]:
    """(path, why) for each application with the same company and position, or the same Job URL."""
    found: list[tuple[str, str]] = []
    key = (company.strip().casefold(), position.strip().casefold())
    wanted_url = url_key(url) if url else None
    for app in apps:
        if (app.company.casefold(), app.position.casefold()) == key:
            found.append((app.path, "same company and position"))
        elif wanted_url and app.text(JOB_URL) and url_key(app.text(JOB_URL)) == wanted_url:
            found.append((app.path, "same Job URL"))
    return found
