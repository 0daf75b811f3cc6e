"""HEAD and the uncommitted changes under the applications folder, read from one ``git status``."""

from __future__ import annotations

from . import git
from .repository import Repository


class WorkTreeChange:
    __slots__ = ("head_blob", "original_path", "path")

    def __init__(self, path: str, head_blob: str | None, original_path: str | None = None) -> None:
        self.path = path
        self.head_blob = head_blob  # the blob at HEAD (None for a new file)
        self.original_path = original_path  # before a staged rename


class WorkTreeState:
    __slots__ = ("changes", "head")

    def __init__(self, head: str | None, changes: dict[str, WorkTreeChange]) -> None:
        self.head = head  # None: no commits yet
        self.changes = changes


def _blob(sha: str) -> str | None:
    return None if sha == git.NULL_SHA else sha


def applications_status(repo: Repository) -> bytes:
    """``git status`` of the applications folder: the branch header, then each change (NUL-separated)."""
    return git.run(
        repo.root,
        "status",
        "--porcelain=v2",
        "--branch",
        "-z",
        "--untracked-files=all",
        "--renames",
        "--",
        repo.applications_dir,
    )


def work_tree_state(repo: Repository) -> WorkTreeState:
    """HEAD and the uncommitted changes under the applications folder, in one ``git status``."""
    out = applications_status(repo)
    head: str | None = None
    changes: dict[str, WorkTreeChange] = {}
    tokens = out.split(b"\0")
    index = 0
    while index < len(tokens):
        token = tokens[index].decode("utf-8", "surrogateescape")
        index += 1
        if token.startswith("# branch.oid "):
            oid = token.split(" ", 2)[2]
            head = None if oid == "(initial)" else oid
        elif token.startswith("1 "):
            parts = token.split(" ", 8)
            changes[parts[8]] = WorkTreeChange(parts[8], _blob(parts[6]))
        elif token.startswith("2 "):
            parts = token.split(" ", 9)
            original = tokens[index].decode("utf-8", "surrogateescape")
            index += 1
            changes[parts[9]] = WorkTreeChange(parts[9], _blob(parts[6]), original)
        elif token.startswith("u "):
            parts = token.split(" ", 10)  # u XY sub m1 m2 m3 mW h1 h2 h3 path: h2 is ours, HEAD's
            changes[parts[10]] = WorkTreeChange(parts[10], _blob(parts[8]))
        elif token.startswith("? "):
            changes[token[2:]] = WorkTreeChange(token[2:], None)
    return WorkTreeState(head, changes)
