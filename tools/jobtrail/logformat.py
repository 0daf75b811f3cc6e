"""What ``git log --raw -z`` prints for jobtrail, and its parsing into ``LogCommit`` records (pure).

The format and the parser live together: they must agree byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

NULL_SHA = "0" * 40
RECORD = b"\x1e"
FIELD = "\x1f"
# sha, parents, author date (ISO, the author's own zone), author epoch
FORMAT = "--format=%x1e%H%x1f%P%x1f%aI%x1f%at"
_SUBMODULE = b"160000"


class FileChange(NamedTuple):
    """One path's change in a commit, as the walk sees it (T counts as M, C as A)."""

    kind: str  # A, M, D or R
    old_blob: str | None
    new_blob: str | None
    old_path: str | None  # R only: where the file was
    path: str


class LogCommit(NamedTuple):
    sha: str
    parents: tuple[str, ...]
    date: str  # the author date, in the author's own time zone, YYYY-MM-DD
    epoch: int
    changes: tuple[FileChange, ...]


def _blob(sha: str) -> str | None:
    return None if sha == NULL_SHA else sha


def parse_log_record(record: bytes, is_application: Callable[[str], bool]) -> LogCommit | None:
    """One ``\\x1e``-separated record of ``git log --raw -z`` with ``FORMAT``; None for an empty one."""
    header, _, body = record.partition(b"\0")
    if not header.strip():
        return None
    sha, parents, iso, epoch = header.decode("utf-8", "replace").strip("\n").split(FIELD)
    tokens = body.lstrip(b"\n").split(b"\0")
    changes: list[FileChange] = []
    index = 0
    while index < len(tokens):
        meta = tokens[index]
        index += 1
        if not meta.startswith(b":"):
            continue
        fields = meta[1:].split(b" ")
        # A submodule's entry (mode 160000) names a commit of another repository: no file version to read.
        old_blob = NULL_SHA if fields[0] == _SUBMODULE else fields[2].decode()
        new_blob = NULL_SHA if fields[1] == _SUBMODULE else fields[3].decode()
        kind = fields[4][:1].decode()
        old_path = tokens[index].decode("utf-8", "surrogateescape")
        index += 1
        path = old_path
        if kind in ("R", "C"):
            path = tokens[index].decode("utf-8", "surrogateescape")
            index += 1
        kind = {"T": "M", "C": "A"}.get(kind, kind)
        if kind == "R" and not is_application(old_path):
            kind = "A"
        if not is_application(path):
            if kind == "R":  # renamed out of the folder: gone, as far as we can tell
                changes.append(FileChange("D", _blob(old_blob), None, None, old_path))
            continue
        changes.append(FileChange(kind, _blob(old_blob), _blob(new_blob), old_path if kind == "R" else None, path))
    return LogCommit(sha, tuple(parents.split()), iso[:10], int(epoch), tuple(changes))
