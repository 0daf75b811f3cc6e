"""The history cache under ``.git/jobtrail/``: read with bounds and type checks, written atomically.

Two parts: ``state`` (the walk at a HEAD: all a repeated run needs) and
``blobs`` (the facts of every version read: content addressed, needed only to
walk again). Anything unexpected in either (not JSON, the wrong shape, a FIFO,
a symlink to ``/dev/zero``, a huge file) is ignored: the history is rebuilt,
never a crash, a hang or an unbounded read.
"""

from __future__ import annotations

import json
import os
import stat
from typing import Any

from .files import write_atomic
from .walk import Event, Facts, Lineage, WalkState

CACHE_VERSION = 5  # 2: unreadable versions not cached; 3: no APPLIED after its commit; 4: split files; 5: bounded reads
MAX_CACHE_BYTES = 512 << 20  # far above 10,000 applications / 100,000 commits (about 20 MB)


def cache_path(git_dir: str, name: str) -> str:
    return os.path.join(git_dir, "jobtrail", f"history-{name}.json")


def read_bounded(path: str, max_bytes: int = MAX_CACHE_BYTES) -> bytes | None:
    """A regular file's bytes (no symlink followed, no FIFO or device opened for good), or None."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with open(descriptor, "rb") as handle:
        try:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_size > max_bytes:
                return None
            data = handle.read(max_bytes + 1)
        except OSError:
            return None
    return data if len(data) <= max_bytes else None


def load_part(git_dir: str, name: str) -> dict[str, Any]:
    """One part of the cache as a JSON object of the current version, else ``{}``."""
    data = read_bounded(cache_path(git_dir, name))
    if data is None:
        return {}
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    if isinstance(value, dict) and value.get("version") == CACHE_VERSION:
        return value
    return {}


def _str_or_none(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError("expected a string or null")


def _int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError("expected an integer")


def _str(value: object) -> str:
    if isinstance(value, str):
        return value
    raise TypeError("expected a string")


def _dict(value: object) -> dict[Any, Any]:
    if isinstance(value, dict):
        return value
    raise TypeError("expected an object")


def _list(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    raise TypeError("expected a list")


def state_to_json(state: WalkState) -> dict[str, Any]:
    return {
        "head": state.head,
        "paths": state.paths,
        "sequence": state.sequence,
        "lineages": {
            str(number): [
                [list(event) for event in lineage.events],
                lineage.effective,
                lineage.last_date,
                lineage.last_epoch,
            ]
            for number, lineage in state.lineages.items()
        },
    }


def state_from_json(data: object) -> WalkState | None:
    """The walk state a cache file holds, or None when it has any other shape."""
    try:
        data = _dict(data)
        lineages: dict[int, Lineage] = {}
        for number, value in _dict(data["lineages"]).items():
            events, effective, last_date, last_epoch = _list(value)
            lineages[int(number)] = Lineage(
                [
                    Event(_str(status), _str(date), _str(commit), _int(epoch), _int(sequence))
                    for status, date, commit, epoch, sequence in map(_list, _list(events))
                ],
                {_str(blob): _str_or_none(status) for blob, status in _dict(effective).items()},
                _str_or_none(last_date),
                _int(last_epoch),
            )
        paths = {_str(path): _int(number) for path, number in _dict(data["paths"]).items()}
        if any(number not in lineages for number in paths.values()):
            return None
        return WalkState(_str_or_none(data["head"]), paths, lineages, _int(data["sequence"]))
    except (KeyError, TypeError, ValueError):
        return None


def facts_from_json(data: object) -> dict[str, Facts]:
    """The blob facts a cache file holds; an entry of any other shape is left out (read again)."""
    facts: dict[str, Facts] = {}
    if not isinstance(data, dict):
        return facts
    for sha, value in data.items():
        if (
            isinstance(sha, str)
            and isinstance(value, list)
            and len(value) == 2
            and all(item is None or isinstance(item, str) for item in value)
        ):
            facts[sha] = Facts(value[0], value[1])
    return facts


def save(git_dir: str, fingerprint: str, state: WalkState, facts: dict[str, Facts]) -> None:
    """Best effort: a cache that cannot be written costs speed, never correctness.

    The blob facts go first: a state is never saved without the facts it was built from.
    """
    parts = (
        ("blobs", {"version": CACHE_VERSION, "blobs": facts}),
        ("state", {"version": CACHE_VERSION, "fingerprint": fingerprint, "state": state_to_json(state)}),
    )
    try:
        os.makedirs(os.path.dirname(cache_path(git_dir, "state")), exist_ok=True)
        for name, data in parts:
            write_atomic(cache_path(git_dir, name), json.dumps(data, separators=(",", ":")).encode())
    except OSError:
        pass
