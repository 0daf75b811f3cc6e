"""The rules on the values under the template's headings: status, Application Date, Job URL, placeholders."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .model import APPLICATION_DATE, JOB_URL, Application, Value
from .parse import iso_date
from .problem import MAX_QUOTED, Problem, error, quoted, warning
from .sectionrules import CONFLICT_START
from .template import is_placeholder

if TYPE_CHECKING:
    from .rules import CheckContext  # the registry imports this module: types only

UNKNOWN_STATUS = "JT401"
STATUS_CASE = "JT402"
BAD_DATE = "JT501"
FUTURE_DATE = "JT502"
DATE_PLACEHOLDER = "JT503"
BAD_URL = "JT601"
UNSAFE_URL = "JT602"
URL_PLACEHOLDER = "JT603"
LEFTOVER_PLACEHOLDER = "JT701"

_LINK_TARGET = re.compile(r"^(?:<(?P<angle>.*)>|\[[^\]]*\]\((?P<link>.*)\))$")
_UNSAFE_SCHEMES = {"javascript", "data", "vbscript", "file"}
NO_URL = "none"  # a Job URL that says there is no listing to link to


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


def _placeholder_when_sent(
    app: Application, context: CheckContext, value: Value, code: str, field: str, fix: str
) -> Iterator[Problem]:
    """A placeholder left in ``field`` once the status says the application went out (``Workflow.is_sent``)."""
    if context.config.workflow.is_sent(app.status.upper()):
        yield error(
            app.path,
            value.line,
            code,
            f"{field} is still a placeholder but the status is {app.status.upper()}: {fix}",
            value.column,
        )


def application_date(app: Application, context: CheckContext) -> Iterator[Problem]:
    value = app.value(APPLICATION_DATE)
    if value is None:
        return
    if is_placeholder(value.text):
        yield from _placeholder_when_sent(
            app, context, value, DATE_PLACEHOLDER, "Application Date", "write the date as YYYY-MM-DD"
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
        yield from _placeholder_when_sent(
            app, context, value, URL_PLACEHOLDER, "Job URL", "paste the listing's https:// address"
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
