"""The rules on files as a whole: the file name, and two files for one application (across the folder)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .model import COMPANY, Application
from .problem import Problem, error, quoted, warning
from .template import is_placeholder

if TYPE_CHECKING:
    from .rules import CheckContext  # the registry imports this module: types only

BAD_FILE_NAME = "JT801"
DUPLICATE_APPLICATION = "JT802"

_SLUG_FILE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")


def file_name(app: Application, context: CheckContext) -> Iterator[Problem]:
    name = os.path.basename(app.path)
    if not _SLUG_FILE.match(name):
        yield error(
            app.path,
            1,
            BAD_FILE_NAME,
            f"file name `{quoted(name)}` is not a lowercase slug: rename it to something like `company-position.md`",
        )


def _same_name(text: str) -> str:
    """One spelling per name: `Café` typed composed or decomposed, in any case or spacing."""
    if text.isascii():  # NFKC leaves ASCII as it is, and casefold is lower there
        return " ".join(text.lower().split())
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def duplicate_key(app: Application) -> tuple[str, str, int] | None:
    """What the duplicate rule compares of one file (its company and position, folded) and the company's line;
    None for a file it leaves out."""
    if not app.readable:
        return None
    company = app.value(COMPANY)
    position = app.position
    if company is None or not position or is_placeholder(company.text):
        return None
    return _same_name(company.text), _same_name(position), company.line


def duplicate_applications(apps: Iterable[Application]) -> list[Problem]:
    """Two files for the same company and position: a warning on each, naming the others."""
    return duplicates_of((app.path, duplicate_key(app)) for app in apps)


def duplicates_of(keys: Iterable[tuple[str, tuple[str, str, int] | None]]) -> list[Problem]:
    """``duplicate_applications`` from each file's ``duplicate_key``.

    One pass, one key per file: each value is looked up once (at 50,000 files the
    section lookups were most of the rule's time).
    """
    groups: dict[tuple[str, str], list[tuple[str, int]]] = {}  # key -> (path, the company's line) of each file
    for path, key in keys:
        if key is not None:
            groups.setdefault(key[:2], []).append((path, key[2]))
    problems: list[Problem] = []
    for group in groups.values():
        if len(group) < 2:
            continue
        for index, (path, line) in enumerate(group):
            others = ", ".join(sorted(other for number, (other, _) in enumerate(group) if number != index))
            problems.append(
                warning(
                    path,
                    line,
                    DUPLICATE_APPLICATION,
                    f"same company and position as {others}: keep one file per application",
                )
            )
    return problems
