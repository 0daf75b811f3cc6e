"""jobtrail benchmarks: whole-process medians and peak memory, next to the git plumbing floor.

    python bench/run.py [--quick] [--skip-large] [--runs N]

Repositories come from bench/generate.py (deterministic, cached in bench/out/).
Every history is compared with the generator's ground truth: speed is never
bought with wrong answers. Results go to standard output and bench/out/results.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import ENV, PYTHON  # bench/ is on the path when a script here runs

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
JOBTRAIL = [PYTHON, "-m", "jobtrail"]
CONSOLE_SCRIPT = Path(PYTHON).parent / "jobtrail"  # what people run


@dataclass
class Measure:
    seconds: float
    peak_kb: int


def run_once(command: list[str] | str, cwd: Path, *, shell: bool = False) -> Measure:
    """Run a whole process; wall time and its own peak RSS (through wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=ENV,
        shell=shell,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        executable="/bin/bash" if shell else None,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {command}\n{process.stderr.read().decode() if process.stderr else ''}")
    return Measure(elapsed, usage.ru_maxrss)


def median_of(runs: int, measure: Callable[[], Measure]) -> tuple[float, int, list[float]]:
    results = [measure() for _ in range(runs)]
    seconds = [result.seconds for result in results]
    return statistics.median(seconds), max(result.peak_kb for result in results), seconds


def repository(apps: int, commits: int) -> Path:
    generator = (HERE / "generate.py").read_bytes()
    key = hashlib.sha256(generator + f"{apps}/{commits}".encode()).hexdigest()[:10]
    target = OUT / f"repo-{apps}-{commits}-{key}"
    if not (target / ".git" / "bench-truth.json").exists():
        shutil.rmtree(target, ignore_errors=True)
        print(f"generating {apps} applications / {commits} commits ...", file=sys.stderr, flush=True)
        subprocess.run(
            [PYTHON, str(HERE / "generate.py"), str(target), "--apps", str(apps), "--commits", str(commits)],
            check=True,
            env=ENV,
        )
    return target


def clone(source: Path, name: str) -> Path:
    """A fresh clone: no jobtrail cache, the same history."""
    target = OUT / name
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", "--no-local", str(source), str(target)], check=True, env=ENV)
    return target


def floor_command(pathspec: bool = True) -> str:
    """The plumbing floor: the raw log, and every blob it names read in one cat-file batch.

    With ``pathspec`` the log is limited to applications/ (the issue's floor); without,
    it is the same log walk jobtrail runs (it filters the folder itself: faster in git).
    """
    limit = " -- applications/" if pathspec else ""
    return (
        f"git log --raw -M --no-abbrev --full-history --no-merges --format={limit} "
        "| awk '/^:/ && $4 !~ /^0+$/ {print $4}' | git cat-file --batch > /dev/null"
    )


def verify_history(repo: Path) -> str:
    truth = json.loads((repo / ".git" / "bench-truth.json").read_text())["history"]
    out = subprocess.run([*JOBTRAIL, "history", "--json"], cwd=repo, env=ENV, capture_output=True, check=True).stdout
    got = {
        app["path"]: [[h["status"], h["date"], h["commit"]] for h in app["history"]]
        for app in json.loads(out)["applications"]
    }
    wrong = [path for path in truth if truth[path] != got.get(path)] + [path for path in got if path not in truth]
    if wrong:
        raise SystemExit(f"WRONG HISTORY for {len(wrong)} applications, e.g. {wrong[0]}")
    return f"all {len(truth)} histories match the ground truth"


def new_commit(repo: Path, counter: list[int]) -> None:
    counter[0] += 1
    files = sorted((repo / "applications").glob("*.md"))
    target = files[counter[0] % len(files)]
    with open(target, "ab") as handle:
        handle.write(f"- bench edit {counter[0]}\n".encode())
    env = {**ENV, "GIT_AUTHOR_DATE": f"2030-01-01T{counter[0] % 24:02d}:00:00+00:00"}
    env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"]
    subprocess.run(["git", "commit", "-q", "--no-verify", "-am", f"bench {counter[0]}"], cwd=repo, env=env, check=True)


class Report:
    def __init__(self) -> None:
        self.rows: list[str] = ["| case | median | peak memory | target | runs (s) |", "|---|---|---|---|---|"]

    def add(self, case: str, seconds: float, peak_kb: int, target: str, runs: list[float]) -> None:
        row = f"| {case} | {seconds:.3f} s | {peak_kb / 1024:.0f} MB | {target} | {', '.join(f'{run:.3f}' for run in runs)} |"
        self.rows.append(row)
        print(row, flush=True)

    def note(self, text: str) -> None:
        self.rows.append(f"| {text} | | | | |")
        print(f"| {text} |", flush=True)


def bench_check(report: Report, runs: int, thousand: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        one = Path(folder)
        subprocess.run(["git", "init", "-q", str(one)], check=True, env=ENV)
        (one / "applications").mkdir()
        shutil.copy(
            HERE.parent / "applications" / "reddit-senior-machine-learning-engineer-safety.md", one / "applications"
        )
        target = "applications/reddit-senior-machine-learning-engineer-safety.md"
        # Interleaved, so that a busy moment of the machine weighs on both alike.
        yaml_results: list[Measure] = []
        check_results: list[Measure] = []
        for _ in range(runs * 4):
            yaml_results.append(run_once([PYTHON, "-c", "import yaml"], one))
            check_results.append(run_once([str(CONSOLE_SCRIPT), "check", target], one))
        yaml_runs = [result.seconds for result in yaml_results]
        check_runs = [result.seconds for result in check_results]
        yaml_time, check_time = statistics.median(yaml_runs), statistics.median(check_runs)
        report.add(
            "`python -c 'import yaml'` (reference)", yaml_time, max(r.peak_kb for r in yaml_results), "-", yaml_runs
        )
        report.add(
            f"`jobtrail check` one file ({check_time / yaml_time:.2f}x import yaml)",
            check_time,
            max(r.peak_kb for r in check_results),
            "within 2x",
            check_runs,
        )
    many, many_kb, many_runs = median_of(runs, lambda: run_once([*JOBTRAIL, "check"], thousand))
    report.add("`jobtrail check` 1,000 files", many, many_kb, "< 1.5 s", many_runs)


def bench_history(report: Report, runs: int, apps: int, commits: int, large: bool) -> Path:
    source = repository(apps, commits)
    work = clone(source, f"work-{apps}-{commits}")
    shutil.copy(source / ".git" / "bench-truth.json", work / ".git" / "bench-truth.json")
    label = f"{apps:,} apps / {commits:,} commits"
    floor, floor_kb, floor_runs = median_of(runs, lambda: run_once(floor_command(), work, shell=True))
    report.add(
        f"{label}: plumbing floor (`git log --raw -M -- applications/` into `cat-file --batch`)",
        floor,
        floor_kb,
        "-",
        floor_runs,
    )
    same, same_kb, same_runs = median_of(runs, lambda: run_once(floor_command(pathspec=False), work, shell=True))
    report.add(f"{label}: the same floor without the pathspec (jobtrail's own log walk)", same, same_kb, "-", same_runs)
    cache = work / ".git" / "jobtrail"

    def cold() -> Measure:
        shutil.rmtree(cache, ignore_errors=True)
        return run_once([*JOBTRAIL, "history", "--json"], work)

    cold_time, cold_kb, cold_runs = median_of(runs, cold)
    target = "within 2.5x floor, < 1 GB" if large else "within 2x floor, < 300 MB"
    ratios = f"{cold_time / floor:.2f}x floor, {cold_time / same:.2f}x the same walk"
    report.add(f"{label}: `history --json` cold ({ratios})", cold_time, cold_kb, target, cold_runs)
    report.note(f"{label}: {verify_history(work)}")
    if large:
        return work
    warm_time, warm_kb, warm_runs = median_of(runs * 2, lambda: run_once([*JOBTRAIL, "history", "--json"], work))
    report.add(f"{label}: `history --json` warm", warm_time, warm_kb, "< 0.25 s", warm_runs)
    counter = [0]

    def after_commit() -> Measure:
        new_commit(work, counter)
        return run_once([*JOBTRAIL, "history", "--json"], work)

    one_time, one_kb, one_runs = median_of(runs * 2, after_commit)
    report.add(f"{label}: `history --json` after one new commit", one_time, one_kb, "< 0.4 s", one_runs)
    return work


def bench_index(report: Report, runs: int, work: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("jobtrail.commands.index") is None:
        report.note("`jobtrail index`: not available in this build")
        return
    run_once([*JOBTRAIL, "index"], work)  # warm the cache
    index_time, index_kb, index_runs = median_of(runs * 2, lambda: run_once([*JOBTRAIL, "index"], work))
    report.add("1,000 apps: `jobtrail index` warm", index_time, index_kb, "< 0.5 s", index_runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-large", action="store_true", help="skip 10,000 applications / 100,000 commits")
    parser.add_argument("--quick", action="store_true", help="small repositories, for a smoke run")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    report = Report()
    print(report.rows[0])
    print(report.rows[1])
    apps, commits = (100, 1000) if args.quick else (1000, 10000)
    work = bench_history(report, args.runs, apps, commits, large=False)
    bench_check(report, args.runs, work)
    bench_index(report, args.runs, work)
    if not args.skip_large and not args.quick:
        bench_history(report, 3, 10000, 100000, large=True)
    (OUT / "results.md").write_text("\n".join(report.rows) + "\n")


if __name__ == "__main__":
    main()
