"""One file of a cache under ``.git/jobtrail/``: read with bounds, framed with a checksum, type-checked.

Shared by the history cache, the blob cache and the output memo. A file is a
line ``<magic> <checksum>`` and a JSON body; anything unexpected (a FIFO, a
symlink to ``/dev/zero``, a huge, torn or edited file, JSON of the wrong shape)
reads as nothing, and the caller rebuilds: never a crash, a hang or an
unbounded read.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from typing import Any

Checksum = Callable[[bytes | memoryview], bytes]  # hashlib takes either


def read_bounded(path: str, max_bytes: int) -> bytes | None:
    """A regular file's bytes (no symlink followed, no FIFO or device opened for good), or None."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > max_bytes:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return data if len(data) <= max_bytes else None


def frame(magic: bytes, checksum: Checksum, body: bytes) -> bytes:
    """The file as written: a line with the checksum of the body that follows (a torn or edited file is seen)."""
    return b"%s %s\n%s" % (magic, checksum(body), body)


def unframe_bytes(data: bytes, magic: bytes, checksum: Checksum) -> memoryview | None:
    """The body ``frame`` wrapped, not copied (a cache part can be tens of megabytes), or None when the
    header or checksum is wrong."""
    newline = data.find(b"\n")
    body = memoryview(data)[newline + 1 :]
    return body if newline >= 0 and data[:newline] == b"%s %s" % (magic, checksum(body)) else None


def unframe(data: bytes, magic: bytes, checksum: Checksum) -> object:
    """The JSON value ``frame`` wrapped, or None when the header or checksum is wrong or the body is not JSON."""
    body = unframe_bytes(data, magic, checksum)
    if body is None:
        return None
    try:
        return json.loads(bytes(body))
    except (ValueError, RecursionError):
        return None


def expect_str(value: object) -> str:
    if isinstance(value, str):
        return value
    raise TypeError("expected a string")


def expect_int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError("expected an integer")


def expect_dict(value: object) -> dict[Any, Any]:
    if isinstance(value, dict):
        return value
    raise TypeError("expected an object")


def expect_list(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    raise TypeError("expected a list")
