"""jobtrail benchmarks: whole-process medians and peak memory, next to the git plumbing floor.

    python bench/run.py [--quick] [--skip-large] [--only-large] [--only-sharded] [--runs N]

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


def repository(apps: int, commits: int, shard: bool = False) -> Path:
    generator = (HERE / "generate.py").read_bytes()
    key = hashlib.sha256(generator + f"{apps}/{commits}/{shard}".encode()).hexdigest()[:10]
    target = OUT / f"repo-{apps}-{commits}{'-sharded' if shard else ''}-{key}"
    if not (target / ".git" / "bench-truth.json").exists():
        shutil.rmtree(target, ignore_errors=True)
        print(f"generating {apps} applications / {commits} commits ...", file=sys.stderr, flush=True)
        subprocess.run(
            [PYTHON, str(HERE / "generate.py"), str(target), "--apps", str(apps), "--commits", str(commits)]
            + (["--shard"] if shard else []),
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

    The floor is the faster of the two: with ``pathspec`` git limits the log to
    applications/ (it compares trees at every commit for that), without it
    lists every file's change. jobtrail's own walk has no pathspec.
    """
    limit = " -- applications" if pathspec else ""
    return (
        f"git log --raw --no-abbrev -M --format={limit} "
        "| awk '$4 !~ /^0+$/ {print $4}' | git cat-file --batch > /dev/null"
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
    files = sorted((repo / "applications").rglob("*.md"))
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


def history_output(repo: Path) -> bytes:
    return subprocess.run([*JOBTRAIL, "history", "--json"], cwd=repo, env=ENV, capture_output=True, check=True).stdout


def same_as_cold(repo: Path) -> str:
    """The cached answer against a cold one in a copy of the cache-less repository: never wrong for speed."""
    cached = history_output(repo)
    cache = repo / ".git" / "jobtrail"
    kept = repo / ".git" / "jobtrail-kept"
    shutil.rmtree(kept, ignore_errors=True)
    cache.rename(kept)
    cold = history_output(repo)
    shutil.rmtree(cache, ignore_errors=True)
    kept.rename(cache)
    if cached != cold:
        raise SystemExit(f"CACHED != COLD in {repo}")
    return "equal to a cold run"


def git_quiet(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env or ENV, check=True, stdout=subprocess.DEVNULL)


def floors(report: Report, runs: int, label: str, work: Path) -> float:
    floor, floor_kb, floor_runs = median_of(runs, lambda: run_once(floor_command(), work, shell=True))
    report.add(f"{label}: floor with `-- applications`", floor, floor_kb, "-", floor_runs)
    same, same_kb, same_runs = median_of(runs, lambda: run_once(floor_command(pathspec=False), work, shell=True))
    report.add(f"{label}: floor without the pathspec", same, same_kb, "-", same_runs)
    return min(floor, same)


def bench_moves(report: Report, runs: int, label: str, work: Path, counter: list[int]) -> None:
    """After an amend, a reset to an ancestor, a 5-commit rebase and a switch back: each equal to a cold run."""
    history = [*JOBTRAIL, "history", "--json"]

    def amend() -> Measure:
        new_commit(work, counter)
        run_once(history, work)
        git_quiet(work, "commit", "-q", "--no-verify", "--amend", "-m", f"amended {counter[0]}")
        return run_once(history, work)

    def reset() -> Measure:
        for _ in range(3):
            new_commit(work, counter)
        run_once(history, work)
        git_quiet(work, "reset", "-q", "--hard", "HEAD~3")
        return run_once(history, work)

    def rebase() -> Measure:
        for _ in range(5):
            new_commit(work, counter)
        run_once(history, work)
        env = {**ENV, "GIT_COMMITTER_DATE": f"2031-01-01T{counter[0] % 24:02d}:00:00+00:00"}
        git_quiet(work, "rebase", "-q", "--force-rebase", "HEAD~5", env=env)  # 5 new commits, same changes
        return run_once(history, work)

    def switch_back() -> Measure:
        git_quiet(work, "checkout", "-q", "-B", "elsewhere", "HEAD~20")
        new_commit(work, counter)
        run_once(history, work)
        git_quiet(work, "checkout", "-q", "main")
        return run_once(history, work)

    for name, move, target in (
        ("after an amend", amend, "<= 0.3 s"),
        ("after `reset --hard HEAD~3`", reset, "<= 0.3 s"),
        ("after a 5-commit rebase", rebase, "<= 0.3 s"),
        ("after a switch back to a branch already walked", switch_back, "<= 0.3 s"),
    ):
        seconds, peak, all_runs = median_of(runs, move)
        report.add(f"{label}: `history --json` {name} ({same_as_cold(work)})", seconds, peak, target, all_runs)


def bench_history(report: Report, runs: int, apps: int, commits: int, large: bool, shard: bool = False) -> Path:
    source = repository(apps, commits, shard)
    work = clone(source, f"work-{apps}-{commits}{'-sharded' if shard else ''}")
    shutil.copy(source / ".git" / "bench-truth.json", work / ".git" / "bench-truth.json")
    label = f"{apps:,} apps / {commits:,} commits{' sharded in applications/YYYY-MM/' if shard else ''}"
    floor = floors(report, runs, label, work)
    cache = work / ".git" / "jobtrail"

    def cold() -> Measure:
        shutil.rmtree(cache, ignore_errors=True)
        return run_once([*JOBTRAIL, "history", "--json"], work)

    cold_time, cold_kb, cold_runs = median_of(runs, cold)
    target = "<= 2x floor, < 1 GB" if large else "<= 1.5x floor"
    report.add(
        f"{label}: `history --json` cold ({cold_time / floor:.2f}x floor)", cold_time, cold_kb, target, cold_runs
    )
    report.note(f"{label}: {verify_history(work)}")
    counter = [0]
    if large:
        if not shard:
            bench_large_amend(report, runs, label, work, counter)
        return work
    warm_time, warm_kb, warm_runs = median_of(runs * 2, lambda: run_once([*JOBTRAIL, "history", "--json"], work))
    report.add(f"{label}: `history --json` warm", warm_time, warm_kb, "<= 0.1 s", warm_runs)

    def after_commit() -> Measure:
        new_commit(work, counter)
        return run_once([*JOBTRAIL, "history", "--json"], work)

    one_time, one_kb, one_runs = median_of(runs * 2, after_commit)
    report.add(
        f"{label}: `history --json` after one new commit ({same_as_cold(work)})",
        one_time,
        one_kb,
        "<= 0.15 s",
        one_runs,
    )
    bench_moves(report, runs, label, work, counter)
    return work


def bench_large_amend(report: Report, runs: int, label: str, work: Path, counter: list[int]) -> None:
    def amend() -> Measure:
        new_commit(work, counter)
        run_once([*JOBTRAIL, "history", "--json"], work)
        git_quiet(work, "commit", "-q", "--no-verify", "--amend", "-m", f"amended {counter[0]}")
        return run_once([*JOBTRAIL, "history", "--json"], work)

    seconds, peak, all_runs = median_of(runs, amend)
    report.add(f"{label}: `history --json` after an amend ({same_as_cold(work)})", seconds, peak, "<= 1 s", all_runs)


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
    parser.add_argument("--only-large", action="store_true", help="only 10,000 applications / 100,000 commits")
    parser.add_argument("--only-history", action="store_true", help="only the history cases at 1,000 applications")
    parser.add_argument(
        "--only-sharded",
        action="store_true",
        help="only 10,000 applications / 100,000 commits in applications/YYYY-MM/",
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    report = Report()
    print(report.rows[0])
    print(report.rows[1])
    apps, commits = (100, 1000) if args.quick else (1000, 10000)
    if not args.only_large and not args.only_sharded:
        work = bench_history(report, args.runs, apps, commits, large=False)
        if not args.only_history:
            bench_check(report, args.runs, work)
            bench_index(report, args.runs, work)
    if not args.skip_large and not args.quick:
        large_runs = 1 if args.only_large else 3
        if not args.only_sharded:
            bench_history(report, large_runs, 10000, 100000, large=True)
        bench_history(report, large_runs, 10000, 100000, large=True, shard=True)
    (OUT / "results.md").write_text("\n".join(report.rows) + "\n")


if __name__ == "__main__":
    main()
