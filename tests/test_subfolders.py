"""Sub-folders of applications/ hold applications in every command; a move between them is a rename."""

from __future__ import annotations

import json
import os

from conftest import Repo, reddit_text, with_status
from jobtrail.files import application_paths, is_application_name, is_application_path
from jobtrail.watch import plan_for
from jobtrail.watchplan import APPLICATION, FOLDER, classify

ACME = reddit_text().replace("Reddit\n", "Acme\n", 1)
NAME = "reddit-senior-machine-learning-engineer-safety.md"


def in_subfolder(repo: Repo) -> tuple[str, str]:
    """Acme in applications/2026-11/, committed PENDING then APPLIED."""
    repo.write("2026-11/acme.md", ACME)
    first = repo.commit("acme", date="2026-08-01T09:00:00+00:00")
    repo.write("2026-11/acme.md", with_status("APPLIED", text=ACME))
    applied = repo.commit("acme applied", date="2026-08-02T09:00:00+00:00")
    return first, applied


def test_the_rule_and_the_listing(repo: Repo) -> None:
    repo.write("2026-11/acme.md", ACME)
    repo.write("archive/old/zeta.md", ACME)
    repo.write(".drafts/hidden.md", ACME)
    repo.write("2026-11/.hidden.md", ACME)
    repo.write("2026-11/notes.txt", "not an application")

    listed = [os.path.relpath(path, repo.applications) for path in application_paths(str(repo.applications))]

    assert listed == ["2026-11/acme.md", "archive/old/zeta.md", NAME]
    assert is_application_name("a/b/c.md") and not is_application_name("a/.b/c.md")
    assert is_application_name("c.md") and not any(map(is_application_name, (".c.md", ".md", "c.txt", "c.md/", "")))
    assert is_application_path("applications/x/y.md", "applications")
    assert not is_application_path("applicationsx/y.md", "applications")


def test_history_reads_sub_folders_and_a_move_between_them_is_a_rename(repo: Repo, run_cli) -> None:
    first, applied = in_subfolder(repo)
    (repo.applications / "archive").mkdir()
    repo.git("mv", "applications/2026-11/acme.md", "applications/archive/acme.md")
    repo.commit("archive acme", date="2026-08-03T09:00:00+00:00")

    result = run_cli(repo.root, "history", "acme", "--json")

    assert result.status == 0, result.err
    (app,) = json.loads(result.out)["applications"]
    assert app["path"] == "applications/archive/acme.md"
    assert [(h["status"], h["commit"]) for h in app["history"]] == [("PENDING", first), ("APPLIED", applied)]


def test_check_finds_problems_in_sub_folders(repo: Repo, run_cli) -> None:
    repo.write("2026-11/acme.md", with_status("NOPE", text=ACME))

    result = run_cli(repo.root, "check")

    assert result.status == 1
    assert "applications/2026-11/acme.md:" in result.out


def test_index_list_export_status_and_new_see_sub_folders(repo: Repo, run_cli) -> None:
    in_subfolder(repo)

    assert run_cli(repo.root, "index").status == 0
    index = (repo.root / "INDEX.md").read_text(encoding="utf-8")
    listed = json.loads(run_cli(repo.root, "list", "--json").out)
    exported = json.loads(run_cli(repo.root, "export", "--format", "json").out)
    status = run_cli(repo.root, "status", "2026-11/acme", "SCREENING")
    duplicate = run_cli(repo.root, "new", "Acme", "Senior Machine Learning Engineer, Safety")

    assert "applications/2026-11/acme.md" in index and "Acme" in index
    assert any(row.get("company") == "Acme" for row in listed)
    assert "applications/2026-11/acme.md" in json.dumps(exported)
    assert status.status == 0, status.err
    assert "### Application\nSCREENING" in (repo.applications / "2026-11" / "acme.md").read_text(encoding="utf-8")
    assert duplicate.status == 0  # another name: created at the top, the look-alike named
    assert "2026-11/acme.md" in duplicate.err


def test_the_same_name_in_two_sub_folders_is_ambiguous_not_a_guess(repo: Repo, run_cli) -> None:
    repo.write("a/acme.md", ACME)
    repo.write("b/acme.md", ACME)

    result = run_cli(repo.root, "status", "acme", "APPLIED")

    assert result.status == 1 and "names 2 applications" in result.err


def test_new_refuses_a_name_a_sub_folder_already_has(repo: Repo, run_cli) -> None:
    repo.write("2026-11/acme-engineer.md", ACME)

    result = run_cli(repo.root, "new", "Acme", "Engineer")

    assert result.status == 1 and "2026-11/acme-engineer.md already exists" in result.err
    assert not (repo.applications / "acme-engineer.md").exists()


def test_the_watcher_sees_files_and_folders_below_applications(repo: Repo) -> None:
    plan = plan_for(str(repo.root), None)
    apps = str(repo.applications)

    assert classify(plan, os.path.join(apps, "2026-11", "acme.md")) == ("applications/2026-11/acme.md", APPLICATION)
    assert classify(plan, os.path.join(apps, "2026-11"), is_folder=True) == ("applications/2026-11/", FOLDER)
    assert classify(plan, os.path.join(apps, "4913")) is None  # vim's test file, not a folder
    assert classify(plan, os.path.join(apps, "2026-11", "notes.txt")) is None
    assert classify(plan, os.path.join(apps, ".drafts", "acme.md")) is None
    assert (apps, True) in plan.folders()
