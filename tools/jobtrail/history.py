"""The status history model: what every reader of the git history returns.

Pure data; reading it out of git is ``gitlog.py``'s job.
"""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

# NamedTuples, not dataclasses: a warm `jobtrail history` builds thousands of these, and the
# dataclasses module (with inspect, ast, dis) costs ~10 ms to import.


class StatusChange(NamedTuple):
    """One change of status. ``commit`` is None for an uncommitted change in the work tree."""

    status: str
    date: datetime.date
    commit: str | None

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "date": self.date.isoformat(), "commit": self.commit}


class ApplicationHistory(NamedTuple):
    """One application's history under its current path (renames followed)."""

    path: str  # relative to the repository root, with forward slashes
    company: str
    position: str
    status: str  # the current status, "" when the current file does not parse
    changes: tuple[StatusChange, ...]  # oldest first
    last_changed: datetime.date | None = None  # the last commit (or today, if dirty) that touched the file

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "company": self.company,
            "position": self.position,
            "status": self.status,
            "history": [change.as_json() for change in self.changes],
        }

    def since(self) -> datetime.date | None:
        """When the current status began."""
        return self.changes[-1].date if self.changes else None

    def applied_on(self, applied: str = "APPLIED") -> datetime.date | None:
        return next((change.date for change in self.changes if change.status == applied), None)

    def returned_on(self, initial: str) -> datetime.date | None:
        """When the status last came back to ``initial`` (PENDING) after leaving it; None if it never did."""
        for earlier, later in reversed(list(zip(self.changes, self.changes[1:], strict=False))):
            if later.status == initial and earlier.status != initial:
                return later.date
        return None


class RepositoryHistory(NamedTuple):
    applications: tuple[ApplicationHistory, ...] = ()
    shallow: bool = False  # the clone is shallow: the history is cut short
    notes: tuple[str, ...] = ()  # things a reader should know (a rebase in progress, ...)

    @property
    def newest(self) -> datetime.date | None:
        """The newest date in the history: the day that "days waiting" count up to."""
        dates = [change.date for app in self.applications for change in app.changes]
        dates += [app.last_changed for app in self.applications if app.last_changed]
        return max(dates) if dates else None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"applications": [app.as_json() for app in self.applications]}
        if self.shallow:
            data["shallow"] = True
        return data
