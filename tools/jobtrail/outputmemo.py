"""The last regeneration's inputs and what it produced: `jobtrail index` with nothing changed renders nothing.

At 50,000 applications rendering both generated files takes seconds; a repeated
`jobtrail index` (the watcher's first run, an editor's save hook, a post-checkout
hook back on the same commit) would render the very same bytes. What the files
are a function of is named by a key taken before the render:

- the configuration (``fingerprint``: the workflow, the template, the limits),
  the date the run takes as today, what else decides HEAD's history
  (``Repository.graph_identity``) and any git operation in progress;
- one ``git status`` of the applications folder (HEAD's commit, and every
  staged, modified and untracked application with its blob ids);
- every application file's stamp (path, device, inode, size, modification and
  change times): a content change that git status cannot show (an edit to a
  file already modified) changes it.

The memo (``.git/jobtrail/output.json``) keeps, for one key, the SHA-1 of both
files as rendered, the status counts and the problems. A later run with the
same key and both files on disk still equal to those digests has nothing to
render. It is never stored when a stamp cannot be trusted: a file modified
less than ``appcache.SETTLED_NS`` before the key was taken (git's "racy" rule),
a symlink or anything but a regular file, or when the key changed during the
render. Read with a size bound, no symlink followed, a checksum and type checks:
anything unexpected is ignored (the files are rendered) and rewritten.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from typing import Any, NamedTuple

from . import appcache, git
from .appcache import file_key
from .blobcache import fingerprint
from .files import application_paths, application_relative, write_atomic
from .historycache import read_bounded
from .problem import Problem
from .repository import Repository

VERSION = 1
FILE_NAME = "output.json"
MAX_BYTES = 64 << 20  # the problems of 50,000 invalid files fit many times over
_MAGIC = b"jobtrail-output-memo"


class Recalled(NamedTuple):
    """What a regeneration with this key found: the digests of the files it rendered, counts and problems."""

    digests: dict[str, str]  # generated file name -> SHA-1 of its rendered bytes
    counts: tuple[tuple[str, int], ...]
    problems: tuple[Problem, ...]


def memo_path(git_dir: str) -> str:
    return os.path.join(git_dir, "jobtrail", FILE_NAME)


def digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def input_key(repo: Repository, today: datetime.date) -> str | None:
    """The key of everything the generated files depend on, or None when a file's stamp cannot be trusted."""
    config = repo.config
    status = git.run(
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
    hashed = hashlib.sha1()
    head = json.dumps(
        [
            VERSION,
            fingerprint(config),
            today.isoformat(),
            repo.graph_identity(),
            sorted(repo.operations_in_progress()),
        ],
        default=str,
    )
    hashed.update(head.encode("utf-8", "surrogateescape"))
    hashed.update(b"\0status\0")
    hashed.update(status)
    hashed.update(b"\0stamps\0")
    settled_before = _now_ns() - appcache.SETTLED_NS
    folder = config.applications_dir
    for path in application_paths(config.applications_path):
        stamp = file_key(path)
        if stamp is None or max(stamp[3], stamp[4]) >= settled_before:
            return None
        relative = application_relative(path, config.applications_path, folder)
        hashed.update(f"{relative}\0{stamp}\n".encode("utf-8", "surrogateescape"))
    return hashed.hexdigest()


def _now_ns() -> int:
    import time

    return time.time_ns()


def recall(git_dir: str, key: str) -> Recalled | None:
    """What the memo holds for ``key``; None when it holds another key, or is missing, torn or of another shape."""
    data = read_bounded(memo_path(git_dir), MAX_BYTES)
    if data is None:
        return None
    header, _, body = data.partition(b"\n")
    if header != b"%s %s" % (_MAGIC, digest(body).encode()):
        return None
    try:
        value = json.loads(body)
        if not isinstance(value, dict) or value.get("version") != VERSION or value.get("key") != key:
            return None
        return Recalled(_digests(value["digests"]), _counts(value["counts"]), _problems(value["problems"]))
    except (ValueError, TypeError, KeyError, RecursionError):
        return None


def remember(git_dir: str, key: str, files: dict[str, bytes], recalled: Recalled) -> None:
    """Keep ``recalled`` for ``key`` (best effort: a memo that cannot be written costs speed only)."""
    value = {
        "version": VERSION,
        "key": key,
        "digests": {name: digest(data) for name, data in files.items()},
        "counts": [list(pair) for pair in recalled.counts],
        "problems": [list(problem) for problem in recalled.problems],
    }
    body = json.dumps(value, separators=(",", ":")).encode()
    try:
        os.makedirs(os.path.dirname(memo_path(git_dir)), exist_ok=True)
        write_atomic(memo_path(git_dir), b"%s %s\n%s" % (_MAGIC, digest(body).encode(), body))
    except OSError:
        pass


def _str(value: object) -> str:
    if isinstance(value, str):
        return value
    raise TypeError("expected a string")


def _int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError("expected an integer")


def _list(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    raise TypeError("expected a list")


def _digests(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return {_str(name): _str(found) for name, found in value.items()}


def _counts(value: object) -> tuple[tuple[str, int], ...]:
    pairs = []
    for pair in _list(value):
        status, count = _list(pair)
        pairs.append((_str(status), _int(count)))
    return tuple(pairs)


def _problems(value: object) -> tuple[Problem, ...]:
    problems = []
    for item in _list(value):
        path, line, column, code, severity, message = _list(item)
        if severity not in ("error", "warning"):
            raise TypeError("expected a severity")
        problems.append(Problem(_str(path), _int(line), _int(column), _str(code), severity, _str(message)))
    return tuple(problems)
