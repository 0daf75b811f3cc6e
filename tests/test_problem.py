"""Problems print as one safe line; JSON gives back the exact strings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import Repo
from jobtrail.problem import error, printable, problems_as_json, quoted

HOSTILE = [
    "\x1b[31mred\x1b[0m",  # an ANSI colour sequence
    "\x1b]0;new window title\x07",
    "two\nlines\r",
    "\x9b31m",  # the one-byte CSI
    "evil\u202eexe.md",  # right-to-left override
    "line\u2028separator",
    "not utf-8 \udcff",  # a file name byte that is not UTF-8, as os.listdir returns it
    "PENDING\u200b",  # a zero-width space: looks like PENDING, is not
    "tag \U000e0041\U000e0042",  # Unicode tag characters: invisible text
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_output_is_one_printable_line(text: str) -> None:
    line = error(f"applications/{text}.md", 1, "JT801", f"file name `{text}`").as_text()
    assert line.isprintable() and line.isascii()
    line.encode("utf-8")  # a strict UTF-8 terminal can print it


@pytest.mark.parametrize("text", HOSTILE)
def test_json_output_is_lossless(text: str) -> None:
    problem = error(text, 1, "JT801", text)
    dumped = problems_as_json([problem])
    assert dumped.isascii() or all(char.isprintable() or char in "\n" for char in dumped)
    dumped.encode("utf-8")
    [back] = json.loads(dumped)
    assert (back["path"], back["message"]) == (text, text)


def test_printable_leaves_ordinary_text_alone() -> None:
    assert printable("Café — 東京 `## Company` [x](y)") == "Café — 東京 `## Company` [x](y)"


def test_long_values_are_shortened_in_messages() -> None:
    assert quoted("x" * 10) == "x" * 10
    assert quoted("x" * 1000) == "x" * 79 + "\u2026"


def test_a_status_of_a_megabyte_gives_a_short_message(repo: Repo, run_cli) -> None:
    text = (repo.applications / "reddit-senior-machine-learning-engineer-safety.md").read_text()
    repo.write("long.md", text.replace("### Application\nPENDING", "### Application\n" + "Q" * 900_000))
    result = run_cli(repo.root, "check")
    assert result.status == 1
    assert "JT401 unknown status `QQQ" in result.out
    assert max(len(line) for line in result.out.splitlines()) < 400


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
@pytest.mark.parametrize("output", ["text", "json"])
def test_a_file_name_that_is_not_utf8_on_a_strict_terminal(repo: Repo, output: str) -> None:
    name = os.fsencode(repo.applications) + b"/bad\xff\x1b[31mred.md"
    with open(name, "wb") as handle:
        handle.write(b"# Application Details\n")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "check", "--format", output],
        cwd=repo.root,
        capture_output=True,
        env=env,
    )
    assert done.returncode == 1, done.stderr.decode(errors="replace")
    assert b"Traceback" not in done.stderr
    assert b"\x1b" not in done.stdout
    if output == "text":
        assert b"applications/bad\\udcff\\x1b[31mred.md:1:1: JT801" in done.stdout
    else:
        paths = {problem["path"] for problem in json.loads(done.stdout)}
        assert paths == {"applications/bad\udcff\x1b[31mred.md"}
        assert all(os.path.exists(os.path.join(repo.root, path)) for path in paths)
