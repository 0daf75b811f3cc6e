"""The application template: a Markdown file whose structure the validators follow.

The required sections, their order, the required subsections (``### Application``
under ``## Status``) and the placeholders (bracketed text such as
``[URL to job listing]``) are all read from the template, so a user who edits
the template changes what ``jobtrail check`` expects.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from .markdown import headings, split_lines

_PLACEHOLDER = re.compile(r"\[([^\[\]\r\n]+)\](?![(\[:])")


class Template(NamedTuple):
    text: str
    title: str
    sections: tuple[str, ...]
    subsections: dict[str, tuple[str, ...]]
    placeholders: frozenset[str]


def placeholders_in(text: str) -> list[str]:
    """Bracketed template text in ``text``, such as ``[Company Name]``; links excluded."""
    return [match.group(0) for match in _PLACEHOLDER.finditer(text)]


def is_placeholder(value: str) -> bool:
    """A value that is nothing but one bracketed placeholder."""
    value = value.strip()
    return bool(value) and _PLACEHOLDER.fullmatch(value) is not None


def template_from_text(text: str) -> Template:
    text = text.removeprefix("\ufeff")
    lines = split_lines(text)
    found = headings(lines)
    title = next((heading.text for heading in found if heading.level == 1), "")
    sections: list[str] = []
    subsections: dict[str, list[str]] = {}
    for heading in found:
        if heading.level == 2:
            sections.append(heading.text)
            subsections[heading.text] = []
        elif heading.level == 3 and sections:
            subsections[sections[-1]].append(heading.text)
    return Template(
        text=text,
        title=title,
        sections=tuple(sections),
        subsections={name: tuple(subs) for name, subs in subsections.items() if subs},
        placeholders=frozenset(placeholders_in(text)),
    )


def default_template_text() -> str:
    path = os.path.join(os.path.dirname(__file__), "data", "template.md")
    with open(path, encoding="utf-8") as handle:
        return handle.read()
