"""The validators: each rule is a function ``(application, context) -> problems``, listed in ``RULES``.

The rules live by what they read: ``sectionrules`` (the file's shape),
``fieldrules`` (the values under the headings), ``frontmatterrules`` (the
front matter's keys), ``filerules`` (the file name; duplicates across files).
Adding a rule is adding a function to one of them, listing it in ``RULES`` and
giving its code a row in the table of checks in docs/commands.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import NamedTuple

from .config import Config
from .fieldrules import application_date, job_url, leftover_placeholders, status_known
from .filerules import file_name
from .frontmatterrules import front_matter_fields
from .model import Application
from .problem import Problem
from .sectionrules import (
    fences_closed,
    merge_conflicts,
    required_sections,
    required_subsections,
    section_order,
    title_present,
)


class CheckContext(NamedTuple):
    config: Config
    today: datetime.date


Rule = Callable[[Application, CheckContext], Iterable[Problem]]


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
