"""The generated files the pre-commit hook puts into the index, and settling them after the commit.

The hook writes them into git's index with the skip-worktree bit, so pre-commit's
``git diff`` and its stash of unstaged changes leave them out; after the commit
``settle`` (post-commit, post-merge) clears the bit and brings the work tree
copies to the committed ones (docs/commit-loop.md).
"""

from __future__ import annotations

import json
import os

from . import git
from .files import locked, read_or_none, write_atomic
from .gittree import Entry, read_blobs, tree_entries
from .render import HISTORY_FILE, INDEX_FILE
from .repository import Repository

GENERATED = (INDEX_FILE, HISTORY_FILE)


def _state_path(repo: Repository) -> str:
    return os.path.join(repo.git_dir, "jobtrail", "staged.json")


def write_into_index(repo: Repository, files: dict[str, bytes], entries: dict[str, Entry | None]) -> None:
    """Stage ``files`` (keeping each entry's mode) with the skip-worktree bit, and note them for ``settle``."""
    written: dict[str, str] = {}
    lines = []
    for name, data in files.items():
        sha = git.run(repo.root, "hash-object", "-w", "--stdin", input=data).decode().strip()
        entry = entries.get(name)
        lines.append(f"{entry.mode if entry else '100644'} {sha}\t{name}\n")
        written[name] = sha
    git.run(repo.root, "update-index", "--add", "--index-info", input="".join(lines).encode())
    git.run(repo.root, "update-index", "--skip-worktree", "--", *files)
    # What settle() looks for after the commit (a partial commit's index is thrown away).
    try:
        os.makedirs(os.path.dirname(_state_path(repo)), exist_ok=True)
        write_atomic(_state_path(repo), json.dumps(written).encode())
    except OSError:
        pass


def _read_state(repo: Repository) -> dict[str, str]:
    try:
        with open(_state_path(repo), "rb") as handle:
            data = json.loads(handle.read(4096))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {name: sha for name, sha in data.items() if name in GENERATED and isinstance(sha, str)}


def _marked(repo: Repository) -> dict[str, str]:
    """Generated files with the skip-worktree bit in the index: ``name -> staged blob``."""
    out = git.output_or_none(repo.root, "ls-files", "-v", "-s", "-z", "--", *GENERATED) or b""
    marked = {}
    for record in out.split(b"\0"):
        if record[:2] == b"S ":
            meta, _, name = record[2:].partition(b"\t")
            marked[name.decode()] = meta.split()[1].decode()
    return marked


def settle(repo: Repository, *, lock_timeout: float | None = None) -> tuple[str, ...]:
    """After a commit the hook staged for: the index and the work tree hold the committed files.

    Returns the work tree files rewritten. Files the hook did not stage for this
    commit are left as they are (``regenerate`` looks after them).
    """
    state = _read_state(repo)
    marked = _marked(repo)
    if not state and not marked:
        return ()
    committed = (
        tree_entries(repo, "HEAD", *GENERATED)
        if git.output_or_none(repo.root, "rev-parse", "-q", "--verify", "HEAD")
        else {}
    )
    ours = {
        name: entry
        for name, entry in committed.items()
        if state.get(name) == entry.sha or marked.get(name) == entry.sha
    }
    written: list[str] = []
    if ours:
        lines = "".join(f"{entry.mode} {entry.sha}\t{name}\n" for name, entry in ours.items())
        git.run(repo.root, "update-index", "--no-skip-worktree", "--index-info", input=lines.encode())
        blobs = read_blobs(repo, {entry.sha for entry in ours.values()})
        with locked(
            os.path.join(repo.git_dir, "jobtrail-index.lock"),
            timeout=lock_timeout,
            waiting_for="write " + " and ".join(ours),
        ):
            for name, entry in ours.items():
                data = blobs[entry.sha]
                path = os.path.join(repo.root, name)
                if data is not None and read_or_none(path) != data:
                    write_atomic(path, data)
                    written.append(name)
        git.output_or_none(repo.root, "update-index", "-q", "--refresh", "--", *ours)
    clear_marks(repo)
    return tuple(written)


def clear_marks(repo: Repository) -> None:
    """Drop the skip-worktree bits and the note a commit that never happened left behind."""
    leftover = _marked(repo)
    if leftover:
        git.output_or_none(repo.root, "update-index", "--no-skip-worktree", "--", *leftover)
    try:
        os.unlink(_state_path(repo))
    except OSError:
        pass
