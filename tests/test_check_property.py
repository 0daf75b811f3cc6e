"""No input file, however broken, produces a traceback."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import PROJECT, reddit_text
from jobtrail.config import load_config
from jobtrail.parse import parse_bytes
from jobtrail.rules import CheckContext, check_application

CONTEXT = CheckContext(load_config(str(PROJECT)), datetime.date(2026, 11, 26))
REDDIT = reddit_text().encode()


@given(st.binary(max_size=4000))
def test_random_bytes_never_raise(data: bytes) -> None:
    problems = check_application(parse_bytes("applications/x.md", data), CONTEXT)
    assert all(problem.line >= 1 and problem.column >= 1 for problem in problems)


@given(st.integers(0, len(REDDIT)), st.binary(max_size=50), st.integers(0, 200))
def test_damaged_applications_never_raise(position: int, noise: bytes, cut: int) -> None:
    data = REDDIT[:position] + noise + REDDIT[position + cut :]
    check_application(parse_bytes("applications/x.md", data), CONTEXT)


def test_random_files_through_the_real_command(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    applications = tmp_path / "applications"
    applications.mkdir()
    for number in range(40):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(2000)))
        if number % 2:
            data = REDDIT[: rng.randrange(len(REDDIT))] + data
        (applications / f"random-{number}.md").write_bytes(data)

    done = subprocess.run([sys.executable, "-m", "jobtrail", "check"], cwd=tmp_path, capture_output=True, text=True)

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len({line.split(":")[0] for line in done.stdout.splitlines()}) == 40
