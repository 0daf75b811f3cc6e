"""The watcher on real temporary repositories with the real observer.

Most tests run the watch loop in a thread of this process (``Running``); the
signal tests run ``python -m jobtrail watch`` as a child. Every wait is a
condition polled every 20 ms up to a deadline; the few short sleeps only give a
wrong extra regeneration the time to show itself after the condition held.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest

from conftest import Repo, reddit_text
from jobtrail.commands.watch import NORMAL, QUIET, VERBOSE, Console
from jobtrail.debounce import Debouncer
from jobtrail.watch import Watcher
from jobtrail.watchplan import APPLICATION, GIT

DEADLINE = 10.0
SETTLE = 0.4  # after a condition held: long enough for a wrong extra regeneration to start (QUIET is 0.1)


def wait_until(condition: Callable[[], bool], what: str, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def application(company: str, status: str = "PENDING") -> str:
    text = reddit_text().replace("Reddit\n", f"{company}\n", 1)
    return text.replace("### Application\nPENDING", f"### Application\n{status}", 1)


class Running:
    """A Watcher running in a thread, its console lines collected."""

    def __init__(self, root: Path, **options: object) -> None:
        self.root = root
        self.lines: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self.watcher = Watcher(str(root), self._say, **options)  # type: ignore[arg-type]
        self.thread = threading.Thread(target=self.watcher.run, name="watch-loop")

    def _say(self, level: str, text: str) -> None:
        with self._lock:
            self.lines.append((level, text))

    def text(self) -> str:
        with self._lock:
            return "\n".join(text for _, text in self.lines)

    def regeneration_lines(self) -> list[str]:
        with self._lock:
            return [text for level, text in self.lines if level == "info" and text.endswith(" ms")]

    @property
    def regenerations(self) -> int:
        return self.watcher.regenerations

    def index(self) -> str:
        try:
            return (self.root / "INDEX.md").read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def wait_index(self, needle: str, present: bool = True) -> None:
        wait_until(
            lambda: (needle in self.index()) == present, f"INDEX.md {'with' if present else 'without'} {needle!r}"
        )

    def stop(self) -> float:
        started = time.monotonic()
        self.watcher.stop()
        self.thread.join(timeout=5)
        assert not self.thread.is_alive(), "the watch loop did not stop"
        return time.monotonic() - started


@pytest.fixture
def committed(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.setenv("GIT_OPTIONAL_LOCKS", "0")
    repo.commit("Reddit")
    return repo


@pytest.fixture
def running(committed: Repo) -> Iterator[Running]:
    run = Running(committed.root)
    run.thread.start()
    wait_until(lambda: run.regenerations == 1, "the first regeneration")
    yield run
    run.stop()


def settled(run: Running, count: int) -> int:
    """Wait for ``count`` regenerations, give a wrong extra one time to happen, return the number seen."""
    wait_until(lambda: run.regenerations >= count, f"{count} regenerations")
    time.sleep(SETTLE)
    return run.regenerations


# ---------------------------------------------------------------- real editing


def test_editor_atomic_save_with_swap_and_backup_files_regenerates_once(running: Running, committed: Repo) -> None:
    path = committed.applications / "reddit-senior-machine-learning-engineer-safety.md"
    folder = committed.applications
    # What vim does on :w (backupcopy=no): swap file, a probe file named 4913, rename to a backup, write anew.
    (folder / ".reddit-senior-machine-learning-engineer-safety.md.swp").write_bytes(b"swap")
    (folder / "4913").write_bytes(b"")
    (folder / "4913").unlink()
    backup = folder / "reddit-senior-machine-learning-engineer-safety.md~"
    os.replace(path, backup)
    path.write_text(application("Reddit", "APPLIED"), encoding="utf-8")
    backup.unlink()
    # ... and what most other editors do: write a temporary file beside it and rename it over.
    temporary = folder / ".reddit.md.tmp1234"
    temporary.write_text(application("Reddit", "SCREENING"), encoding="utf-8")
    os.replace(temporary, path)
    (folder / ".reddit-senior-machine-learning-engineer-safety.md.swp").unlink()

    running.wait_index(" 1 SCREENING")
    assert settled(running, 2) == 2
    line = running.regeneration_lines()[-1]
    assert line.startswith("applications/reddit-senior-machine-learning-engineer-safety.md: wrote INDEX.md")
    assert "swp" not in running.text() and "4913" not in running.text() and "~" not in running.text()


def test_temporary_and_unrelated_files_are_ignored(running: Running, committed: Repo) -> None:
    folder = committed.applications
    for name in (".acme.md.swp", "acme.md~", "4913", "#acme.md#", ".#acme.md", "acme.md.tmp", "notes.txt"):
        (folder / name).write_text(application("Ignored"), encoding="utf-8")
    (folder / ".drafts").mkdir()  # hidden: a sub-folder that is not (SPEC: every other sub-folder is)
    (folder / ".drafts" / "acme.md").write_text(application("Ignored"), encoding="utf-8")
    (committed.root / "notes.md").write_text("scratch", encoding="utf-8")
    (committed.root / ".INDEX.md.abc.tmp").write_text("like write_atomic's temporary", encoding="utf-8")
    # A real change last: its regeneration names only itself, and nothing else was regenerated before it.
    (folder / "acme.md").write_text(application("Acme"), encoding="utf-8")
    running.wait_index("| [Acme](")
    assert settled(running, 2) == 2
    assert running.regeneration_lines()[-1].startswith("applications/acme.md: wrote INDEX.md and HISTORY.md;")
    assert "Ignored" not in running.index()


def test_a_burst_of_500_writes_gives_one_or_two_regenerations(running: Running, committed: Repo) -> None:
    text = application("Company")
    for number in range(500):
        (committed.applications / f"company-{number:03d}.md").write_text(
            text.replace("Company\n", f"Company {number:03d}\n", 1), encoding="utf-8"
        )
    running.wait_index(": 501 applications,")
    regenerations = settled(running, 2) - 1
    assert 1 <= regenerations <= 2, running.text()


def test_created_deleted_and_renamed_files_and_folders_are_followed(running: Running, committed: Repo) -> None:
    folder = committed.applications
    (folder / "acme.md").write_text(application("Acme"), encoding="utf-8")
    running.wait_index("(applications/acme.md)")
    os.rename(folder / "acme.md", folder / "acme-data.md")
    running.wait_index("(applications/acme-data.md)")
    assert "(applications/acme.md)" not in running.index()
    (folder / "acme-data.md").unlink()
    running.wait_index("(applications/acme-data.md)", present=False)
    # The whole folder goes, comes back under another name, and comes back.
    os.rename(folder, committed.root / "elsewhere")
    running.wait_index("No applications yet")
    os.rename(committed.root / "elsewhere", folder)
    running.wait_index(": 1 application,")
    shutil.rmtree(folder)
    running.wait_index("No applications yet")
    folder.mkdir()
    (folder / "beta.md").write_text(application("Beta"), encoding="utf-8")
    running.wait_index("(applications/beta.md)")
    # The new folder is watched, not just seen once.
    (folder / "gamma.md").write_text(application("Gamma"), encoding="utf-8")
    running.wait_index("(applications/gamma.md)")


def test_a_deleted_index_is_written_again_and_own_writes_do_not_trigger(running: Running, committed: Repo) -> None:
    index = committed.root / "INDEX.md"
    original = index.read_bytes()
    index.unlink()
    wait_until(index.exists, "INDEX.md written again")
    assert index.read_bytes() == original
    # Its own write (a rename over INDEX.md) came back as events: they must not regenerate again.
    assert settled(running, 2) == 2
    # A hand edit is undone too.
    index.write_text("edited by hand\n", encoding="utf-8")
    wait_until(lambda: index.read_bytes() == original, "INDEX.md restored")
    assert settled(running, 3) == 3


# ---------------------------------------------------------------- bad input never kills it


def test_a_malformed_file_is_reported_in_one_line_and_in_index(running: Running, committed: Repo) -> None:
    broken = committed.applications / "broken.md"
    broken.write_text("---\ntags: [unclosed\n---\n" + application("Broken"), encoding="utf-8")
    running.wait_index("broken.md")
    wait_until(lambda: "JT201" in running.text(), "a console line naming the problem")
    problem_lines = [(level, text) for level, text in running.lines if "JT201" in text]
    assert len(problem_lines) == 1
    level, text = problem_lines[0]
    assert level == "error" and text.strip().startswith("applications/broken.md:")
    assert "JT201" in running.index().split("## Invalid files")[1].split("##")[0]
    # Half-written: cut in the middle of the front matter, then finished.
    broken.write_bytes(b"---\ntags: [ml")
    wait_until(lambda: "JT205" in running.text() or running.regenerations >= 3, "the half-written file read")
    broken.write_text(application("Broken"), encoding="utf-8")
    wait_until(lambda: "JT201" not in running.index() and "JT205" not in running.index(), "the problem gone")
    assert running.thread.is_alive()


def test_an_error_in_one_regeneration_is_reported_and_the_next_change_retries(
    running: Running, committed: Repo
) -> None:
    config = committed.root / "jobtrail.toml"
    config.write_text("active = [\n", encoding="utf-8")
    wait_until(lambda: any(level == "error" and "jobtrail.toml" in text for level, text in running.lines), "error")
    before = running.regenerations
    config.write_text('active = ["WISHLIST", "PENDING"]\nclosed = ["REJECTED"]\n', encoding="utf-8")
    wait_until(lambda: running.regenerations > before, "a regeneration after the fix")
    running.wait_index("WISHLIST")
    assert running.thread.is_alive()


# ---------------------------------------------------------------- git


def test_a_commit_and_a_checkout_of_another_branch(running: Running, committed: Repo) -> None:
    # Commits made here skip the hooks that would keep committed generated files fresh: leave them out.
    (committed.root / ".gitignore").write_text("INDEX.md\nHISTORY.md\n", encoding="utf-8")
    path = committed.applications / "reddit-senior-machine-learning-engineer-safety.md"
    path.write_text(application("Reddit", "APPLIED"), encoding="utf-8")
    wait_until(lambda: "APPLIED" in running.index(), "the edit")
    count = running.regenerations
    committed.commit("Applied", date="2026-11-27T10:00:00+00:00")
    history = committed.root / "HISTORY.md"
    wait_until(lambda: "2026-11-27" in history.read_text(encoding="utf-8"), "HISTORY.md dated like the commit")
    assert settled(running, count + 1) <= count + 2
    # Another branch with 200 more applications: one checkout, one or two regenerations.
    committed.git("checkout", "-q", "-b", "many")
    text = application("Many")
    for number in range(200):
        committed.write(f"many-{number:03d}.md", text.replace("Many\n", f"Many {number:03d}\n", 1))
    committed.commit("Many", date="2026-11-28T10:00:00+00:00")
    running.wait_index(": 201 applications,")
    count = settled(running, running.regenerations)
    committed.git("checkout", "-q", "main")
    running.wait_index(": 1 application,")
    assert "Many" not in running.index()
    assert 1 <= settled(running, count + 1) - count <= 2, running.regeneration_lines()
    committed.git("checkout", "-q", "many")
    running.wait_index(": 201 applications,")


def test_index_lock_and_a_rebase_in_progress_make_it_wait(running: Running, committed: Repo) -> None:
    git_dir = committed.root / ".git"
    path = committed.applications / "reddit-senior-machine-learning-engineer-safety.md"
    (git_dir / "index.lock").write_bytes(b"")
    path.write_text(application("Reddit", "APPLIED"), encoding="utf-8")
    wait_until(lambda: "waiting: git is writing" in running.text(), "the waiting line")
    time.sleep(SETTLE)
    assert " 1 APPLIED" not in running.index()
    (git_dir / "index.lock").unlink()
    running.wait_index(" 1 APPLIED")

    (git_dir / "rebase-merge").mkdir()
    path.write_text(application("Reddit", "SCREENING"), encoding="utf-8")
    wait_until(lambda: "waiting: a rebase is in progress" in running.text(), "the waiting line")
    time.sleep(SETTLE)
    assert " 1 SCREENING" not in running.index()
    (git_dir / "rebase-merge").rmdir()
    running.wait_index(" 1 SCREENING")
    assert running.thread.is_alive()


def test_a_linked_worktree_watches_its_own_head_and_the_shared_refs(committed: Repo, tmp_path: Path) -> None:
    other = tmp_path / "other"
    committed.git("worktree", "add", "-q", "-b", "side", str(other))
    (other / ".gitignore").write_text("INDEX.md\nHISTORY.md\n", encoding="utf-8")
    run = Running(other)
    run.thread.start()
    try:
        wait_until(lambda: run.regenerations == 1, "the first regeneration")
        path = other / "applications" / "reddit-senior-machine-learning-engineer-safety.md"
        path.write_text(application("Reddit", "APPLIED"), encoding="utf-8")
        run.wait_index(" 1 APPLIED")
        count = settled(run, run.regenerations)
        subprocess.run(["git", "add", "-A"], cwd=other, check=True)
        env = {
            **os.environ,
            "GIT_AUTHOR_DATE": "2026-11-29T10:00:00+00:00",
            "GIT_COMMITTER_DATE": "2026-11-29T10:00:00+00:00",
        }
        subprocess.run(["git", "commit", "-q", "--no-verify", "-m", "Applied"], cwd=other, check=True, env=env)
        wait_until(lambda: "2026-11-29" in (other / "HISTORY.md").read_text(encoding="utf-8"), "the commit seen")
        wait_until(lambda: run.regenerations > count, "the regeneration counted")
    finally:
        run.stop()


# ---------------------------------------------------------------- polling, stopping


def test_poll_uses_the_polling_observer(committed: Repo) -> None:
    run = Running(committed.root, poll=True)
    run.thread.start()
    try:
        wait_until(lambda: run.regenerations == 1, "the first regeneration")
        (committed.applications / "acme.md").write_text(application("Acme"), encoding="utf-8")
        run.wait_index("(applications/acme.md)")
    finally:
        run.stop()


def test_stop_leaves_no_thread_behind(committed: Repo) -> None:
    before = set(threading.enumerate())
    run = Running(committed.root)
    run.thread.start()
    wait_until(lambda: run.regenerations == 1, "the first regeneration")
    assert run.stop() < 1.0
    wait_until(lambda: set(threading.enumerate()) <= before, "every watcher thread gone", timeout=1.0)


def _start_child(root: Path, *options: str) -> tuple[subprocess.Popen[str], list[str]]:
    child = subprocess.Popen(
        [sys.executable, "-m", "jobtrail", "watch", *options],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    assert child.stdout is not None
    stream = child.stdout
    threading.Thread(target=lambda: lines.extend(iter(stream.readline, "")), daemon=True).start()
    return child, lines


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_command_within_a_second_with_exit_0(committed: Repo, signum: int) -> None:
    child, lines = _start_child(committed.root)
    try:
        wait_until(lambda: any(" start: " in line for line in lines), "the first regeneration")
        (committed.applications / "acme.md").write_text(application("Acme"), encoding="utf-8")
        wait_until(
            lambda: "(applications/acme.md)" in (committed.root / "INDEX.md").read_text(encoding="utf-8"), "the edit"
        )
        started = time.monotonic()
        child.send_signal(signum)
        status = child.wait(timeout=5)
        elapsed = time.monotonic() - started
    finally:
        child.kill()
        child.wait()
    assert status == 0, "".join(lines)
    assert elapsed < 1.0
    assert "Traceback" not in "".join(lines)


def _fresh(root: Path) -> bool:
    check = [sys.executable, "-m", "jobtrail", "index", "--check"]
    return subprocess.run(check, cwd=root, capture_output=True).returncode == 0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_during_a_regeneration_leaves_index_and_history_agreeing(committed: Repo, signum: int) -> None:
    """The stop lands the moment INDEX.md is replaced, before HISTORY.md is: the watcher finishes the pair."""
    for number in range(200):  # a long HISTORY.md: its write follows INDEX.md's by a few milliseconds
        committed.write(f"company-{number}.md", application(f"Company {number}"))
    committed.commit("Many")
    child, lines = _start_child(committed.root)
    index = committed.root / "INDEX.md"
    try:
        wait_until(lambda: _fresh(committed.root), "INDEX.md and HISTORY.md fresh", timeout=30)
        wait_until(lambda: any(" start: " in line for line in lines), "the first regeneration")
        before = os.stat(index).st_ino
        (committed.applications / "acme.md").write_text(application("Acme"), encoding="utf-8")
        deadline = time.monotonic() + DEADLINE
        while os.stat(index).st_ino == before and time.monotonic() < deadline:
            pass  # no sleep: the signal must come while HISTORY.md is still being written
        child.send_signal(signum)
        status = child.wait(timeout=5)
    finally:
        child.kill()
        child.wait()
    assert status == 0, "".join(lines)
    assert "(applications/acme.md)" in index.read_text(encoding="utf-8")
    assert _fresh(committed.root), "HISTORY.md was left behind INDEX.md"


def test_quiet_prints_only_errors(committed: Repo) -> None:
    child, lines = _start_child(committed.root, "--quiet")
    try:
        wait_until((committed.root / "INDEX.md").exists, "the first regeneration")
        (committed.applications / "broken.md").write_text("---\n[\n---\n" + application("B"), encoding="utf-8")
        wait_until(lambda: any("JT201" in line for line in lines), "the problem line")
        wait_until(lambda: "broken.md" in (committed.root / "INDEX.md").read_text(encoding="utf-8"), "INDEX.md")
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=5) == 0
    finally:
        child.kill()
        child.wait()
    assert len(lines) == 1 and "applications/broken.md:" in lines[0] and "JT201" in lines[0], lines


# ---------------------------------------------------------------- the debouncer and the console


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_debouncer_waits_for_quiet_but_not_longer_than_max_wait() -> None:
    clock = Clock()
    debouncer = Debouncer(0.1, 1.0, clock)
    assert debouncer.seconds_until_due(clock.now) is None
    debouncer.add([("a.md", APPLICATION)])
    assert debouncer.seconds_until_due(clock.now) == pytest.approx(0.1)
    for _ in range(20):  # events every 60 ms keep it from being quiet ...
        clock.now += 0.06
        debouncer.add([("b.md", APPLICATION)])
    assert debouncer.seconds_until_due(clock.now) <= 0  # ... until max_wait
    assert debouncer.take() == {"a.md": APPLICATION, "b.md": APPLICATION}
    assert debouncer.seconds_until_due(clock.now) is None


def test_debouncer_defer_waits_but_news_ends_the_wait() -> None:
    clock = Clock()
    debouncer = Debouncer(0.1, 1.0, clock)
    debouncer.defer({"a.md": APPLICATION}, 1.0)
    assert debouncer.seconds_until_due(clock.now) == pytest.approx(1.0)
    clock.now += 0.5
    debouncer.add([("git HEAD", GIT)])
    assert debouncer.seconds_until_due(clock.now) == pytest.approx(0.1)
    clock.now += 0.1
    assert debouncer.take() == {"a.md": APPLICATION, "git HEAD": GIT}


def test_debouncer_stop_releases_a_waiting_take() -> None:
    debouncer = Debouncer(0.1, 1.0)
    taken: list[object] = []
    thread = threading.Thread(target=lambda: taken.append(debouncer.take()))
    thread.start()
    debouncer.stop()
    thread.join(timeout=1)
    assert not thread.is_alive() and taken == [None]


@pytest.mark.parametrize(
    ("verbosity", "shown"),
    [(QUIET, ["error"]), (NORMAL, ["error", "info"]), (VERBOSE, ["error", "info", "detail"])],
)
def test_console_levels(verbosity: int, shown: list[str]) -> None:
    out, err = StringIO(), StringIO()
    console = Console(verbosity, out, err)
    for level in ("error", "info", "detail"):
        console(level, level)
    printed = [line.split(" ", 1)[1] for line in (err.getvalue() + out.getvalue()).splitlines()]
    assert sorted(printed) == sorted(shown)
    assert err.getvalue().endswith("error\n")


def test_a_folder_of_applications_moved_in_and_a_file_in_a_sub_folder(running: Running, committed: Repo) -> None:
    outside = committed.root / "later"
    outside.mkdir()
    (outside / "acme.md").write_text(application("Acme"), encoding="utf-8")
    (outside / "zeta.md").write_text(application("Zeta"), encoding="utf-8")

    (outside).rename(committed.applications / "2026-11")  # one event, for the folder
    running.wait_index("applications/2026-11/zeta.md")

    (committed.applications / "2026-11" / "acme.md").write_text(application("Acme", "WITHDRAWN"), encoding="utf-8")
    running.wait_index("WITHDRAWN")
