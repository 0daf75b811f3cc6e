"""Every application path at HEAD with its history: the walk driven through the cache.

The cache (``historycache``) keeps what a repeated run needs of HEAD (one file,
read without building the walk's records), snapshots at HEAD's recent
ancestors and at heads walked before with the facts of their versions (an
amend, a reset, a small rebase or a switch back walks only the commits that
differ, and reads only the versions those name), and the facts of every blob
a whole walk read. It is valid only while everything that decides the
reachable history is unchanged: the shallow boundary, replace refs and grafts
are part of its fingerprint.
"""

from __future__ import annotations

import json

from . import historycache
from .errors import JobtrailError
from .repository import Repository
from .walk import NO_FACTS, Facts, HeadEntry, MissingParent, Snapshot, first_parent_chain, head_entry, walk

KEEP_ANCESTORS = 16  # snapshots kept at HEAD's first-parent ancestors: an amend, a reset, a small rebase
MAX_RETAINED = 48  # snapshots kept in all (those of heads walked before: a switch back)
REBASE_AFTER = 32  # paths HEAD may differ from the base in before its snapshot becomes the new base
READ_ALL_FACTS_AFTER = 64  # new versions in a walk from a retained snapshot: then the blobs part is read


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


def head_entries(repo: Repository, head: str | None, missing: set[str] | None = None) -> dict[str, HeadEntry]:
    """What the history needs of every application path at ``head``: the ``state`` part when it is of
    ``head`` (a repeated run reads nothing else), else from the snapshot at ``head``.

    With ``missing``, versions a partial clone cannot fetch are left out and named there;
    nothing is cached then (a later run, online, reads them).
    """
    if head is None:
        return {}
    fingerprint = _fingerprint(repo)
    state = historycache.load_part(repo.git_dir, "state", b'"head":"%s"' % head.encode())
    cached = historycache.entries_from_json(state, fingerprint, head)
    if cached is not None:
        return cached
    snapshot, facts = head_walk(repo, head, missing, fingerprint)
    entries = {path: head_entry(version, facts.get(version.blob, NO_FACTS)) for path, version in snapshot.items()}
    if not missing:
        historycache.save(repo.git_dir, {"state": historycache.entries_to_json(fingerprint, head, entries)})
    return entries


def all_facts(repo: Repository, facts: dict[str, Facts]) -> dict[str, Facts]:
    """The blobs part with ``facts`` added (a whole walk's, or a long one's, versions are mostly there)."""
    table = historycache.blobs_from_json(historycache.load_part(repo.git_dir, "blobs"), repo.config.max_file_bytes)
    for sha, found in facts.items():
        dict.__setitem__(table, sha, found)
    return table


def head_walk(
    repo: Repository, head: str, missing: set[str] | None = None, fingerprint: str | None = None
) -> tuple[Snapshot, dict[str, Facts]]:
    """The snapshot at ``head`` and the facts (by blob) of at least every version it holds: a retained
    snapshot, else walked from the retained snapshots it descends from, else the whole history."""
    from .logread import read_commits, read_commits_back_to, read_facts  # not on a repeated run's path

    fingerprint = fingerprint or _fingerprint(repo)
    base = historycache.base_from_json(historycache.load_part(repo.git_dir, "base"), fingerprint)
    known, facts = historycache.retained_from_json(historycache.load_part(repo.git_dir, "retained"), fingerprint, base)
    if head in known:  # a reset, a switch back: no walk at all
        snapshot = known[head]
        if list(known).index(head) < len(known) // 2:  # among the next to go: the newest now
            known[head] = known.pop(head)
            _save_retained(repo, fingerprint, head, known, facts, base)
        return snapshot, facts
    statuses = frozenset(repo.config.workflow.statuses)
    walked: dict[str, Snapshot] | None = None
    if known:
        try:
            commits = read_commits_back_to(repo, head, known)
            new_versions = {change.new_blob for commit in commits for change in commit.changes if change.new_blob}
            new_versions -= facts.keys()
            if len(new_versions) > READ_ALL_FACTS_AFTER:  # a long way back (a pull): the blobs part has most
                facts = all_facts(repo, facts)
                read_facts(repo, commits, facts, missing)
                if not missing:
                    _save_blobs(repo, facts)
            else:
                read_facts(repo, commits, facts, missing)
            keep = set(first_parent_chain(commits, head, KEEP_ANCESTORS))
            walked = walk(commits, facts, statuses, known, keep)
        except (MissingParent, JobtrailError):  # a parent gone from git: the whole walk says it plainly
            walked = None
    if walked is None:  # the whole history; the snapshots kept before stay valid for other heads
        facts = all_facts(repo, facts)
        facts_before = len(facts)
        commits = read_commits(repo, [head], facts, missing)
        keep = set(first_parent_chain(commits, head, KEEP_ANCESTORS))
        try:
            walked = walk(commits, facts, statuses, {}, keep)
        except MissingParent:  # cannot happen in a whole walk; said plainly if it ever does
            raise JobtrailError("git's log of HEAD names a parent it does not show: run `git fsck`") from None
        if len(facts) != facts_before and not missing:
            _save_blobs(repo, facts)
    snapshot = walked.get(head, {})
    retained = _retain(known, walked, first_parent_chain(commits, head, KEEP_ANCESTORS))
    retained.setdefault(head, snapshot)
    if not missing:
        _save_retained(repo, fingerprint, head, retained, facts, base)
    return snapshot, facts


def _save_blobs(repo: Repository, facts: dict[str, Facts]) -> None:
    historycache.save(repo.git_dir, {"blobs": historycache.blobs_to_json(repo.config.max_file_bytes, facts)})


def _save_retained(
    repo: Repository,
    fingerprint: str,
    head: str,
    retained: dict[str, Snapshot],
    facts: dict[str, Facts],
    base: tuple[str, Snapshot, dict[str, Facts]] | None,
) -> None:
    """The retained snapshots as their differences from the base snapshot; HEAD's snapshot the new base
    when there is none yet or HEAD has drifted far from it (then both parts are written).

    HEAD's drift stands for all: most retained snapshots are its recent ancestors, each about as
    far from the base. (Snapshots of other branches differ from any base: a new one would not help.)
    """
    parts = {}
    table = historycache.RetainedTable(fingerprint, (base[0], base[1]), retained, facts) if base else None
    if table is None or base is None or table.drift.get(head, 0) > REBASE_AFTER:
        parts["base"] = historycache.base_to_json(fingerprint, head, retained[head], facts)
        table = historycache.RetainedTable(fingerprint, (head, retained[head]), retained, facts)
    parts["retained"] = table.data  # after the base it names
    historycache.save(repo.git_dir, parts)
