"""`jobtrail import FILE` on real temporary repositories: spreadsheets in three shapes, a jobtrail export,
bad rows, re-import, dry run, a dirty work tree and a failure half-way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REDDIT, Repo, Result, with_status
from jobtrail import git as gitmodule
from jobtrail.errors import JobtrailError
from jobtrail.parse import parse_bytes
from test_hooks import (
    commit_regenerated,
    index_is_fresh,
    run_git,
)

SHEETS = Path(__file__).parent / "fixtures" / "sheets"


def timelines(repo: Repo, run_cli) -> dict[str, list[tuple[str, str]]]:
    result = run_cli(repo.root, "history", "--json")
    assert result.status == 0, result.err
    return {
        app["path"]: [(entry["status"], entry["date"]) for entry in app["history"]]
        for app in json.loads(result.out)["applications"]
    }


def committed(repo: Repo) -> list[str]:
    return repo.git("log", "--format=%H").split()


def assert_clean_and_checked(repo: Repo, run_cli) -> None:
    assert repo.git("status", "--porcelain") == ""
    problems = json.loads(run_cli(repo.root, "check", "--format", "json").out)
    assert [p for p in problems if p["severity"] == "error"] == []
    assert run_cli(repo.root, "index", "--check").status == 0  # the last commit carries fresh generated files


def exported_into_a_new_repository(repo: Repo, run_cli, tmp_path: Path) -> tuple[Repo, Result]:
    """``repo`` exported (`jobtrail export --format json`) and imported into a new empty repository:
    that repository and the import's result. The export stays in ``tmp_path / "export.json"``."""
    export = tmp_path / "export.json"
    assert run_cli(repo.root, "export", "--format", "json", "--output", str(export)).status == 0
    target = Repo(tmp_path / "target")
    target.root.mkdir()
    target.git("init", "-q", "-b", "main")
    return target, run_cli(target.root, "import", str(export))


@pytest.fixture
def started(repo: Repo, run_cli) -> Repo:
    repo.commit("start", date="2025-12-01T09:00:00+00:00")
    assert run_cli(repo.root, "index").status == 0
    repo.commit("index", date="2025-12-01T09:00:00+00:00")
    return repo


def test_hand_kept_sheet_becomes_files_with_their_dated_history(started: Repo, run_cli) -> None:
    result = run_cli(started.root, "import", str(SHEETS / "hand-kept.csv"))

    assert result.status == 0, result.err
    assert "imported 5 application(s)" in result.out
    history = timelines(started, run_cli)
    assert history["applications/acme-corp-data-engineer.md"] == [
        ("APPLIED", "2026-01-05"),
        ("SCREENING", "2026-01-12"),
        ("INTERVIEWING", "2026-01-20"),
        ("REJECTED", "2026-02-01"),
    ]
    assert history["applications/umbrella-health-ml-engineer.md"] == [
        ("APPLIED", "2026-02-14"),
        ("INTERVIEWING", "2026-02-25"),
        ("OFFER", "2026-03-10"),
    ]
    assert history["applications/hooli-site-reliability-engineer.md"][-1] == ("INTERVIEWING", "2026-04-15")
    # No date for GHOSTED in the row: dated the day of the import (the commit's author date).
    assert history["applications/initech-backend-developer.md"] == [
        ("APPLIED", "2026-03-02"),
        ("GHOSTED", "2026-11-25"),
    ]
    assert history["applications/globex-analyst.md"] == [("PENDING", "2026-11-25")]
    acme = parse_bytes("x", (started.applications / "acme-corp-data-engineer.md").read_bytes())
    assert (acme.company, acme.position, acme.text("Job URL"), acme.text("Application Date")) == (
        "Acme Corp",
        "Data Engineer",
        "https://acme.example/jobs/7",
        "2026-01-05",
    )
    assert dict(acme.front_matter) == {"location": "Remote", "salary": "$120k-$140k", "tags": ["ml", "remote"]}
    assert "# prep: SQL windows" in "\n".join(acme.section("Notes").content)  # text, not a heading
    initech = parse_bytes("x", (started.applications / "initech-backend-developer.md").read_bytes())
    assert initech.text("Job URL") == "https://initech.example/careers/9"
    assert_clean_and_checked(started, run_cli)


def test_commits_are_dated_by_the_events_oldest_first(started: Repo, run_cli) -> None:
    before = committed(started)
    assert run_cli(started.root, "import", str(SHEETS / "hand-kept.csv")).status == 0

    log = started.git("log", "--format=%ad %s", "--date=short", f"{before[0]}..HEAD").splitlines()[::-1]
    dates = [line.split()[0] for line in log[:-1]]
    assert dates == sorted(dates)  # oldest first along the branch
    assert log[0] == "2026-01-05 Import Acme Corp — Data Engineer: APPLIED"
    assert log[-1].endswith("Regenerate INDEX.md and HISTORY.md after importing hand-kept.csv")
    assert len(log) == 14  # 13 status changes and the generated files


def test_huntr_export(started: Repo, run_cli) -> None:
    result = run_cli(started.root, "import", str(SHEETS / "huntr.csv"))

    assert result.status == 0, result.err
    assert "columns not used: id, rootDomain, deadline, color, boardId" in result.out
    history = timelines(started, run_cli)
    assert history["applications/contoso-platform-engineer.md"] == [("APPLIED", "2026-02-26")]  # made in its list
    assert history["applications/fabrikam-software-engineer.md"] == [
        ("PENDING", "2026-02-26"),
        ("REJECTED", "2026-04-11"),
    ]
    assert history["applications/northwind-data-scientist.md"] == [("PENDING", "2026-03-02")]
    assert history["applications/tailspin-toys-engineer-atlanta-ga-tools.md"] == [
        ("PENDING", "2026-02-26"),
        ("INTERVIEWING", "2026-03-04"),
    ]
    contoso = parse_bytes("x", (started.applications / "contoso-platform-engineer.md").read_bytes())
    description = "\n".join(contoso.section("Job Description").content)
    assert "Build the **platform**." in description and "- Kubernetes" in description
    assert contoso.front_matter["location"] == "Remote"
    assert_clean_and_checked(started, run_cli)


def test_careerforge_tracker_file_with_its_source_column_of_links(started: Repo, run_cli) -> None:
    result = run_cli(started.root, "import", str(SHEETS / "careerforge.csv"))

    assert result.status == 0, result.err
    history = timelines(started, run_cli)
    assert history["applications/wide-world-importers-backend-engineer.md"] == [("APPLIED", "2026-06-02")]
    assert history["applications/litware-python-developer.md"] == [
        ("APPLIED", "2026-06-05"),
        ("INTERVIEWING", "2026-11-25"),
    ]
    assert history["applications/proseware-data-engineer.md"] == [("PENDING", "2026-11-25")]
    litware = parse_bytes("x", (started.applications / "litware-python-developer.md").read_bytes())
    assert litware.text("Job URL") == "https://litware.example/careers/py"
    assert litware.front_matter["source"] == "Referral"
    assert_clean_and_checked(started, run_cli)


def test_bad_rows_are_each_named_and_nothing_is_written(started: Repo, run_cli) -> None:
    before = committed(started)

    result = run_cli(started.root, "import", str(SHEETS / "bad-rows.csv"))

    assert result.status == 1
    name = str(SHEETS / "bad-rows.csv")
    for line in (
        f"{name}: row 2: Date Applied `2026-02-30` is not a date in the calendar",
        f"{name}: row 3: no company",
        f"{name}: row 4: no position",
        f"{name}: row 5: unknown status `Limbo`",
        f"{name}: row 6: unknown status `Phone chat`",
        f"{name}: row 8: INTERVIEWING is dated 2099-01-01, in the future",
        f"{name}: unknown status words: `Limbo` (row 5); `Phone chat` (row 6, 7)",
        "nothing was imported",
    ):
        assert line in result.err
    assert "row 9" not in result.err
    assert committed(started) == before
    assert started.git("status", "--porcelain") == ""
    assert sorted(path.name for path in started.applications.iterdir()) == [REDDIT.name]


def test_status_words_can_be_mapped(started: Repo, run_cli) -> None:
    result = run_cli(
        started.root,
        "import",
        str(SHEETS / "bad-rows.csv"),
        "--status",
        "limbo=ghosted",
        "--status",
        "Phone chat=screening",
    )
    assert "unknown status" not in result.err


def test_reimport_creates_nothing(started: Repo, run_cli) -> None:
    assert run_cli(started.root, "import", str(SHEETS / "hand-kept.csv")).status == 0
    head = committed(started)

    again = run_cli(started.root, "import", str(SHEETS / "hand-kept.csv"))

    assert again.status == 0
    assert "0 new, 5 already here" in again.out and "nothing new to import" in again.out
    assert "same  row 2: Acme Corp — Data Engineer: applications/acme-corp-data-engineer.md (same Job URL)" in again.out
    assert "same  row 3: Globex — Analyst: applications/globex-analyst.md (same company and position)" in again.out
    assert committed(started) == head


def test_dry_run_prints_the_plan_and_writes_nothing(started: Repo, run_cli) -> None:
    before = committed(started)

    result = run_cli(started.root, "import", "--dry-run", str(SHEETS / "hand-kept.csv"))

    assert result.status == 0
    assert (
        "new   applications/acme-corp-data-engineer.md  APPLIED 2026-01-05 -> SCREENING 2026-01-12"
        " -> INTERVIEWING 2026-01-20 -> REJECTED 2026-02-01  (row 2)"
    ) in result.out
    assert "note: no date for GHOSTED: dated 2026-11-25 (today)" in result.out
    assert result.out.rstrip().endswith("dry run: nothing written")
    assert committed(started) == before
    assert started.git("status", "--porcelain") == ""
    assert not started.git("for-each-ref", "refs/jobtrail")


def test_columns_by_other_names_need_map(started: Repo, run_cli, tmp_path: Path) -> None:
    sheet = tmp_path / "odd.tsv"
    sheet.write_text("Firm\tGig\tWhen\nAcme\tEngineer\t2026-01-05\n")

    without = run_cli(started.root, "import", str(sheet))
    mapped = run_cli(
        started.root,
        "import",
        str(sheet),
        "--map",
        "Firm=company",
        "--map",
        "Gig=position",
        "--map",
        "When=date:applied",
    )

    assert without.status == 1 and "no company column (columns: Firm, Gig, When)" in without.err
    assert mapped.status == 0, mapped.err
    assert timelines(started, run_cli)["applications/acme-engineer.md"] == [("APPLIED", "2026-01-05")]


def test_export_then_import_gives_the_same_files_and_history_dates(repo: Repo, run_cli, tmp_path: Path) -> None:
    repo.commit("add", date="2026-01-02T09:00:00+00:00")
    repo.write(REDDIT.name, with_status("APPLIED", "2026-01-03"))
    repo.commit("applied", date="2026-01-04T09:00:00+00:00")
    repo.write(REDDIT.name, with_status("INTERVIEWING", "2026-01-03").replace("\n", "\r\n"))  # CRLF from now on
    repo.commit("interviewing", date="2026-01-20T09:00:00-08:00")
    repo.write("zeta-ops.md", "\ufeff" + with_status("REJECTED", "2026-02-01").replace("Reddit", "Zeta", 1))
    repo.commit("zeta", date="2026-02-05T23:30:00+05:00")
    assert run_cli(repo.root, "import", str(SHEETS / "careerforge.csv")).status == 0

    target, result = exported_into_a_new_repository(repo, run_cli, tmp_path)

    assert result.status == 0, result.err
    source_files = sorted(path.name for path in repo.applications.iterdir())
    assert sorted(path.name for path in target.applications.iterdir()) == source_files
    for name in source_files:
        assert (target.applications / name).read_bytes() == (repo.applications / name).read_bytes(), name
    assert timelines(target, run_cli) == timelines(repo, run_cli)
    assert target.git("status", "--porcelain") == ""
    assert run_cli(target.root, "index", "--check").status == 0
    again = run_cli(target.root, "import", str(tmp_path / "export.json"))
    assert "nothing new to import" in again.out


def test_dirty_work_tree_keeps_every_uncommitted_byte(started: Repo, run_cli) -> None:
    edited = with_status("APPLIED", "2026-11-20").replace("## Notes", "## Notes\nmy unsaved thought")
    started.write(REDDIT.name, edited)
    staged = started.root / "staged.txt"
    staged.write_text("staged but not committed\n")
    started.git("add", "staged.txt")
    (started.root / "INDEX.md").write_text("the watcher's newer dashboard\n")

    result = run_cli(started.root, "import", str(SHEETS / "huntr.csv"))

    assert result.status == 0, result.err
    assert (started.applications / REDDIT.name).read_text() == edited
    status = started.git("status", "--porcelain").splitlines()
    assert sorted(status) == sorted(["A  staged.txt", f" M applications/{REDDIT.name}", " M INDEX.md", " M HISTORY.md"])
    assert "staged.txt" not in started.git("show", "--name-only", "--format=", "HEAD~1")
    # INDEX.md in the work tree is regenerated with the uncommitted change, as after any commit.
    assert "APPLIED" in (started.root / "INDEX.md").read_text()


def test_a_failure_half_way_leaves_no_trace(started: Repo, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    before, files = committed(started), sorted(started.root.rglob("*"))
    real = gitmodule.run

    def crash_at_mktree(cwd: str, *args: str, **options) -> bytes:
        if args[0] == "mktree":  # after every dated commit was built and the generated files rendered
            raise JobtrailError("simulated crash")
        return real(cwd, *args, **options)

    monkeypatch.setattr(gitmodule, "run", crash_at_mktree)

    result = run_cli(started.root, "import", str(SHEETS / "hand-kept.csv"))

    assert result.status == 1 and "simulated crash" in result.err
    assert committed(started) == before
    assert started.git("status", "--porcelain") == ""
    assert sorted(p for p in started.root.rglob("*") if ".git" not in p.parts) == [
        p for p in files if ".git" not in p.parts
    ]
    assert not started.git("for-each-ref", "refs/jobtrail")


def test_a_merge_in_progress_is_refused(started: Repo, run_cli) -> None:
    (started.root / ".git" / "MERGE_HEAD").write_text(committed(started)[0] + "\n")
    result = run_cli(started.root, "import", str(SHEETS / "huntr.csv"))
    assert result.status == 1 and "a merge is in progress" in result.err


def test_with_the_hooks_installed_the_next_commit_goes_through_first_try(hooked: Repo, run_cli) -> None:
    repo = hooked  # this project's hooks installed
    commit_regenerated(repo, "start")
    assert run_cli(repo.root, "import", str(SHEETS / "hand-kept.csv")).status == 0
    assert repo.git("status", "--porcelain") == ""

    assert run_cli(repo.root, "status", "hooli", "offer").status == 0
    done = run_git(repo, "commit", "-q", "-am", "hooli offer")

    assert done.returncode == 0, done.stdout
    assert repo.git("status", "--porcelain") == ""
    assert index_is_fresh(repo)
    assert timelines(repo, run_cli)["applications/hooli-site-reliability-engineer.md"][-1][0] == "OFFER"


def test_a_file_that_is_not_there_or_not_a_table_is_a_clear_error(started: Repo, run_cli, tmp_path: Path) -> None:
    missing = run_cli(started.root, "import", str(tmp_path / "nope.csv"))
    folder = run_cli(started.root, "import", str(tmp_path))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    nothing = run_cli(started.root, "import", str(empty))
    broken = tmp_path / "broken.json"
    broken.write_text('{"applications": 3}')
    not_export = run_cli(started.root, "import", str(broken))

    assert (missing.status, folder.status, nothing.status, not_export.status) == (1, 1, 1, 1)
    assert "nope.csv: no such file: give a .csv, .tsv or `jobtrail export --format json` file" in missing.err
    assert "is a folder" in folder.err
    assert "empty.csv: the file has no rows" in nothing.err
    assert "broken.json: no `applications` list" in not_export.err
    assert "Traceback" not in missing.err + folder.err + nothing.err + not_export.err


def test_applications_in_sub_folders_stay_in_the_generated_files(repo: Repo, run_cli) -> None:
    repo.write("2026-11/zeta-ops.md", with_status("APPLIED", "2026-11-02").replace("Reddit", "Zeta", 1))
    repo.commit("start", date="2026-11-03T09:00:00+00:00")
    assert run_cli(repo.root, "index").status == 0
    repo.commit("index", date="2026-11-03T09:00:00+00:00")

    result = run_cli(repo.root, "import", str(SHEETS / "hand-kept.csv"))

    assert result.status == 0, result.err
    assert "(applications/2026-11/zeta-ops.md)" in (repo.root / "INDEX.md").read_text(encoding="utf-8")
    assert repo.git("status", "--porcelain") == ""
    assert run_cli(repo.root, "index", "--check").status == 0  # the import's last commit carries fresh files


def test_an_export_imports_back_into_the_same_sub_folders(repo: Repo, run_cli, tmp_path: Path) -> None:
    repo.write("2026-11/zeta-ops.md", with_status("APPLIED", "2026-11-02").replace("Reddit", "Zeta", 1))
    repo.commit("start", date="2026-11-03T09:00:00+00:00")

    target, result = exported_into_a_new_repository(repo, run_cli, tmp_path)

    assert result.status == 0, result.err
    moved = target.applications / "2026-11" / "zeta-ops.md"
    assert moved.read_bytes() == (repo.applications / "2026-11" / "zeta-ops.md").read_bytes()
    assert "(applications/2026-11/zeta-ops.md)" in (target.root / "INDEX.md").read_text(encoding="utf-8")
    assert run_cli(target.root, "index", "--check").status == 0


def test_a_custom_workflow_takes_applied_and_wishlist_rows_as_its_own_statuses(
    repo: Repo, run_cli, tmp_path: Path
) -> None:
    """`Applied` means the workflow's sent status and `Wishlist` its first, whatever they are called."""
    (repo.root / "jobtrail.toml").write_text('active = ["IDEA", "SENT", "CALL"]\nclosed = ["NO"]\n', encoding="utf-8")
    repo.git("rm", "-q", "--cached", "-r", "--ignore-unmatch", "applications")
    (repo.applications / REDDIT.name).unlink()
    repo.commit("start", date="2026-09-01T09:00:00+00:00")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Company,Position,Status,Date\nAcme,Engineer,Applied,2026-10-01\nGlobex,Analyst,Wishlist,\n")

    result = run_cli(repo.root, "import", str(sheet))

    assert result.status == 0, result.err
    history = timelines(repo, run_cli)
    assert history["applications/acme-engineer.md"] == [("SENT", "2026-10-01")]
    assert [status for status, _ in history["applications/globex-analyst.md"]] == ["IDEA"]
    assert run_cli(repo.root, "check").status == 0
