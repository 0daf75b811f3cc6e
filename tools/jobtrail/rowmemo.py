"""The rows the pre-commit hook rendered, kept for the next commit: it re-reads only the files that commit changes.

At 50,000 applications, parsing every file, reading every history and making
every row again took the hook seconds, for a commit that changes one file. A
row depends on its file's version, that file's history and the configuration,
never on the as-of date (``rows``). On a commit with one parent, an application
whose blob is the one it had at the parent has the history it had there (its
versions and their commits are the same; nothing the new commit does reaches
it), so its row is the row the hook made for the parent.

For the commit the hook staged (named by ``commit_key``: its tree, parents,
author's day and the ``outputmemo.context``) the memo
keeps each application's blob, row, per-file problems as of one date, what the
duplicate rule compares, and the history walk's version of the file (read only
when the file changes: the next commit's walk starts from it). Only regular
files are kept: a symlink's content is the work tree's, not the commit's.

``.git/jobtrail/rows.json`` holds a whole memo (the base); ``rows-next.json``
the latest few memos as their differences from it (a commit changes a file or
two; a commit aborted after the hook, or the hook run by hand, leaves HEAD's
memo there). Both are read with a size bound and a checksum, and decoded into
their types by msgspec, which checks every value: anything unexpected reads as
nothing (the hook renders in full) and is rewritten.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
from collections.abc import Iterable
from typing import NamedTuple

import msgspec

from .cachefile import frame, read_bounded, unframe_bytes
from .files import write_atomic
from .model import APPLICATION_DATE, Application
from .parse import iso_date
from .problem import Problem
from .rows import Row
from .walk import Version

VERSION = 2
BASE_NAME = "rows.json"
NEXT_NAME = "rows-next.json"
MAX_BYTES = 1 << 30
REWRITE_BASE_AFTER = 256  # entries changed since the base file was written
KEEP_NEXT = 8  # the latest memos kept against one base
_MAGIC = b"jobtrail-rows"

DuplicateKey = tuple[str, str, int]  # the company and position as the duplicate rule compares them, the line


class Kept(NamedTuple):
    """One application as the hook left it."""

    blob: str
    row: Row
    problems: tuple[Problem, ...]  # the per-file rules' problems as of ``Memo.day``
    duplicate: DuplicateKey | None
    application_date: datetime.date | None  # the rule for a date in the future depends on the day
    version: msgspec.Raw  # the walk's Version of the file, as JSON: read only when the file changes


class Memo(NamedTuple):
    key: str
    day: datetime.date  # the date the problems were found as of
    kept: dict[str, Kept]  # path -> application
    base: str | None = None  # the key of the base file it was read from (None: it is not in one)
    since_base: frozenset[str] = frozenset()  # the paths whose entry differs from the base file's


class _Base(msgspec.Struct, forbid_unknown_fields=True):
    version: int
    key: str
    day: datetime.date
    kept: list[Kept]


class _Next(msgspec.Struct, forbid_unknown_fields=True):
    base: str
    key: str
    day: datetime.date
    kept: list[Kept]  # the entries that differ from the base's
    removed: list[str]  # the paths the base has and this memo has not


class _Nexts(msgspec.Struct, forbid_unknown_fields=True):
    version: int
    memos: list[_Next]


def _checksum(body: bytes | memoryview) -> bytes:
    return hashlib.sha1(body).hexdigest().encode()


def _path(git_dir: str, name: str) -> str:
    return os.path.join(git_dir, "jobtrail", name)


def commit_key(tree: str, parents: Iterable[str], day: datetime.date, context: str) -> str:
    return f"{tree} {' '.join(parents)} {day.isoformat()} {context}"


def keep(
    blob: str,
    row: Row,
    problems: tuple[Problem, ...],
    duplicate: DuplicateKey | None,
    app: Application,
    version: Version,
) -> Kept:
    """What the memo keeps of an application read in full (``app``, the file's version ``blob``)."""
    return Kept(blob, row, problems, duplicate, iso_date(app.text(APPLICATION_DATE)), version_json(version))


def version_json(version: Version) -> msgspec.Raw:
    return msgspec.Raw(msgspec.json.encode(version))


def version_of(kept: Kept) -> Version:
    """The walk's version ``kept`` holds (msgspec.ValidationError, a ValueError, when it is not one)."""
    return msgspec.json.decode(kept.version, type=Version)


def save(git_dir: str, memo: Memo) -> None:
    """Best effort: a memo that cannot be written costs the next commit time only.

    While fewer than ``REWRITE_BASE_AFTER`` entries differ from the base file it was
    read from, only those are written, as one of the ``KEEP_NEXT`` latest memos in
    ``rows-next.json``; else the whole memo becomes the base.
    """
    if memo.base is not None and len(memo.since_base) <= REWRITE_BASE_AFTER:
        entry = _Next(
            memo.base,
            memo.key,
            memo.day,
            [memo.kept[path] for path in sorted(memo.since_base) if path in memo.kept],
            sorted(path for path in memo.since_base if path not in memo.kept),
        )
        earlier = [found for found in _nexts(git_dir) if found.base == memo.base and found.key != memo.key]
        _write(git_dir, NEXT_NAME, _Nexts(VERSION, [*earlier[-(KEEP_NEXT - 1) :], entry]))
        return
    if _write(git_dir, BASE_NAME, _Base(VERSION, memo.key, memo.day, list(memo.kept.values()))):
        with contextlib.suppress(OSError):
            os.unlink(_path(git_dir, NEXT_NAME))


def _write(git_dir: str, name: str, value: msgspec.Struct) -> bool:
    try:
        os.makedirs(os.path.join(git_dir, "jobtrail"), exist_ok=True)
        write_atomic(_path(git_dir, name), frame(_MAGIC, _checksum, msgspec.json.encode(value)))
    except (OSError, TypeError, ValueError):  # ValueError: a text git gave that is not UTF-8
        return False
    return True


def _decoded(git_dir: str, name: str, kind: type[msgspec.Struct]) -> msgspec.Struct | None:
    data = read_bounded(_path(git_dir, name), MAX_BYTES)
    body = unframe_bytes(data, _MAGIC, _checksum) if data is not None else None
    if body is None:
        return None
    try:
        found = msgspec.json.decode(body, type=kind)
    except (msgspec.DecodeError, RecursionError):  # ValidationError is a DecodeError
        return None
    return found if getattr(found, "version", VERSION) == VERSION else None


def _nexts(git_dir: str) -> list[_Next]:
    found = _decoded(git_dir, NEXT_NAME, _Nexts)
    return found.memos if isinstance(found, _Nexts) else []


def load(git_dir: str, key: str) -> Memo | None:
    """The memo kept under ``key``; None when there is none, or it is another commit's, torn or of another shape."""
    base = _decoded(git_dir, BASE_NAME, _Base)
    if not isinstance(base, _Base):
        return None
    kept = {found.row.path: found for found in base.kept}
    if base.key == key:
        return Memo(key, base.day, kept, key)
    following = next((found for found in reversed(_nexts(git_dir)) if found.key == key), None)
    if following is None or following.base != base.key:
        return None
    for path in following.removed:
        kept.pop(path, None)
    kept.update((found.row.path, found) for found in following.kept)
    changed = frozenset((*following.removed, *(found.row.path for found in following.kept)))
    return Memo(key, following.day, kept, base.key, changed)
