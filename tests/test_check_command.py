"""`jobtrail check` as SPEC section 4 describes it, in process and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import Repo, reddit_text

BROKEN = reddit_text().replace("### Application\nPENDING", "### Application\nAPPLID")


def test_clean_repository_exits_0_and_prints_nothing(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "check")
    assert (result.status, result.out) == (0, "")


def test_text_format_one_line_per_problem(repo: Repo, run_cli) -> None:
    repo.write("broken-one.md", BROKEN.replace("Reddit\n", "One\n", 1))
    repo.write("broken-two.md", BROKEN.replace("Reddit\n", "Two\n", 1))

    result = run_cli(repo.root, "check")

    assert result.out.splitlines() == [
        "applications/broken-one.md:14:1: JT401 unknown status `APPLID`: did you mean `APPLIED`? one of PENDING, APPLIED, "
        "SCREENING, INTERVIEWING, OFFER, ACCEPTED, REJECTED, WITHDRAWN, DECLINED, GHOSTED",
        "applications/broken-two.md:14:1: JT401 unknown status `APPLID`: did you mean `APPLIED`? one of PENDING, APPLIED, "
        "SCREENING, INTERVIEWING, OFFER, ACCEPTED, REJECTED, WITHDRAWN, DECLINED, GHOSTED",
    ]
    assert result.status == 1
    assert "2 error(s), 0 warning(s)" in result.err


def test_json_format(repo: Repo, run_cli) -> None:
    repo.write(
        "broken.md",
        BROKEN.replace("Reddit\n", "Other\n", 1).replace("Reddit is a social", "[Company Name] is a social"),
    )

    result = run_cli(repo.root, "check", "--format", "json")

    problems = json.loads(result.out)
    assert [(p["path"], p["line"], p["column"], p["code"], p["severity"]) for p in problems] == [
        ("applications/broken.md", 14, 1, "JT401", "error"),
        ("applications/broken.md", 43, 1, "JT701", "warning"),
    ]
    assert all(p["message"] for p in problems)
    assert result.status == 1


def test_json_format_with_no_problems_is_an_empty_array(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "check", "--format", "json")
    assert (json.loads(result.out), result.status) == ([], 0)


def test_works_from_a_subfolder_with_paths_relative_to_it(repo: Repo, run_cli) -> None:
    repo.write("broken.md", BROKEN.replace("Reddit\n", "Other\n", 1))

    everything = run_cli(repo.applications, "check")
    one = run_cli(repo.applications, "check", "broken.md")

    assert everything.out.startswith("broken.md:14:1: JT401")
    assert one.out == everything.out
    assert one.status == 1


def test_usage_error_exits_2(repo: Repo, run_cli) -> None:
    assert run_cli(repo.root, "check", "--format", "xml").status == 2
    assert run_cli(repo.root, "no-such-command").status == 2


def test_outside_a_git_repository_says_what_to_do(tmp_path: Path, run_cli) -> None:
    result = run_cli(tmp_path, "check")
    assert result.status == 1
    assert "not inside a git repository" in result.err and "jobtrail init" in result.err


def test_missing_file_is_a_problem_not_a_crash(repo: Repo, run_cli) -> None:
    result = run_cli(repo.root, "check", "applications/nope.md")
    assert result.out.startswith("applications/nope.md:1:1: JT105")
    assert result.status == 1


def test_line_endings_bom_and_final_newline_are_all_accepted(repo: Repo, run_cli) -> None:
    text = reddit_text()
    repo.write("crlf.md", text.replace("\n", "\r\n").replace("Reddit\r\n", "A\r\n", 1))
    repo.write("bom.md", "\ufeff" + text.replace("Reddit\n", "B\n", 1))
    repo.write("final-newline.md", text.replace("Reddit\n", "C\n", 1) + "\n")
    repo.write(
        "crlf-status.md", text.replace("\n", "\r\n").replace("Reddit\r\n", "D\r\n", 1).replace("PENDING", "APPLID")
    )

    result = run_cli(repo.root, "check")

    assert result.out.splitlines() == [result.out.splitlines()[0]]
    assert result.out.startswith("applications/crlf-status.md:14:1: JT401")


def test_as_a_real_process_python_dash_m(repo: Repo) -> None:
    repo.write("broken.md", BROKEN.replace("Reddit\n", "Other\n", 1))

    done = subprocess.run([sys.executable, "-m", "jobtrail", "check"], cwd=repo.root, capture_output=True, text=True)

    assert done.returncode == 1
    assert done.stdout.startswith("applications/broken.md:14:1: JT401")
    assert "Traceback" not in done.stderr


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "jobtrail"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("jobtrail ")


def test_check_does_not_import_git_or_watchdog(repo: Repo) -> None:
    """Every commit pays for `check`: it must stay light."""
    code = (
        "import sys, runpy; sys.argv=['jobtrail','check'];\n"
        "from jobtrail.cli import main; status = main(['check']);\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('git', 'watchdog', 'pre_commit'));\n"
        "print(heavy); sys.exit(status)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=repo.root, capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_reader_that_goes_away_ends_check_quietly_with_141(repo: Repo) -> None:
    """`jobtrail check | head`: like `cat` and `grep`, the exit status says the output was cut."""
    for index in range(50):
        repo.write(f"broken-{index}.md", "# Application Details\n")
    child = subprocess.Popen(
        [sys.executable, "-m", "jobtrail", "check"], cwd=repo.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader is gone before the first line
    errors = child.stderr.read()
    assert child.wait(timeout=60) == 141
    assert errors == b""
