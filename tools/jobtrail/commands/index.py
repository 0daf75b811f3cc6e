"""`jobtrail index [--check] [--hook]`: regenerate INDEX.md and HISTORY.md."""

from __future__ import annotations

import argparse
import sys

from ..files import find_root
from ..generated import IndexResult, regenerate


def _names(files: tuple[str, ...]) -> str:
    return " and ".join(files)


def _report(result: IndexResult, hook: bool) -> int:
    if hook:
        # Quiet unless something happened: git and pre-commit show this on every commit.
        if result.skipped:
            print(f"jobtrail: {result.skipped} is in progress: run `jobtrail index` once it is done", file=sys.stderr)
            return 0
        if result.written:
            print(f"jobtrail: {_names(result.written)} regenerated: review and commit", file=sys.stderr)
            return 1
        return 0
    if result.written:
        print(f"{result.summary()} Wrote {_names(result.written)}.")
    else:
        print(f"{result.summary()} INDEX.md and HISTORY.md are up to date.")
    return 0


def run(args: argparse.Namespace) -> int:
    root = find_root()
    result = regenerate(root, check=args.check, wait_for_git=args.hook)
    if not args.check:
        return _report(result, args.hook)
    if result.stale:
        verb = "is" if len(result.stale) == 1 else "are"
        print(f"jobtrail: {_names(result.stale)} {verb} out of date: run `jobtrail index` and commit", file=sys.stderr)
        return 1
    print(f"{result.summary()} INDEX.md and HISTORY.md are up to date.")
    return 0
