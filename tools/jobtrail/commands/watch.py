"""`jobtrail watch [--quiet|--verbose] [--poll]`: keep INDEX.md and HISTORY.md fresh."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from types import FrameType
from typing import TextIO

from ..files import find_root
from ..watch import Watcher

QUIET, NORMAL, VERBOSE = -1, 0, 1


class Console:
    """Timestamped lines: errors to standard error, the rest to standard output, by verbosity."""

    def __init__(self, verbosity: int, out: TextIO, err: TextIO) -> None:
        self.verbosity = verbosity
        self._out = out
        self._err = err
        self._lock = threading.Lock()  # the observer's thread reports too

    def __call__(self, level: str, text: str) -> None:
        if level == "error":
            stream = self._err
        elif (level == "info" and self.verbosity >= NORMAL) or (level == "detail" and self.verbosity >= VERBOSE):
            stream = self._out
        else:
            return
        with self._lock:
            print(f"{time.strftime('%H:%M:%S')} {text}", file=stream, flush=True)


class Stop(KeyboardInterrupt):
    """SIGTERM, raised where the main thread is, like Ctrl-C."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stop


def run(args: argparse.Namespace) -> int:
    root = find_root()
    verbosity = QUIET if args.quiet else VERBOSE if args.verbose else NORMAL
    console = Console(verbosity, sys.stdout, sys.stderr)
    # The watcher only reads git: its `git status` must not take index.lock and get in the way of your commits.
    os.environ["GIT_OPTIONAL_LOCKS"] = "0"
    watcher = Watcher(root, console, poll=args.poll)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        watcher.run()
    except KeyboardInterrupt:
        pass  # Ctrl-C or SIGTERM: run() has stopped the observer on its way out
    finally:
        signal.signal(signal.SIGTERM, previous)
    console("info", "stopped")
    return 0
