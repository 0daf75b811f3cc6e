"""`jobtrail index [--check] [--hook GIT_HOOK]`: regenerate INDEX.md and HISTORY.md."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping

from ..generated import IndexResult, regenerate
from ..repository import open_repository

# The git hooks `--hook` knows, and whether each waits while a merge, rebase,
# cherry-pick, revert or bisect is in progress. post-merge and post-rewrite run
# when their own operation has just ended (git removes MERGE_HEAD and the rebase
# folder only after them), so they regenerate right away.
HOOKS = {"pre-commit": True, "post-commit": True, "post-checkout": True, "post-merge": False, "post-rewrite": False}


def hook_from_pre_commit(environ: Mapping[str, str]) -> str:
    """The hook a bare `--hook` runs from: pre-commit sets a variable for each post-* hook but post-commit."""
    if "PRE_COMMIT_CHECKOUT_TYPE" in environ:
        return "post-checkout"
    if "PRE_COMMIT_IS_SQUASH_MERGE" in environ:
        return "post-merge"
    if "PRE_COMMIT_REWRITE_COMMAND" in environ:
        return "post-rewrite"
    return "pre-commit"  # or post-commit, whose exit status git ignores


def _names(files: tuple[str, ...]) -> str:
    return " and ".join(files)


def _say(message: str) -> None:
    print(f"jobtrail: {message}", file=sys.stderr)


def _report_hook(result: IndexResult, hook: str) -> int:
    """Quiet unless something happened: git and pre-commit show this on every commit."""
    if result.skipped:
        _say(f"{result.skipped} is in progress: INDEX.md and HISTORY.md are regenerated once it is done")
    elif hook == "post-checkout" and result.stale:
        _say(f"{_names(result.stale)} out of date here: run `jobtrail index` (or commit: the pre-commit hook does it)")
    elif result.written and hook == "pre-commit":
        _say(f"{_names(result.written)} regenerated: `git add` them and commit again")
        return 1  # as formatters do: the commit must include the files as they are now
    elif result.written:
        _say(f"{_names(result.written)} regenerated: commit them when you are ready")
    return 0


def run(args: argparse.Namespace) -> int:
    repo = open_repository()
    hook = args.hook if args.hook != "" else hook_from_pre_commit(os.environ)
    # After a checkout the files are what the branch committed; writing there would turn
    # `git checkout`'s exit status into a failure under pre-commit and block the next checkout.
    check = args.check or hook == "post-checkout"
    result = regenerate(repo, check=check, wait_for_git=HOOKS.get(hook or "", False))
    if hook:
        return _report_hook(result, hook)
    for note in result.notes:
        _say(f"note: {note}")
    if check and result.stale:
        verb = "is" if len(result.stale) == 1 else "are"
        _say(f"{_names(result.stale)} {verb} out of date: run `jobtrail index` and commit")
        return 1
    done = f"Wrote {_names(result.written)}." if result.written else "INDEX.md and HISTORY.md are up to date."
    print(f"{result.summary()} {done}")
    return 0
