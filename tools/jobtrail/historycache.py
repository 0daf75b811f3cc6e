"""The history cache under ``.git/jobtrail/``: read with bounds and type checks, written atomically.

Three parts: ``state`` (the snapshot at HEAD: all a repeated run needs),
``retained`` (snapshots at the commits walked last: HEAD's recent ancestors
and the heads walked before, so an amend, a reset, a small rebase or a switch
back costs only the commits that differ) and ``blobs`` (the facts of every
version read: content addressed). Anything unexpected in either (not JSON, the wrong shape, a FIFO,
a symlink to ``/dev/zero``, a huge file) is ignored: the history is rebuilt,
never a crash, a hang or an unbounded read.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Mapping
from typing import Any

from .files import write_atomic
from .walk import NO_FACTS, Event, Facts, History, Snapshot, Version

CACHE_VERSION = 7  # 4: split files; 5: bounded reads; 6: snapshots of the merge-aware walk; 7: HEAD's fields
_MAGIC = b"jobtrail-history-cache"
MAX_CACHE_BYTES = 512 << 20  # far above 10,000 applications / 100,000 commits (about 20 MB)


def cache_path(git_dir: str, name: str) -> str:
    return os.path.join(git_dir, "jobtrail", f"history-{name}.json")


def read_bounded(path: str, max_bytes: int = MAX_CACHE_BYTES) -> bytes | None:
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


def encode_part(value: Mapping[str, Any]) -> bytes:
    """A part as written: a line with the checksum of the JSON that follows (a torn or edited file is seen)."""
    body = json.dumps(value, separators=(",", ":")).encode()
    return b"%s %s\n%s" % (_MAGIC, hashlib.sha1(body).hexdigest().encode(), body)


def load_part(git_dir: str, name: str) -> dict[str, Any]:
    """One part of the cache as a JSON object of the current version, else ``{}``."""
    data = read_bounded(cache_path(git_dir, name))
    if data is None:
        return {}
    header, _, body = data.partition(b"\n")
    if header != b"%s %s" % (_MAGIC, hashlib.sha1(body).hexdigest().encode()):
        return {}
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    if isinstance(value, dict) and value.get("version") == CACHE_VERSION:
        return value
    return {}


def _str_or_none(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError("expected a string or null")


def _index(value: object, size: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size:
        return value
    raise TypeError("expected an index into a table")


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


class SnapshotTable:
    """Snapshots as JSON, each event and each history written once however many snapshots share it."""

    def __init__(self) -> None:
        self.events: list[list[str | None]] = []
        self.histories: list[list[int]] = []
        self._event_index: dict[Event, int] = {}
        self._history_index: dict[History, int] = {}

    def _event(self, event: Event) -> int:
        index = self._event_index.get(event)
        if index is None:
            index = self._event_index[event] = len(self.events)
            self.events.append(list(event))
        return index

    def _history(self, history: History) -> int:
        index = self._history_index.get(history)
        if index is None:
            index = self._history_index[history] = len(self.histories)
            self.histories.append([self._event(event) for event in history])
        return index

    def entry(self, version: Version) -> list[Any]:
        return [version.blob, version.status, self._history(version.history), version.last_date, version.origin]

    def snapshot(self, snapshot: Snapshot) -> dict[str, list[Any]]:
        return {path: self.entry(version) for path, version in snapshot.items()}

    def delta(self, snapshot: Snapshot, base: Snapshot) -> dict[str, list[Any] | None]:
        """What differs from ``base``: changed paths, and None for a path ``snapshot`` lacks."""
        delta: dict[str, list[Any] | None] = {
            path: self.entry(version) for path, version in snapshot.items() if base.get(path) != version
        }
        delta.update((path, None) for path in base if path not in snapshot)
        return delta

    def tables(self) -> dict[str, Any]:
        return {"events": self.events, "histories": self.histories}


class SnapshotReader:
    """The other way: JSON tables back to snapshots, checking every value's type (TypeError when wrong)."""

    def __init__(self, data: object) -> None:
        tables = _dict(data)
        self.events = [
            Event(_str(status), _str(commit), _str(date), _str_or_none(applied), _str_or_none(before))
            for status, commit, date, applied, before in map(_list, _list(tables["events"]))
        ]
        self.histories = [
            tuple(self.events[_index(index, len(self.events))] for index in _list(history))
            for history in _list(tables["histories"])
        ]

    def version(self, entry: object) -> Version:
        blob, status, history, last_date, origin = _list(entry)
        return Version(
            _str(blob),
            _str_or_none(status),
            self.histories[_index(history, len(self.histories))],
            _str(last_date),
            _str(origin),
        )

    def snapshot(self, data: object) -> Snapshot:
        return {_str(path): self.version(entry) for path, entry in _dict(data).items()}

    def apply_delta(self, base: Snapshot, data: object) -> Snapshot:
        snapshot = dict(base)
        for path, entry in _dict(data).items():
            if entry is None:
                snapshot.pop(_str(path), None)
            else:
                snapshot[_str(path)] = self.version(entry)
        return snapshot


def head_to_json(fingerprint: str, head: str, snapshot: Snapshot, facts: Mapping[str, Facts]) -> dict[str, Any]:
    """The ``state`` part: HEAD's snapshot, and what each file at HEAD says (for the files the work tree
    has unchanged, which a repeated run then need not read)."""
    table = SnapshotTable()
    encoded = table.snapshot(snapshot)
    fields = {path: list(facts.get(version.blob, NO_FACTS)) for path, version in snapshot.items()}
    return {
        "version": CACHE_VERSION,
        "fingerprint": fingerprint,
        "head": head,
        **table.tables(),
        "snapshot": encoded,
        "fields": fields,
    }


def head_from_json(data: dict[str, Any], fingerprint: str, head: str) -> tuple[str, Snapshot, dict[str, Facts]] | None:
    """(head, its snapshot, the facts of its files) from the ``state`` part, or None when it is of another
    HEAD, another fingerprint or another shape."""
    if data.get("fingerprint") != fingerprint or data.get("head") != head:
        return None
    try:
        reader = SnapshotReader(data)
        snapshot = reader.snapshot(data["snapshot"])
        fields = {}
        for path, value in _dict(data["fields"]).items():
            status, applied, company, position = _list(value)
            fields[_str(path)] = Facts(
                _str_or_none(status), _str_or_none(applied), _str_or_none(company), _str_or_none(position)
            )
        if fields.keys() != snapshot.keys():
            return None
        return _str(data["head"]), snapshot, fields
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def retained_to_json(fingerprint: str, base: str, snapshots: Mapping[str, Snapshot]) -> dict[str, Any]:
    """Every retained snapshot as its difference from the one at ``base`` (most differ in a few paths)."""
    table = SnapshotTable()
    base_snapshot = snapshots[base]
    encoded = {
        "order": list(snapshots),
        "base": base,
        "snapshot": table.snapshot(base_snapshot),
        "deltas": {sha: table.delta(snapshot, base_snapshot) for sha, snapshot in snapshots.items() if sha != base},
    }
    return {"version": CACHE_VERSION, "fingerprint": fingerprint, **table.tables(), **encoded}


def retained_from_json(data: dict[str, Any], fingerprint: str) -> dict[str, Snapshot]:
    """The retained snapshots, oldest first; ``{}`` when the part has another fingerprint or shape."""
    if data.get("fingerprint") != fingerprint:
        return {}
    try:
        reader = SnapshotReader(data)
        base = reader.snapshot(data["snapshot"])
        snapshots = {_str(sha): reader.apply_delta(base, delta) for sha, delta in _dict(data["deltas"]).items()}
        snapshots[_str(data["base"])] = base
        return {sha: snapshots[sha] for sha in map(_str, _list(data["order"])) if sha in snapshots}
    except (KeyError, TypeError, ValueError, IndexError):
        return {}


def _facts(value: object) -> Facts | None:
    if (
        isinstance(value, list | tuple)
        and len(value) == 4
        and all(item is None or isinstance(item, str) for item in value)
    ):
        return value if isinstance(value, Facts) else Facts(*value)
    return None


class FactsTable(dict[str, Facts]):
    """The facts of every blob read before, each entry checked when it is first used, not all at load:
    a walk after one new commit uses a handful of 20,000. An entry of any other shape counts as absent
    (the blob is read again)."""

    def get(self, sha: str, default: Any = None) -> Any:
        value = dict.get(self, sha)
        if value is None or isinstance(value, Facts):
            return default if value is None else value
        checked = _facts(value)
        if checked is None:
            dict.pop(self, sha, None)
            return default
        dict.__setitem__(self, sha, checked)
        return checked

    def __getitem__(self, sha: str) -> Facts:
        found = self.get(sha)
        if found is None:
            raise KeyError(sha)
        return found  # type: ignore[no-any-return]

    def __contains__(self, sha: object) -> bool:
        return isinstance(sha, str) and self.get(sha) is not None


def facts_from_json(data: object) -> dict[str, Facts]:
    """The blob facts a cache file holds (``FactsTable``: checked as they are used)."""
    table = FactsTable()
    if isinstance(data, dict):
        dict.update(table, data)
    return table


def save(git_dir: str, parts: Mapping[str, dict[str, Any]]) -> None:
    """Write cache parts (``blobs`` first: a state is never saved without the facts it was built from).

    Best effort: a cache that cannot be written costs speed, never correctness.
    """
    try:
        os.makedirs(os.path.dirname(cache_path(git_dir, "state")), exist_ok=True)
        for name in sorted(parts, key=lambda name: name != "blobs"):
            write_atomic(cache_path(git_dir, name), encode_part(parts[name]))
    except OSError:
        pass


def blobs_to_json(max_bytes: int, facts: Mapping[str, Facts]) -> dict[str, Any]:
    return {"version": CACHE_VERSION, "max_bytes": max_bytes, "blobs": facts}


def blobs_from_json(data: dict[str, Any], max_bytes: int) -> dict[str, Facts]:
    """The facts of every version read before (with the same size bound), else ``{}``."""
    if data.get("max_bytes") != max_bytes:
        return {}
    return facts_from_json(data.get("blobs"))
