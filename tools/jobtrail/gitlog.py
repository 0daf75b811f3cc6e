"""Every current application's status history: the reader that joins HEAD's history and the work tree.

HEAD's history comes from ``headstate`` (the walk of ``logread``'s log, through
the cache); the uncommitted changes from one ``git status`` (``worktree``); the
history of a commit object not yet on a branch from ``historyat``.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable

from . import git
from .config import Config
from .files import application_paths, application_relative, read_application
from .headstate import head_state
from .history import ApplicationHistory, RepositoryHistory, StatusChange
from .logread import missing_note
from .parse import Fields, read_fields
from .repository import Repository
from .walk import APPLIED, applied_date, event_dates, known_status
from .worktree import work_tree_state


def _notes(repo: Repository, shallow: bool, head: str | None) -> tuple[str, ...]:
    notes = []
    if shallow:
        notes.append("this is a shallow clone: the history is cut short (run `git fetch --unshallow` for all of it)")
    for what in sorted(repo.operations_in_progress()):
        notes.append(
            f"{what} is in progress: the history is read up to the commit checked out now; the rest counts as uncommitted"
        )
    if head is None:
        notes.append("no commits yet: every application counts as uncommitted")
    return tuple(notes)


def current_fields(path: str, relative: str, config: Config) -> Fields | None:
    """The history's fields of a file in the work tree (None when it cannot be read)."""
    data, _problem = read_application(path, relative, config.root, config.max_file_bytes)
    return read_fields(data, names=True) if data is not None else None


def read_history(
    repo: Repository,
    *,
    today: datetime.date | None = None,
    fields_of: Callable[[str, str, Config], Fields | None] = current_fields,
) -> RepositoryHistory:
    """Every current application with its status changes, oldest first; uncommitted changes last.

    ``fields_of`` reads a current file (the watcher passes one that remembers unchanged files).
    """
    config = repo.config
    shallow = repo.shallow
    work_tree = work_tree_state(repo)
    missing: set[str] = set()
    snapshot, at_head = head_state(repo, work_tree.head, missing)
    statuses = frozenset(config.workflow.statuses)
    applications: list[ApplicationHistory] = []
    for path in application_paths(config.applications_path):
        relative = application_relative(path, config.applications_path, config.applications_dir)
        committed = at_head.get(relative) if fields_of is current_fields and relative not in work_tree.changes else None
        fields: Fields | None
        if committed is not None and not os.path.islink(path):
            # Unchanged since HEAD (git status says so): HEAD's version says what the file says.
            fields = Fields(committed.status, committed.application_date, committed.company, committed.position)
        else:
            fields = fields_of(path, relative, config)
        current_raw = (fields.status or "") if fields else ""
        current = known_status(current_raw, statuses)
        change = work_tree.changes.get(relative)
        version = snapshot.get(change.original_path or relative) if change else snapshot.get(relative)
        events = version.history if version is not None else ()
        changes = [
            StatusChange(event.status, datetime.date.fromisoformat(date), event.commit)
            for event, date in zip(events, event_dates(events), strict=True)
        ]
        last_changed = datetime.date.fromisoformat(version.last_date) if version is not None else None
        if change is not None:
            today = today or git.author_today(repo.root)  # `git var` only when something is uncommitted
            before = None
            if version is not None and change.head_blob is not None:
                before = version.status
            # git records a symlink's target, not the file it points to: no committed version of a
            # symlink has a status, so its uncommitted change has none either (or committing it would
            # change the history).
            if current is not None and current != before and fields is not None and not os.path.islink(path):
                date = today.isoformat()
                if current == APPLIED and all(event.status != APPLIED for event in events):
                    date = applied_date(fields.application_date, date)
                changes.append(StatusChange(current, datetime.date.fromisoformat(date), None))
            last_changed = today
        applications.append(
            ApplicationHistory(
                path=relative,
                company=(fields.company or "") if fields else "",
                position=(fields.position or "") if fields else "",
                status=current or current_raw,
                changes=tuple(changes),
                last_changed=last_changed,
            )
        )
    notes = _notes(repo, shallow, work_tree.head) + missing_note(missing)
    return RepositoryHistory(tuple(applications), shallow=shallow, notes=notes)
