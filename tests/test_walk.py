"""The pure walk on hand-built commits (no git), and SPEC section 4's properties 1 and 2 on random graphs."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobtrail.logformat import FileChange, LogCommit
from jobtrail.walk import (
    Event,
    Facts,
    MissingParent,
    Snapshot,
    event_dates,
    first_parent_chain,
    join_histories,
    walk,
)

STATUSES = frozenset({"PENDING", "APPLIED", "SCREENING", "REJECTED"})


def blob(name: str, status: str, note: str = "", applied: str | None = None) -> tuple[str, Facts]:
    return f"{name}:{status}:{note}", Facts(status, applied)


class Graph:
    """Commits built by hand: each a tree of path -> blob; changes against the first parent computed here."""

    def __init__(self) -> None:
        self.commits: list[LogCommit] = []
        self.trees: dict[str, dict[str, str]] = {}
        self.facts: dict[str, Facts] = {}

    def commit(
        self,
        sha: str,
        parents: Iterable[str],
        tree: dict[str, tuple[str, Facts]],
        date: str = "2026-08-01",
        renames: dict[str, str] | None = None,
    ) -> str:
        parents = tuple(parents)
        files = {path: sha_facts[0] for path, sha_facts in tree.items()}
        self.facts.update(sha_facts for sha_facts in tree.values())
        before = self.trees[parents[0]] if parents else {}
        changes = diff(before, files, renames or {})
        self.commits.append(LogCommit(sha, parents, date, 0, tuple(changes)))
        self.trees[sha] = files
        return sha

    def walk(self, head: str) -> Snapshot:
        return walk(self.commits, self.facts, STATUSES, {}, {head})[head]


def diff(before: dict[str, str], after: dict[str, str], renames: dict[str, str]) -> list[FileChange]:
    """What git prints with -M: ``renames`` (old -> new) as R, the rest as A, M, D."""
    changes = []
    for old, new in renames.items():
        changes.append(FileChange("R", before[old], after[new], old, new))
    moved_from, moved_to = set(renames), set(renames.values())
    for path in sorted(set(before) | set(after)):
        if path in moved_from or path in moved_to:
            continue
        if path not in after:
            changes.append(FileChange("D", before[path], None, None, path))
        elif path not in before:
            changes.append(FileChange("A", None, after[path], None, path))
        elif before[path] != after[path]:
            changes.append(FileChange("M", before[path], after[path], None, path))
    return changes


def statuses_of(snapshot: Snapshot, path: str) -> list[tuple[str, str]]:
    return [(event.status, event.commit) for event in snapshot[path].history]


def test_a_linear_history_records_each_change_of_status_once() -> None:
    graph = Graph()
    graph.commit("c1", [], {"a.md": blob("a", "PENDING")})
    graph.commit("c2", ["c1"], {"a.md": blob("a", "PENDING", "notes")})
    graph.commit("c3", ["c2"], {"a.md": blob("a", "APPLIED")})
    graph.commit("c4", ["c3"], {"a.md": blob("a", "garbage")})  # does not parse: carries APPLIED forward

    snapshot = graph.walk("c4")

    assert statuses_of(snapshot, "a.md") == [("PENDING", "c1"), ("APPLIED", "c3")]
    assert snapshot["a.md"].status == "APPLIED"


def test_a_rename_carries_the_history() -> None:
    graph = Graph()
    graph.commit("c1", [], {"a.md": blob("a", "PENDING")})
    graph.commit("c2", ["c1"], {"b.md": blob("a", "APPLIED")}, renames={"a.md": "b.md"})

    assert statuses_of(graph.walk("c2"), "b.md") == [("PENDING", "c1"), ("APPLIED", "c2")]


def test_an_exact_swap_of_two_files_keeps_each_history() -> None:
    graph = Graph()
    a, b = blob("a", "APPLIED"), blob("b", "PENDING")
    graph.commit("c1", [], {"a.md": blob("a", "PENDING"), "b.md": b})
    graph.commit("c2", ["c1"], {"a.md": a, "b.md": b})
    graph.commit("c3", ["c2"], {"a.md": b, "b.md": a})

    snapshot = graph.walk("c3")

    assert statuses_of(snapshot, "b.md") == [("PENDING", "c1"), ("APPLIED", "c2")]
    assert statuses_of(snapshot, "a.md") == [("PENDING", "c1")]


def test_a_copy_does_not_take_the_history_of_the_file_it_copies() -> None:
    graph = Graph()
    a = blob("a", "APPLIED")
    graph.commit("c1", [], {"a.md": blob("a", "PENDING"), "b.md": blob("b", "REJECTED")})
    graph.commit("c2", ["c1"], {"a.md": a, "b.md": blob("b", "REJECTED")})
    graph.commit("c3", ["c2"], {"a.md": blob("a", "SCREENING"), "b.md": a})  # b becomes a copy of a's old text

    snapshot = graph.walk("c3")

    assert statuses_of(snapshot, "b.md") == [("REJECTED", "c1"), ("APPLIED", "c3")]


def test_a_merge_resolution_to_a_new_status_is_an_event_of_the_merge() -> None:
    graph = Graph()
    graph.commit("base", [], {"a.md": blob("a", "PENDING")})
    graph.commit("main", ["base"], {"a.md": blob("a", "REJECTED")})
    graph.commit("side", ["base"], {"a.md": blob("a", "APPLIED")})
    graph.commit("merge", ["main", "side"], {"a.md": blob("a", "SCREENING")})

    assert statuses_of(graph.walk("merge"), "a.md") == [
        ("PENDING", "base"),
        ("APPLIED", "side"),
        ("REJECTED", "main"),
        ("SCREENING", "merge"),
    ]


def test_a_merge_that_keeps_a_side_ends_on_that_side() -> None:
    graph = Graph()
    graph.commit("base", [], {"a.md": blob("a", "PENDING")})
    graph.commit("main", ["base"], {"a.md": blob("a", "REJECTED")})
    side = blob("a", "APPLIED")
    graph.commit("side", ["base"], {"a.md": side})
    graph.commit("merge", ["main", "side"], {"a.md": side})

    assert statuses_of(graph.walk("merge"), "a.md") == [("PENDING", "base"), ("REJECTED", "main"), ("APPLIED", "side")]


def test_the_same_change_on_two_branches_is_one_event() -> None:
    graph = Graph()
    graph.commit("base", [], {"a.md": blob("a", "PENDING")})
    graph.commit("pick", ["base"], {"a.md": blob("a", "APPLIED", "picked")})
    graph.commit("side", ["base"], {"a.md": blob("a", "APPLIED")})
    graph.commit("merge", ["pick", "side"], {"a.md": blob("a", "APPLIED", "both")})

    assert [status for status, _ in statuses_of(graph.walk("merge"), "a.md")] == ["PENDING", "APPLIED"]


def test_a_file_the_merge_brings_back_keeps_its_branch_history() -> None:
    graph = Graph()
    graph.commit("base", [], {"a.md": blob("a", "PENDING")})
    graph.commit("main", ["base"], {})
    side = blob("a", "APPLIED")
    graph.commit("side", ["base"], {"a.md": side})
    graph.commit("merge", ["main", "side"], {"a.md": side})

    assert statuses_of(graph.walk("merge"), "a.md") == [("PENDING", "base"), ("APPLIED", "side")]


def test_a_parent_outside_the_walk_must_be_known() -> None:
    graph = Graph()
    graph.commit("c1", [], {"a.md": blob("a", "PENDING")})
    graph.commit("c2", ["c1"], {"a.md": blob("a", "APPLIED")})
    earlier = walk(graph.commits[:1], graph.facts, STATUSES, {}, {"c1"})

    with pytest.raises(MissingParent):
        walk(graph.commits[1:], graph.facts, STATUSES, {}, {"c2"})
    later = walk(graph.commits[1:], graph.facts, STATUSES, earlier, {"c2"})

    assert later["c2"] == graph.walk("c2")
    assert statuses_of(earlier["c1"], "a.md") == [("PENDING", "c1")]  # not changed by the second walk


def test_only_the_first_applied_is_dated_by_the_application_date() -> None:
    history = (
        Event("PENDING", "c1", "2026-08-01", None, None),
        Event("APPLIED", "c2", "2026-08-03", "2026-07-30", "PENDING"),
        Event("SCREENING", "c3", "2026-08-05", None, "APPLIED"),
        Event("APPLIED", "c4", "2026-08-10", "2026-07-30", "SCREENING"),
    )
    assert event_dates(history) == ["2026-08-01", "2026-07-30", "2026-08-05", "2026-08-10"]
    future = (Event("APPLIED", "c2", "2026-08-03", "2062-08-02", None),)
    assert event_dates(future) == ["2026-08-03"]


def test_join_histories_keeps_the_kept_side_last_and_drops_repeats() -> None:
    pending = Event("PENDING", "base", "d", None, None)
    kept = (pending, Event("APPLIED", "k", "d", None, "PENDING"))
    other = (pending, Event("REJECTED", "o", "d", None, "PENDING"), Event("APPLIED", "o2", "d", None, "REJECTED"))

    joined = join_histories(kept, [other])

    # The other side's events since the fork come first; APPLIED twice in a row is one entry.
    assert [(event.status, event.commit) for event in joined] == [
        ("PENDING", "base"),
        ("REJECTED", "o"),
        ("APPLIED", "o2"),
    ]


def test_first_parent_chain() -> None:
    graph = Graph()
    graph.commit("c1", [], {})
    graph.commit("c2", ["c1"], {})
    graph.commit("s", ["c1"], {})
    graph.commit("m", ["c2", "s"], {})
    assert first_parent_chain(graph.commits, "m", 3) == ["m", "c2", "c1"]
    assert first_parent_chain(graph.commits, "m", 2) == ["m", "c2"]
    assert first_parent_chain(graph.commits[1:], "m", 5) == ["m", "c2"]  # c1 is outside these commits


# ---------------------------------------------------------------- random graphs


@dataclass
class File:
    identity: int
    status: str  # one of STATUSES, or "garbage" (a version that does not parse)
    note: int = 0

    @property
    def blob(self) -> str:
        return f"{self.identity}:{self.status}:{self.note}"


@dataclass
class Model:
    """A repository as a list of commits with trees of path -> File; branches are names for commits."""

    graph: Graph = field(default_factory=Graph)
    trees: dict[str, dict[str, File]] = field(default_factory=dict)
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    counter: int = 0

    def fresh(self) -> int:
        self.counter += 1
        return self.counter

    def commit(self, branch: str, parents: tuple[str, ...], tree: dict[str, File], renames: dict[str, str]) -> None:
        sha = f"c{self.fresh()}"
        self.graph.commit(
            sha, parents, {path: (file.blob, Facts(file.status, None)) for path, file in tree.items()}, renames=renames
        )
        self.trees[sha] = tree
        self.parents[sha] = parents
        self.branches[branch] = sha

    def ancestors(self, sha: str) -> set[str]:
        seen, todo = set(), [sha]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents[current])
        return seen


STEP = st.one_of(
    st.tuples(st.just("status"), st.integers(0, 9), st.sampled_from([*sorted(STATUSES), "garbage"])),
    st.tuples(st.just("note"), st.integers(0, 9), st.just("")),
    st.tuples(st.just("add"), st.integers(0, 9), st.sampled_from(sorted(STATUSES))),
    st.tuples(st.just("delete"), st.integers(0, 9), st.just("")),
    st.tuples(st.just("rename"), st.integers(0, 9), st.just("")),
    st.tuples(st.just("swap"), st.integers(0, 9), st.just("")),
    st.tuples(st.just("branch"), st.integers(0, 3), st.just("")),
    st.tuples(st.just("switch"), st.integers(0, 3), st.just("")),
    st.tuples(st.just("merge"), st.integers(0, 3), st.sampled_from(["ours", "theirs", "mixed", "resolve"])),
    st.tuples(st.just("cherry-pick"), st.integers(0, 50), st.just("")),
    st.tuples(st.just("revert"), st.integers(0, 0), st.just("")),
)


def build(steps: list[tuple[str, int, str]]) -> tuple[Model, str]:
    model = Model()
    model.commit("main", (), {"p0.md": File(0, "PENDING"), "p1.md": File(1, "PENDING")}, {})
    current = "main"
    for kind, number, value in steps:
        head = model.branches[current]
        tree = dict(model.trees[head])
        paths = sorted(tree)
        renames: dict[str, str] = {}
        parents: tuple[str, ...] = (head,)
        if kind == "branch":
            model.branches.setdefault(f"b{number}", head)
            continue
        if kind == "switch":
            names = sorted(model.branches)
            current = names[number % len(names)]
            continue
        if kind == "add":
            identity = model.fresh()
            tree[f"f{identity}.md"] = File(identity, value)
        elif kind == "merge":
            others = [name for name in sorted(model.branches) if name != current]
            if not others:
                continue
            other = model.branches[others[number % len(others)]]
            if other in model.ancestors(head):
                continue
            theirs = model.trees[other]
            for index, path in enumerate(sorted(set(tree) | set(theirs))):
                pick = {"ours": 0, "theirs": 1, "mixed": index % 2, "resolve": index % 3}[value]
                if pick == 1 and path in theirs:
                    tree[path] = theirs[path]
                elif pick == 2 and path in tree:
                    tree[path] = File(tree[path].identity, "SCREENING", model.fresh())
            parents = (head, other)
        elif kind == "cherry-pick":
            picks = [sha for sha in model.trees if model.parents[sha] and len(model.parents[sha]) == 1]
            if not picks:
                continue
            picked = picks[number % len(picks)]
            before, after = model.trees[model.parents[picked][0]], model.trees[picked]
            changed = [path for path in after if before.get(path) != after[path] and path in tree]
            if not changed:
                continue
            for path in changed:  # the same patch: the same text when the file is the same one
                mine = tree[path]
                same = mine.identity == after[path].identity
                tree[path] = after[path] if same else File(mine.identity, after[path].status, model.fresh())
        elif kind == "revert":
            if len(model.parents[head]) != 1:
                continue
            tree = dict(model.trees[model.parents[head][0]])
        elif not paths:
            continue
        else:
            path = paths[number % len(paths)]
            file = tree[path]
            if kind == "status":
                tree[path] = File(file.identity, value, model.fresh())
            elif kind == "note":
                tree[path] = File(file.identity, file.status, model.fresh())
            elif kind == "delete":
                del tree[path]
            elif kind == "rename":
                new = f"r{model.fresh()}.md"
                tree[new] = tree.pop(path)
                renames = {path: new}
            elif kind == "swap":
                other_path = paths[(number + 1) % len(paths)]
                if other_path == path or tree[other_path].blob == file.blob:
                    continue
                tree[path], tree[other_path] = tree[other_path], file
        if tree == model.trees[head] and len(parents) == 1:
            continue
        model.commit(current, parents, tree, renames)
    return model, model.branches[current]


@given(st.lists(STEP, max_size=40))
def test_every_history_ends_on_the_current_status_and_each_entry_is_held_by_its_commit(
    steps: list[tuple[str, int, str]],
) -> None:
    model, head = build(steps)
    snapshot = model.graph.walk(head)
    reachable = model.ancestors(head)
    assert set(snapshot) == set(model.trees[head])
    for path, file in model.trees[head].items():
        history = snapshot[path].history
        if file.status != "garbage":  # property 1: a version that does not parse has no status to end on
            assert history and history[-1].status == file.status, (path, history)
        for earlier, later in itertools.pairwise(history):
            assert earlier.status != later.status, history
        for event in history:  # property 2
            assert event.commit in reachable
            held = model.trees[event.commit]
            assert any(other.identity == file.identity and other.status == event.status for other in held.values()), (
                path,
                event,
            )


@given(st.lists(STEP, max_size=30), st.integers(0, 40))
def test_a_walk_in_two_pieces_equals_one_walk(steps: list[tuple[str, int, str]], cut: int) -> None:
    """What the cache relies on: a walk continued from the snapshots of an earlier one (property 8)."""
    model, head = build(steps)
    commits = model.graph.commits
    cut = min(cut, len(commits))
    earlier = walk(commits[:cut], model.graph.facts, STATUSES, {}, {commit.sha for commit in commits[:cut]})
    before = {sha: dict(snapshot) for sha, snapshot in earlier.items()}

    later = walk(commits[cut:], model.graph.facts, STATUSES, earlier, {head})

    assert (later[head] if head in later else earlier[head]) == model.graph.walk(head)
    assert earlier == before  # the snapshots given to a walk are never changed
