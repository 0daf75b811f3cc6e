"""A deterministic generator of synthetic jobtrail repositories, built with `git fast-import`.

N applications of realistic size (the Reddit example, about 6 KB), C commits
editing 1-3 files each, with status changes (some with an Application Date
filled in days earlier), versions that do not parse, renames, and side
branches merged back. It records what it wrote: the expected history of every
application (`truth.json`), so a benchmark can prove its answers right.

    python bench/generate.py DIR --apps 1000 --commits 10000 [--seed 1] [--shard]

``--shard`` puts each application in a folder of the month it was created in
(``applications/2024-01/...``), as people with thousands of them do.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent
TEMPLATE = (HERE.parent / "applications" / "reddit-senior-machine-learning-engineer-safety.md").read_text(
    encoding="utf-8"
)
PIPELINE = ["PENDING", "APPLIED", "SCREENING", "INTERVIEWING", "OFFER"]
CLOSED = ["REJECTED", "WITHDRAWN", "GHOSTED", "DECLINED", "ACCEPTED"]
OFFSETS = [-8 * 60, -5 * 60, 0, 60, 2 * 60, 5 * 60 + 30, 9 * 60]
START = datetime.datetime(2024, 1, 1, 8, 0, tzinfo=datetime.UTC)


@dataclass
class App:
    number: int
    path: str
    status: str = "PENDING"
    application_date: str | None = None
    edits: int = 0
    events: list[list[str | None]] = field(default_factory=list)  # [status, date, commit mark]

    def content(self, broken: bool = False) -> bytes:
        company = f"Company {self.number:05d}"
        text = TEMPLATE.replace("Reddit\n", f"{company}\n", 1)
        text = text.replace("Senior Machine Learning Engineer, Safety\n", f"Engineer {self.number}\n", 1)
        status = "APLIED" if broken else self.status
        text = text.replace("### Application\nPENDING", f"### Application\n{status}")
        if self.application_date:
            text = text.replace("[Current date in YYYY-MM-DD format]", self.application_date)
        return (text + f"\n- edit {self.edits}\n").encode()


@dataclass
class Writer:
    """Writes a fast-import stream straight into git's standard input, counting marks.

    Streamed rather than built in memory: at 100,000 commits the stream is over a gigabyte,
    and git packs objects while Python makes the next ones (two cores at work, not one).
    """

    stream: IO[bytes]
    mark: int = 0

    def blob(self, data: bytes) -> int:
        self.mark += 1
        self.stream.write(b"blob\nmark :%d\ndata %d\n%s\n" % (self.mark, len(data), data))
        return self.mark

    def commit(
        self, ref: str, when: datetime.datetime, offset: int, message: str, parents: list[int], body: list[bytes]
    ) -> int:
        self.mark += 1
        stamp = int(when.timestamp())
        zone = f"{'+' if offset >= 0 else '-'}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"
        out = [b"commit %s\nmark :%d\n" % (ref.encode(), self.mark)]
        out.append(f"author Jo Trail <jo@example.com> {stamp} {zone}\n".encode())
        out.append(f"committer Jo Trail <jo@example.com> {stamp} {zone}\n".encode())
        out.append(b"data %d\n%s\n" % (len(message), message.encode()))
        if parents:
            out.append(b"from :%d\n" % parents[0])
        for parent in parents[1:]:
            out.append(b"merge :%d\n" % parent)
        out.extend(body)
        out.append(b"\n")
        self.stream.write(b"".join(out))
        return self.mark


def local_date(when: datetime.datetime, offset: int) -> str:
    return (when + datetime.timedelta(minutes=offset)).date().isoformat()


def advance(app: App, rng: random.Random, day: str) -> bool:
    """Maybe move the application along; True when its status changed."""
    if app.status in CLOSED or rng.random() < 0.55:
        return False
    if app.status == "PENDING":
        app.status = "APPLIED"
        if rng.random() < 0.6:  # recorded a few days late: the Application Date is the real event
            app.application_date = (
                datetime.date.fromisoformat(day) - datetime.timedelta(days=rng.randint(0, 4))
            ).isoformat()
        return True
    if app.status == "OFFER":
        app.status = rng.choice(["ACCEPTED", "DECLINED"])
    elif rng.random() < 0.35:
        app.status = rng.choice(CLOSED)
    else:
        app.status = PIPELINE[min(PIPELINE.index(app.status) + 1, len(PIPELINE) - 1)]
    return True


@dataclass
class SideBranch:
    """A branch of work on a few applications that main leaves alone until the merge."""

    apps: list[App]
    tip: int | None
    final_blobs: dict[str, int] = field(default_factory=dict)
    commits_left: int = 0


def pick_free(rng: random.Random, live: list[App], busy: list[App], count: int) -> list[App]:
    """Up to ``count`` distinct applications of ``live`` not in ``busy`` (at most three).

    Drawn one at a time and redrawn when taken: a list of the free ones rebuilt at every
    commit was quadratic (10,000 applications x 100,000 commits, most of the run).
    """
    count = min(count, len(live) - len(busy))
    chosen: list[App] = []
    while len(chosen) < count:
        app = live[rng.randrange(len(live))]
        if all(app is not other for other in (*busy, *chosen)):
            chosen.append(app)
    return chosen


def generate(target: Path, apps: int, commits: int, seed: int, shard: bool = False) -> dict[str, object]:
    target = target.resolve()
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    marks = target / ".git" / "bench-marks"
    importer = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done", f"--export-marks={marks}"], cwd=target, stdin=subprocess.PIPE
    )
    assert importer.stdin is not None
    with importer.stdin as stream:
        summary, live = write_history(Writer(stream), apps, commits, seed, shard)
        stream.write(b"done\n")
    if importer.wait() != 0:
        raise SystemExit(f"git fast-import failed with exit {importer.returncode}")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=target, check=True)
    shas = dict(line.split() for line in marks.read_text().splitlines())
    truth = {
        app.path: [[status, date, shas[f":{mark}"]] for status, date, mark in app.events]
        for app in sorted(live, key=lambda app: app.path)
    }
    (target / ".git" / "bench-truth.json").write_text(json.dumps({"summary": summary, "history": truth}))
    return summary


def write_history(
    writer: Writer, apps: int, commits: int, seed: int, shard: bool
) -> tuple[dict[str, object], list[App]]:
    """The commits, into ``writer``; what was made, and every application with its expected events."""
    rng = random.Random(seed)
    live: list[App] = []
    main_tip: int | None = None
    side: SideBranch | None = None
    when = START
    made = renames = merges = broken_versions = 0

    def edit(app: App, body: list[bytes], day: str) -> list[str] | None:
        """A new version of ``app`` into ``body``; its status change, if any."""
        nonlocal broken_versions
        app.edits += 1
        broken = rng.random() < 0.02
        broken_versions += broken
        changed = not broken and advance(app, rng, day)
        blob = writer.blob(app.content(broken))
        body.append(b"M 100644 :%d %s\n" % (blob, app.path.encode()))
        if side is not None and app in side.apps:
            side.final_blobs[app.path] = blob
        if not changed:
            return None
        return [app.status, app.application_date if app.status == "APPLIED" and app.application_date else day]

    while made < commits:
        when += datetime.timedelta(minutes=rng.randint(20, 600))
        offset = rng.choice(OFFSETS)
        day = local_date(when, offset)
        body: list[bytes] = []
        changes: list[tuple[App, list[str]]] = []
        if side is not None and (side.commits_left == 0 or made == commits - 1):
            merge_body = [b"M 100644 :%d %s\n" % (blob, path.encode()) for path, blob in side.final_blobs.items()]
            main_tip = writer.commit(
                "refs/heads/main", when, offset, "merge side", [p for p in (main_tip, side.tip) if p], merge_body
            )
            merges += 1
            side = None
            continue
        if side is not None and rng.random() < 0.5:
            for app in side.apps:
                change = edit(app, body, day)
                if change:
                    changes.append((app, change))
            side.tip = writer.commit(
                "refs/heads/side", when, offset, f"side {made}", [side.tip] if side.tip else [], body
            )
            side.commits_left -= 1
            made += 1
            for app, change in changes:
                app.events.append([*change, side.tip])
            continue
        busy = side.apps if side else []
        if len(live) < apps and (made < apps or rng.random() < 0.3):
            folder = f"applications/{day[:7]}" if shard else "applications"
            app = App(len(live), f"{folder}/company-{len(live):05d}-engineer.md")
            live.append(app)
            blob = writer.blob(app.content())
            body.append(b"M 100644 :%d %s\n" % (blob, app.path.encode()))
            changes.append((app, ["PENDING", day]))
        elif side is None and len(live) > 10 and rng.random() < 0.05:
            side = SideBranch(rng.sample(live, k=rng.randint(1, 3)), main_tip, commits_left=rng.randint(1, 4))
            continue
        else:
            for app in pick_free(rng, live, busy, rng.randint(1, 3)):
                if rng.random() < 0.03:
                    old = app.path
                    folder = app.path.rsplit("/", 1)[0]
                    app.path = f"{folder}/company-{app.number:05d}-engineer-r{app.edits}.md"
                    body.append(f"R {old} {app.path}\n".encode())
                    renames += 1
                change = edit(app, body, day)
                if change:
                    changes.append((app, change))
        main_tip = writer.commit(
            "refs/heads/main", when, offset, f"commit {made}", [main_tip] if main_tip else [], body
        )
        made += 1
        for app, change in changes:
            app.events.append([*change, main_tip])

    summary: dict[str, object] = {
        "apps": len(live),
        "commits": made,
        "merges": merges,
        "renames": renames,
        "broken_versions": broken_versions,
    }
    return summary, live


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", type=Path)
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shard", action="store_true", help="applications in applications/YYYY-MM/ folders")
    args = parser.parse_args()
    if args.target.exists() and any(args.target.iterdir()):
        raise SystemExit(f"{args.target} is not empty")
    os.environ.setdefault("GIT_CONFIG_NOSYSTEM", "1")
    print(json.dumps(generate(args.target, args.apps, args.commits, args.seed, args.shard)))


if __name__ == "__main__":
    main()
