"""Turn a burst of file system events into one batch of work.

The observer's thread ``add``s changes as they come; the watcher's loop
``take``s them as one batch once nothing has happened for ``quiet`` seconds
(an editor's save is a handful of events within a millisecond or two), or at
the latest ``max_wait`` seconds after the first one (a long checkout still gets
a fresh index now and then). ``defer`` hands a batch back to be taken again
later, with whatever arrived meanwhile: the loop does that while git is busy.
A new event ends the deferral early (after its own quiet moment): the end of a
git command is itself an event (HEAD or a branch moves).

Waiting costs nothing: with nothing pending, ``take`` sleeps on a condition
until an event or ``stop`` wakes it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping


class Debouncer:
    def __init__(self, quiet: float, max_wait: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.quiet = quiet
        self.max_wait = max_wait
        self._clock = clock
        self._condition = threading.Condition()
        self._changes: dict[str, str] = {}  # label -> kind, in the order they first came
        self._first = 0.0
        self._last = 0.0
        self._not_before = 0.0
        self._stopped = False

    def add(self, changes: Iterable[tuple[str, str]]) -> None:
        """Record ``(label, kind)`` changes (called from the observer's thread)."""
        with self._condition:
            now = self._clock()
            if not self._changes:
                self._first = now
            for label, kind in changes:
                self._changes.setdefault(label, kind)
            self._last = now
            self._not_before = 0.0  # news: look again after a quiet moment, not after the deferral
            self._condition.notify_all()

    def seconds_until_due(self, now: float) -> float | None:
        """How long until the pending batch is due (0 or less: now); None when nothing is pending."""
        if not self._changes:
            return None
        due = min(self._last + self.quiet, self._first + self.max_wait)
        return max(due, self._not_before) - now

    def take(self) -> dict[str, str] | None:
        """Block until a batch is due and return it; None once stopped."""
        with self._condition:
            while not self._stopped:
                wait = self.seconds_until_due(self._clock())
                if wait is not None and wait <= 0:
                    batch, self._changes = self._changes, {}
                    self._not_before = 0.0
                    return batch
                self._condition.wait(wait)
            return None

    def defer(self, batch: Mapping[str, str], delay: float) -> None:
        """Hand ``batch`` back, to be taken again no sooner than ``delay`` seconds from now."""
        with self._condition:
            now = self._clock()
            self._first = self._last = now  # a new burst starts: max_wait counts from here
            self._changes = {**batch, **self._changes}
            self._not_before = now + delay
            self._condition.notify_all()

    def stop(self) -> None:
        """Make ``take`` return None (from any thread)."""
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    @property
    def stopped(self) -> bool:
        return self._stopped
