"""Parsed applications and their own problems by file stamp, kept between runs of `jobtrail index`.

`jobtrail index` and the post-* hooks render every application; at 50,000
files, reading, parsing and checking them all again is most of the work, and
all but a few are unchanged. A work-tree file's version is named by its stamp
(path, device, inode, size, modification and change times, the size limit it
was read with), stored as a ``BlobCache`` (``.git/jobtrail/worktree.pickle``):
the slim parsed application, and its per-file problems as of one date. A file
modified less than ``appcache.SETTLED_NS`` before it was read is never stored
(git's "racy" rule: its stamps may not change at its next write); a symlink or
anything but a regular file is read every time.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from . import appcache
from .appcache import file_key
from .blobcache import BlobCache, Key, fingerprint
from .check import load_application
from .config import Config
from .model import Application
from .problem import Problem
from .rules import CheckContext, check_application

FILE_NAME = "worktree.pickle"


class StampCache:
    """``load`` / ``check_one`` / ``keep_only`` as ``ApplicationCache`` has them, kept on disk by ``save``."""

    def __init__(self, git_dir: str, config: Config) -> None:
        self._store = BlobCache.load(git_dir, fingerprint(config), FILE_NAME)
        self._config = config
        self._keys: dict[str, Key] = {}  # shown path -> the stored version read this run
        self._paths: dict[str, str] = {}  # shown path -> file path, for the files given slim
        self.reads = 0  # files read (for tests and benchmarks)

    def load(self, path: str, shown: str, config: Config) -> Application:
        """Like ``check.load_application``; the stored slim version when the file's stamp is unchanged."""
        stamp = file_key(path)
        if stamp is None:
            return self._read(path, shown, config)
        key = (shown, f"{path}\0{stamp}\0{config.max_file_bytes}")
        found = self._store.apps.get(key)
        if found is not None:
            self._keys[shown] = key
            self._paths[shown] = path
            return found
        before = time.time_ns()
        app = self._read(path, shown, config)
        if before - max(stamp[3], stamp[4]) > appcache.SETTLED_NS and file_key(path) == stamp:
            self._store.put(key, app)
            self._keys[shown] = key
        return app

    def check_one(self, app: Application, context: CheckContext) -> list[Problem]:
        """Like ``rules.check_application``; a slim version's problems come from the store or its file read in full."""
        key = self._keys.get(app.path)
        if key is None:
            return check_application(app, context)
        day = context.today.isoformat()
        found = self._store.problems_on(key, day)
        if found is not None:
            return list(found)
        path = self._paths.get(app.path)
        full = app if path is None else self._read(path, app.path, context.config)
        problems = check_application(full, context)
        if path is None or key[1] == f"{path}\0{file_key(path)}\0{context.config.max_file_bytes}":
            self._store.put_problems(key, day, tuple(problems))
        return problems

    def keep_only(self, shown: Iterable[str]) -> None:
        """Nothing to do until ``save``: it keeps only the versions read this run."""

    def save(self) -> None:
        """Best effort, and only once enough is new (``BlobCache.save``)."""
        self._store.save(set(self._keys.values()))

    def _read(self, path: str, shown: str, config: Config) -> Application:
        self.reads += 1
        return load_application(path, shown, config)
