"""`jobtrail import` of a 1,000-row spreadsheet: whole-process medians and peak memory.

    python bench/importing.py [--rows N] [--runs N]

Each run imports into a fresh copy of a small repository (the Reddit
application, committed with fresh generated files). The rows have one to four
dated stages; afterwards every imported history is compared with the sheet
(speed is never bought with wrong answers), then the same file is imported
again (it must create nothing) and once with --dry-run.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ENV, PYTHON  # bench/ is on the path when a script here runs

PROJECT = Path(__file__).resolve().parent.parent
STAGES = (("Date Applied", "APPLIED"), ("Phone Screen Date", "SCREENING"), ("Interview Date", "INTERVIEWING"))
ENDINGS = (
    ("Rejected On", "REJECTED", "Rejected"),
    ("Offer Date", "OFFER", "Offer"),
    (None, "INTERVIEWING", "Interviewing"),
)


def sheet(rows: int) -> tuple[bytes, dict[str, list[tuple[str, str]]]]:
    """A hand-kept-looking sheet and, by company and position, each row's expected timeline."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = [
        "Company",
        "Job Title",
        "Link",
        "Status",
        *(name for name, _ in STAGES),
        "Rejected On",
        "Offer Date",
        "Location",
        "Notes",
    ]
    writer.writerow(header)
    expected: dict[str, list[tuple[str, str]]] = {}
    start = datetime.date(2025, 1, 6)
    for number in range(rows):
        company, position = f"Company {number:04d}", f"Engineer {number % 7}"
        day = start + datetime.timedelta(days=number % 300)
        depth = 1 + number % 3  # applied; + screen; + interview
        cells = {name: "" for name in header}
        timeline = []
        for name, status in STAGES[:depth]:
            cells[name] = day.strftime("%m/%d/%Y")
            timeline.append((status, day.isoformat()))
            day += datetime.timedelta(days=3 + number % 5)
        column, final, word = (
            ENDINGS[(number // 3) % 3] if depth == 3 else (None, timeline[-1][0], timeline[-1][0].title())
        )
        if column:
            cells[column] = day.strftime("%m/%d/%Y")
            timeline.append((final, day.isoformat()))
        cells.update(
            {"Company": company, "Job Title": position, "Link": f"https://jobs.example/{number}", "Status": word}
        )
        cells.update({"Location": "Remote" if number % 2 else "Berlin", "Notes": f"row {number + 2}"})
        writer.writerow([cells[name] for name in header])
        expected[f"{company}\n{position}"] = timeline
    return out.getvalue().encode(), expected


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True, text=True).stdout


def base_repository(folder: Path) -> Path:
    root = folder / "base"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "applications").mkdir()
    shutil.copy(PROJECT / "applications" / "reddit-senior-machine-learning-engineer-safety.md", root / "applications")
    subprocess.run([PYTHON, "-m", "jobtrail", "index"], cwd=root, env=ENV, check=True, capture_output=True)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


def timed(command: list[str], cwd: Path) -> tuple[float, int, str]:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {command}\n{process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss, out.decode()


def verify(root: Path, expected: dict[str, list[tuple[str, str]]]) -> int:
    history = json.loads(
        subprocess.run(
            [PYTHON, "-m", "jobtrail", "history", "--json"], cwd=root, env=ENV, check=True, capture_output=True
        ).stdout
    )
    found = {
        f"{app['company']}\n{app['position']}": [(e["status"], e["date"]) for e in app["history"]]
        for app in history["applications"]
    }
    wrong = [key for key, timeline in expected.items() if found.get(key) != timeline]
    if wrong:
        raise SystemExit(f"{len(wrong)} histories differ from the sheet, e.g. {wrong[0]!r}: {found.get(wrong[0])}")
    if subprocess.run(
        [PYTHON, "-m", "jobtrail", "index", "--check"], cwd=root, env=ENV, capture_output=True
    ).returncode:
        raise SystemExit("INDEX.md or HISTORY.md is stale after the import")
    return len(expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data, expected = sheet(args.rows)
    with tempfile.TemporaryDirectory(prefix="jobtrail-import-bench-") as scratch:
        folder = Path(scratch)
        (folder / "sheet.csv").write_bytes(data)
        base = base_repository(folder)
        command = [PYTHON, "-m", "jobtrail", "import", str(folder / "sheet.csv")]
        imports, peaks = [], []
        for run in range(args.runs):
            root = folder / f"run{run}"
            shutil.copytree(base, root, symlinks=True)
            seconds, peak, _out = timed(command, root)
            imports.append(seconds)
            peaks.append(peak)
        commits = int(git(root, "rev-list", "--count", "HEAD")) - 1
        checked = verify(root, expected)
        again = [timed(command, root)[0] for _ in range(args.runs)]
        dry = [timed([*command, "--dry-run"], folder / "run0")[0] for _ in range(args.runs)]
        if int(git(root, "rev-list", "--count", "HEAD")) - 1 != commits:
            raise SystemExit("importing again created commits")
    rows = [
        f"| `jobtrail import` {args.rows:,} rows ({commits:,} commits) | {statistics.median(imports):.3f} s | {max(peaks) / 1024:.0f} MB | <= 10 s |",
        f"| `jobtrail import` the same file again (nothing new) | {statistics.median(again):.3f} s | | |",
        f"| `jobtrail import --dry-run` {args.rows:,} rows, all already here | {statistics.median(dry):.3f} s | | |",
        f"| all {checked:,} imported histories match the sheet; `index --check` clean | | | |",
    ]
    print(f"import runs: {', '.join(f'{s:.2f}' for s in imports)} s", file=sys.stderr)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
