"""The commit being made, before git makes it: its parents, and a throwaway commit of the index.

No ref points at the throwaway commit: it only lets the history be read
exactly as it will read at the real commit (docs/commit-loop.md).
"""

from __future__ import annotations

import os

from . import git
from .repository import Repository

# Whoever commits: the throwaway commit needs an identity; only its author date matters.
_IDENTITY = {
    "GIT_AUTHOR_NAME": "jobtrail",
    "GIT_AUTHOR_EMAIL": "jobtrail@localhost",
    "GIT_COMMITTER_NAME": "jobtrail",
    "GIT_COMMITTER_EMAIL": "jobtrail@localhost",
}


def parents_of_commit_being_made(repo: Repository) -> list[str]:
    """The parents of the commit being made."""
    if amending():
        out = git.output_or_none(repo.root, "rev-parse", "HEAD^@")
        return out.decode().split() if out else []
    head = git.output_or_none(repo.root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    parents = [head.decode().strip()] if head else []
    try:
        with open(os.path.join(repo.git_dir, "MERGE_HEAD"), encoding="ascii") as handle:
            parents += handle.read(4096).split()
    except (OSError, ValueError):
        pass
    return parents


def amending() -> bool:
    """Whether the ``git commit`` that runs this hook was given ``--amend``.

    git tells a pre-commit hook nothing about it, but the commit's parents differ:
    the hook looks at the command lines of the processes that started it.
    """
    pid = os.getppid()
    for _ in range(8):
        if pid <= 1:
            return False
        arguments, parent = _process(pid)
        if arguments and os.path.basename(arguments[0]) in ("git", "git.exe") and "commit" in arguments:
            return any(arg == "--amend" or (len(arg) >= 5 and "--amend".startswith(arg)) for arg in arguments)
        pid = parent
    return False


def _process(pid: int) -> tuple[list[str], int]:
    """(command line, parent pid) of a process; ([], 0) when it cannot be read."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            arguments = [part.decode("utf-8", "replace") for part in handle.read().split(b"\0") if part]
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        return arguments, parent
    except (OSError, ValueError, IndexError):
        pass
    import subprocess  # no /proc (macOS): ask ps

    try:
        done = subprocess.run(["ps", "-o", "ppid=", "-o", "args=", "-p", str(pid)], capture_output=True, text=True)
        parent_text, _, args = done.stdout.strip().partition(" ")
        return args.split(), int(parent_text)
    except (OSError, ValueError):
        return [], 0


def throwaway_commit(repo: Repository, tree: str, parents: list[str]) -> str:
    """A commit of ``tree`` onto ``parents`` with the commit's own author date; no ref points at it."""
    identity = {name: value for name, value in _IDENTITY.items() if not os.environ.get(name)}
    arguments = ["commit-tree", tree, *(arg for parent in parents for arg in ("-p", parent))]
    return git.run(repo.root, *arguments, input=b"jobtrail: the commit being made\n", env=identity).decode().strip()
