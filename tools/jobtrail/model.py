"""The one Application model every command reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .markdown import Fence, Heading
from .problem import Problem

# The sections whose values have a meaning of their own.
COMPANY = "Company"
POSITION = "Position"
JOB_URL = "Job URL"
STATUS = "Status"
STATUS_ENTRY = "Application"
APPLICATION_DATE = "Application Date"
NOTES = "Notes"

_NO_FRONT_MATTER: Mapping[str, Any] = {}  # shared and never changed: records are read-only


class Value(NamedTuple):
    """A section's value: its first non-blank line, where it is in the file."""

    text: str
    line: int
    column: int


class Section(NamedTuple):
    """A heading and the lines under it up to the next heading of the same or a higher level."""

    heading: Heading
    content: tuple[str, ...]
    subsections: tuple[Section, ...] = ()

    @property
    def first_content_line(self) -> int:
        return self.heading.line + 1

    def own_lines(self) -> tuple[str, ...]:
        """Lines before the first subsection."""
        if not self.subsections:
            return self.content
        return self.content[: self.subsections[0].heading.line - self.first_content_line]

    def value(self) -> Value | None:
        for offset, line in enumerate(self.own_lines()):
            stripped = line.strip()
            if stripped:
                return Value(stripped, self.first_content_line + offset, len(line) - len(line.lstrip()) + 1)
        return None

    def is_empty(self) -> bool:
        return all(not line.strip() for line in self.own_lines()) and all(sub.is_empty() for sub in self.subsections)

    def subsection(self, name: str) -> Section | None:
        return next((sub for sub in self.subsections if sub.heading.text == name), None)


class Application(NamedTuple):
    """A parsed application file. ``problems`` holds what went wrong while reading it."""

    path: str
    lines: tuple[str, ...] = ()
    front_matter: Mapping[str, Any] = _NO_FRONT_MATTER
    front_matter_end: int = 0  # last line of the front matter block, 0 when there is none
    headings: tuple[Heading, ...] = ()
    sections: tuple[Section, ...] = ()
    problems: tuple[Problem, ...] = ()
    readable: bool = True
    unclosed_fence: Fence | None = None  # a code fence never closed: the rest of the file is code

    @property
    def title(self) -> Heading | None:
        return next((heading for heading in self.headings if heading.level == 1), None)

    def section(self, name: str) -> Section | None:
        for section in self.sections:  # a loop, not next(generator): called 20 times per application rendered
            if section.heading.text == name:
                return section
        return None

    def value(self, name: str) -> Value | None:
        section = self.section(name)
        return section.value() if section else None

    def text(self, name: str) -> str:
        found = self.value(name)
        return found.text if found else ""

    @property
    def company(self) -> str:
        return self.text(COMPANY)

    @property
    def position(self) -> str:
        return self.text(POSITION)

    @property
    def status_value(self) -> Value | None:
        section = self.section(STATUS)
        entry = section.subsection(STATUS_ENTRY) if section else None
        return entry.value() if entry else None

    @property
    def status(self) -> str:
        found = self.status_value
        return found.text if found else ""
