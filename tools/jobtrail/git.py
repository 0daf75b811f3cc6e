"""The one door to git: every git process jobtrail starts is started here, by ``start``.

Plain ``subprocess`` rather than gitpython's ``Git.execute``: gitpython costs
0.11 s to import (docs/development.md), more than a whole warm ``jobtrail
history``, and its process wrapper adds nothing we use. Every failure becomes a ``JobtrailError``
that says what went wrong and where.
"""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import threading
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import IO

from .errors import JobtrailError

NULL_SHA = "0" * 40


def start(
    cwd: str, args: Sequence[str], *, stdin: bool = False, env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """``git ARGS`` running in ``cwd``, its output (and input, with ``stdin``) as pipes.

    ``env``: variables added to this process's environment for git."""
    try:
        return subprocess.Popen(
            ["git", *args],
            cwd=cwd,
            env={**os.environ, **env} if env else None,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError:
        raise JobtrailError("git is not installed or not on PATH: install git first") from None
    except OSError as exc:
        raise JobtrailError(f"cannot start git in {cwd}: {exc.strerror}") from None


def _finished(
    cwd: str, args: Sequence[str], *, input: bytes | None = None, env: Mapping[str, str] | None = None
) -> tuple[int, bytes, bytes]:
    process = start(cwd, args, stdin=input is not None, env=env)
    out, err = process.communicate(input)
    return process.returncode, out, err


def _failure(cwd: str, args: Sequence[str], err: bytes) -> JobtrailError:
    message = err.decode("utf-8", "replace").strip().splitlines()
    return JobtrailError(f"git {args[0]} failed in {cwd}: {message[-1] if message else 'no message'}")


def run(cwd: str, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None) -> bytes:
    """``git ARGS`` in ``cwd``: its output, or a JobtrailError saying what went wrong."""
    status, out, err = _finished(cwd, args, input=input, env=env)
    if status != 0:
        raise _failure(cwd, args, err)
    return out


def succeeds(cwd: str, *args: str) -> bool:
    """Whether ``git ARGS`` exits 0 (a question such as ``merge-base --is-ancestor``)."""
    return _finished(cwd, args)[0] == 0


def output_or_none(cwd: str, *args: str) -> bytes | None:
    """``git ARGS``'s output, or None when it fails (best-effort questions)."""
    try:
        status, out, _ = _finished(cwd, args)
    except JobtrailError:
        return None
    return out if status == 0 else None


def output_or_message(cwd: str, *args: str) -> tuple[bytes | None, str]:
    """``git ARGS``'s output, or None and all that git said on stderr (one line) when it fails."""
    status, out, err = _finished(cwd, args)
    if status == 0:
        return out, ""
    said = "; ".join(line.strip() for line in err.decode("utf-8", "replace").splitlines() if line.strip())
    return None, said or f"git {args[0]} exited {status}"


def stream_records(
    cwd: str, args: Sequence[str], separator: bytes, chunk: int = 1 << 20
) -> Generator[bytes, None, None]:
    """The output of ``git ARGS`` split at ``separator``, as it streams (for ``git log``).

    Each record comes as soon as git has written it; a reader that stops early (closes the
    iterator) stops git too, and that is no failure.
    """
    process = start(cwd, args)
    stdout: io.BufferedReader = process.stdout  # type: ignore[assignment]
    errors: list[bytes] = []
    drain = threading.Thread(target=lambda: errors.append(process.stderr.read() if process.stderr else b""))
    drain.start()  # a chatty stderr must never block git while we read stdout
    stopped = False
    try:
        rest = b""
        while True:
            data = stdout.read1(chunk)  # what the pipe has: `read` would wait for a whole chunk
            if not data:
                break
            records = (rest + data).split(separator)
            rest = records.pop()
            yield from records
        if rest:
            yield rest
    except GeneratorExit:
        stopped = True
        process.kill()
        raise
    finally:
        stdout.close()
        process.wait()
        drain.join()
    if process.returncode != 0 and not stopped:
        raise _failure(cwd, args, b"".join(errors))


class ObjectReader:
    """One ``git cat-file --batch``: ask for objects while other output streams; read on a thread.

    ``on_object(sha, kind, data)`` is called on the reading thread for every object
    git gives; ``data`` is None for an object larger than ``max_bytes`` (read past in
    small pieces, never held: the bound files on disk have too). An object git
    cannot give (missing, corrupt) is not answered, and what was never answered is
    ``unread`` after ``finish``.
    """

    def __init__(self, cwd: str, on_object: Callable[[str, bytes, bytes | None], None], max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._process = start(cwd, ["cat-file", "--batch"], stdin=True)
        self._stdin: IO[bytes] = self._process.stdin  # type: ignore[assignment]
        self._stdout: IO[bytes] = self._process.stdout  # type: ignore[assignment]
        self._on_object = on_object
        self._asked: set[str] = set()
        self._answered: set[str] = set()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._read_all, daemon=True)
        self._thread.start()

    def ask(self, sha: str) -> None:
        if sha in self._asked:
            return
        self._asked.add(sha)
        try:
            self._stdin.write(sha.encode() + b"\n")
        except BrokenPipeError:  # git stopped early: what it did not answer is `unread`
            pass

    @property
    def unread(self) -> set[str]:
        """Objects git could not give (missing or corrupt); after ``finish``."""
        return self._asked - self._answered

    def _read_all(self) -> None:
        try:
            while True:
                header = self._stdout.readline()
                if not header:
                    return
                parts = header.split()
                if len(parts) < 3:  # `<sha> missing`: left unread
                    continue
                size = int(parts[2])
                data: bytes | None = None
                if size <= self._max_bytes:
                    data = self._stdout.read(size)
                else:
                    left = size
                    while left > 0:
                        piece = self._stdout.read(min(left, 1 << 20))
                        if not piece:
                            break
                        left -= len(piece)
                self._stdout.read(1)  # the newline after the content
                sha = parts[0].decode()
                self._on_object(sha, parts[1], data)
                self._answered.add(sha)
        except BaseException as exc:  # reported by finish()
            self._error = exc

    def finish(self) -> None:
        try:
            self._stdin.close()
        except BrokenPipeError:
            pass
        self._thread.join()
        self._process.wait()
        if self._process.stderr is not None:
            self._process.stderr.close()
        self._stdout.close()
        if self._error is not None:
            raise JobtrailError(f"reading file versions from git failed: {self._error}")


def author_today(cwd: str) -> datetime.date:
    """The date the next commit will carry, in its author's time zone.

    Uncommitted changes are dated "today"; inside a pre-commit hook that must be
    the date of the commit being made (``GIT_AUTHOR_DATE``, ``--date``, ``--amend``),
    or the files would change right after the commit. ``git var`` knows it.
    """
    out = output_or_none(cwd, "var", "GIT_AUTHOR_IDENT")
    try:
        if out is None:
            raise ValueError("no identity")
        epoch, offset = out.decode("utf-8", "replace").split()[-2:]
        sign = -1 if offset.startswith("-") else 1
        zone = datetime.timezone(sign * datetime.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
        return datetime.datetime.fromtimestamp(int(epoch), zone).date()
    except (OSError, ValueError, OverflowError):
        return datetime.date.today()
