"""Faults injected into real commands: SIGKILL in the middle of a write, index processes racing.

A killed `jobtrail index` or `jobtrail status` leaves each file it writes as it
was or as it should be, never a mix; index processes started together leave
INDEX.md and HISTORY.md fresh. Run counts grow with the hypothesis profile
(`make fuzz`); `make test` keeps them to a few seconds.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from conftest import REDDIT, Repo

THOROUGH = settings.default.max_examples >= 1000
KILL_RUNS = 60 if THOROUGH else 12
RACE_ROUNDS = 100 if THOROUGH else 6
NAME = REDDIT.name


def jobtrail(root: Path, *argv: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "jobtrail", *argv], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def run_ok(root: Path, *argv: str) -> None:
    done = subprocess.run([sys.executable, "-m", "jobtrail", *argv], cwd=root, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr


def many_applications(repo: Repo, count: int) -> None:
    """Enough files that an index run takes a while, so kills land inside it."""
    text = REDDIT.read_text(encoding="utf-8")
    for index in range(count):
        repo.write(f"company-{index:03d}.md", text.replace("Reddit\n", f"Company {index}\n", 1))


def generated(root: Path) -> tuple[bytes, bytes]:
    return (root / "INDEX.md").read_bytes(), (root / "HISTORY.md").read_bytes()


def strays(root: Path) -> list[str]:
    return [name for name in os.listdir(root) if name.endswith(".tmp")] + [
        name for name in os.listdir(root / "applications") if name.endswith(".tmp")
    ]


def set_status_bytes(path: Path, status: str) -> None:
    """Change the status by hand (uncommitted): the history shows it dated today."""
    text = path.read_text(encoding="utf-8")
    start = text.index("### Application\n") + len("### Application\n")
    end = text.index("\n", start)
    path.write_text(text[:start] + status + text[end:], encoding="utf-8")


def kill_at_random(root: Path, argv: tuple[str, ...], duration: float, chance: random.Random) -> bool:
    """Start ``jobtrail argv``, SIGKILL it somewhere within ``duration``; True when it was still running."""
    process = jobtrail(root, *argv)
    time.sleep(chance.uniform(0.0, duration))
    process.send_signal(signal.SIGKILL)
    process.wait()
    return process.returncode == -signal.SIGKILL


def timed(root: Path, *argv: str) -> float:
    started = time.perf_counter()
    run_ok(root, *argv)
    return time.perf_counter() - started


def test_index_killed_at_random_moments_leaves_old_or_new_files(repo: Repo) -> None:
    many_applications(repo, 40)
    repo.commit("forty applications", date="2026-11-01T10:00:00+00:00")
    target = repo.applications / "company-000.md"
    states = {}
    for status in ("REJECTED", "PENDING"):  # two contents for the generated files
        set_status_bytes(target, status)
        run_ok(repo.root, "index")
        states[status] = generated(repo.root)
    assert states["PENDING"][0] != states["REJECTED"][0]
    duration = timed(repo.root, "index")  # kills are spread over one run's length

    chance = random.Random(6)
    landed = 0
    for run in range(KILL_RUNS):
        set_status_bytes(target, ("REJECTED", "PENDING")[run % 2])
        landed += kill_at_random(repo.root, ("index",), duration, chance)
        index, history = generated(repo.root)
        assert index in (states["PENDING"][0], states["REJECTED"][0])
        assert history in (states["PENDING"][1], states["REJECTED"][1])
        for name in strays(repo.root):  # a killed writer's temporary file: a dotfile, never an application
            assert name.startswith(".") and not name.endswith(".md")
    assert landed >= 1  # some kills did interrupt a run

    run_ok(repo.root, "index")  # and the next run repairs everything
    assert subprocess.run([sys.executable, "-m", "jobtrail", "index", "--check"], cwd=repo.root).returncode == 0


def test_status_killed_at_random_moments_leaves_the_old_or_the_new_file(repo: Repo) -> None:
    path = repo.applications / NAME
    before = path.read_bytes()
    after = before.replace(b"PENDING", b"REJECTED")
    duration = timed(repo.root, "status", "reddit", "PENDING")
    chance = random.Random(6)
    landed = 0
    for run in range(KILL_RUNS):
        landed += kill_at_random(repo.root, ("status", "reddit", ("REJECTED", "PENDING")[run % 2]), duration, chance)
        assert path.read_bytes() in (before, after)
    assert landed >= 1
    assert [name for name in os.listdir(repo.applications) if not name.startswith(".")] == [NAME]


def test_index_processes_racing_leave_fresh_files(repo: Repo) -> None:
    many_applications(repo, 10)
    repo.commit("ten applications", date="2026-11-01T10:00:00+00:00")
    target = repo.applications / "company-000.md"
    statuses = ["APPLIED", "SCREENING", "INTERVIEWING", "REJECTED", "PENDING"]
    for round_number in range(RACE_ROUNDS):
        wanted = statuses[round_number % len(statuses)]
        set_status_bytes(target, wanted)
        racers = [jobtrail(repo.root, "index") for _ in range(3)]
        for racer in racers:
            _, err = racer.communicate(timeout=120)
            assert racer.returncode == 0, err.decode()
        check = subprocess.run(
            [sys.executable, "-m", "jobtrail", "index", "--check"], cwd=repo.root, capture_output=True, text=True
        )
        assert check.returncode == 0, (round_number, check.stderr)  # fresh: neither torn nor stale
        assert f"| {wanted} |" in (repo.root / "INDEX.md").read_text(encoding="utf-8")
        assert not strays(repo.root)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_index_never_leaves_a_lock_that_blocks_the_next_one(repo: Repo) -> None:
    """The lock is an flock: the kernel drops it with the process."""
    process = jobtrail(repo.root, "index")
    time.sleep(0.15)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done = subprocess.run([sys.executable, "-m", "jobtrail", "index"], cwd=repo.root, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr


# --- what the machine refuses: a read-only checkout -------------------------------------------

# Root ignores file modes; without these capabilities (dropped for the child only) it obeys them.
IGNORES_MODES = "-dac_override,-dac_read_search,-fowner,-linux_immutable"


def unprivileged(folder: Path) -> list[str]:
    """A command prefix under which ``folder``'s modes hold, even for root; skips when there is none."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: file modes cannot be made to hold")
        prefix = ["setpriv", f"--bounding-set={IGNORES_MODES}", "--"]
    probe = subprocess.run([*prefix, "sh", "-c", f"touch '{folder}/probe'"], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("this machine lets the test write into a read-only folder")
    return prefix


def read_only(root: Path) -> None:
    for folder, _folders, files in os.walk(root):
        for name in files:
            os.chmod(os.path.join(folder, name), 0o444)
        os.chmod(folder, 0o555)


def writable(root: Path) -> None:
    for folder, _folders, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


@pytest.fixture
def read_only_checkout(repo: Repo) -> Iterator[tuple[Repo, list[str]]]:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    read_only(repo.root)
    try:
        yield repo, unprivileged(repo.root)
    finally:
        writable(repo.root)


def test_a_read_only_checkout_says_what_it_cannot_write_and_exits_1(
    read_only_checkout: tuple[Repo, list[str]],
) -> None:
    repo, prefix = read_only_checkout
    before = {path: path.read_bytes() for path in repo.root.rglob("*") if path.is_file()}

    for argv in (["index"], ["status", "reddit", "APPLIED"], ["new", "Acme", "Engineer"], ["init"]):
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "jobtrail", *argv], cwd=repo.root, capture_output=True, text=True
        )
        assert done.returncode == 1, (argv, done.stderr)
        assert "Traceback" not in done.stderr and "bug" not in done.stderr, (argv, done.stderr)
        assert done.stderr.startswith("jobtrail: error: ") and "(Permission denied)" in done.stderr, done.stderr

    for argv in (["check"], ["list"], ["history"], ["index", "--check"]):  # reading needs no write
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "jobtrail", *argv], cwd=repo.root, capture_output=True, text=True
        )
        assert done.returncode in (0, 1) and "Traceback" not in done.stderr, (argv, done.stderr)
    assert {path: path.read_bytes() for path in repo.root.rglob("*") if path.is_file()} == before


def test_the_watcher_in_a_read_only_checkout_says_it_cannot_write_not_that_it_is_a_bug(
    read_only_checkout: tuple[Repo, list[str]],
) -> None:
    repo, prefix = read_only_checkout
    child = subprocess.Popen(
        [*prefix, sys.executable, "-m", "jobtrail", "watch"],
        cwd=repo.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    stream = child.stdout
    assert stream is not None
    threading.Thread(target=lambda: lines.extend(iter(stream.readline, "")), daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        while not any(" start: " in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGINT)
        child.wait(timeout=10)
    output = "".join(lines)
    assert "cannot write (Permission denied)" in output, output
    assert "bug" not in output and "Traceback" not in output, output
    assert child.returncode == 0


def hook(prefix: list[str], root: Path, name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "jobtrail", "index", "--hook", name], cwd=root, capture_output=True, text=True
    )


@pytest.mark.parametrize("refused", [".git", ".git/objects"])
def test_the_pre_commit_hook_names_what_git_cannot_write_not_a_conflict(repo: Repo, refused: str) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    with open(repo.applications / NAME, "a", encoding="utf-8") as handle:
        handle.write("\n- called back\n")
    repo.git("add", "-A")
    read_only(repo.root / refused)
    try:
        done = hook(unprivileged(repo.root / refused), repo.root, "pre-commit")
    finally:
        writable(repo.root / refused)
    assert done.returncode == 1, done.stderr
    assert "conflict" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    named = "index.lock" if refused == ".git" else ".git/objects"
    assert named in done.stderr and "permission" in done.stderr.lower(), done.stderr
    assert "writable" in done.stderr and "commit again" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_the_post_commit_hook_in_a_read_only_checkout_says_which_file_it_could_not_write(repo: Repo) -> None:
    run_ok(repo.root, "index")
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    run_ok(repo.root, "status", "reddit", "WITHDRAWN")
    repo.git("add", "-A")
    assert hook([], repo.root, "pre-commit").returncode == 0  # fresh files into the index, the work tree untouched
    repo.git("commit", "-q", "--no-verify", "-m", "withdrawn", date="2026-08-02T09:00:00+00:00")
    for name in ("INDEX.md", "HISTORY.md"):
        os.chmod(repo.root / name, 0o444)
    os.chmod(repo.root, 0o555)  # the files and the folder they are replaced in; .git stays writable
    try:
        done = hook(unprivileged(repo.root), repo.root, "post-commit")
    finally:
        os.chmod(repo.root, 0o755)
    assert done.returncode == 0, done.stderr  # a post-* hook never fails git
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "could not be written" in lines[0] and "Permission denied" in lines[0], lines
    assert ("INDEX.md" in lines[0] or "HISTORY.md" in lines[0]) and str(repo.root) in lines[0], lines
    assert "jobtrail index" in lines[0], lines
    # The index holds the commit's files all the same, without the skip-worktree bit: the stale copies are
    # a change in the work tree (`git status`: " M"), never a staged one.
    generated = ("INDEX.md", "HISTORY.md")
    assert repo.git("ls-files", "-v", "--", *generated).split() == ["H", "HISTORY.md", "H", "INDEX.md"]
    assert repo.git("status", "--porcelain", "--", *generated) == " M HISTORY.md\n M INDEX.md\n"


def test_the_post_commit_hook_in_a_wholly_read_only_checkout_says_its_files_are_stale(
    read_only_checkout: tuple[Repo, list[str]],
) -> None:
    repo, prefix = read_only_checkout  # committed without INDEX.md and HISTORY.md: both are out of date
    done = hook(prefix, repo.root, "post-commit")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "INDEX.md and HISTORY.md could not be written" in lines[0] and "Permission denied" in lines[0], lines
    assert "jobtrail index" in lines[0], lines
