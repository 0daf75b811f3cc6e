"""The status history read from real git repositories with scripted dates."""

from __future__ import annotations

import datetime
import io
import itertools
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import Repo, diverge, git, reddit_text, side_applied, with_status
from jobtrail import headstate
from jobtrail.gitlog import read_history
from jobtrail.logread import Progress, read_commits_back_to
from jobtrail.repository import repository_at

REDDIT = reddit_text()
NAME = "reddit-senior-machine-learning-engineer-safety.md"
TODAY = datetime.date(2027, 1, 15)


def history_of(repo: Repo, today: datetime.date = TODAY) -> dict[str, list[tuple[str, str, str | None]]]:
    history = read_history(repository_at(str(repo.root)), today=today)
    return {app.path: [(c.status, c.date.isoformat(), c.commit) for c in app.changes] for app in history.applications}


def test_linear_history_with_application_date_and_commit_dates(repo: Repo) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+02:00")
    repo.write(NAME, with_status("APPLIED", date="2026-07-30"))
    applied = repo.commit("applied", date="2026-08-03T10:00:00+02:00")
    repo.write(NAME, with_status("SCREENING", date="2026-07-30"))
    screening = repo.commit("screening", date="2026-08-08T10:00:00+02:00")

    assert history_of(repo) == {
        f"applications/{NAME}": [
            ("PENDING", "2026-08-01", first),
            ("APPLIED", "2026-07-30", applied),  # the file's Application Date: the real event
            ("SCREENING", "2026-08-08", screening),
        ]
    }


def test_applied_without_a_date_uses_the_commit_date(repo: Repo) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    applied = repo.commit("applied", date="2026-08-05T09:00:00+00:00")

    assert history_of(repo)[f"applications/{NAME}"][-1] == ("APPLIED", "2026-08-05", applied)


def test_dates_are_in_the_authors_own_time_zone(repo: Repo) -> None:
    """23:30 at UTC-5 is already the next day in UTC: the author's day counts."""
    late = repo.commit("add", date="2026-03-01T23:30:00-05:00")

    assert history_of(repo)[f"applications/{NAME}"] == [("PENDING", "2026-03-01", late)]


def test_edits_that_keep_the_status_add_no_entry(repo: Repo) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, REDDIT.replace("## Notes\n", "## Notes\n- more notes\n"))
    repo.commit("notes", date="2026-08-02T09:00:00+00:00")

    assert history_of(repo)[f"applications/{NAME}"] == [("PENDING", "2026-08-01", first)]


def test_rename_with_an_edit_keeps_one_continuous_history(repo: Repo) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.git("mv", f"applications/{NAME}", "applications/reddit-ml-safety.md")
    repo.write("reddit-ml-safety.md", with_status("APPLIED", date="2026-08-02"))
    moved = repo.commit("rename and apply", date="2026-08-02T09:00:00+00:00")
    repo.git("mv", "applications/reddit-ml-safety.md", "applications/reddit.md")
    repo.commit("rename again", date="2026-08-03T09:00:00+00:00")

    assert history_of(repo) == {
        "applications/reddit.md": [("PENDING", "2026-08-01", first), ("APPLIED", "2026-08-02", moved)],
    }


def test_merge_dates_each_change_by_the_commit_that_made_it(repo: Repo) -> None:
    repo.write("acme-data-engineer.md", REDDIT.replace("Reddit\n", "Acme\n", 1))
    base = repo.commit("two applications", date="2026-08-01T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.write(NAME, with_status("APPLIED"))
    on_side = repo.commit("reddit applied (side)", date="2026-08-02T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.write("acme-data-engineer.md", with_status("REJECTED", text=REDDIT.replace("Reddit\n", "Acme\n", 1)))
    on_main = repo.commit("acme rejected (main)", date="2026-08-03T09:00:00+00:00")
    repo.git("merge", "-q", "--no-edit", "side", date="2026-08-04T09:00:00+00:00")

    assert history_of(repo) == {
        "applications/acme-data-engineer.md": [("PENDING", "2026-08-01", base), ("REJECTED", "2026-08-03", on_main)],
        f"applications/{NAME}": [("PENDING", "2026-08-01", base), ("APPLIED", "2026-08-02", on_side)],
    }


def test_a_version_that_does_not_parse_adds_no_entry_and_breaks_nothing(repo: Repo) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, b"\xff\xfe garbage \x00")
    repo.commit("oops", date="2026-08-02T09:00:00+00:00")
    repo.write(NAME, with_status("APPLID"))  # a typo: not a status
    repo.commit("typo", date="2026-08-03T09:00:00+00:00")
    repo.write(NAME, with_status("PENDING"))
    repo.commit("fixed, same status", date="2026-08-04T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    applied = repo.commit("applied", date="2026-08-05T09:00:00+00:00")

    assert history_of(repo)[f"applications/{NAME}"] == [
        ("PENDING", "2026-08-01", first),
        ("APPLIED", "2026-08-05", applied),
    ]


def test_uncommitted_changes_come_last_dated_today(repo: Repo) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("SCREENING"))
    repo.write("new-one.md", REDDIT.replace("Reddit\n", "New\n", 1))

    assert history_of(repo) == {
        "applications/new-one.md": [("PENDING", TODAY.isoformat(), None)],
        f"applications/{NAME}": [("PENDING", "2026-08-01", first), ("SCREENING", TODAY.isoformat(), None)],
    }


def test_uncommitted_applied_uses_its_application_date(repo: Repo) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED", date="2026-08-04"))

    assert history_of(repo)[f"applications/{NAME}"][-1] == ("APPLIED", "2026-08-04", None)


def test_staged_rename_keeps_the_history(repo: Repo) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.git("mv", f"applications/{NAME}", "applications/reddit.md")

    assert history_of(repo) == {"applications/reddit.md": [("PENDING", "2026-08-01", first)]}


def test_repository_with_no_commits(repo: Repo) -> None:
    history = read_history(repository_at(str(repo.root)), today=TODAY)
    assert [(c.status, c.date, c.commit) for c in history.applications[0].changes] == [("PENDING", TODAY, None)]
    assert any("no commits yet" in note for note in history.notes)


def test_detached_head(repo: Repo) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    repo.git("checkout", "-q", "--detach", first)

    assert history_of(repo) == {f"applications/{NAME}": [("PENDING", "2026-08-01", first)]}


def test_shallow_clone_works_and_says_the_history_is_cut_short(repo: Repo, tmp_path: Path) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    applied = repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))

    history = read_history(repository_at(str(clone)), today=TODAY)

    assert history.shallow
    assert any("shallow" in note for note in history.notes)
    assert [(c.status, c.commit) for c in history.applications[0].changes] == [("APPLIED", applied)]


def test_rebase_in_progress(repo: Repo) -> None:
    diverge(repo)
    repo.git("checkout", "-q", "side")
    with pytest.raises(subprocess.CalledProcessError):
        repo.git("rebase", "main")  # conflicts: the rebase stops half way

    history = read_history(repository_at(str(repo.root)), today=TODAY)

    assert any("rebase is in progress" in note for note in history.notes)
    assert [c.status for c in history.applications[0].changes][:2] == ["PENDING", "WITHDRAWN"]


def test_cache_is_used_and_never_stale(repo: Repo) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    applied = repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    cold = history_of(repo)
    cache = repo.root / ".git" / "jobtrail" / "history-state.json"
    assert cache.exists()
    assert history_of(repo) == cold  # warm

    # One new commit: only it is read.
    repo.write(NAME, with_status("SCREENING"))
    screening = repo.commit("screening", date="2026-08-03T09:00:00+00:00")
    assert history_of(repo)[f"applications/{NAME}"][-1] == ("SCREENING", "2026-08-03", screening)

    # History rewritten by amend: the old answer must not survive.
    repo.write(NAME, with_status("REJECTED"))
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "--no-edit", "--no-verify", date="2026-08-03T12:00:00+00:00")
    amended = repo.git("rev-parse", "HEAD").strip()
    assert history_of(repo)[f"applications/{NAME}"][-1] == ("REJECTED", "2026-08-03", amended)

    # A branch switch to an older state.
    repo.git("checkout", "-q", "-b", "old", applied)
    assert history_of(repo)[f"applications/{NAME}"][-1] == ("APPLIED", "2026-08-02", applied)


def test_a_corrupt_cache_is_ignored(repo: Repo) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    history_of(repo)
    (repo.root / ".git" / "jobtrail" / "history-state.json").write_text("{not json")

    assert history_of(repo)[f"applications/{NAME}"] == [("PENDING", "2026-08-01", first)]


def test_history_command_json_and_app_selection(repo: Repo, run_cli) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write("acme-data-engineer.md", REDDIT.replace("Reddit\n", "Acme\n", 1))
    repo.commit("acme", date="2026-08-02T09:00:00+00:00")

    result = run_cli(repo.applications, "history", "redd", "--json")

    assert result.status == 0
    assert json.loads(result.out) == {
        "applications": [
            {
                "path": f"applications/{NAME}",
                "company": "Reddit",
                "position": "Senior Machine Learning Engineer, Safety",
                "status": "PENDING",
                "history": [{"status": "PENDING", "date": "2026-08-01", "commit": first}],
            }
        ]
    }


def test_history_command_text_and_errors(repo: Repo, run_cli) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write("reddit-other.md", REDDIT.replace("Reddit\n", "Reddit Two\n", 1))

    text = run_cli(repo.root, "history")
    ambiguous = run_cli(repo.root, "history", "reddit")
    unknown = run_cli(repo.root, "history", "zzz")

    assert "2026-08-01  PENDING" in text.out and "uncommitted" in text.out
    assert ambiguous.status == 1 and "matches 2 applications" in ambiguous.err
    assert unknown.status == 1 and "no application matches `zzz`" in unknown.err


def test_paths_git_would_quote(repo: Repo) -> None:
    os.rename(repo.applications / NAME, repo.applications / "société-générale.md")
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")

    assert history_of(repo) == {"applications/société-générale.md": [("PENDING", "2026-08-01", first)]}


def test_merge_conflict_adds_no_uncommitted_entry_for_the_status_head_already_has(repo: Repo) -> None:
    """While a conflict is unresolved, the work tree is compared with HEAD's version, not the merge base's."""
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.write(NAME, REDDIT.replace("## Notes\n", "## Notes\nside note\n"))
    repo.commit("side", date="2026-08-02T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.write(NAME, with_status("WITHDRAWN", text=REDDIT.replace("## Notes\n", "## Notes\nmain note\n")))
    withdrawn = repo.commit("main", date="2026-08-03T09:00:00+00:00")
    with pytest.raises(subprocess.CalledProcessError):
        repo.git("merge", "side")  # the notes conflict; the status line merges cleanly

    assert history_of(repo)[f"applications/{NAME}"] == [
        ("PENDING", "2026-08-01", first),
        ("WITHDRAWN", "2026-08-03", withdrawn),
    ]


def test_a_damaged_repository_is_an_error_not_a_shorter_history(repo: Repo, run_cli) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    applied = repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    blob = repo.git("rev-parse", f"{applied}:applications/{NAME}").strip()
    loose = repo.root / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"not a git object")

    result = run_cli(repo.root, "history")

    assert result.status == 1
    assert f"applications/{NAME} in commit {applied[:10]}" in result.err and "git fsck" in result.err
    assert "Traceback" not in result.err


def test_a_submodule_named_like_an_application_is_no_version_to_read(repo: Repo) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},applications/module.md")
    repo.git("commit", "-q", "--no-verify", "-m", "a submodule", date="2026-08-02T09:00:00+00:00")

    assert history_of(repo)[f"applications/{NAME}"] == [("PENDING", "2026-08-01", first)]


@pytest.mark.parametrize("folder", ["./applications", "applications/", "applications//"])
def test_the_applications_folder_may_be_spelled_as_a_path(repo: Repo, folder: str) -> None:
    (repo.root / "jobtrail.toml").write_text(f'applications = "{folder}"\n', encoding="utf-8")
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")

    assert history_of(repo) == {f"applications/{NAME}": [("PENDING", "2026-08-01", first)]}


def test_history_of_a_file_that_is_not_an_application_is_an_error(repo: Repo, run_cli) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    (repo.root / "notes.md").write_text("# notes\n", encoding="utf-8")

    result = run_cli(repo.root, "history", "notes.md")

    assert result.status == 1 and result.out == ""
    assert "notes.md: not an application" in result.err


def test_a_symlinked_application_has_the_same_history_before_and_after_the_commit(repo: Repo) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    drafts = repo.root / "drafts"
    drafts.mkdir()
    (drafts / "acme.md").write_text(REDDIT.replace("Reddit\n", "Acme\n", 1), encoding="utf-8")
    (repo.applications / "acme.md").symlink_to("../drafts/acme.md")
    day = datetime.date(2026, 8, 2)

    before = history_of(repo, today=day)
    repo.commit("acme", date="2026-08-02T09:00:00+00:00")

    assert history_of(repo, today=day) == before


def test_an_application_date_after_the_commit_is_a_typo_not_the_event(repo: Repo) -> None:
    """2062 for 2026: taken as the event, it would be "the newest date" and every day count would run to it."""
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED", date="2062-08-02"))
    applied = repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    repo.write("acme.md", with_status("APPLIED", date="2062-08-03", text=REDDIT.replace("Reddit\n", "Acme\n", 1)))

    history = history_of(repo, today=datetime.date(2026, 8, 3))

    assert history[f"applications/{NAME}"][-1] == ("APPLIED", "2026-08-02", applied)
    assert history["applications/acme.md"] == [("APPLIED", "2026-08-03", None)]


def test_history_text_keeps_control_characters_from_the_terminal(repo: Repo, run_cli) -> None:
    repo.write(NAME, REDDIT.replace("Reddit\n", "Reddit\x1b[2J\x07\n", 1))
    repo.commit("add", date="2026-08-01T09:00:00+00:00")

    text = run_cli(repo.root, "history").out
    data = json.loads(run_cli(repo.root, "history", "--json").out)

    assert "\x1b" not in text and "\x07" not in text and "Reddit [2J " in text
    assert data["applications"][0]["company"] == "Reddit\x1b[2J\x07"  # JSON keeps the text as it is


# ---------------------------------------------------------------- SPEC section 4: every git graph


def commit_holds(repo: Repo, commit: str, status: str) -> bool:
    """Some application file in ``commit`` has ``status`` (property 2's check, on real commits)."""
    names = repo.git("ls-tree", "-r", "--name-only", commit, "applications/").split()
    return any(
        f"### Application\n{status}\n" in repo.git("show", f"{commit}:{name}").replace("\r\n", "\n") for name in names
    )


def assert_spec_properties(repo: Repo, history: dict[str, list[tuple[str, str, str | None]]]) -> None:
    """Properties 1 and 2 of every application: ends on the current status; each entry held by its commit."""
    current = read_history(repository_at(str(repo.root)), today=TODAY)
    for app in current.applications:
        entries = history[app.path]
        assert entries and entries[-1][0] == app.status, app.path
        assert all(a[0] != b[0] for a, b in itertools.pairwise(entries)), app.path
        for status, _date, commit in entries:
            assert commit is None or commit_holds(repo, commit, status), (app.path, status, commit)


def test_a_conflict_resolved_to_another_status_is_an_entry_of_the_merge(repo: Repo) -> None:
    diverge(repo)  # main: WITHDRAWN (08-03), side: APPLIED (08-02)
    with pytest.raises(subprocess.CalledProcessError):
        repo.git("merge", "-q", "side")
    repo.write(NAME, with_status("SCREENING"))
    merge = repo.commit("merge: screening after all", date="2026-08-04T09:00:00+00:00")

    history = history_of(repo)

    assert history[f"applications/{NAME}"][-1] == ("SCREENING", "2026-08-04", merge)
    assert_spec_properties(repo, history)


def test_a_conflict_resolved_to_the_other_side_ends_on_that_side(repo: Repo) -> None:
    diverge(repo)
    side = repo.git("rev-parse", "side").strip()
    with pytest.raises(subprocess.CalledProcessError):
        repo.git("merge", "-q", "side")
    repo.git("checkout", "--theirs", f"applications/{NAME}")
    repo.commit("merge: applied", date="2026-08-04T09:00:00+00:00")

    history = history_of(repo)

    assert history[f"applications/{NAME}"][-1] == ("APPLIED", "2026-08-02", side)  # the branch commit, its date
    assert_spec_properties(repo, history)


def test_merge_strategy_ours_keeps_the_status_the_merge_holds(repo: Repo) -> None:
    """The side's change is dated later than main's: sorted by time, it would end the history."""
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.write(NAME, with_status("APPLIED"))
    repo.commit("side", date="2026-08-05T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.write(NAME, with_status("WITHDRAWN"))
    withdrawn = repo.commit("main", date="2026-08-03T09:00:00+00:00")
    repo.git("merge", "-q", "-s", "ours", "--no-edit", "side", date="2026-08-06T09:00:00+00:00")

    history = history_of(repo)

    assert history[f"applications/{NAME}"][0] == ("PENDING", "2026-08-01", first)
    assert history[f"applications/{NAME}"][-1] == ("WITHDRAWN", "2026-08-03", withdrawn)
    assert_spec_properties(repo, history)


def test_a_file_kept_in_a_modify_delete_conflict_keeps_its_history(repo: Repo) -> None:
    first, applied = side_applied(repo)
    repo.git("rm", "-q", f"applications/{NAME}")
    repo.commit("main drops it", date="2026-08-03T09:00:00+00:00")
    with pytest.raises(subprocess.CalledProcessError):
        repo.git("merge", "-q", "side")
    repo.git("add", f"applications/{NAME}")
    repo.commit("merge: keep it", date="2026-08-04T09:00:00+00:00")

    history = history_of(repo)

    assert history[f"applications/{NAME}"] == [("PENDING", "2026-08-01", first), ("APPLIED", "2026-08-02", applied)]
    assert_spec_properties(repo, history)


def test_a_cherry_picked_status_change_is_one_entry(repo: Repo) -> None:
    first, applied = side_applied(repo)
    repo.git("cherry-pick", applied, date="2026-08-03T09:00:00+00:00")
    repo.git("merge", "-q", "--no-edit", "side", date="2026-08-04T09:00:00+00:00")

    history = history_of(repo)

    assert [entry[0] for entry in history[f"applications/{NAME}"]] == ["PENDING", "APPLIED"]
    assert history[f"applications/{NAME}"][0] == ("PENDING", "2026-08-01", first)
    assert_spec_properties(repo, history)


def test_the_same_edit_on_two_branches_is_one_entry(repo: Repo) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.write(NAME, with_status("APPLIED", date="2026-07-30"))
    repo.commit("side: applied", date="2026-08-02T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.write(NAME, with_status("APPLIED", date="2026-07-30"))
    repo.commit("main: applied too", date="2026-08-03T09:00:00+00:00")
    repo.git("merge", "-q", "--no-edit", "side", date="2026-08-04T09:00:00+00:00")

    history = history_of(repo)

    assert [entry[:2] for entry in history[f"applications/{NAME}"]] == [
        ("PENDING", "2026-08-01"),
        ("APPLIED", "2026-07-30"),
    ]
    assert_spec_properties(repo, history)


def test_entries_follow_ancestry_not_timestamps(repo: Repo) -> None:
    """The SCREENING commit comes after the APPLIED one, from a time zone where it is an hour "earlier"."""
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    applied = repo.commit("applied", date="2026-08-02T10:00:00+00:00")
    repo.write(NAME, with_status("SCREENING"))
    screening = repo.commit("screening", date="2026-08-02T11:30:00+02:00")  # 09:30 UTC

    history = history_of(repo)

    assert history[f"applications/{NAME}"] == [
        ("PENDING", "2026-08-01", first),
        ("APPLIED", "2026-08-02", applied),
        ("SCREENING", "2026-08-02", screening),
    ]


def test_a_rebased_commit_with_an_older_author_date_keeps_its_place(repo: Repo) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.write(NAME, with_status("REJECTED"))
    repo.commit("side: rejected (written early)", date="2026-08-02T09:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.write("acme.md", REDDIT.replace("Reddit\n", "Acme\n", 1))
    repo.commit("main: acme", date="2026-08-05T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED", text=REDDIT.replace("## Notes\n", "## Notes\napplied\n")))
    repo.commit("main: applied", date="2026-08-06T09:00:00+00:00")
    repo.git("checkout", "-q", "side")
    repo.git("rebase", "-q", "-X", "theirs", "main", date="2026-08-07T09:00:00+00:00")  # keeps the author date

    history = history_of(repo)

    assert [entry[0] for entry in history[f"applications/{NAME}"]] == ["PENDING", "APPLIED", "REJECTED"]
    assert_spec_properties(repo, history)


def test_only_the_first_applied_is_dated_by_the_application_date(repo: Repo, run_cli) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED", date="2026-07-30"))
    applied = repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    repo.write(NAME, with_status("SCREENING", date="2026-07-30"))
    repo.commit("screening", date="2026-08-05T09:00:00+00:00")
    repo.git("revert", "--no-edit", "HEAD", date="2026-08-10T09:00:00+00:00")
    reverted = repo.git("rev-parse", "HEAD").strip()

    history = history_of(repo)[f"applications/{NAME}"]

    assert history[1] == ("APPLIED", "2026-07-30", applied)
    assert history[-1] == ("APPLIED", "2026-08-10", reverted)  # by its commit, not before the entry it follows


def test_index_and_history_agree_on_the_applied_date(repo: Repo, run_cli) -> None:
    """A mistyped Application Date (after the commit) is not the applied date anywhere."""
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED", date="2062-08-02"))
    repo.commit("applied", date="2026-08-02T09:00:00+00:00")

    assert run_cli(repo.root, "index").status in (0, 1)
    index = (repo.root / "INDEX.md").read_text(encoding="utf-8")
    listed = json.loads(run_cli(repo.root, "list", "--json").out)

    assert "2062-08-02" not in index and "2026-08-02" in index
    assert "2062" not in json.dumps(listed)


def test_two_files_that_swap_names_keep_their_own_histories(repo: Repo) -> None:
    repo.write("acme.md", REDDIT.replace("Reddit\n", "Acme\n", 1))
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    applied = repo.commit("reddit applied", date="2026-08-02T09:00:00+00:00")
    apps = repo.applications
    (apps / NAME).rename(apps / "swap.tmp")
    (apps / "acme.md").rename(apps / NAME)
    (apps / "swap.tmp").rename(apps / "acme.md")
    repo.commit("swap the names", date="2026-08-03T09:00:00+00:00")

    history = history_of(repo)

    assert history["applications/acme.md"] == [("PENDING", "2026-08-01", first), ("APPLIED", "2026-08-02", applied)]
    assert history[f"applications/{NAME}"] == [("PENDING", "2026-08-01", first)]
    assert_spec_properties(repo, history)


def cold_history(repo: Repo | Path) -> dict[str, list[tuple[str, str, str | None]]]:
    root = repo.root if isinstance(repo, Repo) else repo
    for part in (root / ".git" / "jobtrail").glob("history-*.json"):
        part.unlink()
    history = read_history(repository_at(str(root)), today=TODAY)
    return {app.path: [(c.status, c.date.isoformat(), c.commit) for c in app.changes] for app in history.applications}


def cached_history(root: Path) -> dict[str, list[tuple[str, str, str | None]]]:
    history = read_history(repository_at(str(root)), today=TODAY)
    return {app.path: [(c.status, c.date.isoformat(), c.commit) for c in app.changes] for app in history.applications}


def test_the_cache_follows_git_fetch_deepen(repo: Repo, tmp_path: Path) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    repo.write(NAME, with_status("SCREENING"))
    repo.commit("screening", date="2026-08-03T09:00:00+00:00")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    assert len(cached_history(clone)[f"applications/{NAME}"]) == 1

    git(clone, "fetch", "-q", "--deepen", "2")
    deeper = cached_history(clone)

    assert [entry[0] for entry in deeper[f"applications/{NAME}"]] == ["PENDING", "APPLIED", "SCREENING"]
    assert deeper == cold_history(clone)


def test_the_cache_follows_git_replace(repo: Repo) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    applied = repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    repo.write(NAME, with_status("SCREENING"))
    repo.commit("screening", date="2026-08-03T09:00:00+00:00")
    assert len(cached_history(repo.root)[f"applications/{NAME}"]) == 3

    repo.git("replace", "--graft", applied)  # `applied` without parents: history starts there
    replaced = cached_history(repo.root)

    assert [entry[0] for entry in replaced[f"applications/{NAME}"]] == ["APPLIED", "SCREENING"]
    assert replaced == cold_history(repo)
    repo.git("replace", "-d", applied)
    assert len(cached_history(repo.root)[f"applications/{NAME}"]) == 3


def test_shallow_json_says_so(repo: Repo, tmp_path: Path, run_cli) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))

    data = json.loads(run_cli(clone, "history", "--json").out)

    assert data["shallow"] is True


def test_a_switch_back_to_a_branch_walked_before_is_answered_from_the_cache(repo: Repo) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    cached_history(repo.root)
    repo.write(NAME, with_status("APPLIED"))
    repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    on_main = cached_history(repo.root)
    repo.git("checkout", "-q", "-b", "many")
    repo.write("acme.md", REDDIT.replace("Reddit\n", "Acme\n", 1))
    repo.commit("acme", date="2026-08-03T09:00:00+00:00")
    cached_history(repo.root)
    repo.git("checkout", "-q", "main")

    assert cached_history(repo.root) == on_main == cold_history(repo)


@pytest.mark.parametrize(
    "move",
    [
        ["commit", "-q", "--amend", "--no-verify", "-m", "amended"],
        ["reset", "-q", "--hard", "HEAD~3"],
        ["checkout", "-q", "older"],
    ],
)
def test_a_cached_answer_equals_a_cold_one_after_history_moves(repo: Repo, move: list[str]) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    for day, status in enumerate(["APPLIED", "SCREENING", "INTERVIEWING", "OFFER", "ACCEPTED"], start=2):
        repo.write(NAME, with_status(status))
        repo.commit(status, date=f"2026-08-0{day}T09:00:00+00:00")
        if status == "SCREENING":
            repo.git("branch", "older")
    cached_history(repo.root)
    if "--amend" in move:
        repo.write(NAME, with_status("REJECTED"))
        repo.git("add", "-A")
    repo.git(*move, date="2026-08-09T09:00:00+00:00")

    assert cached_history(repo.root) == cold_history(repo)


def test_a_walk_on_from_a_retained_snapshot_reads_no_other_part_and_follows_commits_dated_before_their_parents(
    repo: Repo,
) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    for day, status in enumerate(["APPLIED", "SCREENING"], start=2):
        repo.write(NAME, with_status(status))
        repo.commit(status, date=f"2026-08-0{day}T09:00:00+00:00")
    cached_history(repo.root)
    blobs = repo.root / ".git" / "jobtrail" / "history-blobs.json"
    blobs.unlink()
    # Dated before their parents (an amend, a rebase, a clock set back): git's own date order is no help.
    repo.write(NAME, with_status("INTERVIEWING"))
    repo.git("add", "-A")
    repo.git("commit", "-q", "--amend", "--no-verify", "-m", "interviewing", date="2026-07-01T09:00:00+00:00")
    repo.write(NAME, with_status("OFFER"))
    repo.commit("offer", date="2026-06-01T09:00:00+00:00")

    cached = cached_history(repo.root)

    assert not blobs.exists()  # only the versions the two new commits name were read, from git
    assert cached == cold_history(repo)
    assert [status for status, _, _ in cached[f"applications/{NAME}"]] == [
        "PENDING",
        "APPLIED",
        "INTERVIEWING",
        "OFFER",
    ]


@pytest.mark.parametrize("rebase_after", [0, 10_000])
def test_the_retained_snapshots_stay_right_with_a_new_base_or_the_old_one(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, rebase_after: int
) -> None:
    monkeypatch.setattr(headstate, "REBASE_AFTER", rebase_after)  # 0: a new base at every walk
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    cached_history(repo.root)
    for day, status in enumerate(["APPLIED", "SCREENING", "INTERVIEWING"], start=2):
        repo.write(NAME, with_status(status))
        repo.write(f"{status.lower()}.md", REDDIT.replace("Reddit\n", f"{status}\n", 1))
        repo.commit(status, date=f"2026-08-0{day}T09:00:00+00:00")
        cached_history(repo.root)
    repo.git("reset", "-q", "--hard", "HEAD~2")
    after_reset = cached_history(repo.root)
    repo.git("reset", "-q", "--hard", "HEAD@{1}")

    assert cached_history(repo.root) == cold_history(repo)
    repo.git("reset", "-q", "--hard", "HEAD~2")
    assert after_reset == cold_history(repo)


def test_a_long_walk_on_reads_and_keeps_the_blobs_part(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(headstate, "READ_ALL_FACTS_AFTER", 0)  # any new version counts as a long way back
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    cached_history(repo.root)
    blobs = repo.root / ".git" / "jobtrail" / "history-blobs.json"
    blobs.unlink()
    repo.write(NAME, with_status("APPLIED"))
    repo.commit("applied", date="2026-08-02T09:00:00+00:00")

    cached = cached_history(repo.root)

    assert blobs.exists()
    assert cached == cold_history(repo)


def test_the_log_back_to_known_commits_stops_there_and_puts_parents_first(repo: Repo) -> None:
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED"))
    known = repo.commit("applied", date="2026-08-02T09:00:00+00:00")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("acme.md", REDDIT.replace("Reddit\n", "Acme\n", 1))
    side = repo.commit("acme", date="2026-08-05T09:00:00+00:00")  # newer than main's commit below
    repo.git("checkout", "-q", "main")
    repo.write(NAME, with_status("SCREENING"))
    main = repo.commit("screening", date="2026-08-03T09:00:00+00:00")
    repo.git("merge", "-q", "--no-edit", "side", date="2026-07-01T09:00:00+00:00")  # dated before both parents
    merge = repo.git("rev-parse", "HEAD").strip()

    commits = read_commits_back_to(repository_at(str(repo.root)), merge, {known})

    shas = [commit.sha for commit in commits]
    assert sorted(shas) == sorted([side, main, merge]) and first not in shas
    assert shas[-1] == merge  # each commit after its parents
    assert read_commits_back_to(repository_at(str(repo.root)), merge, {merge, known}) == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_slow_walk_says_how_far_it_is_on_a_terminal_only() -> None:
    now = [0.0]
    terminal, pipe = Terminal(), io.StringIO()
    shown, hidden = Progress(terminal, lambda: now[0]), Progress(pipe, lambda: now[0])
    for commits in range(1, 2049):
        now[0] = commits / 512  # 4 s in all
        shown.update(commits)
        hidden.update(commits)
    shown.done(2048)
    hidden.done(2048)

    assert "jobtrail: reading the history: 1,024 commits (2 s)" in terminal.getvalue()
    assert terminal.getvalue().endswith("2,048 commits, done\n")
    assert "512 commits" not in terminal.getvalue()  # nothing in the first 2 s
    assert pipe.getvalue() == ""


def test_a_fast_walk_says_nothing() -> None:
    terminal = Terminal()
    progress = Progress(terminal, lambda: 1.0)
    for commits in range(1, 5000):
        progress.update(commits)
    progress.done(4999)
    assert terminal.getvalue() == ""


def test_a_committed_version_above_the_size_bound_is_not_read(repo: Repo) -> None:
    """The bound files on disk have (max_file_bytes): a huge committed version has no status, costs no memory."""
    (repo.root / "jobtrail.toml").write_text("max_file_bytes = 20000\n", encoding="utf-8")
    first = repo.commit("add", date="2026-08-01T09:00:00+00:00")
    repo.write(NAME, with_status("APPLIED") + "x" * 30_000)
    repo.commit("huge", date="2026-08-02T09:00:00+00:00")
    repo.write(NAME, with_status("SCREENING"))
    screening = repo.commit("screening", date="2026-08-03T09:00:00+00:00")

    assert history_of(repo)[f"applications/{NAME}"] == [
        ("PENDING", "2026-08-01", first),
        ("SCREENING", "2026-08-03", screening),
    ]
