"""Commit-loop timings: one application changed and committed, hooks and all.

    python bench/commit.py --apps 1000 --commits 2000 [--runs 7]
    python bench/commit.py --apps 50000 --flat [--runs 3]

Builds a repository with bench/generate.py, sets it up as `make run` sets up
this one (its .pre-commit-config.yaml, hooks/ and `jobtrail init --hooks`),
makes one commit to warm the caches, then, for each run, changes one
application and measures, as whole processes:
- `pre-commit run` (the whole pre-commit stage: pre-commit's own start, its
  stash, and jobtrail's hook), with the change staged;
- `git commit` itself (pre-commit stage, the commit, the post-commit hook);
- `jobtrail index` right after the commit, then again (nothing changed since).
Then, for each run, the application's position changes (so the pre-commit hook
stages new INDEX.md and HISTORY.md), it is committed without the post-commit
hook, and the hook (`jobtrail index --hook post-commit`) is measured alone,
then `jobtrail index` right after it (the work tree must be clean then).
Prints the median of each, wall and CPU (user + system of the process and
everything it waited for). Run it with bytecode writing on (the default; the
first run compiles jobtrail). ``--flat`` writes the applications in one
commit instead (git fast-import rewrites the 50,000-entry folder tree at each of
the generator's commits, which takes hours at that size).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ENV as BENCH_ENV  # bench/ is on the path when a script here runs

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
ENV = {**BENCH_ENV, "PRE_COMMIT_COLOR": "never", "JOBTRAIL_PYTHON": sys.executable}


def run(cwd: Path, *args: str) -> float:
    return timed(cwd, *args)[0]


def timed(cwd: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one whole process (and the processes it started and waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(list(args), cwd=cwd, env=ENV, capture_output=True, text=True)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def flat(target: Path, apps: int) -> None:
    """``apps`` PENDING applications from the Reddit example, committed at once."""
    template = (PROJECT / "applications" / "reddit-senior-machine-learning-engineer-safety.md").read_text(
        encoding="utf-8"
    )
    folder = target / "applications"
    folder.mkdir(parents=True)
    for number in range(apps):
        text = template.replace("Reddit\n", f"Company {number:05d}\n", 1)
        (folder / f"company-{number:05d}-engineer.md").write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=target, check=True)
    subprocess.run(["git", "add", "-A"], cwd=target, check=True)
    subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "import"], cwd=target, env=ENV, check=True
    )


def settled_cases(target: Path, pending: Path, runs: int) -> dict[str, list[tuple[float, float]]]:
    """The post-commit hook alone, after a commit whose pre-commit hook staged new INDEX.md and HISTORY.md
    (the application's position changes: a note would change neither), then `jobtrail index` right after."""
    hook_file = target / ".git" / "hooks" / "post-commit"
    aside = hook_file.with_name("post-commit.bench-off")
    alone: list[tuple[float, float]] = []
    after: list[tuple[float, float]] = []
    for number in range(runs):
        text = pending.read_text(encoding="utf-8")
        position = text.split("## Position\n", 1)[1].split("\n", 1)[0]
        pending.write_text(text.replace(f"## Position\n{position}\n", f"## Position\nBench {number}\n", 1), "utf-8")
        run(target, "git", "add", str(pending))
        hook_file.rename(aside)
        try:
            run(target, "git", "commit", "-q", "-m", f"position {number}")
        finally:
            aside.rename(hook_file)
        alone.append(timed(target, sys.executable, "-m", "jobtrail", "index", "--hook", "post-commit"))
        after.append(timed(target, sys.executable, "-m", "jobtrail", "index"))
        status = subprocess.run(["git", "status", "--porcelain"], cwd=target, capture_output=True, text=True).stdout
        if status:
            raise SystemExit(f"the work tree is not clean after the post-commit hook and index:\n{status}")
    return {
        "jobtrail index --hook post-commit alone, after a commit that changed INDEX.md and HISTORY.md": alone,
        "jobtrail index right after that post-commit hook": after,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--flat", action="store_true", help="all the applications in one commit")
    args = parser.parse_args()
    target = args.keep or Path(tempfile.mkdtemp(prefix="jobtrail-commit-bench-")) / "repo"
    if args.flat and not (target / ".git").exists():
        flat(target, args.apps)
    elif not (target / ".git").exists():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(target),
                "--apps",
                str(args.apps),
                "--commits",
                str(args.commits),
            ],
            check=True,
            capture_output=True,
        )
    for name in (".pre-commit-config.yaml", ".gitattributes"):
        shutil.copyfile(PROJECT / name, target / name)
    shutil.copytree(PROJECT / "hooks", target / "hooks", dirs_exist_ok=True)
    run(target, sys.executable, "-m", "jobtrail", "init", "--hooks")
    run(target, "git", "add", "-A")
    cold = run(target, "git", "commit", "-q", "--allow-empty", "-m", "jobtrail set up")  # a kept one is set up
    # A file the generator left in PENDING: a change to it passes the checks.
    pending = next(
        path
        for path in sorted((target / "applications").iterdir())
        if "\nPENDING\n" in path.read_text(encoding="utf-8")
    )
    cases: dict[str, list[tuple[float, float]]] = {
        "pre-commit run, one application changed": [],
        "jobtrail index --hook pre-commit alone, one application changed": [],
        "git commit, one application changed (hooks included)": [],
        "jobtrail index right after the commit": [],
        "jobtrail index warm (nothing changed)": [],
    }
    hook, alone, commit, after, warm = cases.values()
    for number in range(args.runs):
        with pending.open("a", encoding="utf-8") as handle:
            handle.write(f"- bench note {number}\n")
        run(target, "git", "add", str(pending))
        hook.append(timed(target, sys.executable, "-m", "pre_commit", "run"))
        alone.append(timed(target, sys.executable, "-m", "jobtrail", "index", "--hook", "pre-commit"))
        commit.append(timed(target, "git", "commit", "-q", "-m", f"note {number}"))
        after.append(timed(target, sys.executable, "-m", "jobtrail", "index"))
        warm.append(timed(target, sys.executable, "-m", "jobtrail", "index"))
    cases.update(settled_cases(target, pending, args.runs))
    shape = "in one commit" if args.flat else f"/ {args.commits} commits"
    print(f"{args.apps} applications {shape}, {args.runs} runs, medians:")
    print(f"first commit with the hooks (cold caches): {cold:.3f} s")
    for name, figures in cases.items():
        wall = statistics.median(figure[0] for figure in figures)
        cpu = statistics.median(figure[1] for figure in figures)
        print(f"{name}: {wall:.3f} s wall, {cpu:.3f} s CPU")


if __name__ == "__main__":
    main()
