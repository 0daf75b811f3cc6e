"""`jobtrail index [--check] [--hook GIT_HOOK]`: regenerate INDEX.md and HISTORY.md."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..files import LockTimeout
from ..repository import open_repository

if TYPE_CHECKING:
    from ..generated import IndexResult

# The git hooks `--hook` knows, and whether each waits while a merge, rebase,
# cherry-pick, revert or bisect is in progress. post-merge and post-rewrite run
# when their own operation has just ended (git removes MERGE_HEAD and the rebase
# folder only after them), so they regenerate right away. pre-commit and
# pre-merge-commit work on git's index, never on the work tree: they never wait.
HOOKS = {"post-commit": True, "post-checkout": True, "post-merge": False, "post-rewrite": False}
BEFORE_A_COMMIT = ("pre-commit", "pre-merge-commit")
# No hook waits longer than this for another jobtrail writer (a stopped `jobtrail index`, say).
HOOK_LOCK_TIMEOUT = 10.0


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
    """Quiet unless something happened: git shows this after a merge, a rebase, a checkout."""
    if result.skipped:
        _say(f"{result.skipped} is in progress: INDEX.md and HISTORY.md are regenerated once it is done")
    elif hook == "post-checkout" and result.stale:
        _say(f"{_names(result.stale)} out of date here: run `jobtrail index` (or commit: the pre-commit hook does it)")
    elif result.written:
        _say(f"{_names(result.written)} regenerated: commit them when you are ready")
    return 0


def _before_a_commit() -> int:
    """The pre-commit hook: check what the commit changes, put fresh generated files into it."""
    from ..staging import stage_generated

    repo = open_repository()
    staged = stage_generated(repo)
    for problem in staged.problems:
        print(problem.as_text())
    if staged.refused:
        errors = sum(problem.severity == "error" for problem in staged.problems)
        _say(
            f"the commit is stopped: {errors} error(s) in the files it changes; fix them, `git add` them and"
            " commit again (`git commit --no-verify` commits anyway)"
        )
        return 1
    return 0


def _after_git(hook: str) -> int:
    """post-* hooks: they never fail git; a problem is one line on stderr."""
    from ..errors import JobtrailError
    from ..hookwrites import cannot_write_here, not_written, unwritable
    from ..settle import settle

    try:
        repo = open_repository()
        if hook == "post-commit":
            # Only the work tree copies: what the pre-commit hook rendered is handed on by the next
            # `jobtrail index`, which renders nothing when the work tree holds exactly this commit
            # (outputmemo.recall_inputs); the watcher follows the work tree. A checkout nobody may
            # write in is said once: neither would bring the files up to date.
            if not settle(repo, lock_timeout=HOOK_LOCK_TIMEOUT) and (locked_out := unwritable(repo.root)):
                from ..generated import regenerate

                if regenerate(repo, check=True).stale:
                    _say(f"{hook} hook: {cannot_write_here(locked_out)}")
            return 0
        if hook in ("post-merge", "post-rewrite") and settle(repo, lock_timeout=HOOK_LOCK_TIMEOUT):
            return 0
        if hook == "post-merge":
            from ..mergecommit import refresh_merge_commit

            if refresh_merge_commit(repo):
                return 0
        from ..generated import regenerate

        check = hook == "post-checkout"
        result = regenerate(repo, check=check, wait_for_git=HOOKS[hook], lock_timeout=HOOK_LOCK_TIMEOUT)
        return _report_hook(result, hook)
    except LockTimeout as exc:
        _say(f"{exc}")
    except JobtrailError as exc:
        _say(f"{hook} hook: {exc}")
    except OSError as exc:
        refused = not_written(exc)
        if refused is None:
            raise
        _say(f"{hook} hook: {refused}")
    return 0


def run(args: argparse.Namespace) -> int:
    hook = args.hook if args.hook != "" else hook_from_pre_commit(os.environ)
    if hook in BEFORE_A_COMMIT:
        return _before_a_commit()
    if hook:
        return _after_git(hook)
    from ..generated import regenerate

    repo = open_repository()
    result = regenerate(repo, check=args.check)
    for note in result.notes:
        _say(f"note: {note}")
    if args.check and result.stale:
        verb = "is" if len(result.stale) == 1 else "are"
        _say(f"{_names(result.stale)} {verb} out of date: run `jobtrail index` and commit")
        return 1
    done = f"Wrote {_names(result.written)}." if result.written else "INDEX.md and HISTORY.md are up to date."
    print(f"{result.summary()} {done}")
    return 0
