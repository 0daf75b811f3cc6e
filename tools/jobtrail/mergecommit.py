"""The post-merge rewrite: a merge commit made by ``git merge`` gets fresh generated files."""

from __future__ import annotations

import os

from . import git
from .files import locked, write_atomic
from .repository import Repository
from .staging import stage_generated


def refresh_merge_commit(repo: Repository) -> tuple[str, ...]:
    """After ``git merge`` made a merge commit: give it fresh generated files, in place.

    git writes a merge's tree before its pre-merge-commit hook runs and never
    reads the index again, so no hook can put files into it. The post-merge hook
    replaces the commit it has just made (same tree but the two files, same
    parents, message and author) and moves the branch to it. Returns the files
    replaced; a merge concluded by `git commit` (after a conflict) got them from
    the pre-commit hook and is left alone.
    """
    parents = git.run(repo.root, "rev-parse", "HEAD^@").decode().split()
    action = git.output_or_none(repo.root, "reflog", "-1", "--format=%gs", "HEAD") or b""
    if len(parents) < 2 or b"Merge made by" not in action:
        return ()
    head = git.run(repo.root, "rev-parse", "HEAD").decode().strip()
    staged = stage_generated(repo, made=head)
    if not staged.staged or staged.rendered is None:
        return ()
    files = {name: staged.rendered.files[name] for name in staged.staged}
    lines = []
    for name, data in files.items():
        sha = git.run(repo.root, "hash-object", "-w", "--stdin", input=data).decode().strip()
        lines.append(f"100644 {sha}\t{name}\n")
    git.run(repo.root, "update-index", "--add", "--index-info", input="".join(lines).encode())
    tree = git.run(repo.root, "write-tree").decode().strip()
    name, email, date = (
        git.run(repo.root, "log", "-1", "--format=%an%x00%ae%x00%ad", "--date=raw", "HEAD")
        .decode()
        .rstrip("\n")
        .split("\0")
    )
    message = git.run(repo.root, "log", "-1", "--format=%B", "HEAD")
    author = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date}
    arguments = ["commit-tree", tree, *(arg for parent in parents for arg in ("-p", parent))]
    replaced = git.run(repo.root, *arguments, input=message, env=author).decode().strip()
    git.run(
        repo.root, "update-ref", "-m", "jobtrail: the merge with fresh INDEX.md and HISTORY.md", "HEAD", replaced, head
    )
    with locked(os.path.join(repo.git_dir, "jobtrail-index.lock"), timeout=10, waiting_for="write INDEX.md"):
        for file_name, data in files.items():
            write_atomic(os.path.join(repo.root, file_name), data)
    git.output_or_none(repo.root, "update-index", "-q", "--refresh", "--", *files)
    return tuple(files)
