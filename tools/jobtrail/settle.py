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
from .config import MAX_FILE_BYTES
from .files import locked, read_or_none, write_atomic
from .gittree import Entry, read_blobs, tree_entries
from .repository import Repository

# render.INDEX_FILE and render.HISTORY_FILE, named here too: the post-commit hook does not import the
# renderer (~25 ms of its start; tests/test_settle.py checks they agree).
GENERATED = ("INDEX.md", "HISTORY.md")


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


def _index_entries(repo: Repository) -> dict[str, tuple[str, str, bool]]:
    """The generated files' index entries: ``name -> (mode, blob, skip-worktree bit)``."""
    out = git.output_or_none(repo.root, "ls-files", "-v", "-s", "-z", "--", *GENERATED) or b""
    entries = {}
    for record in out.split(b"\0"):
        tag, _, rest = record.partition(b" ")
        meta, _, name = rest.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[2] == b"0":  # stage 0: not a side of a conflict
            entries[name.decode()] = (fields[0].decode(), fields[1].decode(), tag == b"S")
    return entries


def _marked(repo: Repository) -> dict[str, str]:
    """Generated files with the skip-worktree bit in the index: ``name -> staged blob``."""
    return {name: sha for name, (_mode, sha, bit) in _index_entries(repo).items() if bit}


def settle(repo: Repository, *, lock_timeout: float | None = None) -> tuple[str, ...]:
    """After a commit the hook staged for: the index and the work tree hold the committed files.

    Returns the work tree files rewritten. Files the hook did not stage for this
    commit are left as they are (``regenerate`` looks after them).
    """
    state = _read_state(repo)
    marked = {} if state else _marked(repo)
    if not state and not marked:
        return ()
    committed = (
        tree_entries(repo, "HEAD", *GENERATED)
        if git.output_or_none(repo.root, "rev-parse", "-q", "--verify", "HEAD")
        else {}
    )
    ours = {name: entry for name, entry in committed.items() if state.get(name) == entry.sha}
    if len(ours) < len(GENERATED):  # the note does not account for every file: a mark may (reading the index)
        marked = marked or _marked(repo)
        ours.update((name, entry) for name, entry in committed.items() if marked.get(name) == entry.sha)
    written: list[str] = []
    if ours:
        # Generated files grow with the applications (~20 MB at 50,000): not the applications' size bound.
        blobs = read_blobs(repo, {entry.sha for entry in ours.values()}, MAX_FILE_BYTES)
        try:
            with locked(
                os.path.join(repo.git_dir, "jobtrail-index.lock"),
                timeout=lock_timeout,
                waiting_for="write " + " and ".join(ours),
            ):
                held = []
                for name, entry in ours.items():
                    data = blobs[entry.sha]
                    path = os.path.join(repo.root, name)
                    if data is not None and not _holds(path, data):
                        write_atomic(path, data)
                        written.append(name)
                    if data is not None and entry.mode == "100644":  # the mode write_atomic gives a new file
                        held.append(name)
                _take_from_work_tree(repo, held)
        finally:  # the work tree copies written or not, the index holds the committed files, without the bit
            _stage(repo, ours)
    leftover = [name for name in marked if name not in ours]
    if leftover:  # staged by a commit that never happened (an empty message, a failing commit-msg hook)
        git.output_or_none(repo.root, "update-index", "--no-skip-worktree", "--", *leftover)
    _forget_state(repo)
    return tuple(written)


def _take_from_work_tree(repo: Repository, names: list[str]) -> None:
    """Index entries made from the work tree copies of ``names`` (holding the committed blobs), with their
    stat, so that `git status` does not read them again; in one index write: with ``--remove``, the first
    mention of a path drops its skip-worktree entry (what git documents for such entries), the second adds
    the file, hashing it once. Written after the files, the index is newer than they are (or git would take
    them as "racily clean" and hash them again at each index write)."""
    if names:
        twice = [mention for name in names for mention in (name, name)]
        git.output_or_none(repo.root, "update-index", "--remove", "--add", "--", *twice)


def _stage(repo: Repository, committed: dict[str, Entry]) -> None:
    """The index holds ``committed``, without the skip-worktree bit. An entry already so is kept (with the
    stat ``_take_from_work_tree`` gave it); a work tree copy that went missing or changed meanwhile is then
    a change in the work tree, never a staged one."""
    found = _index_entries(repo)
    wrong = [name for name, entry in committed.items() if found.get(name) != (entry.mode, entry.sha, False)]
    if wrong:
        lines = "".join(f"{committed[name].mode} {committed[name].sha}\t{name}\n" for name in wrong)
        git.run(repo.root, "update-index", "--no-skip-worktree", "--index-info", input=lines.encode())


def _holds(path: str, data: bytes) -> bool:
    """The file at ``path`` holds ``data`` (another size is told by its stat, without reading it)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
    except OSError:
        return False
    return read_or_none(path) == data


def clear_marks(repo: Repository) -> None:
    """Drop the skip-worktree bits and the note a commit that never happened left behind."""
    leftover = _marked(repo)
    if leftover:
        git.output_or_none(repo.root, "update-index", "--no-skip-worktree", "--", *leftover)
    _forget_state(repo)


def _forget_state(repo: Repository) -> None:
    try:
        os.unlink(_state_path(repo))
    except OSError:
        pass
