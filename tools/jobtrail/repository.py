"""The repository a command works on, opened once and passed down.

``Repository`` holds what every part needs to know about where it runs: the
work tree's top, where git keeps its state (a linked worktree has its own git
dir and shares the common one; a submodule's ``.git`` is a file pointing into
its parent's), the configuration and the applications folder. Opening it reads
a few small files and starts no process: ``jobtrail check`` runs on every commit.
"""

from __future__ import annotations

import os
import stat
from typing import NamedTuple

from .config import Config, load_config
from .files import find_root

# While git is in the middle of one of these, the work tree is not a state to record:
# hooks leave the files alone, and regenerate once the operation ends.
GIT_OPERATIONS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "BISECT_LOG": "a bisect",
}


_MAX_GRAPH_FILE = 64 << 20


def _small_file(path: str) -> str | None:
    """A regular file's content (hashed: a shallow file lists every boundary commit), else a marker."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"unreadable {exc.errno}"
    with open(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_GRAPH_FILE:
            return f"odd {info.st_mode} {info.st_size} {info.st_mtime_ns}"
        import hashlib  # only here: most repositories have none of these files, and it costs ~3 ms

        return hashlib.sha1(handle.read(_MAX_GRAPH_FILE)).hexdigest()


def _refs_under(common_dir: str, base: str) -> list[str]:
    """``name sha`` of every ref under ``base`` (``refs/replace/``), loose and packed, sorted."""
    refs: dict[str, str] = {}
    packed = os.path.join(common_dir, "packed-refs")
    prefix = " " + base
    try:
        with open(packed, "rb") as handle:
            for raw in handle:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                if prefix in line and not line.startswith(("#", "^")):
                    sha, _, name = line.partition(" ")
                    refs[name] = sha
    except OSError:
        pass
    folder = os.path.join(common_dir, *base.strip("/").split("/"))
    for top, _folders, files in os.walk(folder):
        for name in files:
            path = os.path.join(top, name)
            ref = os.path.relpath(path, common_dir).replace(os.sep, "/")
            refs[ref] = _small_file(path) or ""
    return sorted(f"{name} {sha}" for name, sha in refs.items())


def operation_in_progress(git_dir: str) -> str | None:
    """``a merge``, ``a rebase``, ... when git is in the middle of one in ``git_dir``, else None."""
    return next((what for name, what in GIT_OPERATIONS.items() if os.path.exists(os.path.join(git_dir, name))), None)


class GitDirs(NamedTuple):
    git_dir: str  # this work tree's own state: HEAD, index, MERGE_HEAD, ...
    common_dir: str  # shared by all worktrees: objects, refs, config, shallow


def _read_pointer(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            return handle.read(4096).strip()
    except OSError:
        return None


def git_dirs(root: str) -> GitDirs:
    """Where git keeps its state, for a normal repository, a worktree or a submodule.

    GIT_DIR, when set, wins (as it does for every git process jobtrail starts).
    """
    dot_git = os.path.join(root, ".git")
    git_dir = os.environ.get("GIT_DIR") or dot_git
    if git_dir == dot_git and os.path.isfile(dot_git):
        pointer = _read_pointer(dot_git) or ""
        if pointer.startswith("gitdir:"):
            git_dir = os.path.normpath(os.path.join(root, pointer[len("gitdir:") :].strip()))
    common_dir = git_dir
    common = _read_pointer(os.path.join(git_dir, "commondir"))
    if common:
        common_dir = os.path.normpath(os.path.join(git_dir, common))
    return GitDirs(git_dir, common_dir)


class Repository(NamedTuple):
    """Where a command works (a NamedTuple: importing dataclasses would cost ~10 ms on every command)."""

    root: str  # the top of the work tree
    git_dir: str
    common_dir: str
    config: Config

    @property
    def applications_dir(self) -> str:
        """The applications folder relative to the root, with forward slashes (as git spells paths)."""
        return self.config.applications_dir

    @property
    def applications_path(self) -> str:
        return self.config.applications_path

    @property
    def shallow(self) -> bool:
        return os.path.exists(os.path.join(self.common_dir, "shallow"))

    def graph_identity(self) -> list[object]:
        """What, besides HEAD, decides which commits HEAD's history holds: a cached walk is valid only
        while this is unchanged (``git fetch --deepen`` moves the shallow boundary, ``git replace``
        and grafts change parents, without moving HEAD)."""
        replace_base = os.environ.get("GIT_REPLACE_REF_BASE", "refs/replace/")
        return [
            _small_file(os.environ.get("GIT_SHALLOW_FILE") or os.path.join(self.common_dir, "shallow")),
            _small_file(os.environ.get("GIT_GRAFT_FILE") or os.path.join(self.common_dir, "info", "grafts")),
            os.environ.get("GIT_NO_REPLACE_OBJECTS"),
            _refs_under(self.common_dir, replace_base),
        ]

    def operation_in_progress(self) -> str | None:
        """``a merge``, ``a rebase``, ... when git is in the middle of one, else None."""
        return operation_in_progress(self.git_dir)

    def operations_in_progress(self) -> set[str]:
        return {what for name, what in GIT_OPERATIONS.items() if os.path.exists(os.path.join(self.git_dir, name))}


def open_repository(start: str | None = None) -> Repository:
    """The repository containing ``start`` (default: the current folder), with its configuration."""
    return repository_at(find_root(start))


def repository_at(root: str, config: Config | None = None) -> Repository:
    """The repository whose work tree's top is ``root``."""
    dirs = git_dirs(root)
    return Repository(root, dirs.git_dir, dirs.common_dir, config if config is not None else load_config(root))
