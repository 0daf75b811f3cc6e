"""What a git hook says when the repository or the checkout refuses its writes.

The hooks run inside someone else's command (``git commit``), so a refusal is
one line naming the file and what to do: the pre-commit hook stops the commit
(exit 1); a post-* hook never fails git (exit 0) and says how to regenerate.
"""

from __future__ import annotations

import errno
import os

from .errors import JobtrailError, from_environment
from .settle import GENERATED

REGENERATE = "make it writable, then run `jobtrail index` to regenerate"


def git_cannot_write(root: str, git_says: str) -> JobtrailError:
    """The pre-commit hook could not write git's index or objects: the commit cannot be made."""
    return JobtrailError(
        f"the commit is stopped: git cannot write in this repository ({git_says}): make the .git folder"
        f" writable for you (or commit as its owner), then commit again; nothing was changed in {root}"
    )


def not_written(exc: OSError) -> JobtrailError | None:
    """Which generated file could not be written, where and why; None when ``exc`` is not a refusal."""
    if from_environment(exc) is None:
        return None
    where = os.fsdecode(exc.filename) if isinstance(exc.filename, str | bytes) else ""
    folder, base = os.path.split(where)
    if base.startswith(".") and base.endswith(".tmp"):  # write_atomic's temporary file: its folder refused it
        base, where = base[1:].rsplit(".", 2)[0], folder or "."
    names = base if base in GENERATED else " and ".join(GENERATED)
    return JobtrailError(f"{names} could not be written ({where or 'the checkout'}: {exc.strerror}): {REGENERATE}")


def cannot_write_here(path: str) -> str:
    """Out-of-date generated files that ``path`` (see ``unwritable``) keeps from being written."""
    return f"{' and '.join(GENERATED)} could not be written ({path}: {os.strerror(errno.EACCES)}): {REGENERATE}"


def unwritable(root: str) -> str | None:
    """The first generated file (or the folder a missing one goes in) this process may not write."""
    for name in GENERATED:
        path = os.path.join(root, name)
        target = path if os.path.lexists(path) else root
        if not os.access(target, os.W_OK):
            return target
    if not os.access(root, os.W_OK):  # write_atomic makes its temporary file beside the file
        return root
    return None
