"""Hold Ctrl-C and SIGTERM while a group of writes must land together.

INDEX.md and HISTORY.md are written one after the other; a stop between the two
would leave a fresh INDEX.md beside a stale HISTORY.md. ``held_signals()`` lets
the block finish, then acts on a signal that came meanwhile as it would have
(``KeyboardInterrupt`` for Ctrl-C, the watcher's stop for SIGTERM, death for an
unhandled SIGTERM), a few milliseconds late instead of halfway.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOPS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def held_signals(signums: tuple[int, ...] = STOPS) -> Iterator[None]:
    """Run the block whole: a stop signal that arrives inside it is delivered after it.

    Python runs signal handlers in the main thread only, so only there can a signal
    interrupt the block; in another thread this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in signums}
    if any(handler is None for handler in previous.values()):  # installed outside Python: leave it alone
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    for signum in signums:
        signal.signal(signum, hold)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            signal.raise_signal(caught[0])  # to the handler that was there before
