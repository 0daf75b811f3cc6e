"""docs/guarantees.md: each promise holds, and each test it names exists.

The promises are proven by tests all over the suite; this file holds the ones
that belong to no single module (no command but `status`, `followed-up`, `new`
and `import` writes to an application; no shell; one writer) and checks that docs/guarantees.md names real tests.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT, Repo

GUARANTEES = (PROJECT / "docs" / "guarantees.md").read_text(encoding="utf-8")
SOURCES = {path: path.read_text(encoding="utf-8") for path in (PROJECT / "tools" / "jobtrail").rglob("*.py")}
CORPUS = Path(__file__).parent / "corpus"


def test_the_guarantees_section_names_only_tests_that_exist() -> None:
    named = re.findall(r"`(tests/test_\w+\.py)::(test_\w+)`", GUARANTEES)
    assert len(named) >= 15
    for file, test in named:
        source = (PROJECT / file).read_text(encoding="utf-8")
        assert re.search(rf"^def {test}\(", source, re.MULTILINE), f"{file}::{test} is named in docs/guarantees.md"


def test_every_guarantee_names_a_test() -> None:
    promises = [block for block in GUARANTEES.split("\n- **")[1:]]
    assert len(promises) >= 6
    for promise in promises:
        assert "`tests/test_" in promise, promise.splitlines()[0]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file's bytes, inode and modification time, sub-folders included: a rewrite with the
    same bytes still shows."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            status = path.stat()
            found[path.relative_to(folder).as_posix()] = (path.read_bytes(), status.st_ino, status.st_mtime_ns)
    return found


def test_only_status_followed_up_new_and_import_write_to_applications(repo: Repo, tmp_path: Path) -> None:
    for name in ("hostile-values.md", "crlf-bom.md", "mixed-line-endings.md", "unclosed-fence.md", "latin1.md"):
        shutil.copyfile(CORPUS / name, repo.applications / name)
    (repo.applications / "2026-10").mkdir()
    shutil.copyfile(CORPUS / "crlf-bom.md", repo.applications / "2026-10" / "older.md")
    repo.commit("applications", date="2026-11-01T10:00:00+00:00")
    (repo.applications / "uncommitted.md").write_bytes((CORPUS / "bom-only.md").read_bytes())
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Company,Position,Status,Date Applied\nImported Co,Engineer,Applied,2026-10-01\n")
    before = snapshot(repo.applications)

    for argv in (
        ["check"],
        ["check", "--format", "json", "applications/crlf-bom.md"],
        ["index"],
        ["index", "--check"],
        ["index", "--hook", "post-commit"],
        ["history"],
        ["history", "--json", "crlf-bom"],
        ["list"],
        ["list", "--json"],
        ["stats"],
        ["stats", "--json"],
        ["export", "--format", "csv"],
        ["export", "--format", "json", "--output", str(tmp_path / "out.json")],
        ["export", "--format", "ics"],
        ["agenda"],
        ["agenda", "--json"],
        ["followed-up", "no-such-application"],
        ["followed-up", "latin1"],  # refused: the file is not UTF-8
        ["followed-up", "unclosed-fence", "2999-01-01"],  # refused: a date in the future
        ["init"],
        ["status", "no-such-application", "APPLIED"],
        ["status", "latin1", "APPLIED"],  # refused: the file is not UTF-8
        ["new", "Hostile", "Values"],  # refused: the file exists
        ["new", "Brand New", "Engineer"],
        ["import", "--dry-run", str(sheet)],
        ["import", str(sheet)],  # adds a file, in commits of its own
        ["import", str(sheet)],  # already here: nothing
    ):
        done = subprocess.run(
            [sys.executable, "-m", "jobtrail", *argv], cwd=repo.root, capture_output=True, timeout=120
        )
        assert b"Traceback" not in done.stderr, argv

    after = snapshot(repo.applications)
    assert set(after) - set(before) == {"brand-new-engineer.md", "imported-co-engineer.md"}
    assert {name: after[name] for name in before} == before  # `new` and `import` only add files

    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "status", "crlf-bom", "REJECTED"], cwd=repo.root, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    changed = [name for name in before if (repo.applications / name).read_bytes() != before[name][0]]
    assert changed == ["crlf-bom.md"]

    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "followed-up", "mixed-line-endings", "2026-11-02"],
        cwd=repo.root,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    changed = [name for name in before if (repo.applications / name).read_bytes() != before[name][0]]
    assert changed == ["crlf-bom.md", "mixed-line-endings.md"]


def test_no_shell_and_every_git_call_is_an_argument_list() -> None:
    for path, source in SOURCES.items():
        assert "shell=True" not in source, path
        assert not re.search(r"\bos\.(system|popen|exec\w*|spawn\w*)\(", source), path
        for call in re.findall(r"subprocess\.(?:run|Popen|call|check_output)\(\s*(.{0,40})", source):
            assert call.startswith("["), (path, call)


def test_only_files_py_opens_a_file_for_writing() -> None:
    """Every write goes through files.write_atomic (or files.create_exclusive for a new file)."""
    for path, source in SOURCES.items():
        if path.name == "files.py":
            continue
        assert not re.search(r"\bopen\([^)]*['\"][rb]*[wax+][b+]*['\"]", source), path
        assert not re.search(r"O_WRONLY|O_RDWR|O_CREAT", source), path
        assert ".write_text(" not in source and ".write_bytes(" not in source, path
