"""Parsed applications and their own problems, kept from one regeneration to the next.

The watcher regenerates after every save; with 1,000 applications, reading,
parsing and checking all of them again (and reading their history fields) is
most of the work, and all but one are unchanged. ``ApplicationCache`` reads a file again only when its inode,
size, modification or change time differ from the last read, and checks it
again only when it was read again or the check's context (configuration, date)
changed. The cross-file rule (duplicates) always runs on the whole set.

Time stamps are coarse (a few milliseconds on Linux): a file written twice
within one tick, at the same size, keeps its stamps. So a file modified less
than ``SETTLED_NS`` before it was read is not trusted from the cache: it is read
again until it has been left alone for that long (git's "racy" rule).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from .check import load_application
from .config import Config
from .model import Application
from .problem import Problem
from .rules import CheckContext, check_application

SETTLED_NS = 1_000_000_000

FileKey = tuple[int, int, int, int, int]  # (device, inode, size, mtime ns, ctime ns)
Stamp = tuple[FileKey | None, int]  # and the size limit the file was read with
T = TypeVar("T")


def file_key(path: str) -> FileKey | None:
    """The stamps of a regular file; None for anything else (a symlink, a folder, missing): never cached."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


class ApplicationCache:
    def __init__(self) -> None:
        self._apps: dict[tuple[str, str], tuple[Stamp, Application]] = {}
        self._problems: dict[str, tuple[Application, list[Problem]]] = {}
        self._context: CheckContext | None = None
        self.reads = 0  # files read (for tests and benchmarks)

    def load(self, path: str, shown: str, config: Config) -> Application:
        """Like ``check.load_application``, from the cache when the file is unchanged."""
        return _remembered(self._apps, path, shown, config, self._count(load_application))

    def check_one(self, app: Application, context: CheckContext) -> list[Problem]:
        """Like ``rules.check_application``, remembered for the same Application in the same context."""
        if context != self._context:
            self._problems.clear()
            self._context = context
        cached = self._problems.get(app.path)
        if cached is not None and cached[0] is app:
            return cached[1]
        problems = check_application(app, context)
        self._problems[app.path] = (app, problems)
        return problems

    def keep_only(self, shown: Iterable[str]) -> None:
        """Forget files that are gone (the cache never outgrows the folder)."""
        current = set(shown)
        self._apps = {key: value for key, value in self._apps.items() if key[1] in current}
        self._problems = {path: value for path, value in self._problems.items() if path in current}

    def _count(self, read: Callable[[str, str, Config], T]) -> Callable[[str, str, Config], T]:
        def counted(path: str, shown: str, config: Config) -> T:
            self.reads += 1
            return read(path, shown, config)

        return counted


def _remembered(
    store: dict[tuple[str, str], tuple[Stamp, T]],
    path: str,
    shown: str,
    config: Config,
    read: Callable[[str, str, Config], T],
) -> T:
    key = file_key(path)
    stamp = (key, config.max_file_bytes)
    cached = store.get((path, shown))
    if key is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    before = time.time_ns()
    value = read(path, shown, config)
    if key is not None and before - max(key[3], key[4]) > SETTLED_NS and file_key(path) == key:
        store[(path, shown)] = (stamp, value)
    else:
        store.pop((path, shown), None)
    return value
