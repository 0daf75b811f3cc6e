"""The file system edge: find the repository, read application files safely, write atomically."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import JobtrailError
from .problem import Problem, error

TOO_LARGE = "JT103"
OUTSIDE_REPOSITORY = "JT104"
UNREADABLE = "JT105"


def find_root(start: str | None = None) -> str:
    """The top folder of the git work tree containing ``start`` (default: the current folder)."""
    try:
        here = os.path.abspath(start or os.getcwd())
    except FileNotFoundError:
        raise JobtrailError("the current folder no longer exists: `cd` into the repository again") from None
    if os.environ.get("GIT_DIR"):
        return _top_from_git(here)
    probe = here
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            raise JobtrailError(f"not inside a git repository ({here}): run `jobtrail init` to make one")
        probe = parent


def _top_from_git(here: str) -> str:
    """With GIT_DIR (and GIT_WORK_TREE) set, git alone knows the work tree: ask it, as every git call will."""
    from .git import output_or_none

    top = output_or_none(here, "rev-parse", "--show-toplevel")
    if top is None or not top.strip():
        raise JobtrailError(
            f"GIT_DIR is set ({os.environ['GIT_DIR']}) but git finds no work tree from {here}:"
            " set GIT_WORK_TREE to the folder that holds applications/, or unset GIT_DIR"
        )
    return os.fsdecode(top.rstrip(b"\n"))


def display_path(path: str, root: str) -> str:
    """A path as people type it: relative to the current folder when inside it, else to the root."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    base = cwd if absolute.startswith(cwd + os.sep) else root
    return os.path.relpath(absolute, base).replace(os.sep, "/")


def repo_relative(path: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def is_application_name(relative: str) -> bool:
    """Whether a path below the applications folder (``/``-separated) is an application:
    a ``*.md`` file, at any depth, with no hidden part (``.drafts/``, ``.notes.md``)."""
    if "/" not in relative:  # most names, and the listing asks for each: 50,000 at ~2 us each otherwise
        return relative.endswith(".md") and not relative.startswith(".")
    parts = relative.split("/")
    return parts[-1].endswith(".md") and all(part and not part.startswith(".") for part in parts)


def is_application_path(path: str, folder: str) -> bool:
    """Whether a repository path (as git spells it) is an application in ``folder``."""
    return path.startswith(folder + "/") and is_application_name(path[len(folder) + 1 :])


def application_paths(directory: str) -> list[str]:
    """Every application below the applications folder, sub-folders included, sorted by relative path.

    A symlinked folder is not followed (a link to a parent would never end); a
    symlinked file is listed, and its reading decides.
    """
    return [path for path, _, _ in application_files(directory)]


def application_files(directory: str) -> list[tuple[str, str, bool]]:
    """``application_paths`` with each file's path below ``directory`` (``/``-separated) and whether
    it is a symlink (known from the listing: no system call per file)."""
    found: list[tuple[str, str, bool]] = []
    pending = [("", directory)]
    while pending:
        prefix, folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise JobtrailError(f"{folder}: cannot list the applications folder ({exc.strerror})") from None
        for entry in listed:
            if entry.name.startswith("."):
                continue
            relative = prefix + entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
                is_link = entry.is_symlink()
            except OSError:
                is_folder = is_link = False
            if is_folder:
                pending.append((relative + "/", entry.path))
            elif is_application_name(relative):
                found.append((entry.path, relative, is_link))
    found.sort(key=lambda item: item[1])
    return found


def application_relative(path: str, directory: str, folder: str) -> str:
    """``folder/sub/name.md`` for a path ``application_paths(directory)`` gave (no relpath: it is costly)."""
    return folder + "/" + path[len(directory) :].lstrip(os.sep).replace(os.sep, "/")


def read_named_file(path: str, max_bytes: int, wanted: str, label: str = "") -> bytes:
    """The bytes of a file named on the command line (a sheet, a saved page, a description), at most
    ``max_bytes``; else a JobtrailError naming it (after ``label``, e.g. ``--description``) and saying
    what to give instead (``wanted``: "a saved job page (.html)")."""
    named = f"{label} {path}" if label else path
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise JobtrailError(f"{named}: no such file: give {wanted}") from None
    except IsADirectoryError:
        raise JobtrailError(f"{named}: is a folder: give {wanted}") from None
    except OSError as exc:
        raise JobtrailError(f"{named}: cannot read it ({exc.strerror})") from None
    if len(data) > max_bytes:
        raise JobtrailError(f"{named}: larger than {max_bytes:,} bytes: give {wanted}")
    return data


def read_application(path: str, shown: str, root: str, max_bytes: int) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or the problem that stops us from reading it (never raises)."""
    try:
        if os.path.islink(path):
            target = os.path.realpath(path)
            if os.path.commonpath([target, os.path.realpath(root)]) != os.path.realpath(root):
                return None, error(
                    shown,
                    1,
                    OUTSIDE_REPOSITORY,
                    "symlink points outside the repository: replace it with the file itself",
                )
        if os.path.isdir(path):
            return None, error(shown, 1, UNREADABLE, "is a folder, not an application file")
        # Non-blocking, then a look at what was opened: a FIFO or a device would block
        # `check` (and every commit) forever or never end.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                return None, error(shown, 1, UNREADABLE, "is not a regular file (a pipe or a device): remove it")
            # Sized to the file: read(max_bytes + 1) would allocate a 1 MB buffer for every 6 KB file.
            expected = status.st_size
            data = handle.read(min(expected, max_bytes) + 1)
            if expected < len(data) <= max_bytes:  # it grew while we read
                data += handle.read(max_bytes + 1 - len(data))
    except FileNotFoundError:
        return None, error(shown, 1, UNREADABLE, "no such file: check the path")
    except OSError as exc:
        return None, error(shown, 1, UNREADABLE, f"cannot read the file ({exc.strerror}): check its permissions")
    if len(data) > max_bytes:
        return None, error(
            shown, 1, TOO_LARGE, f"file is larger than {max_bytes:,} bytes: an application should be a short text file"
        )
    return data, None


def read_or_none(path: str) -> bytes | None:
    """A file's bytes, or None when it cannot be read (a generated file not yet written, say)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def create_exclusive(path: str, data: bytes) -> None:
    """Create ``path`` holding ``data``, complete or not at all; FileExistsError when it exists.

    The data is written to a temporary file first and then hard-linked into
    place, which (unlike a rename) never replaces an existing file. Where hard
    links are not supported, an ``O_EXCL`` create is the fallback.
    """
    with _temporary_beside(path) as (descriptor, temporary):
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:
            with open(path, "xb") as target:
                target.write(data)
        finally:
            os.unlink(temporary)


class LockTimeout(JobtrailError):
    """Another process held the lock for longer than we may wait."""


@contextmanager
def locked(lock_path: str, *, timeout: float | None = None, waiting_for: str = "write") -> Iterator[None]:
    """Hold an exclusive advisory lock on ``lock_path`` (created if needed): one writer at a time.

    After a second of waiting it says on stderr whom it waits for (the holder
    writes its process id into the lock file); with ``timeout`` it gives up after
    that many seconds with a ``LockTimeout`` saying what to do. The kernel
    releases the lock when its holder dies; a stopped holder (Ctrl-Z) keeps it.
    """
    import fcntl
    import sys
    import time

    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        started = time.monotonic()
        said = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - started
                holder = _holder(descriptor)
                if timeout is not None and waited >= timeout:
                    raise LockTimeout(
                        f"gave up after {timeout:.0f} s waiting for {holder}, which holds {lock_path}:"
                        " let it finish (a stopped one: `fg`, or end it), then run `jobtrail index`"
                    ) from None
                if waited >= 1 and not said:
                    print(f"jobtrail: waiting for {holder} to let go of {lock_path} to {waiting_for}", file=sys.stderr)
                    said = True
                time.sleep(0.05)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(descriptor)


def _holder(descriptor: int) -> str:
    try:
        pid = int(os.pread(descriptor, 32, 0).decode("ascii").strip())
    except (OSError, ValueError):
        return "another jobtrail process"
    return f"jobtrail process {pid}"


@contextmanager
def _temporary_beside(path: str) -> Iterator[tuple[int, str]]:
    import tempfile  # writers only: `check` never pays for it

    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    try:
        yield descriptor, temporary
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_atomic(path: str, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` all at once: readers see the old file or the new one, never a mix.

    ``durable=False`` skips the two fsyncs (~5-15 ms): for a cache that checks what it reads and is
    rebuilt when a crash leaves it torn, never for a user's file.
    """
    with _temporary_beside(path) as (descriptor, temporary):
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if os.path.exists(path):
            os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    if durable:
        _sync_folder(os.path.dirname(os.path.abspath(path)))


def write_in_place(path: str, data: bytes) -> None:
    """Write ``data`` into what is at ``path`` (a device, a FIFO, a terminal) without replacing it.

    Never creates a file (no ``O_CREAT``); appends, so ``/dev/stdout`` redirected with
    ``>>`` keeps what the file held.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def discard_stdout() -> None:
    """Point standard output at the null device (its reader went away: nothing more can reach it)."""
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (a power cut right after it keeps the new file)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(descriptor)
