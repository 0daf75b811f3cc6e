"""The watcher's benchmarks: save-to-INDEX.md latency, idle CPU, and a soak.

    python bench/watch.py [--apps 1000] [--commits 2000] [--saves 50] [--idle 60] [--soak 10000] [--poll]

A fresh repository from bench/generate.py, and `python -m jobtrail watch` running
in it as a child process, measured from outside:

- latency: an editor-style save (temporary file renamed over the application)
  until INDEX.md has been replaced, over ``--saves`` saves: median, p90, max
  (the target is 300 ms including the debounce);
- idle: the child's CPU seconds (user + system, all threads, from /proc) over
  ``--idle`` seconds without a change;
- checkout: switching between two branches that differ in every application,
  four times: regenerations per checkout (one or two, not a thousand);
- soak: ``--soak`` saves in bursts, with a commit now and then; the child's
  RSS before, during and after, and `jobtrail index --check` at the end (every
  generated file correct).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from common import ENV, PYTHON  # bench/ is on the path when a script here runs

HERE = Path(__file__).resolve().parent
TICKS = os.sysconf("SC_CLK_TCK")
COMPANY = re.compile(rb"## Company\r?\n[^\n]*")


class Child:
    """`jobtrail watch` in a repository, its output lines collected with the time they came."""

    def __init__(self, repo: Path, *options: str) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "jobtrail", "watch", *options],
            cwd=repo,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, needle: str, timeout: float = 120.0) -> str:
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            for _, line in self.lines[seen:]:
                if needle in line:
                    return line
            seen = len(self.lines)
            if self.process.poll() is not None:
                raise SystemExit(f"the watcher exited:\n{self.text()}")
            time.sleep(0.02)
        raise SystemExit(f"timed out waiting for {needle!r}:\n{self.text()}")

    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def regenerations(self) -> int:
        return sum(1 for _, line in self.lines if line.endswith(" ms"))

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime and stime (fields 14 and 15)

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(timeout=10)


def save(path: Path, company: bytes) -> None:
    """What an editor does: write a temporary file beside the file, rename it over."""
    data = COMPANY.sub(b"## Company\n" + company, path.read_bytes(), count=1)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def wait_quiet(child: Child, index: Path, quiet: float = 1.5, timeout: float = 300.0) -> None:
    """Until neither INDEX.md nor the watcher's output has changed for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last = (identity(index), len(child.lines))
    since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = (identity(index), len(child.lines))
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
    raise SystemExit("the watcher never went quiet")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class IndexReplaced:
    """Notes the moment INDEX.md is replaced, through inotify: no polling loop competing for the CPU."""

    def __init__(self, repo: Path) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        self.event = threading.Event()
        self.at = 0.0
        notes = self

        class Handler(FileSystemEventHandler):
            def dispatch(self, event: object) -> None:
                if os.path.basename(os.fsdecode(getattr(event, "dest_path", "") or b"")) == "INDEX.md":
                    notes.at = time.perf_counter()
                    notes.event.set()

        self.observer = Observer()
        self.observer.schedule(Handler(), str(repo))
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join()


def latency(child: Child, repo: Path, saves: int) -> list[float]:
    index = repo / "INDEX.md"
    apps = sorted((repo / "applications").glob("*.md"))
    replaced = IndexReplaced(repo)
    results: list[float] = []
    try:
        for number in range(saves):
            path = apps[(number * 37) % len(apps)]
            replaced.event.clear()
            started = time.perf_counter()
            save(path, f"Saved Company {number}".encode())
            if not replaced.event.wait(30):
                raise SystemExit(f"INDEX.md not updated 30 s after save {number}:\n{child.text()[-2000:]}")
            results.append(replaced.at - started)
            wait_quiet(child, index, quiet=0.3)
    finally:
        replaced.stop()
    return results


def soak(child: Child, repo: Path, events: int) -> list[float]:
    """``events`` saves in bursts of 100, a commit every 2,500; the child's RSS after each quarter."""
    apps = sorted((repo / "applications").glob("*.md"))
    burst = 100
    rss: list[float] = []
    for number in range(events):
        save(apps[(number * 13) % len(apps)], f"Soak {number}".encode())
        if number % burst == burst - 1:
            time.sleep(0.05)  # bursts with gaps: many regenerations, not one
        if number % 2500 == 2499:
            git(repo, "add", "-A", "applications")
            git(repo, "commit", "-q", "--no-verify", "-m", f"soak {number}")
        if number % (events // 4 or 1) == (events // 4 or 1) - 1:
            rss.append(child.rss_mb())
    return rss


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=ENV, check=True)


def checkouts(child: Child, repo: Path, times: int) -> list[tuple[int, float]]:
    """Switch between two branches that differ in every application: (regenerations, seconds to quiet) each."""
    index = repo / "INDEX.md"
    branch = subprocess.run(
        ["git", "branch", "--show-current"], cwd=repo, env=ENV, capture_output=True, text=True, check=True
    ).stdout.strip()
    git(repo, "checkout", "-q", "-b", "bench-other")
    for path in sorted((repo / "applications").glob("*.md")):
        with open(path, "ab") as handle:
            handle.write(b"\n- on the other branch\n")
    git(repo, "commit", "-q", "-a", "--no-verify", "-m", "every application changed")
    wait_quiet(child, index)
    results = []
    for number in range(times):
        before = child.regenerations()
        started = time.perf_counter()
        git(repo, "checkout", "-q", branch if number % 2 == 0 else "bench-other")
        wait_quiet(child, index, quiet=1.5)
        last = max((at for at, line in child.lines if line.endswith(" ms")), default=started)
        results.append((child.regenerations() - before, last - started))
    if times % 2:
        git(repo, "checkout", "-q", branch)
        wait_quiet(child, index)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--idle", type=float, default=60.0, help="seconds")
    parser.add_argument("--soak", type=int, default=10_000, help="saves")
    parser.add_argument("--poll", action="store_true", help="run the watcher with --poll")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="jobtrail-watch-bench-") as scratch:
        repo = Path(scratch) / "repo"
        print(f"generating {args.apps} applications / {args.commits} commits ...", flush=True)
        subprocess.run(
            [PYTHON, str(HERE / "generate.py"), str(repo), "--apps", str(args.apps), "--commits", str(args.commits)],
            check=True,
            env=ENV,
            stdout=subprocess.DEVNULL,
        )
        child = Child(repo, *(["--poll"] if args.poll else []))
        started = time.perf_counter()
        child.wait_for(" start: ")
        print(f"first regeneration (cold): {time.perf_counter() - started:.2f} s", flush=True)
        wait_quiet(child, repo / "INDEX.md")

        seconds = latency(child, repo, args.saves)
        ms = [value * 1000 for value in seconds]
        print(
            f"save -> INDEX.md over {len(ms)} saves: median {statistics.median(ms):.0f} ms, "
            f"p90 {percentile(ms, 0.9):.0f} ms, max {max(ms):.0f} ms, min {min(ms):.0f} ms",
            flush=True,
        )
        reported = [int(line.rsplit("; ", 1)[1][:-3]) for _, line in child.lines if line.endswith(" ms")][-len(ms) :]
        print(f"  of which regenerating (the watcher's own figure): median {statistics.median(reported):.0f} ms")

        wait_quiet(child, repo / "INDEX.md")
        cpu_before, regenerations = child.cpu_seconds(), child.regenerations()
        time.sleep(args.idle)
        idle_cpu = child.cpu_seconds() - cpu_before
        print(
            f"idle: {idle_cpu:.2f} CPU seconds over {args.idle:.0f} s "
            f"({child.regenerations() - regenerations} regenerations meanwhile)",
            flush=True,
        )

        switched = checkouts(child, repo, 4)
        print(
            "checkout of 1,000 changed files: "
            + ", ".join(
                f"{count} regeneration{'s' if count != 1 else ''} (done {seconds:.2f} s)" for count, seconds in switched
            ),
            flush=True,
        )

        rss_start, regenerations = child.rss_mb(), child.regenerations()
        started = time.perf_counter()
        rss = soak(child, repo, args.soak)
        wait_quiet(child, repo / "INDEX.md")
        rss_end = child.rss_mb()
        check = subprocess.run(
            [PYTHON, "-m", "jobtrail", "index", "--check"], cwd=repo, env=ENV, capture_output=True, text=True
        )
        print(
            f"soak: {args.soak} saves (+ {args.soak // 2500} commits) in {time.perf_counter() - started:.1f} s, "
            f"{child.regenerations() - regenerations} regenerations; RSS {rss_start:.1f} MB at the start, "
            f"{', '.join(f'{value:.1f}' for value in rss)} MB after each quarter, {rss_end:.1f} MB at the end; "
            f"jobtrail index --check: exit {check.returncode} ({'correct' if check.returncode == 0 else 'STALE'})",
            flush=True,
        )
        errors = [line for _, line in child.lines if "error" in line and "JT" not in line]
        stopped = time.perf_counter()
        status = child.stop()
        print(
            f"SIGTERM: exit {status} in {(time.perf_counter() - stopped) * 1000:.0f} ms; watcher errors: {len(errors)}"
        )
        for line in errors[:5]:
            print(f"  {line}")
        return 0 if check.returncode == 0 and status == 0 and not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
