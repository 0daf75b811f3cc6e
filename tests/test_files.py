"""The file system edge: safe reads of hostile files, atomic writes that survive SIGKILL."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Repo
from jobtrail.cli import main
from jobtrail.files import application_paths, write_atomic

OLD = b"old\n" * 750_000  # 3 MB
NEW = b"new content\n" * 100_000  # 1.2 MB: a mix of the two is neither


def test_write_atomic_replaces_the_content_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "INDEX.md"
    target.write_bytes(b"before")
    target.chmod(0o640)
    write_atomic(str(target), b"after")
    assert target.read_bytes() == b"after"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["INDEX.md"]


def test_write_atomic_leaves_nothing_behind_when_the_write_fails(tmp_path: Path) -> None:
    target = tmp_path / "INDEX.md"
    target.write_bytes(b"before")
    with pytest.raises(TypeError):
        write_atomic(str(target), "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"before"
    assert os.listdir(tmp_path) == ["INDEX.md"]


def _writer(path: str) -> None:
    """The child: rewrite ``path`` forever, alternating two contents."""
    try:
        contents = (NEW, OLD)
        turn = 0
        while True:
            write_atomic(path, contents[turn % 2])
            turn += 1
    finally:
        os._exit(0)


def _naive_writer(path: str) -> None:
    """What write_atomic prevents: writing in place. The harness must catch it tearing."""
    try:
        contents = (NEW, OLD)
        turn = 0
        while True:
            with open(path, "wb") as handle:
                data = contents[turn % 2]
                for start in range(0, len(data), 65536):
                    handle.write(data[start : start + 65536])
            turn += 1
    finally:
        os._exit(0)


def kill_writers(folder: Path, writer, runs: int, seed: int) -> dict[str, int]:
    """Fork a writer, read the file while it works, SIGKILL it at a random moment; repeat.

    Returns counts: runs, torn (a read or the final file neither OLD nor NEW), and
    mid_write (kills that left a temporary file, i.e. landed inside a write).
    """
    target = folder / "target.md"
    target.write_bytes(OLD)
    chance = random.Random(seed)
    counts = {"runs": 0, "torn": 0, "mid_write": 0, "reads": 0}
    for _ in range(runs):
        pid = os.fork()
        if pid == 0:
            writer(str(target))
        deadline = time.monotonic() + chance.uniform(0.0, 0.03)
        while time.monotonic() < deadline:
            try:
                seen = target.read_bytes()
            except FileNotFoundError:
                seen = b""
            counts["reads"] += 1
            counts["torn"] += seen not in (OLD, NEW)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        counts["runs"] += 1
        counts["torn"] += target.read_bytes() not in (OLD, NEW)
        strays = [name for name in os.listdir(folder) if name != "target.md"]
        counts["mid_write"] += bool(strays)
        for name in strays:
            assert name.startswith(".target.md.") and name.endswith(".tmp"), name
            assert application_paths(str(folder)) == [str(target)]
            os.unlink(folder / name)
    return counts


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_writer_killed_at_random_moments_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    counts = kill_writers(tmp_path, _writer, runs=80, seed=6)
    assert counts["torn"] == 0, counts
    assert counts["mid_write"] >= 1, counts  # the kills did land inside writes


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_the_harness_catches_a_writer_that_is_not_atomic(tmp_path: Path) -> None:
    counts = kill_writers(tmp_path, _naive_writer, runs=20, seed=6)
    assert counts["torn"] >= 1, counts


def test_a_fifo_is_refused_instead_of_blocking(repo: Repo) -> None:
    os.mkfifo(repo.applications / "fifo.md")
    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "check"], cwd=repo.root, capture_output=True, text=True, timeout=20
    )
    assert done.stdout == "applications/fifo.md:1:1: JT105 is not a regular file (a pipe or a device): remove it\n"
    assert done.returncode == 1


def test_check_from_a_folder_that_was_deleted(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    gone = repo.root / "gone"
    gone.mkdir()
    here = os.getcwd()
    os.chdir(gone)
    try:
        gone.rmdir()
        status = main(["check"])
    finally:
        os.chdir(here)
    assert status == 1
    assert "the current folder no longer exists" in capsys.readouterr().err
