"""Parsed applications by blob id, kept between commits: the pre-commit hook parses only what changed.

A commit changes one or two files; the hook needs every staged application
(the rendering lists them all). A version of a file is named by its blob id,
so what was parsed from it never goes stale: the cache keeps, for each
``(path, blob)``, the parsed application slimmed to what rendering and the
cross-file rules read (the full text of long sections is dropped) and the
problems the per-file rules found as of one date and configuration.

It lives in ``.git/jobtrail/`` (never committed, never cloned) as a pickle
of plain records. Read with a size bound and no symlink followed; anything
unexpected (another shape, a truncated file) is ignored and rebuilt.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

from .cachefile import read_bounded
from .files import write_atomic
from .model import APPLICATION_DATE, COMPANY, JOB_URL, POSITION, STATUS, Application
from .problem import Problem

VERSION = 1
MAX_BYTES = 256 * 1024 * 1024
KEPT_SECTIONS = frozenset({COMPANY, POSITION, JOB_URL, STATUS, APPLICATION_DATE, "Notes"})

Key = tuple[str, str]  # (path, blob)


def slim(app: Application) -> Application:
    """What rendering and the cross-file rules read: no raw lines, long sections cut to their value."""
    sections = tuple(
        section if section.heading.text in KEPT_SECTIONS else section._replace(content=section.content[:3])
        for section in app.sections
    )
    return app._replace(lines=(), sections=sections)


def fingerprint(config: object) -> str:
    """The configuration, the same text in every process (sets sorted: their order is per process)."""
    import dataclasses
    import json

    def plain(value: object) -> object:
        return sorted(value, key=str) if isinstance(value, (set, frozenset)) else str(value)

    data = dataclasses.asdict(config) if dataclasses.is_dataclass(config) and not isinstance(config, type) else config
    return json.dumps(data, sort_keys=True, default=plain)


class BlobCache:
    def __init__(self, path: str, fingerprint: str) -> None:
        self._path = path
        self._fingerprint = fingerprint
        self.apps: dict[Key, Application] = {}
        self.problems: dict[Key, tuple[str, tuple[Problem, ...]]] = {}  # key -> (date, problems then)
        self._added = 0  # entries parsed or checked by this run

    @classmethod
    def load(cls, git_dir: str, fingerprint: str, name: str = "applications.pickle") -> BlobCache:
        """The cache in ``.git/jobtrail/<name>``, empty when it is missing, unreadable or of another configuration."""
        cache = cls(os.path.join(git_dir, "jobtrail", name), fingerprint)
        data = read_bounded(cache._path, MAX_BYTES)
        if data is None:
            return cache
        try:
            found: Any = pickle.loads(data)
            if isinstance(found, dict) and found.get("version") == VERSION and found.get("fingerprint") == fingerprint:
                apps, problems = found["apps"], found["problems"]
                if (
                    isinstance(apps, dict)
                    and isinstance(problems, dict)
                    and all(isinstance(app, Application) for app in apps.values())
                    and all(isinstance(found, tuple) and len(found) == 2 for found in problems.values())
                ):
                    cache.apps, cache.problems = apps, problems
        except Exception:
            pass
        return cache

    def put(self, key: Key, app: Application) -> None:
        self.apps[key] = slim(app)
        self._added += 1

    def problems_on(self, key: Key, day: str) -> tuple[Problem, ...] | None:
        found = self.problems.get(key)
        return found[1] if found is not None and found[0] == day else None

    def put_problems(self, key: Key, day: str, problems: tuple[Problem, ...]) -> None:
        self.problems[key] = (day, problems)
        self._added += 1

    def save(self, keep: set[Key]) -> None:
        """Best effort: keep only the current versions; a cache that cannot be written costs speed only.

        Written only once enough is new to be worth it: a commit adds a version or
        two, and writing 1,000 entries costs more than parsing those again next time.
        """
        if self._added < max(16, len(keep) // 50):
            return
        apps = {key: app for key, app in self.apps.items() if key in keep}
        problems = {key: found for key, found in self.problems.items() if key in keep}
        data = {"version": VERSION, "fingerprint": self._fingerprint, "apps": apps, "problems": problems}
        try:
            os.makedirs(os.path.dirname(self._path), exist_ok=True)
            write_atomic(self._path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError):
            pass
