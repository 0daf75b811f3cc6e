"""The file system observer: the only module that imports watchdog.

``FolderObserver`` holds one watch per ``(folder, recursive)`` target and hands
each event's paths (a move names both ends) to a callback in the observer's
thread. ``hold`` makes the watches match the targets: a folder that was deleted
and made again (a new inode) gets a new watch, since the old one died with it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from .errors import JobtrailError

POLL_INTERVAL = 0.5  # seconds between two looks with --poll

Say = Callable[[str, str], None]  # (level, text); level: "error", "info" or "detail"
OnEvent = Callable[[str, list[str], bool], None]  # (event type, paths, is a folder)
FolderIdentity = tuple[int, int] | None  # (device, inode)


def folder_identity(path: str) -> FolderIdentity:
    """A folder made again under the same name is a new one (a new inode): its watch must be made again."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class FolderObserver:
    def __init__(self, on_event: OnEvent, say: Say, *, poll: bool = False) -> None:
        from watchdog.events import (
            DirCreatedEvent,
            DirDeletedEvent,
            DirMovedEvent,
            FileClosedEvent,
            FileCreatedEvent,
            FileDeletedEvent,
            FileModifiedEvent,
            FileMovedEvent,
            FileSystemEventHandler,
        )

        self._say = say

        class Handler(FileSystemEventHandler):
            def dispatch(self, event: Any) -> None:
                """In the observer's thread: keep it short, and never let it die."""
                try:
                    paths = [event.src_path]
                    if getattr(event, "dest_path", ""):
                        paths.append(event.dest_path)
                    on_event(event.event_type, [os.fsdecode(path) for path in paths if path], event.is_directory)
                except Exception as exc:
                    say("error", f"cannot read a file system event ({type(exc).__name__}: {exc})")

        self._handler = Handler()
        # Opened / closed-without-writing / attribute events change nothing: the kernel does not even send them.
        self._events = [
            FileCreatedEvent,
            FileDeletedEvent,
            FileModifiedEvent,
            FileMovedEvent,
            FileClosedEvent,
            DirCreatedEvent,
            DirDeletedEvent,
            DirMovedEvent,
        ]
        self._observer: Any
        if poll:
            from watchdog.observers.polling import PollingObserver

            self._observer = PollingObserver(timeout=POLL_INTERVAL)
        else:
            from watchdog.observers import Observer

            self._observer = Observer()
        self._watches: dict[tuple[str, bool], tuple[Any, FolderIdentity]] = {}

    def start(self) -> None:
        try:
            self._observer.start()
        except OSError as exc:
            raise JobtrailError(
                f"cannot watch the files ({exc.strerror or exc}): try `jobtrail watch --poll`"
            ) from None

    def hold(self, targets: Iterable[tuple[str, bool]]) -> None:
        """Watch exactly ``targets``, ``(folder, recursive)`` pairs of existing folders."""
        wanted = {target: folder_identity(target[0]) for target in targets}
        for key, (watch, identity) in list(self._watches.items()):
            if wanted.get(key, ()) != identity:
                self._unschedule(watch)
                del self._watches[key]
        for key, identity in wanted.items():
            if key in self._watches:
                continue
            try:
                watch = self._observer.schedule(self._handler, key[0], recursive=key[1], event_filter=self._events)
            except OSError as exc:
                self._say("error", f"cannot watch {key[0]} ({exc.strerror or exc}); the next change tries again")
                continue
            self._watches[key] = (watch, identity)
            self._say("detail", f"  watching {key[0]}{' and below' if key[1] else ''}")

    def _unschedule(self, watch: Any) -> None:
        try:
            self._observer.unschedule(watch)
        except (KeyError, OSError):
            pass

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=2)
