"""The history cache under ``.git/jobtrail/``: read with bounds and type checks, written atomically.

Four parts: ``state`` (what a repeated run needs of each path at HEAD, dates
resolved: one small file, read without building a walk's records),
``retained`` (snapshots at the commits walked last, with the facts of their
versions: HEAD's recent ancestors and the heads walked before, so an amend, a
reset, a small rebase or a switch back costs only the commits that differ and
never reads the fourth part), kept as differences from the snapshot in
``base`` (rewritten only when they drift far from it: a commit writes a few
kilobytes, not every path's history) and ``blobs`` (the facts of every version a whole
walk read: content addressed; rewritten only by a whole walk). Anything
unexpected in any of them (not JSON, the wrong shape, a FIFO, a symlink to
``/dev/zero``, a huge file) is ignored: the history is rebuilt, never a crash,
a hang or an unbounded read.
"""

from __future__ import annotations

import datetime
import json
import os
import zlib
from collections.abc import Mapping
from typing import Any

from .cachefile import expect_dict, expect_list, expect_str, frame, read_bounded, unframe
from .files import write_atomic
from .walk import NO_FACTS, Event, Facts, HeadEntry, History, Snapshot, Version

# 4: split files; 5: bounded reads; 6: snapshots of the merge-aware walk; 7: HEAD's fields;
# 8: HEAD's entries with their dates, the retained snapshots with their facts, a CRC-32 checksum
CACHE_VERSION = 8
_MAGIC = b"jobtrail-history-cache"
MAX_CACHE_BYTES = 512 << 20  # far above 10,000 applications / 100,000 commits (about 20 MB)


def cache_path(git_dir: str, name: str) -> str:
    return os.path.join(git_dir, "jobtrail", f"history-{name}.json")


def _checksum(body: bytes | memoryview) -> bytes:
    """CRC-32: sees a torn or edited file (no defence against forgery, which the type checks bound;
    hashlib would cost ~3 ms of OpenSSL import on every run)."""
    return b"%08x" % zlib.crc32(body)


def encode_part(value: Mapping[str, Any]) -> bytes:
    """A part as written: its checksum, then its JSON."""
    body = json.dumps(value, separators=(",", ":"), check_circular=False).encode()  # plain tables: no cycles
    return frame(_MAGIC, _checksum, body)


def load_part(git_dir: str, name: str, near_start: bytes = b"") -> dict[str, Any]:
    """One part of the cache as a JSON object of the current version, else ``{}``.

    ``near_start``: bytes the part's first kilobytes must hold (``"head":"<sha>"``): a part of
    another HEAD is neither checked nor decoded.
    """
    data = read_bounded(cache_path(git_dir, name), MAX_CACHE_BYTES)
    if data is None or near_start not in data[:4096]:
        return {}
    value = unframe(data, _MAGIC, _checksum)
    if isinstance(value, dict) and value.get("version") == CACHE_VERSION:
        return value
    return {}


class SnapshotTable:
    """Snapshots as JSON, each event, history and facts written once however many snapshots share them."""

    def __init__(self, facts: Mapping[str, Facts]) -> None:
        self.events: list[list[str | None]] = []
        self.histories: list[list[int]] = []
        self.facts: list[list[str | None]] = []
        self._blob_facts = facts
        self._event_index: dict[Event, int] = {}
        self._history_index: dict[History, int] = {}
        self._facts_index: dict[Facts, int] = {}

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

    def _facts(self, blob: str) -> int:
        facts = self._blob_facts.get(blob, NO_FACTS)
        index = self._facts_index.get(facts)
        if index is None:
            index = self._facts_index[facts] = len(self.facts)
            self.facts.append(list(facts))
        return index

    def entry(self, version: Version) -> list[Any]:
        return [
            version.blob,
            version.status,
            self._history(version.history),
            version.last_date,
            version.origin,
            self._facts(version.blob),
        ]

    def snapshot(self, snapshot: Snapshot) -> dict[str, list[Any]]:
        return {path: self.entry(version) for path, version in snapshot.items()}

    def delta(self, snapshot: Snapshot, base: Snapshot) -> dict[str, list[Any] | None]:
        """What differs from ``base``: changed paths, and None for a path ``snapshot`` lacks."""
        delta: dict[str, list[Any] | None] = {
            path: self.entry(version)
            for path, version in snapshot.items()
            if (same := base.get(path)) is not version and same != version  # most are the very same object
        }
        delta.update((path, None) for path in base if path not in snapshot)
        return delta

    def tables(self) -> dict[str, Any]:
        return {"events": self.events, "histories": self.histories, "facts": self.facts}


_TEXT = frozenset((str, type(None)))
_INT = frozenset((int,))


def _row(kind: Any, row: object, size: int, required: int) -> Any:
    """``kind(*row)`` for a list of ``size`` strings or nulls, the first ``required`` of them strings."""
    if type(row) is not list or len(row) != size or not _TEXT.issuperset(map(type, row)) or None in row[:required]:
        raise TypeError("expected a row of strings")
    return kind._make(row)


def _indexes(row: object, count: int) -> list[int]:
    """A list of indexes into a table of ``count`` rows."""
    if type(row) is not list or (row and (not _INT.issuperset(map(type, row)) or min(row) < 0 or max(row) >= count)):
        raise TypeError("expected indexes into a table")
    return row


class SnapshotReader:
    """The other way: JSON tables back to snapshots, checking every value's type (TypeError when wrong).

    ``facts``: the facts of every version read, by blob."""

    def __init__(self, data: object) -> None:
        # Checked a table row at a time, in C where it can be (set(map(type, row))): a base of 10,000
        # paths holds ~50,000 events, and a call per value cost ~0.2 s there.
        tables = expect_dict(data)
        self.events = [_row(Event, row, 5, 3) for row in expect_list(tables["events"])]
        count = len(self.events)
        self.histories = [
            tuple(map(self.events.__getitem__, _indexes(row, count))) for row in expect_list(tables["histories"])
        ]
        self.fact_table = [_row(Facts, row, 4, 0) for row in expect_list(tables["facts"])]
        self.facts: dict[str, Facts] = {}

    def version(self, entry: object) -> Version:
        if type(entry) is not list or len(entry) != 6:
            raise TypeError("expected a version")
        blob, status, history, last_date, origin, facts = entry
        if (
            type(blob) is not str
            or (status is not None and type(status) is not str)
            or type(last_date) is not str
            or type(origin) is not str
            or type(history) is not int
            or type(facts) is not int
            or history < 0
            or facts < 0
        ):
            raise TypeError("expected a version")
        version = Version(blob, status, self.histories[history], last_date, origin)  # IndexError past the end
        self.facts[blob] = self.fact_table[facts]
        return version

    def snapshot(self, data: object) -> Snapshot:
        return {expect_str(path): self.version(entry) for path, entry in expect_dict(data).items()}

    def apply_delta(self, base: Snapshot, data: object) -> Snapshot:
        snapshot = dict(base)
        for path, entry in expect_dict(data).items():
            if entry is None:
                snapshot.pop(expect_str(path), None)
            else:
                snapshot[expect_str(path)] = self.version(entry)
        return snapshot


def entries_to_json(fingerprint: str, head: str, entries: Mapping[str, HeadEntry]) -> dict[str, Any]:
    """The ``state`` part: each path at HEAD as one flat list: its status, last date, the four facts of
    its file, then status, date and commit of each change."""
    rows = {}
    for path, entry in entries.items():
        row: list[str | None] = [entry.status, entry.last_date.isoformat(), *entry.facts]
        for status, date, commit in entry.changes:
            row += (status, date.isoformat(), commit)
        rows[path] = row
    # "head" first: a run at another HEAD sees it in the first bytes and decodes nothing (``load_part``)
    return {"head": head, "version": CACHE_VERSION, "fingerprint": fingerprint, "entries": rows}


def entries_from_json(data: dict[str, Any], fingerprint: str, head: str) -> dict[str, HeadEntry] | None:
    """HEAD's entries from the ``state`` part, or None when it is of another HEAD, another fingerprint or
    another shape (every value's type checked, every date parsed: a repeated run reads nothing else)."""
    if data.get("fingerprint") != fingerprint or data.get("head") != head:
        return None
    rows = data.get("entries")
    if type(rows) is not dict:
        return None
    parse = datetime.date.fromisoformat
    entries = {}
    try:
        for path, row in rows.items():
            if type(row) is not list or len(row) < 6 or (len(row) - 6) % 3 or not _TEXT.issuperset(map(type, row)):
                return None
            status, last_date, *facts = row[:6]
            changes = row[6:]
            if None in changes:
                return None
            dates = map(parse, changes[1::3])
            events = tuple(zip(changes[0::3], dates, changes[2::3], strict=True))
            entries[path] = HeadEntry(status, events, parse(last_date), Facts(*facts))
    except (TypeError, ValueError):  # a date that is not a date
        return None
    return entries


def base_to_json(fingerprint: str, sha: str, snapshot: Snapshot, facts: Mapping[str, Facts]) -> dict[str, Any]:
    """The ``base`` part: one whole snapshot (at ``sha``) that the retained ones are kept as differences
    from; rewritten only when they have drifted far from it, not at every commit."""
    table = SnapshotTable(facts)
    encoded = table.snapshot(snapshot)
    return {"version": CACHE_VERSION, "fingerprint": fingerprint, "sha": sha, **table.tables(), "snapshot": encoded}


def base_from_json(data: dict[str, Any], fingerprint: str) -> tuple[str, Snapshot, dict[str, Facts]] | None:
    """(its commit, the snapshot, the facts of its versions) from the ``base`` part, or None."""
    if data.get("fingerprint") != fingerprint:
        return None
    try:
        reader = SnapshotReader(data)
        return expect_str(data["sha"]), reader.snapshot(data["snapshot"]), reader.facts
    except (KeyError, TypeError, ValueError, IndexError):
        return None


class RetainedTable:
    """The ``retained`` part: every retained snapshot as its difference from the base snapshot (most
    differ in a few paths), with the facts of every version it holds (a walk on from them reads no
    other part). ``drift``: how many paths each snapshot differs from the base in."""

    def __init__(
        self,
        fingerprint: str,
        base: tuple[str, Snapshot],
        snapshots: Mapping[str, Snapshot],
        facts: Mapping[str, Facts],
    ) -> None:
        table = SnapshotTable(facts)
        base_sha, base_snapshot = base
        deltas = {sha: table.delta(snapshot, base_snapshot) for sha, snapshot in snapshots.items() if sha != base_sha}
        self.drift = {sha: len(delta) for sha, delta in deltas.items()}
        self.data = {
            "version": CACHE_VERSION,
            "fingerprint": fingerprint,
            "base": base_sha,
            **table.tables(),
            "order": list(snapshots),
            "deltas": deltas,
        }


def retained_from_json(
    data: dict[str, Any], fingerprint: str, base: tuple[str, Snapshot, dict[str, Facts]] | None
) -> tuple[dict[str, Snapshot], dict[str, Facts]]:
    """The retained snapshots, oldest first, and the facts of their versions; empty when the part has
    another fingerprint, another base or another shape."""
    if base is None or data.get("fingerprint") != fingerprint or data.get("base") != base[0]:
        return {}, {}
    base_sha, base_snapshot, base_facts = base
    try:
        reader = SnapshotReader(data)
        snapshots = {
            expect_str(sha): reader.apply_delta(base_snapshot, delta)
            for sha, delta in expect_dict(data["deltas"]).items()
        }
        snapshots[base_sha] = base_snapshot
        order = {sha: snapshots[sha] for sha in map(expect_str, expect_list(data["order"])) if sha in snapshots}
    except (KeyError, TypeError, ValueError, IndexError):
        return {}, {}
    return order, {**base_facts, **reader.facts}


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
    """Write cache parts, each atomically (``blobs`` first, the oldest habit).

    Best effort: a cache that cannot be written costs speed, never correctness.
    """
    try:
        os.makedirs(os.path.dirname(cache_path(git_dir, "state")), exist_ok=True)
        for name in sorted(parts, key=lambda name: name != "blobs"):
            # not durable: a part a crash leaves torn fails its checksum and is rebuilt
            write_atomic(cache_path(git_dir, name), encode_part(parts[name]), durable=False)
    except OSError:
        pass


def blobs_to_json(max_bytes: int, facts: Mapping[str, Facts]) -> dict[str, Any]:
    return {"version": CACHE_VERSION, "max_bytes": max_bytes, "blobs": facts}


def blobs_from_json(data: dict[str, Any], max_bytes: int) -> dict[str, Facts]:
    """The facts of every version read before (with the same size bound), else ``{}``."""
    if data.get("max_bytes") != max_bytes:
        return {}
    return facts_from_json(data.get("blobs"))
