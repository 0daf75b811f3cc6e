"""The watcher's pure core on hand-built changes and a fake clock: no watchdog, no threads, no git.

``tests/test_watch.py`` runs the whole watcher with the real observer.
"""

from __future__ import annotations

import math

import pytest

from jobtrail.debounce import Debouncer
from jobtrail.errors import JobtrailError
from jobtrail.generated import IndexResult
from jobtrail.problem import Problem, error, warning
from jobtrail.watch import MAX_WAIT, QUIET
from jobtrail.watchplan import (
    APPLICATION,
    FOLDER,
    GENERATED,
    GIT,
    SETTING,
    START,
    Action,
    Defer,
    Planner,
    ProblemTracker,
    Regenerate,
    Say,
    WatchPlan,
    changes_of,
    classify,
    describe,
    watch_targets,
)

LOCKED = "git is writing (.git/index.lock exists; if no git command is running, delete it)"
WRITTEN = {"INDEX.md": (11, 500, 1), "HISTORY.md": (12, 300, 1)}


def result(*problems: Problem, skipped: str | None = None, written: tuple[str, ...] = ("INDEX.md",)) -> IndexResult:
    return IndexResult(
        counts=(("PENDING", 2),),
        problems=len(problems),
        stale=written,
        written=written,
        skipped=skipped,
        problem_list=problems,
    )


# ---------------------------------------------------------------- which changes matter


def _plan(root: str = "/r") -> WatchPlan:
    return WatchPlan(
        root=root,
        applications=f"{root}/applications",
        settings=frozenset({f"{root}/jobtrail.toml", f"{root}/pyproject.toml", f"{root}/docs/template.md"}),
        generated=frozenset({f"{root}/INDEX.md", f"{root}/HISTORY.md"}),
        git_dir=f"{root}/.git",
        common_dir=f"{root}/.git",
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/r/applications/acme.md", ("applications/acme.md", APPLICATION)),
        ("/r/applications/.acme.md.swp", None),
        ("/r/applications/.acme.md.swx", None),
        ("/r/applications/acme.md~", None),
        ("/r/applications/4913", None),
        ("/r/applications/#acme.md#", None),
        ("/r/applications/.#acme.md", None),
        ("/r/applications/acme.md.tmp", None),
        ("/r/applications/acme.md.kate-swp", None),
        ("/r/applications/drafts/acme.md", ("applications/drafts/acme.md", APPLICATION)),  # sub-folders too
        ("/r/applications/.drafts/acme.md", None),
        ("/r/applications", ("applications/", FOLDER)),
        ("/r/docs", ("docs/", FOLDER)),
        ("/r/docs/template.md", ("docs/template.md", SETTING)),
        ("/r/jobtrail.toml", ("jobtrail.toml", SETTING)),
        ("/r/INDEX.md", ("INDEX.md", GENERATED)),
        ("/r/.INDEX.md.x1y2.tmp", None),
        ("/r/README.md", None),
        ("/r", None),
        ("/r/.git/HEAD", ("git HEAD", GIT)),
        ("/r/.git/HEAD.lock", None),
        ("/r/.git/index", None),
        ("/r/.git/index.lock", None),
        ("/r/.git/packed-refs", ("git packed-refs", GIT)),
        ("/r/.git/refs/heads/main", ("git refs/heads/main", GIT)),
        ("/r/.git/refs/heads/feature/x", ("git refs/heads/feature/x", GIT)),
        ("/r/.git/refs/heads/main.lock", None),
        ("/r/.git/refs/remotes/origin/main", None),
        ("/r/.git/rebase-merge", ("git rebase-merge", GIT)),
        ("/r/.git/MERGE_HEAD", ("git MERGE_HEAD", GIT)),
        ("/r/.git/jobtrail", None),
        ("/r/.git/jobtrail-index.lock", None),
        ("/r/.git/objects/ab/cdef", None),
        ("/elsewhere/acme.md", None),
    ],
)
def test_classify(path: str, expected: tuple[str, str] | None) -> None:
    assert classify(_plan(), path) == expected


def test_describe_names_a_few_and_counts_the_rest() -> None:
    assert describe({"a.md": APPLICATION}) == "a.md"
    assert describe({"a.md": APPLICATION, "git HEAD": GIT}) == "a.md and git HEAD"
    assert describe(dict.fromkeys(["a", "b", "c"], APPLICATION)) == "a, b and c"
    assert describe(dict.fromkeys([f"{n}.md" for n in range(500)], APPLICATION)) == "0.md, 1.md, 2.md and 497 more"


def test_problem_tracker_names_new_problems_not_moved_ones() -> None:
    tracker = ProblemTracker()
    first = error("a.md", 3, "JT201", "bad yaml")
    assert tracker.update([first]) == ([], 0)  # the first regeneration only counts
    moved = error("a.md", 9, "JT201", "bad yaml")
    new = warning("b.md", 1, "JT402", "case")
    assert tracker.update([moved, new]) == ([new], 0)
    assert tracker.update([]) == ([], 2)


def test_a_move_counts_at_both_ends() -> None:
    paths = ["/r/applications/.acme.md.tmp", "/r/applications/acme.md"]
    assert changes_of(_plan(), paths) == [("applications/acme.md", APPLICATION)]
    assert changes_of(_plan(), ["/r/applications/a.md", "/r/applications/b.md"]) == [
        ("applications/a.md", APPLICATION),
        ("applications/b.md", APPLICATION),
    ]


def test_a_missing_folder_is_watched_through_its_nearest_existing_parent() -> None:
    existing = {"/r", "/r/.git"}
    assert watch_targets(_plan(), existing.__contains__) == {("/r", False), ("/r/.git", False)}
    existing |= {"/r/applications", "/r/docs", "/r/.git/refs", "/r/.git/refs/heads"}
    assert watch_targets(_plan(), existing.__contains__) == {
        ("/r", False),
        ("/r/applications", True),
        ("/r/docs", False),
        ("/r/.git", False),
        ("/r/.git/refs/heads", True),
    }


# ---------------------------------------------------------------- what to do about a batch


def regenerated(planner: Planner, batch: dict[str, str], outcome: IndexResult | None = None) -> list[Action]:
    [job] = planner.batch(batch, busy=None, generated=WRITTEN)
    assert isinstance(job, Regenerate)
    return planner.regenerated(job, outcome or result(), 0.0123, WRITTEN)


def test_the_first_batch_regenerates_and_is_named_start() -> None:
    planner = Planner()
    batch = {"start": START, "applications/a.md": APPLICATION}
    assert planner.batch(batch, busy=None, generated={}) == [Regenerate("start", batch)]
    lines = planner.regenerated(Regenerate("start", batch), result(), 0.0123, WRITTEN)
    assert lines == [Say("info", "start: wrote INDEX.md; 2 applications, 0 problems; 12 ms")]
    assert planner.regenerations == 1


def test_the_watchers_own_write_is_ignored_but_a_hand_edit_or_a_deletion_is_not() -> None:
    planner = Planner()
    regenerated(planner, {"start": START})
    own = {"INDEX.md": GENERATED, "HISTORY.md": GENERATED}
    assert planner.batch(own, busy=None, generated=WRITTEN) == [
        Say("detail", "INDEX.md and HISTORY.md: the watcher's own write, ignored")
    ]
    edited = {**WRITTEN, "INDEX.md": (11, 15, 2)}
    assert planner.batch({"INDEX.md": GENERATED}, busy=None, generated=edited) == [
        Regenerate("INDEX.md", {"INDEX.md": GENERATED})
    ]
    deleted = {**WRITTEN, "INDEX.md": None}
    mixed = {"INDEX.md": GENERATED, "HISTORY.md": GENERATED, "applications/a.md": APPLICATION}
    assert planner.batch(mixed, busy=None, generated=deleted) == [
        Say("detail", "HISTORY.md: the watcher's own write, ignored"),
        Regenerate("INDEX.md and applications/a.md", {"INDEX.md": GENERATED, "applications/a.md": APPLICATION}),
    ]


def test_index_lock_backs_off_to_a_second_and_says_so_once() -> None:
    planner = Planner()
    batch = {"applications/a.md": APPLICATION}
    actions = [planner.batch(batch, busy=LOCKED, generated={}) for _ in range(6)]
    assert actions[0] == [Say("info", f"waiting: {LOCKED}"), Defer(batch, 0.1)]
    assert [a[-1].delay for a in actions if isinstance(a[-1], Defer)] == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.0, 1.0])
    assert sum(isinstance(action, Say) for each in actions for action in each) == 1
    # Once through, the next wait starts short again and is announced again.
    assert planner.batch(batch, busy=None, generated={}) == [Regenerate("applications/a.md", batch)]
    assert planner.batch(batch, busy=LOCKED, generated={}) == [Say("info", f"waiting: {LOCKED}"), Defer(batch, 0.1)]


def test_a_merge_in_progress_waits_a_second_and_a_skipped_regeneration_waits_too() -> None:
    planner = Planner()
    batch = {"git MERGE_HEAD": GIT}
    assert planner.batch(batch, busy="a merge is in progress", generated={}) == [
        Say("info", "waiting: a merge is in progress"),
        Defer(batch, 1.0),
    ]
    job = Regenerate("applications/a.md", {"applications/a.md": APPLICATION})
    assert planner.regenerated(job, result(skipped="a rebase"), 0.01, WRITTEN) == [
        Say("info", "waiting: a rebase is in progress"),
        Defer(job.batch, 1.0),
    ]
    assert planner.regenerations == 0


def test_new_problems_are_named_the_first_time_only_and_at_most_ten() -> None:
    planner = Planner()
    known = warning("applications/a.md", 3, "JT402", "case")
    regenerated(planner, {"start": START}, result(known))
    broken = error("applications/b.md", 1, "JT201", "bad yaml")
    lines = regenerated(planner, {"applications/b.md": APPLICATION}, result(known, broken))
    assert lines == [
        Say("info", "applications/b.md: wrote INDEX.md; 2 applications, 2 problems (1 new); 12 ms"),
        Say("error", "  applications/b.md:1:1: JT201 bad yaml"),
    ]
    many = [warning(f"applications/{n}.md", 1, "JT402", "case") for n in range(12)]
    lines = regenerated(planner, {"applications/c.md": APPLICATION}, result(*many, written=()))
    assert lines[0] == Say(
        "info", "applications/c.md: up to date; 2 applications, 12 problems (12 new, 2 fixed); 12 ms"
    )
    assert lines[1:-1] == [Say("info", f"  applications/{n}.md:1:1: JT402 case") for n in range(10)]
    assert lines[-1] == Say("info", "  ... and 2 more: run `jobtrail check`")


def test_a_failed_regeneration_is_one_line_and_a_bug_adds_its_traceback() -> None:
    planner = Planner()
    job = Regenerate("jobtrail.toml", {"jobtrail.toml": SETTING})
    mistake = JobtrailError("jobtrail.toml:1: not valid TOML")
    assert planner.failed(job, mistake, WRITTEN, bug=False) == [
        Say("error", "jobtrail.toml: jobtrail.toml:1: not valid TOML (watching on: the next change tries again)")
    ]
    try:
        raise KeyError("x")
    except KeyError as exc:
        bug = exc
    first, detail = planner.failed(job, bug, WRITTEN, bug=True)
    assert first == Say(
        "error",
        "jobtrail.toml: unexpected error, a bug in jobtrail: KeyError: 'x' (watching on: the next change tries again)",
    )
    assert isinstance(detail, Say) and detail.level == "detail" and detail.text.startswith("Traceback")
    # What the failed run left behind is recognised as its own.
    assert planner.batch({"INDEX.md": GENERATED}, busy=None, generated=WRITTEN)[0].level == "detail"  # type: ignore[union-attr]


# ---------------------------------------------------------------- the plan and the debouncer on a fake clock


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def replay(
    events: list[tuple[float, list[tuple[str, str]]]], busy: tuple[float, float] = (0.0, 0.0)
) -> list[tuple[float, Regenerate]]:
    """Feed timed changes through a Debouncer and a Planner as the loop does; when each regeneration happens.

    Git holds index.lock from ``busy[0]`` to ``busy[1]``.
    """
    clock = Clock()
    debouncer = Debouncer(QUIET, MAX_WAIT, clock)
    planner = Planner()
    pending = sorted(events, key=lambda event: event[0])
    done: list[tuple[float, Regenerate]] = []
    while True:
        wait = debouncer.seconds_until_due(clock.now)
        due = math.inf if wait is None else clock.now + wait
        if pending and pending[0][0] <= due:
            at, changes = pending.pop(0)
            clock.now = max(clock.now, at)
            debouncer.add(changes)
            continue
        if due == math.inf:
            return done
        clock.now = max(clock.now, due) + 1e-9  # never a hair early: take() would wait on the real clock
        batch = debouncer.take()
        assert batch is not None
        locked = busy[0] <= clock.now < busy[1]
        for action in planner.batch(batch, busy=LOCKED if locked else None, generated={}):
            if isinstance(action, Defer):
                debouncer.defer(action.batch, action.delay)
            elif isinstance(action, Regenerate):
                done.append((round(clock.now, 3), action))
                planner.regenerated(action, result(), 0.0, {})


def save(name: str) -> list[tuple[str, str]]:
    return [(f"applications/{name}", APPLICATION)]


def test_an_editors_save_regenerates_once_a_quiet_moment_after_its_last_event() -> None:
    events = [(0.0, save("a.md")), (0.002, save("a.md")), (0.004, save("a.md"))]
    assert replay(events) == [(0.104, Regenerate("applications/a.md", {"applications/a.md": APPLICATION}))]


def test_a_long_burst_regenerates_at_least_every_max_wait() -> None:
    events = [(n * 0.05, save(f"{n}.md")) for n in range(50)]  # 2.5 s of news, never quiet for 0.1 s
    times = [at for at, _ in replay(events)]
    # The second burst begins with the first save after the first batch was taken (1.05 s).
    assert times == pytest.approx([1.0, 2.05, 2.55], abs=0.001)


def test_a_commit_holding_index_lock_is_waited_for_and_its_end_ends_the_wait() -> None:
    # A save at 0, then git commits: index.lock from 0.05 to 0.5, HEAD moves at 0.5.
    events = [(0.0, save("a.md")), (0.5, [("git HEAD", GIT)])]
    [(at, job)] = replay(events, busy=(0.05, 0.5))
    assert at == pytest.approx(0.6, abs=0.001)  # tried at 0.1, 0.2 and 0.4; HEAD's news at 0.5, quiet at 0.6
    assert job == Regenerate("applications/a.md and git HEAD", {"applications/a.md": APPLICATION, "git HEAD": GIT})


def test_a_lock_left_behind_is_retried_every_second_at_most() -> None:
    [(at, _)] = replay([(0.0, save("a.md"))], busy=(0.0, 4.0))
    # Tried at 0.1, 0.2, 0.4, 0.8, 1.6, 2.6, 3.6: through at 4.6.
    assert at == pytest.approx(4.6, abs=0.001)
