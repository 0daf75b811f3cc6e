"""The validators: each rule is a function ``(application, context) -> problems``.

Adding a rule is adding a function here, listing it in ``RULES`` and giving its
code a row in the table of checks in docs/commands.md.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from .agenda import interview_of
from .config import Config
from .model import APPLICATION_DATE, COMPANY, JOB_URL, Application
from .parse import iso_date
from .problem import MAX_QUOTED, Problem, error, quoted, warning
from .template import is_placeholder

FM_TYPE = "JT204"
NO_TITLE = "JT301"
MISSING_SECTION = "JT302"
DUPLICATE_SECTION = "JT303"
EMPTY_SECTION = "JT304"
SECTION_ORDER = "JT305"
MISSING_SUBSECTION = "JT306"
UNCLOSED_FENCE = "JT307"
MERGE_CONFLICT = "JT308"
UNKNOWN_STATUS = "JT401"
STATUS_CASE = "JT402"
BAD_DATE = "JT501"
FUTURE_DATE = "JT502"
DATE_PLACEHOLDER = "JT503"
BAD_URL = "JT601"
UNSAFE_URL = "JT602"
URL_PLACEHOLDER = "JT603"
LEFTOVER_PLACEHOLDER = "JT701"
BAD_FILE_NAME = "JT801"
DUPLICATE_APPLICATION = "JT802"

CONFLICT_START = "<<<<<<<"
_SLUG_FILE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
_LINK_TARGET = re.compile(r"^(?:<(?P<angle>.*)>|\[[^\]]*\]\((?P<link>.*)\))$")
_UNSAFE_SCHEMES = {"javascript", "data", "vbscript", "file"}
NO_URL = "none"  # a Job URL that says there is no listing to link to
DATE_FIELDS = ("follow_up", "followed_up", "deadline")
TEXT_FIELDS = ("location", "source", "resume")
STRING_LIST_FIELDS = ("tags",)


class CheckContext(NamedTuple):
    config: Config
    today: datetime.date


Rule = Callable[[Application, CheckContext], Iterable[Problem]]


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


def status_known(app: Application, context: CheckContext) -> Iterator[Problem]:
    value = app.status_value
    if value is None or value.text.startswith(CONFLICT_START):  # merge_conflicts says what is wrong
        return
    statuses = context.config.workflow.statuses
    if value.text in statuses:
        return
    if value.text.upper() in statuses:
        yield warning(
            app.path,
            value.line,
            STATUS_CASE,
            f"status `{value.text}` should be written `{value.text.upper()}`",
            value.column,
        )
        return
    import difflib

    closest = difflib.get_close_matches(value.text[:MAX_QUOTED].upper(), statuses, n=1, cutoff=0.0)
    hint = f"did you mean `{closest[0]}`? " if closest else ""
    yield error(
        app.path,
        value.line,
        UNKNOWN_STATUS,
        f"unknown status `{quoted(value.text)}`: {hint}one of {', '.join(statuses)}",
        value.column,
    )


def _sent(app: Application, context: CheckContext) -> bool:
    """The status says the application went out (``Workflow.is_sent``): its date and listing are due."""
    return context.config.workflow.is_sent(app.status.upper())


def application_date(app: Application, context: CheckContext) -> Iterator[Problem]:
    value = app.value(APPLICATION_DATE)
    if value is None:
        return
    if is_placeholder(value.text):
        if _sent(app, context):
            yield error(
                app.path,
                value.line,
                DATE_PLACEHOLDER,
                f"Application Date is still a placeholder but the status is {app.status.upper()}: write the date as YYYY-MM-DD",
                value.column,
            )
        return
    date = iso_date(value.text)
    if date is None:
        yield error(
            app.path,
            value.line,
            BAD_DATE,
            f"Application Date `{quoted(value.text)}` is not a date: write it as YYYY-MM-DD",
            value.column,
        )
    elif date > context.today:
        yield error(
            app.path,
            value.line,
            FUTURE_DATE,
            f"Application Date {date.isoformat()} is in the future (today is {context.today.isoformat()})",
            value.column,
        )


def url_problem(text: str) -> str | None:
    """Why ``text`` is not an http(s) URL, or None when it is one."""
    from urllib.parse import urlsplit  # only files with a URL pay for it

    match = _LINK_TARGET.match(text)
    target = (match.group("angle") or match.group("link") or "") if match else text
    try:
        parts = urlsplit(target)
    except ValueError:
        return "not a valid URL"
    scheme = parts.scheme.lower()
    if scheme in _UNSAFE_SCHEMES or target.lower().lstrip().startswith(tuple(f"{s}:" for s in _UNSAFE_SCHEMES)):
        return f"unsafe `{scheme}:` URL"
    if scheme not in ("http", "https") or not parts.netloc or any(char.isspace() for char in target):
        return "not an http(s) URL"
    return None


def job_url(app: Application, context: CheckContext) -> Iterator[Problem]:
    value = app.value(JOB_URL)
    if value is None or value.text.casefold() == NO_URL:
        return  # `none`: there is no listing (a referral, a recruiter's e-mail, an import without links)
    if is_placeholder(value.text):
        if _sent(app, context):
            yield error(
                app.path,
                value.line,
                URL_PLACEHOLDER,
                f"Job URL is still a placeholder but the status is {app.status.upper()}: paste the listing's https:// address",
                value.column,
            )
        return
    why = url_problem(value.text)
    if why is not None:
        code = UNSAFE_URL if why.startswith("unsafe") else BAD_URL
        yield error(app.path, value.line, code, f"Job URL: {why}: use the listing's https:// address", value.column)


def leftover_placeholders(app: Application, context: CheckContext) -> Iterator[Problem]:
    own_rules = {JOB_URL, APPLICATION_DATE}
    placeholders = context.config.template.placeholders
    if not placeholders:
        return
    for section in app.sections:
        if section.heading.text in own_rules:
            continue
        for offset, line in enumerate(section.content):
            if "[" not in line:
                continue
            for placeholder in placeholders:
                column = line.find(placeholder)
                if column >= 0:
                    yield warning(
                        app.path,
                        section.first_content_line + offset,
                        LEFTOVER_PLACEHOLDER,
                        f"placeholder `{placeholder}` left in `## {section.heading.text}`: replace it",
                        column + 1,
                    )


def _front_matter_line(app: Application, key: str) -> int:
    for index in range(1, max(app.front_matter_end - 1, 1)):
        if app.lines[index].startswith(f"{key}:") or app.lines[index].startswith(f'"{key}":'):
            return index + 1
    return 1


def front_matter_fields(app: Application, context: CheckContext) -> Iterator[Problem]:
    metadata = app.front_matter
    for key in DATE_FIELDS:
        if key in metadata and metadata[key] is not None and iso_date(metadata[key]) is None:
            yield error(
                app.path,
                _front_matter_line(app, key),
                FM_TYPE,
                f"front matter `{key}` must be a date written YYYY-MM-DD",
            )
    interviews = metadata.get("interviews")
    if interviews is not None:
        unread = [item for item in interviews if interview_of(item) is None] if isinstance(interviews, list) else []
        if unread or not isinstance(interviews, list):
            first = unread[0] if unread else None
            shown = ", ".join(f"{k}: {v}" for k, v in first.items()) if isinstance(first, dict) else str(first)
            which = f" (`{quoted(shown)}` is not one)" if unread else ""
            yield error(
                app.path,
                _front_matter_line(app, "interviews"),
                FM_TYPE,
                "front matter `interviews` must be a list of `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` dates"
                f" (or of mappings with `date`, `time`, `with`, `kind`){which}",
            )
    action = metadata.get("next_action")
    if action is not None and not isinstance(action, str) and iso_date(action) is None:
        yield error(
            app.path, _front_matter_line(app, "next_action"), FM_TYPE, "front matter `next_action` must be text"
        )
    for key in STRING_LIST_FIELDS:
        if key in metadata and metadata[key] is not None:
            items = metadata[key]
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                yield error(
                    app.path,
                    _front_matter_line(app, key),
                    FM_TYPE,
                    f"front matter `{key}` must be a list of words, such as [ml, remote]",
                )
    for key in TEXT_FIELDS:
        if key in metadata and metadata[key] is not None and not isinstance(metadata[key], str):
            yield error(app.path, _front_matter_line(app, key), FM_TYPE, f"front matter `{key}` must be text")


def file_name(app: Application, context: CheckContext) -> Iterator[Problem]:
    name = os.path.basename(app.path)
    if not _SLUG_FILE.match(name):
        yield error(
            app.path,
            1,
            BAD_FILE_NAME,
            f"file name `{quoted(name)}` is not a lowercase slug: rename it to something like `company-position.md`",
        )


RULES: tuple[Rule, ...] = (
    title_present,
    required_sections,
    section_order,
    required_subsections,
    fences_closed,
    merge_conflicts,
    status_known,
    application_date,
    job_url,
    leftover_placeholders,
    front_matter_fields,
    file_name,
)
# Rules that need the whole text of the file (skipped for files that could not be read).
FILE_NAME_RULES: tuple[Rule, ...] = (file_name,)


def check_application(app: Application, context: CheckContext) -> list[Problem]:
    problems = list(app.problems)
    rules = RULES if app.readable else FILE_NAME_RULES
    for rule in rules:
        problems.extend(rule(app, context))
    return problems


def _same_name(text: str) -> str:
    """One spelling per name: `Café` typed composed or decomposed, in any case or spacing."""
    if text.isascii():  # NFKC leaves ASCII as it is, and casefold is lower there
        return " ".join(text.lower().split())
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def duplicate_applications(apps: Iterable[Application]) -> list[Problem]:
    """Two files for the same company and position: a warning on each, naming the others."""
    groups: dict[tuple[str, str], list[Application]] = {}
    for app in apps:
        if app.readable and app.company and app.position and not is_placeholder(app.company):
            groups.setdefault((_same_name(app.company), _same_name(app.position)), []).append(app)
    problems: list[Problem] = []
    for group in groups.values():
        if len(group) < 2:
            continue
        for app in group:
            others = ", ".join(sorted(other.path for other in group if other is not app))
            value = app.value(COMPANY)
            problems.append(
                warning(
                    app.path,
                    value.line if value else 1,
                    DUPLICATE_APPLICATION,
                    f"same company and position as {others}: keep one file per application",
                )
            )
    return problems
