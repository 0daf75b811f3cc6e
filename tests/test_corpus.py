"""The corpus of broken and hostile application files: each gives exactly its expected problems.

`tests/corpus/NAME.md` sits beside `NAME.expected.txt`, one `CODE LINE` pair per
problem in output order. Inputs too big to commit (10 MB, 10,000 headings, deep
nesting) and those whose point is the file name or a symlink are made here.
`check` must get through all of it with clear messages, no traceback, quickly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import REDDIT, Repo
from jobtrail.cli import main

CORPUS = Path(__file__).parent / "corpus"
CORPUS_FILES = sorted(path.name for path in CORPUS.glob("*.md"))
TRACEBACK = re.compile(r"Traceback|unexpected error|This is a bug")
REDDIT_TEXT = REDDIT.read_text(encoding="utf-8")


def expected_pairs(name: str) -> list[tuple[str, int]]:
    text = (CORPUS / name.replace(".md", ".expected.txt")).read_text(encoding="utf-8")
    return [(code, int(line)) for code, line in (row.split() for row in text.splitlines() if row.strip())]


def lone_repository(root: Path) -> Path:
    """The smallest tree `jobtrail check` accepts: a .git folder and applications/."""
    (root / ".git").mkdir(parents=True)
    (root / "applications").mkdir()
    return root


def check_json(root: Path, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]]]:
    here = os.getcwd()
    os.chdir(root)
    try:
        status = main(["check", "--format", "json", *argv])
    finally:
        os.chdir(here)
    captured = capsys.readouterr()
    assert not TRACEBACK.search(captured.err), captured.err
    return status, json.loads(captured.out)


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_file_gives_its_expected_problems(name: str, tmp_path: Path, capsys) -> None:
    root = lone_repository(tmp_path / "repo")
    shutil.copyfile(CORPUS / name, root / "applications" / name)

    status, problems = check_json(root, capsys=capsys)

    assert [(problem["code"], problem["line"]) for problem in problems] == expected_pairs(name)
    assert status == (1 if any(problem["severity"] == "error" for problem in problems) else 0)


def test_corpus_every_file_has_its_expected_problems_and_no_orphans() -> None:
    expected = sorted(path.name for path in CORPUS.glob("*.expected.txt"))
    assert expected == [name.replace(".md", ".expected.txt") for name in CORPUS_FILES]
    assert len(CORPUS_FILES) >= 30


def test_corpus_gitattributes_keeps_the_bytes() -> None:
    attributes = (Path(__file__).parent.parent / ".gitattributes").read_text()
    assert "tests/corpus/** -text" in attributes


# --- inputs made here: too big to commit ---------------------------------------------------


def reddit_plus(extra: str) -> bytes:
    """The valid Reddit application with ``extra`` appended inside its last section (Notes)."""
    return (REDDIT_TEXT.rstrip("\n") + "\n" + extra).encode("utf-8")


def front_matter(yaml: str) -> bytes:
    """The valid Reddit application under a front matter block holding ``yaml``."""
    return f"---\n{yaml}\n---\n{REDDIT_TEXT}".encode()


def repeated_to(size: int) -> bytes:
    text = REDDIT_TEXT.encode("utf-8")
    return (text * (size // len(text) + 1))[:size]


# (id, content, expected codes in output order with counts, seconds allowed)
GENERATED: list[tuple[str, Callable[[], bytes], dict[str, int], float]] = [
    (
        "10000-headings",
        lambda: reddit_plus("".join(f"{'#' * (2 + index % 5)} Heading {index}\ntext\n" for index in range(10_000))),
        {},
        10,
    ),
    ("10000-duplicate-sections", lambda: reddit_plus("## Company\nAgain\n" * 10_000), {"JT303": 10_000}, 10),
    (
        "deeply-nested-lists",
        lambda: reddit_plus("".join(" " * (2 * index) + f"- level {index} ## no\n" for index in range(700))),
        {},
        10,
    ),
    ("deeply-nested-quotes", lambda: reddit_plus(">" * 100_000 + " ## Company\n"), {}, 10),
    ("900000-blank-lines", lambda: reddit_plus("\n" * 900_000), {}, 10),
    ("100000-fences", lambda: reddit_plus("```\n# inside\n```\n" * 40_000), {}, 10),
    ("one-line-of-a-megabyte", lambda: reddit_plus("# a" + " \t" * 450_000 + "x\n"), {}, 10),
    ("10-megabytes", lambda: repeated_to(10_000_000), {"JT103": 1}, 10),
    # Front matter: linear, and bounded (32 KB); PyYAML's base-60 integers took 68 s on the first one.
    # A megabyte is refused at once (0.1-0.2 s, bench/RESULTS.md); 32 KB of nodes take ~0.2 s. The bounds
    # (5 s: a busy machine, a large test heap) catch the quadratic rule, not measure speed.
    ("front-matter-megabyte-of-base-60", lambda: front_matter("salary: " + "1:" * 490_000 + "1"), {"JT206": 1}, 5),
    ("front-matter-megabyte-list", lambda: front_matter("tags: [" + "1," * 490_000 + "]"), {"JT206": 1}, 5),
    ("front-matter-at-the-bound-base-60", lambda: front_matter("salary: " + "1:" * 16_000 + "1"), {}, 5),
    ("front-matter-at-the-bound-list", lambda: front_matter("numbers: [" + "1," * 16_000 + "]"), {}, 5),
    ("front-matter-tagged-base-60", lambda: front_matter("salary: !!int " + "1:" * 16_000 + "1"), {"JT201": 1}, 5),
    ("front-matter-hex-integer", lambda: front_matter("salary: 0x" + "f" * 32_000), {"JT201": 1}, 5),
]


@pytest.mark.parametrize(
    ("content", "expected", "seconds"), [case[1:] for case in GENERATED], ids=[case[0] for case in GENERATED]
)
def test_corpus_generated_input_is_checked_quickly(
    tmp_path: Path, capsys, content: Callable[[], bytes], expected: dict[str, int], seconds: float
) -> None:
    root = lone_repository(tmp_path / "repo")
    (root / "applications" / "generated.md").write_bytes(content())

    started = time.perf_counter()
    status, problems = check_json(root, capsys=capsys)
    elapsed = time.perf_counter() - started

    counts: dict[str, int] = {}
    for problem in problems:
        counts[str(problem["code"])] = counts.get(str(problem["code"]), 0) + 1
    assert counts == expected
    assert status == (1 if expected else 0)
    assert elapsed < seconds


def test_corpus_ten_megabytes_parsed_in_full_quickly(tmp_path: Path, capsys) -> None:
    """With the size limit raised, 10 MB of real content goes through every rule."""
    root = lone_repository(tmp_path / "repo")
    (root / "jobtrail.toml").write_text("max_file_bytes = 20_000_000\n")
    data = repeated_to(10_000_000)
    (root / "applications" / "huge.md").write_bytes(data)

    started = time.perf_counter()
    status, problems = check_json(root, capsys=capsys)
    elapsed = time.perf_counter() - started

    copies = data.count(b"# Application Details\n")
    assert {str(problem["code"]) for problem in problems} == {"JT303"}
    assert len(problems) == 9 * (copies - 1)  # every required section again in each copy
    assert status == 1
    assert elapsed < 30


# --- names and symlinks: made here, since the name or the link is the point -------------------

HOSTILE_NAMES = ["with space.md", "caf\u00e9-\u00fcnicode.md", "\u6771\u4eac.md", "-x.md", "--format=json.md", "-"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_corpus_file_names_reach_no_shell_and_no_option_parser(repo: Repo, name: str) -> None:
    """`jobtrail check -- NAME` and `./NAME` both check the file; nothing is run through a shell."""
    (repo.applications / name).write_bytes(REDDIT.read_bytes().replace(b"Reddit\n", b"Other\n", 1))
    for argv in (["--", name], [f"./{name}"]):
        done = subprocess.run(
            [sys.executable, "-m", "jobtrail", "check", *argv],
            cwd=repo.applications,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert not TRACEBACK.search(done.stderr), done.stderr
        shown = name  # shown relative to the current folder, as `./` adds nothing
        if name.endswith(".md"):
            assert done.stdout.startswith(f"{shown}:1:1: JT801 file name `{name}` is not a lowercase slug"), done.stdout
        else:  # not a .md file, but asked for by name: still checked
            assert done.stdout.startswith(f"{shown}:1:1: JT801"), done.stdout
        assert done.returncode == 1


def test_corpus_a_file_name_with_a_newline_and_escapes_prints_on_one_line(repo: Repo) -> None:
    (repo.applications / "evil\n\x1b[2J.md").write_bytes(b"# Application Details\n")
    done = subprocess.run([sys.executable, "-m", "jobtrail", "check"], cwd=repo.root, capture_output=True, timeout=60)
    lines = done.stdout.decode("utf-8").splitlines()
    assert all(line.startswith("applications/evil\\n\\x1b[2J.md:") for line in lines), lines
    assert b"\x1b" not in done.stdout and done.returncode == 1


SYMLINKS: list[tuple[str, Callable[[Path, Path], str | None], str]] = [
    ("to a file outside", lambda repo, outside: str(outside / "secret.md"), "JT104"),
    ("to a device outside", lambda repo, outside: "/dev/zero", "JT104"),
    ("to a folder outside", lambda repo, outside: str(outside), "JT104"),
    ("through a link inside to outside", lambda repo, outside: "hop.md", "JT104"),
    ("relative, climbing out", lambda repo, outside: "../../outside/secret.md", "JT104"),
    ("dangling", lambda repo, outside: "missing.md", "JT105"),
    ("to itself", lambda repo, outside: "link.md", "JT105"),
]


@pytest.mark.parametrize(("target", "code"), [case[1:] for case in SYMLINKS], ids=[case[0] for case in SYMLINKS])
def test_corpus_symlinks_out_of_the_repository_are_refused(
    tmp_path: Path, capsys, target: Callable[[Path, Path], str], code: str
) -> None:
    root = lone_repository(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_bytes(REDDIT.read_bytes())
    (root / "applications" / "hop.md").symlink_to(outside / "secret.md")
    (root / "applications" / "link.md").symlink_to(target(root, outside))

    status, problems = check_json(root, "applications/link.md", capsys=capsys)

    assert [(problem["code"], problem["line"]) for problem in problems] == [(code, 1)]
    assert status == 1


# --- the whole corpus through the real command ------------------------------------------------


def test_corpus_whole_folder_through_the_real_command(tmp_path: Path) -> None:
    root = lone_repository(tmp_path / "repo")
    for name in CORPUS_FILES:
        shutil.copyfile(CORPUS / name, root / "applications" / name)

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "check"],
        cwd=root,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    elapsed = time.perf_counter() - started

    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert not TRACEBACK.search(err), err
    assert re.fullmatch(r"\d+ error\(s\), \d+ warning\(s\)\n", err), err
    assert b"\x1b" not in done.stdout
    lines = out.splitlines()
    assert all(re.match(r"^applications/[a-z0-9-]+\.md:\d+:\d+: JT\d{3} \S", line) for line in lines), lines
    reported = {line.split(":")[0].removeprefix("applications/") for line in lines}
    assert reported == {name for name in CORPUS_FILES if expected_pairs(name)}
    assert not (root / "pwned").exists() and not (tmp_path / "pwned").exists()  # the !!python tags never ran
    assert elapsed < 60


# --- every command, not only check ------------------------------------------------------------

COMMANDS = [
    ["check"],
    ["index"],
    ["index", "--check"],
    ["history"],
    ["history", "--json"],
    ["list"],
    ["list", "--json"],
    ["stats"],
    ["stats", "--json"],
    ["export", "--format", "csv"],
    ["export", "--format", "json"],
    ["export", "--format", "ics"],
]
HOSTILE_CORPUS = CORPUS_FILES  # no command exits 3 on any of them


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_corpus_every_command_survives_hostile_files_and_names(repo: Repo) -> None:
    """Committed and uncommitted: a name that is not UTF-8, escapes in a name, markup, bombs."""
    for name in HOSTILE_CORPUS:
        shutil.copyfile(CORPUS / name, repo.applications / name)
    followed = b"---\nfollow_up: 2020-01-20\n---\n" + REDDIT.read_bytes().replace(b"Reddit\n", b"Odd\n", 1)
    with open(os.fsencode(repo.applications) + b"/committed\xff.md", "wb") as handle:
        handle.write(followed)
    repo.commit("hostile files", date="2020-01-10T10:00:00+00:00")
    with open(os.fsencode(repo.applications) + b"/new\xfe\x1b[2J.md", "wb") as handle:
        handle.write(followed.replace(b"Odd\n", b"Odder\n", 1))

    for argv in COMMANDS:
        done = subprocess.run(
            [sys.executable, "-m", "jobtrail", *argv],
            cwd=repo.root,
            capture_output=True,
            timeout=120,
            env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
        )
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode in (0, 1), (argv, err)
        assert not TRACEBACK.search(err), (argv, err)
        assert b"\x1b" not in done.stdout, argv  # JSON escapes it; CSV and ICS drop it
        if argv[-1] not in ("json", "--json"):  # JSON keeps the values exactly
            for hidden in ("\u202e", "\u200b"):  # a bidirectional override; a zero-width space (after a status)
                assert hidden.encode() not in done.stdout, (argv, hidden)
        done.stdout.decode("utf-8")  # whatever came out is UTF-8
    for generated in ("INDEX.md", "HISTORY.md"):
        text = (repo.root / generated).read_bytes().decode("utf-8")
        assert "\x1b" not in text and "<script>" not in text
    assert not (repo.root / "pwned").exists()


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_corpus_the_watcher_survives_the_whole_corpus(repo: Repo, tmp_path: Path) -> None:
    from test_watch import _start_child, wait_until

    repo.commit("Reddit")
    child, lines = _start_child(repo.root)
    try:
        wait_until(lambda: (repo.root / "INDEX.md").exists(), "the first regeneration")
        for name in CORPUS_FILES:
            shutil.copyfile(CORPUS / name, repo.applications / name)
        os.mkfifo(repo.applications / "fifo.md")
        (tmp_path / "secret.md").write_bytes(REDDIT.read_bytes())
        (repo.applications / "link.md").symlink_to(tmp_path / "secret.md")
        with open(os.fsencode(repo.applications) + b"/name\xff.md", "wb") as handle:
            handle.write(REDDIT.read_bytes())

        def listed() -> bool:
            index = (repo.root / "INDEX.md").read_text(encoding="utf-8")
            return all(f"(applications/{name})" in index for name in ("yaml-billion-laughs.md", "link.md", "fifo.md"))

        wait_until(listed, "every corpus file in INDEX.md", timeout=30)

        def fresh() -> bool:  # the last files may come in a later batch than the three above
            check = [sys.executable, "-m", "jobtrail", "index", "--check"]
            return subprocess.run(check, cwd=repo.root, capture_output=True).returncode == 0

        wait_until(fresh, "INDEX.md and HISTORY.md fresh", timeout=30)
        assert child.poll() is None, "".join(lines)
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=10) == 0
    finally:
        child.kill()
        child.wait()
    output = "".join(lines)
    assert not TRACEBACK.search(output), output
    assert "\x1b" not in output
    done = subprocess.run([sys.executable, "-m", "jobtrail", "index", "--check"], cwd=repo.root, capture_output=True)
    assert done.returncode == 0, done.stderr  # what the watcher left is fresh
