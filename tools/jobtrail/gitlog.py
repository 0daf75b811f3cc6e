"""Every current application's status history: the reader that joins HEAD's history and the work tree.

HEAD's history comes from ``headstate`` (the walk of ``logread``'s log, through
the cache); the uncommitted changes from one ``git status`` (``worktree``); the
history of a commit object not yet on a branch from ``historyat``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from . import git
from .config import Config
from .files import application_files, read_application
from .headstate import head_entries
from .history import ApplicationHistory, RepositoryHistory, StatusChange
from .parse import Fields, read_fields
from .repository import Repository
from .walk import APPLIED, applied_date, known_status
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
    at_head = head_entries(repo, work_tree.head, missing)
    statuses = frozenset(config.workflow.statuses)
    applications: list[ApplicationHistory] = []
    fromisoformat = datetime.date.fromisoformat
    for path, below, is_link in application_files(config.applications_path):
        relative = f"{config.applications_dir}/{below}"
        change = work_tree.changes.get(relative)
        entry = at_head.get(change.original_path or relative) if change else at_head.get(relative)
        fields: Fields | None
        if change is None and entry is not None and fields_of is current_fields and not is_link:
            # Unchanged since HEAD (git status says so): HEAD's version says what the file says.
            fields = Fields(*entry.facts)
        else:
            fields = fields_of(path, relative, config)
        current_raw = (fields.status or "") if fields else ""
        current = known_status(current_raw, statuses)
        changes = [StatusChange(status, date, commit) for status, date, commit in entry.changes] if entry else []
        last_changed = entry.last_date if entry is not None else None
        if change is not None:
            today = today or git.author_today(repo.root)  # `git var` only when something is uncommitted
            before = None
            if entry is not None and change.head_blob is not None:
                before = entry.status
            # git records a symlink's target, not the file it points to: no committed version of a
            # symlink has a status, so its uncommitted change has none either (or committing it would
            # change the history).
            if current is not None and current != before and fields is not None and not is_link:
                date = today.isoformat()
                if current == APPLIED and all(status != APPLIED for status, _, _ in changes):
                    date = applied_date(fields.application_date, date)
                changes.append(StatusChange(current, fromisoformat(date), None))
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
    notes = _notes(repo, shallow, work_tree.head)
    if missing:
        from .logread import missing_note  # the log reader itself only when HEAD's entries were walked

        notes += missing_note(missing)
    return RepositoryHistory(tuple(applications), shallow=shallow, notes=notes)
