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
render. A file modified less than ``appcache.SETTLED_NS`` before the key was
taken is racy (git's rule: a write within the same clock tick can keep the
stamp): the memo keeps its content's digest too, and a later run compares it
(as git re-reads a racy index entry). Nothing is stored when an application is
a symlink or anything but a regular file, or when the inputs changed during the
render.

The pre-commit hook keeps its rendering under the tree it rendered
(``staged_key``); the next `jobtrail index` hands it on to the work tree's key when
the work tree holds exactly the commit it rendered (``recall_inputs``), so
`jobtrail index` right after a commit renders nothing either. The post-commit
hook leaves that to it: the check needs the work tree's key, one git status
and a stamp of every application, which `jobtrail index` takes anyway. Read with a size bound, no symlink followed, a checksum and type checks:
anything unexpected is ignored (the files are rendered) and rewritten.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import time
from collections.abc import Iterable
from typing import NamedTuple

from . import appcache, git
from .appcache import file_key
from .blobcache import fingerprint
from .cachefile import expect_int, expect_list, expect_str, frame, read_bounded, unframe
from .files import application_files, write_atomic
from .problem import Problem
from .repository import Repository
from .worktree import applications_status

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


def digest(data: bytes | memoryview) -> str:
    return hashlib.sha1(data).hexdigest()


def _checksum(body: bytes | memoryview) -> bytes:
    return digest(body).encode()


class Inputs(NamedTuple):
    key: str
    clean: bool  # git status shows no change under the applications folder
    paths: str  # the digest of the application paths listed (``paths_digest``)
    racy: dict[str, str]  # repository-relative path -> content digest, for files modified just now
    head: str | None  # the commit git status found checked out (None: no commit yet)


def inputs(repo: Repository, today: datetime.date) -> Inputs | None:
    """The key of everything the generated files depend on, or None when a file cannot be named by it."""
    config = repo.config
    status = applications_status(repo)
    hashed = hashlib.sha1()
    head = json.dumps([context(repo), today.isoformat(), sorted(repo.operations_in_progress())])
    hashed.update(head.encode("utf-8", "surrogateescape"))
    hashed.update(b"\0status\0")
    hashed.update(status)
    hashed.update(b"\0stamps\0")
    listed = []
    rows = []
    racy: dict[str, str] = {}
    settled_before = time.time_ns() - appcache.SETTLED_NS
    folder = config.applications_dir
    for path, below, symlink in application_files(config.applications_path):
        stamp = None if symlink else file_key(path)
        if stamp is None:  # a symlink (its target can change unseen), or gone since listed
            return None
        device, inode, size, modified, changed = stamp
        relative = f"{folder}/{below}"
        listed.append(relative)
        if max(modified, changed) >= settled_before:  # a write within the same tick can keep the stamp
            content = _content(path)
            if content is None:
                return None
            racy[relative] = content
        # str(stamp), spelled out: the same key text, a third faster at 50,000 files
        rows.append(f"{relative}\0({device}, {inode}, {size}, {modified}, {changed})\n")
    hashed.update("".join(rows).encode("utf-8", "surrogateescape"))
    records = status.split(b"\0")
    clean = all(not record or record.startswith(b"# ") for record in records)
    oid = next((record[13:].decode() for record in records if record.startswith(b"# branch.oid ")), "(initial)")
    return Inputs(hashed.hexdigest(), clean, paths_digest(listed), racy, None if oid == "(initial)" else oid)


def _content(path: str) -> str | None:
    data = read_bounded(path, 64 << 20)
    return None if data is None else digest(data)


def same_content(root: str, racy: dict[str, str]) -> bool:
    """The files that were racy hold what they held then."""
    return all(_content(os.path.join(root, *path.split("/"))) == found for path, found in racy.items())


def paths_digest(paths: Iterable[str]) -> str:
    listed = hashlib.sha1()
    for path in sorted(paths):
        listed.update(path.encode("utf-8", "surrogateescape") + b"\0")
    return listed.hexdigest()


def context(repo: Repository) -> str:
    """What the files depend on besides the applications and the commits: the configuration (the
    workflow, the template, the limits) and what else decides HEAD's history (replace refs, grafts,
    the shallow boundary), as one digest."""
    data = json.dumps([VERSION, fingerprint(repo.config), repo.graph_identity()], default=str)
    return digest(data.encode("utf-8", "surrogateescape"))


def staged_key(repo: Repository, folder: str, parents: Iterable[str], day: datetime.date, paths: str) -> str:
    """The key the pre-commit hook keeps its rendering under: the applications folder's tree it rendered,
    the parents and the author's day of the commit being made, the application paths in the folder, and
    the ``context`` it rendered in."""
    return f"staged {folder} {' '.join(parents)} {day.isoformat()} {paths} {context(repo)}"


def recall_inputs(repo: Repository, found: Inputs) -> Recalled | None:
    """What the memo holds for ``found``: the rendering of the last run with the same key or, right after a
    commit, the pre-commit hook's rendering of it (``_is_staged_for``), kept under ``found`` from then on."""
    memo = _load(repo)
    if memo is None:
        return None
    key, recalled, racy = memo
    if key == found.key:
        return recalled if same_content(repo.root, racy) else None
    if key.startswith("staged ") and _is_staged_for(repo, key, found):
        remember(repo.git_dir, found, recalled)
        return recalled
    return None


def _is_staged_for(repo: Repository, key: str, found: Inputs) -> bool:
    """The pre-commit hook's ``key`` is the work tree's: the commit checked out is the one it rendered (its
    applications folder, parents and author's day) and the work tree holds exactly the committed
    applications (git status shows nothing under the folder, and no application file git does not track,
    an ignored one, is listed). The files do not depend on the day the work tree's key names: with nothing
    uncommitted they are rendered as of the newest date in the history, never the clock."""
    if not found.clean or found.head is None:
        return False
    folder = git.output_or_none(
        repo.root, "rev-parse", "-q", "--verify", f"{found.head}:{repo.config.applications_dir}"
    )
    made = git.output_or_none(repo.root, "log", "-1", "--format=%P%n%ad", "--date=format:%Y-%m-%d", found.head)
    if folder is None or made is None:
        return False
    parents, _, day = made.decode().strip().partition("\n")
    try:
        authored = datetime.date.fromisoformat(day)
    except ValueError:
        return False
    return key == staged_key(repo, folder.decode().strip(), parents.split(), authored, found.paths)


def _load(repo: Repository) -> tuple[str, Recalled, dict[str, str]] | None:
    """The memo's key, what it keeps and its racy files' digests; None when it is missing, torn or of another shape."""
    data = read_bounded(memo_path(repo.git_dir), MAX_BYTES)
    if data is None:
        return None
    value = unframe(data, _MAGIC, _checksum)
    try:
        if not isinstance(value, dict) or value.get("version") != VERSION:
            return None
        found = Recalled(_digests(value["digests"]), _counts(value["counts"]), _problems(value["problems"]))
        return expect_str(value["key"]), found, _digests(value["racy"])
    except (ValueError, TypeError, KeyError):  # ValueError: a row of the wrong length
        return None


def remember(git_dir: str, key: Inputs | str, recalled: Recalled) -> None:
    """Keep ``recalled`` for ``key`` (best effort: a memo that cannot be written costs speed only)."""
    value = {
        "version": VERSION,
        "key": key if isinstance(key, str) else key.key,
        "racy": {} if isinstance(key, str) else key.racy,
        "digests": recalled.digests,
        "counts": [list(pair) for pair in recalled.counts],
        "problems": [list(problem) for problem in recalled.problems],
    }
    body = json.dumps(value, separators=(",", ":")).encode()
    try:
        os.makedirs(os.path.dirname(memo_path(git_dir)), exist_ok=True)
        write_atomic(memo_path(git_dir), frame(_MAGIC, _checksum, body))
    except OSError:
        pass


def _digests(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return {expect_str(name): expect_str(found) for name, found in value.items()}


def _counts(value: object) -> tuple[tuple[str, int], ...]:
    pairs = []
    for pair in expect_list(value):
        status, count = expect_list(pair)
        pairs.append((expect_str(status), expect_int(count)))
    return tuple(pairs)


def _problems(value: object) -> tuple[Problem, ...]:
    problems = []
    for item in expect_list(value):
        path, line, column, code, severity, message = expect_list(item)
        if severity not in ("error", "warning"):
            raise TypeError("expected a severity")
        problems.append(
            Problem(
                expect_str(path), expect_int(line), expect_int(column), expect_str(code), severity, expect_str(message)
            )
        )
    return tuple(problems)
