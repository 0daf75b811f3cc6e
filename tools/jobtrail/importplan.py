"""What an import will do: which rows are new, which are already here, and every version of every new file.

Pure: the incoming applications, what the repository holds and the template
in; a ``Plan`` out. Nothing here reads or writes files or git. Each new
application gets one version per dated status change, oldest first: the last
is the file as it will be, the earlier ones the same file with the status of
their time, so the history read back from the commits is the row's timeline.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .config import Config
from .create import (
    FillError,
    TemplateError,
    new_application,
    set_description,
    set_notes,
    url_key,
    with_front_matter,
)
from .edit import EditError, replace_value, set_status
from .errors import JobtrailError
from .fieldrules import NO_URL, url_problem
from .files import is_application_path
from .incoming import Event, Incoming, RowProblem
from .model import JOB_URL, Application
from .parse import parse_bytes
from .rules import CheckContext, check_application
from .slug import slugify
from .template import is_placeholder

OLDEST = datetime.date(1971, 1, 1)  # git's dates start at 1970; anything before is a typo
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.md$")
_SAFE_FOLDER = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Existing:
    """An application already in the repository, as far as matching needs it."""

    path: str
    company: str
    position: str
    url: str


@dataclass(frozen=True)
class Version:
    status: str
    date: datetime.date
    data: bytes


@dataclass(frozen=True)
class NewApplication:
    incoming: Incoming
    path: str  # relative to the repository root, forward slashes
    versions: tuple[Version, ...]  # oldest first; the last is the file as it will be
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    incoming: Incoming
    other: str  # the existing path, or where in the same file
    why: str


@dataclass(frozen=True)
class Plan:
    new: tuple[NewApplication, ...]
    same: tuple[Match, ...]
    problems: tuple[RowProblem, ...]

    @property
    def commits(self) -> int:
        return sum(len(app.versions) for app in self.new)


def _keys(company: str, position: str, url: str) -> list[tuple[str, str]]:
    keys = [("url", url_key(url))] if url and url.casefold() != NO_URL else []
    return [*keys, ("names", f"{company.strip().casefold()}\n{position.strip().casefold()}")]


def _why(kind: str) -> str:
    return "same Job URL" if kind == "url" else "same company and position"


class _Names:
    """File names already taken (in the work tree, at HEAD, or by this plan), compared without case."""

    def __init__(self, taken: Iterable[str]) -> None:
        self._taken = {path.casefold() for path in taken}

    def claim(self, wanted: str, folder: str, fallback: str) -> str:
        stem = wanted or fallback
        path = f"{folder}/{stem}.md"
        number = 2
        while path.casefold() in self._taken:
            path = f"{folder}/{stem}-{number}.md"
            number += 1
        self._taken.add(path.casefold())
        return path

    def keep(self, path: str) -> bool:
        if path.casefold() in self._taken:
            return False
        self._taken.add(path.casefold())
        return True


def _fill(
    incoming: Incoming, config: Config, applied: datetime.date | None, convert_html: Callable[[str], str]
) -> bytes:
    """The file from the template: the row's fields, status, dates, front matter, description and notes."""
    url = incoming.url or None
    data = new_application(config.template.text, incoming.company, incoming.position, url)
    description = incoming.description or (convert_html(incoming.description_html) if incoming.description_html else "")
    if description:
        data = set_description(data, description)
    if incoming.notes:
        data = set_notes(data, incoming.notes)
    app = parse_bytes("new", data, front_matter=False)
    job_url = app.value(JOB_URL)  # still where it is after set_status: its edits stay within their lines
    data = set_status(data, app, incoming.status, fill_date=applied)
    past_initial = incoming.status != config.workflow.initial
    if url is None and past_initial and job_url is not None and is_placeholder(job_url.text):
        data = replace_value(data, job_url, NO_URL)
    return with_front_matter(data, incoming.front_matter)


def _application_date(events: Sequence[Event], config: Config) -> datetime.date | None:
    """The first APPLIED's date; else, once past the first status, the first date past it."""
    applied = config.workflow.active[1] if len(config.workflow.active) > 1 else None
    dated = [event for event in events if event.date is not None]
    for event in dated:
        if event.status == applied:
            return event.date
    later = [event.date for event in dated if event.status != config.workflow.initial and event.date is not None]
    return min(later) if later else None


def _versions(final: bytes, app: Application, events: Sequence[Event]) -> tuple[Version, ...]:
    """One version per event: ``final`` (parsed: ``app``) with the status of its time; the last is ``final``."""
    versions = []
    for index, event in enumerate(events):
        assert event.date is not None
        data = final if index == len(events) - 1 else set_status(final, app, event.status)
        versions.append(Version(event.status, event.date, data))
    return tuple(versions)


def _export_path(incoming: Incoming, folder: str) -> str | None:
    """The path an exported application had, when it is a file name fit for the applications folder."""
    if not is_application_path(incoming.path, folder):
        return None
    *folders, name = incoming.path[len(folder) + 1 :].split("/")  # sub-folders (2026-11/) are kept too
    safe = _SAFE_NAME.match(name) and all(_SAFE_FOLDER.match(part) for part in folders)
    return incoming.path if safe else None


def plan_import(
    incoming: Sequence[Incoming],
    existing: Sequence[Existing],
    taken_paths: Iterable[str],
    config: Config,
    today: datetime.date,
    convert_html: Callable[[str], str] = lambda html: html,
) -> Plan:
    """What importing ``incoming`` into a repository holding ``existing`` does; ``taken_paths``: names in use."""
    seen: dict[tuple[str, str], str] = {}
    unlinked: dict[tuple[str, str], str] = {}  # company and position of those without a Job URL

    def remember(company: str, position: str, url: str, where: str) -> None:
        keys = _keys(company, position, url)
        for key in keys:
            seen.setdefault(key, where)
        if len(keys) == 1:
            unlinked.setdefault(keys[0], where)

    for app in existing:
        remember(app.company, app.position, app.url, app.path)
    taken = _Names(taken_paths)
    folder = config.applications_dir
    context = CheckContext(config, today)
    new: list[NewApplication] = []
    same: list[Match] = []
    problems: list[RowProblem] = []
    for item in incoming:
        keys = _keys(item.company, item.position, item.url)
        # Matched by the Job URL; else by company and position (with one that has no URL, when this has one).
        if len(keys) == 2 and keys[0] in seen:
            same.append(Match(item, seen[keys[0]], _why("url")))
            continue
        names = seen if len(keys) == 1 else unlinked
        if keys[-1] in names:
            same.append(Match(item, names[keys[-1]], _why("names")))
            continue
        if item.url and (why := url_problem(item.url)) is not None:
            problems.append(RowProblem(item.where, f"Job URL `{item.url}`: {why}"))
            continue
        notes: list[str] = []
        events: list[Event] = []
        bad = False
        for event in item.events:
            day = event.date
            if day is None:
                day = today
                notes.append(f"no date for {event.status}: dated {today.isoformat()} (today)")
            if day > today:
                problems.append(RowProblem(item.where, f"{event.status} is dated {day.isoformat()}, in the future"))
                bad = True
            elif day < OLDEST:
                problems.append(RowProblem(item.where, f"{event.status} is dated {day.isoformat()}: before 1971"))
                bad = True
            if events and day < events[-1].date:  # type: ignore[operator]
                day = events[-1].date  # a status without a date comes after the dated ones
            events.append(Event(event.status, day))
        if bad:
            continue
        applied = item.application_date or _application_date(item.events, config)
        try:
            final = item.text if item.text is not None else _fill(item, config, applied, convert_html)
        except FillError as exc:
            problems.append(RowProblem(item.where, str(exc)))
            continue
        except (TemplateError, EditError) as exc:
            raise JobtrailError(f"{config.template_path or 'the built-in template'}: {exc}") from None
        kept = _export_path(item, folder)
        path = (
            kept
            if kept and taken.keep(kept)
            else taken.claim(slugify(item.company, item.position), folder, "application")
        )
        parsed = parse_bytes(path, final)
        if parsed.status.upper() != item.status:
            problems.append(
                RowProblem(item.where, f"the file's status is `{parsed.status}`, its history ends on {item.status}")
            )
            continue
        errors = [problem for problem in check_application(parsed, context) if problem.severity == "error"]
        if errors and item.text is None:
            first = errors[0]
            problems.append(
                RowProblem(item.where, f"the file would not pass `jobtrail check`: {first.code} {first.message}")
            )
            continue
        # An exported file comes back as it was, problems included: say so rather than refuse it.
        notes += [f"as exported, it fails `jobtrail check`: {error.code} {error.message}" for error in errors]
        try:
            versions = _versions(final, parsed, events)
        except EditError as exc:
            problems.append(RowProblem(item.where, f"cannot set its status: {exc}"))
            continue
        new.append(NewApplication(item, path, versions, tuple(notes)))
        remember(item.company, item.position, item.url, item.where)
    return Plan(tuple(new), tuple(same), tuple(problems))
