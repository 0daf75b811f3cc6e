"""Errors that end a command with a clear message instead of a traceback."""

from __future__ import annotations


class JobtrailError(Exception):
    """A user-facing failure: the message says what is wrong and what to do. Exit 1."""

    exit_code = 1


class UsageError(JobtrailError):
    """The command line itself is wrong. Exit 2."""

    exit_code = 2


def from_environment(exc: BaseException) -> JobtrailError | None:
    """The clear error for what the machine refused (no permission, a read-only or a full disk), else None.

    A read-only checkout can still be checked, listed and read; what writes
    (``index``, ``status``, ``new``, the watcher) says which file it could not
    write instead of a traceback.
    """
    import errno
    import os

    refusals = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT}
    if not isinstance(exc, OSError) or exc.errno not in refusals:
        return None
    where = os.fsdecode(exc.filename) if isinstance(exc.filename, str | bytes) else "a file"
    name = os.path.basename(where)
    if name.startswith(".") and name.endswith(".tmp"):  # the temporary file beside the one we were writing
        where = os.path.dirname(where) or "."
    advice = (
        "free some space"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT)
        else "make it writable, or run jobtrail where you may write (check, list and history only read)"
    )
    return JobtrailError(f"{where}: cannot write ({exc.strerror}): {advice}")
