"""Trees and blobs as git stores them: a tree's entries, blobs' bytes, a blob's id."""

from __future__ import annotations

from . import git
from .errors import JobtrailError
from .repository import Repository

REGULAR_FILES = ("100644", "100755")
SYMLINK = "120000"


class Entry:
    __slots__ = ("mode", "sha")

    def __init__(self, mode: str, sha: str) -> None:
        self.mode = mode
        self.sha = sha


def tree_entries(repo: Repository, treeish: str, *paths: str) -> dict[str, Entry]:
    """``path -> Entry`` for the files under ``paths`` in a tree or commit."""
    out = git.run(repo.root, "ls-tree", "-r", "-z", "--full-tree", treeish, "--", *paths)
    entries: dict[str, Entry] = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, _kind, sha = meta.decode().split(" ")
        entries[path.decode("utf-8", "surrogateescape")] = Entry(mode, sha)
    return entries


def read_blobs(repo: Repository, shas: set[str], max_bytes: int | None = None) -> dict[str, bytes | None]:
    """Each blob's bytes (None above ``max_bytes``, the applications' size bound unless given)."""
    found: dict[str, bytes | None] = {}

    def keep(sha: str, _kind: bytes, data: bytes | None) -> None:
        found[sha] = data

    bound = repo.config.max_file_bytes if max_bytes is None else max_bytes
    reader = git.ObjectReader(repo.root, keep, bound)
    try:
        for sha in shas:
            reader.ask(sha)
    finally:
        reader.finish()
    if reader.unread:
        raise git_damaged(len(reader.unread))
    return found


def git_damaged(count: int) -> Exception:
    return JobtrailError(
        f"git cannot read {count} staged version(s) of the application files: run `git fsck`,"
        " or `git add` the files again"
    )


def blob_id(data: bytes, like: str = "") -> str:
    """git's object id of a blob holding ``data`` (SHA-256 when ``like`` is one), without a process."""
    import hashlib

    digest = hashlib.sha256 if len(like) == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest()
