"""The rules on the shape of the file: title, template sections and subsections, code fences, merge conflicts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .model import Application
from .problem import Problem, error, warning

if TYPE_CHECKING:
    from .rules import CheckContext  # the registry imports this module: types only

NO_TITLE = "JT301"
MISSING_SECTION = "JT302"
DUPLICATE_SECTION = "JT303"
EMPTY_SECTION = "JT304"
SECTION_ORDER = "JT305"
MISSING_SUBSECTION = "JT306"
UNCLOSED_FENCE = "JT307"
MERGE_CONFLICT = "JT308"

CONFLICT_START = "<<<<<<<"


def title_present(app: Application, context: CheckContext) -> Iterator[Problem]:
    if app.title is None:
        yield error(
            app.path,
            min(app.front_matter_end + 1, max(len(app.lines), 1)),  # a file of front matter only ends before
            NO_TITLE,
            f"missing title: start the file with `# {context.config.template.title}`",
        )


def _where_section_belongs(app: Application, name: str, wanted: tuple[str, ...]) -> int:
    """The line of the first later template section present, else the last line."""
    later = set(wanted[wanted.index(name) + 1 :])
    following = [section.heading.line for section in app.sections if section.heading.text in later]
    return min(following) if following else max(len(app.lines), 1)


def required_sections(app: Application, context: CheckContext) -> Iterator[Problem]:
    wanted = context.config.template.sections
    for name in wanted:
        found = [section for section in app.sections if section.heading.text == name]
        if not found:
            yield error(
                app.path,
                _where_section_belongs(app, name, wanted),
                MISSING_SECTION,
                f"missing section `## {name}`: add it (see the template)",
            )
            continue
        for duplicate in found[1:]:
            yield error(
                app.path,
                duplicate.heading.line,
                DUPLICATE_SECTION,
                f"section `## {name}` appears again (first at line {found[0].heading.line}): merge the two",
            )
        if found[0].is_empty():
            yield error(app.path, found[0].heading.line, EMPTY_SECTION, f"section `## {name}` is empty: fill it in")


def section_order(app: Application, context: CheckContext) -> Iterator[Problem]:
    wanted = context.config.template.sections
    seen = [section for section in app.sections if section.heading.text in wanted]
    first_seen: dict[str, int] = {}
    for section in seen:
        first_seen.setdefault(section.heading.text, section.heading.line)
    ordered = sorted(first_seen, key=first_seen.__getitem__)
    expected = [name for name in wanted if name in first_seen]
    for position, name in enumerate(ordered):
        if name != expected[position]:
            yield warning(
                app.path,
                first_seen[name],
                SECTION_ORDER,
                f"section `## {name}` is out of order: the template puts it after `## {wanted[wanted.index(name) - 1]}`"
                if wanted.index(name)
                else f"section `## {name}` is out of order: the template puts it first",
            )
            return


def required_subsections(app: Application, context: CheckContext) -> Iterator[Problem]:
    for name, subsections in context.config.template.subsections.items():
        section = app.section(name)
        if section is None:
            continue
        for sub in subsections:
            if section.subsection(sub) is None:
                yield error(
                    app.path,
                    section.heading.line,
                    MISSING_SUBSECTION,
                    f"section `## {name}` has no `### {sub}`: add it under `## {name}`",
                )


def fences_closed(app: Application, context: CheckContext) -> Iterator[Problem]:
    fence = app.unclosed_fence
    if fence is not None:
        yield warning(
            app.path,
            fence.line,
            UNCLOSED_FENCE,
            f"code block opened with {fence.marker} is never closed: add a {fence.marker} line where it ends "
            "(everything after it is read as code)",
        )


def merge_conflicts(app: Application, context: CheckContext) -> Iterator[Problem]:
    """Lines git left from a merge that stopped on a conflict: ``<<<<<<< HEAD`` ... ``>>>>>>> other``."""
    for number, line in enumerate(app.lines, 1):
        if line.startswith(CONFLICT_START) and (len(line) == 7 or line[7] == " "):
            yield error(
                app.path,
                number,
                MERGE_CONFLICT,
                "unresolved merge conflict: keep the lines you want and delete the `<<<<<<<`, `=======` and "
                "`>>>>>>>` lines",
            )
