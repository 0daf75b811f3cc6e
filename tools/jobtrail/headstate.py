"""Every application path at HEAD with its history: the walk driven through the cache.

The cache (``historycache``) keeps the snapshot at HEAD (a repeated run reads
one file), snapshots at HEAD's recent ancestors and at heads walked before (an
amend, a reset, a small rebase or a switch back walks only the commits that
differ), and the facts of every blob. It is valid only while everything that
decides the reachable history is unchanged: the shallow boundary, replace refs
and grafts are part of its fingerprint.
"""

from __future__ import annotations

import json

from . import historycache
from .errors import JobtrailError
from .logformat import LogCommit
from .logread import read_commits
from .repository import Repository
from .walk import NO_FACTS, Facts, MissingParent, Snapshot, first_parent_chain, walk

KEEP_ANCESTORS = 16  # snapshots kept at HEAD's first-parent ancestors: an amend, a reset, a small rebase
MAX_RETAINED = 48  # snapshots kept in all (those of heads walked before: a switch back)


def _fingerprint(repo: Repository) -> str:
    config = repo.config
    return json.dumps(
        [
            historycache.CACHE_VERSION,
            config.applications_dir,
            sorted(config.workflow.statuses),
            config.max_file_bytes,
            repo.graph_identity(),
        ]
    )


def _retain(known: dict[str, Snapshot], walked: dict[str, Snapshot], chain: list[str]) -> dict[str, Snapshot]:
    """The snapshots to keep, oldest first: those kept before, then this walk's, HEAD last."""
    retained = {sha: snapshot for sha, snapshot in known.items() if sha not in chain}
    retained.update((sha, walked[sha]) for sha in reversed(chain) if sha in walked)
    excess = len(retained) - MAX_RETAINED
    return dict(list(retained.items())[max(excess, 0) :])


def head_snapshot(repo: Repository, head: str | None, missing: set[str] | None = None) -> Snapshot:
    """Every application path at ``head`` with its history: from the cache when it is there, else walked."""
    return head_state(repo, head, missing)[0]


def head_state(
    repo: Repository, head: str | None, missing: set[str] | None = None
) -> tuple[Snapshot, dict[str, Facts]]:
    """``head_snapshot``, and what each file at ``head`` says (its blob's facts).

    With ``missing``, versions a partial clone cannot fetch are left out and named there;
    nothing is cached then (a later run, online, reads them).
    """
    if head is None:
        return {}, {}
    fingerprint = _fingerprint(repo)
    cached = historycache.head_from_json(historycache.load_part(repo.git_dir, "state"), fingerprint, head)
    if cached is not None and cached[0] == head:
        return cached[1], cached[2]  # the repeated run: one small file
    known = historycache.retained_from_json(historycache.load_part(repo.git_dir, "retained"), fingerprint)
    statuses = frozenset(repo.config.workflow.statuses)
    facts = historycache.blobs_from_json(historycache.load_part(repo.git_dir, "blobs"), repo.config.max_file_bytes)
    facts_before = len(facts)
    if head in known and all(version.blob in facts for version in known[head].values()):
        # a reset, a switch back: no walk at all
        snapshot = known[head]
        known[head] = known.pop(head)  # the newest now
        retained = known
    else:
        walked: dict[str, Snapshot] | None = None
        commits: list[LogCommit] = []
        if known:
            try:
                commits = read_commits(repo, [head, "--not", *known], facts, missing)
                keep = set(first_parent_chain(commits, head, KEEP_ANCESTORS))
                walked = walk(commits, facts, statuses, known, keep)
            except (MissingParent, JobtrailError):  # a parent older than every snapshot, or one gone from git
                walked = None
        if walked is None:  # the whole history; the snapshots kept before stay valid for other heads
            commits = read_commits(repo, [head], facts, missing)
            keep = set(first_parent_chain(commits, head, KEEP_ANCESTORS))
            try:
                walked = walk(commits, facts, statuses, {}, keep)
            except MissingParent:  # cannot happen in a whole walk; said plainly if it ever does
                raise JobtrailError("git's log of HEAD names a parent it does not show: run `git fsck`") from None
        snapshot = walked.get(head, {})
        retained = _retain(known, walked, first_parent_chain(commits, head, KEEP_ANCESTORS))
        retained.setdefault(head, snapshot)
        if missing:
            return snapshot, {path: facts.get(version.blob, NO_FACTS) for path, version in snapshot.items()}
        if len(facts) != facts_before:  # an amend of the message, a rebase: no version git had not shown before
            historycache.save(repo.git_dir, {"blobs": historycache.blobs_to_json(repo.config.max_file_bytes, facts)})
    historycache.save(
        repo.git_dir,
        {
            "retained": historycache.retained_to_json(fingerprint, head, retained),
            "state": historycache.head_to_json(fingerprint, head, snapshot, facts),
        },
    )
    return snapshot, {path: facts.get(version.blob, NO_FACTS) for path, version in snapshot.items()}
