"""The hooks that keep INDEX.md and HISTORY.md fresh, through the real pre-commit framework.

Each test builds a repository with this project's own hook scripts, its
``.gitattributes`` and the jobtrail hooks of its ``.pre-commit-config.yaml``,
installed for every hook type `make run` installs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import PROJECT, REDDIT, Repo, git, reddit_text
from jobtrail.generated import regenerate
from jobtrail.repository import repository_at

HOOK_TYPES = ("pre-commit", "post-commit", "post-merge", "post-checkout", "post-rewrite")
POST_HOOKS = ("post-commit", "post-merge", "post-checkout", "post-rewrite")


def run_git(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    """git with its own output and its hooks' output (on standard error) together in ``stdout``."""
    return subprocess.run(["git", *args], cwd=repo.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def quietly(repo: Repo, *args: str) -> None:
    """git without the hooks: to set the scene quickly (the hooks are tested elsewhere)."""
    repo.git("-c", "core.hooksPath=/dev/null", *args)


def commit_regenerated(repo: Repo, message: str) -> None:
    """Commit with fresh generated files, as the pre-commit hook makes sure."""
    regenerate(repository_at(str(repo.root)))
    repo.git("add", "-A")
    quietly(repo, "commit", "-q", "-m", message)


def two_branches(repo: Repo) -> None:
    """main and feature, each adding a different application (feature checked out at the end is main)."""
    commit_regenerated(repo, "start")
    quietly(repo, "checkout", "-q", "-b", "feature")
    repo.write("acme-data-engineer.md", with_company("Acme"))
    commit_regenerated(repo, "acme")
    quietly(repo, "checkout", "-q", "main")
    repo.write(REDDIT.name, with_company("Reddit", "WITHDRAWN"))
    repo.write("globex-ml-engineer.md", with_company("Globex"))
    commit_regenerated(repo, "globex, reddit withdrawn")


def index_is_fresh(repo: Repo) -> bool:
    done = subprocess.run([sys.executable, "-m", "jobtrail", "index", "--check"], cwd=repo.root, capture_output=True)
    return done.returncode == 0


def with_company(company: str, status: str = "PENDING") -> str:
    text = reddit_text().replace("Reddit\n", f"{company}\n", 1).replace("\nPENDING\n", f"\n{status}\n", 1)
    if status != "PENDING":
        text = text.replace("[URL to job listing]", "https://example.com/jobs/1")
        text = text.replace("[Current date in YYYY-MM-DD format]", "2026-11-20")
    return text


def test_the_first_commit_goes_through_with_fresh_files(hooked: Repo) -> None:
    hooked.git("add", "-A")
    first = run_git(hooked, "commit", "-m", "start")

    assert first.returncode == 0, first.stdout
    assert "Failed" not in first.stdout
    assert hooked.git("status", "--porcelain") == ""
    assert index_is_fresh(hooked)


def test_merging_branches_that_change_different_applications(hooked: Repo) -> None:
    two_branches(hooked)

    merge = run_git(hooked, "merge", "--no-edit", "feature")

    assert merge.returncode == 0, merge.stdout
    assert "CONFLICT" not in merge.stdout
    assert hooked.git("diff", "--name-only", "--diff-filter=U") == ""
    # The driver kept one side; the post-merge hook gave the merge commit fresh files.
    assert index_is_fresh(hooked)
    assert hooked.git("status", "--porcelain") == ""
    index = (hooked.root / "INDEX.md").read_text(encoding="utf-8")
    assert (
        "| [Acme](" in index
        and "| [Globex](" in index
        and "| Senior Machine Learning Engineer, Safety | WITHDRAWN |" in index
    )
    assert "<<<<<<<" not in index
    assert hooked.git("show", "HEAD:INDEX.md") == index  # in the merge commit itself


def test_without_the_merge_driver_the_same_merge_conflicts(repo: Repo) -> None:
    """The scenario above really needs the driver: both branches changed both generated files."""
    shutil.copyfile(PROJECT / ".gitattributes", repo.root / ".gitattributes")
    two_branches(repo)
    repo.git("config", "--remove-section", "merge.jobtrail-generated")

    merge = subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", "merge", "--no-edit", "feature"], cwd=repo.root, capture_output=True
    )

    assert merge.returncode == 1
    assert sorted(repo.git("diff", "--name-only", "--diff-filter=U").split()) == ["HISTORY.md", "INDEX.md"]


def test_rebase_regenerates_once_it_ends(hooked: Repo) -> None:
    two_branches(hooked)
    quietly(hooked, "checkout", "-q", "feature")

    rebase = run_git(hooked, "rebase", "main")

    assert rebase.returncode == 0, rebase.stdout
    assert "CONFLICT" not in rebase.stdout
    assert "a rebase is in progress" in rebase.stdout  # the hooks during the rebase waited
    assert index_is_fresh(hooked)


def test_concluding_a_conflicted_merge(hooked: Repo) -> None:
    """The pre-commit hook puts files fresh for the resolution into the merge commit."""
    two_branches(hooked)
    quietly(hooked, "checkout", "-q", "feature")
    hooked.write(REDDIT.name, with_company("Reddit", "REJECTED"))
    commit_regenerated(hooked, "rejected")
    quietly(hooked, "checkout", "-q", "main")
    assert run_git(hooked, "merge", "--no-edit", "feature").returncode == 1  # Reddit changed on both sides
    assert hooked.git("diff", "--name-only", "--diff-filter=U").split() == [f"applications/{REDDIT.name}"]
    hooked.write(REDDIT.name, with_company("Reddit", "REJECTED"))
    hooked.git("add", "-A")

    commit = run_git(hooked, "commit", "--no-edit")

    assert commit.returncode == 0, commit.stdout
    assert "Failed" not in commit.stdout
    assert index_is_fresh(hooked)
    assert hooked.git("status", "--porcelain") == ""
    assert "| [Reddit](" in (hooked.root / "INDEX.md").read_text(encoding="utf-8")


def test_post_checkout_reports_a_stale_branch_and_never_writes(hooked: Repo) -> None:
    commit_regenerated(hooked, "start")
    quietly(hooked, "checkout", "-q", "-b", "stale")
    hooked.write("acme-data-engineer.md", with_company("Acme"))
    hooked.git("add", "-A")
    quietly(hooked, "commit", "-q", "-m", "acme, no hooks: INDEX.md left behind")
    quietly(hooked, "checkout", "-q", "main")

    checkout = run_git(hooked, "checkout", "stale")

    assert checkout.returncode == 0, checkout.stdout
    assert "INDEX.md and HISTORY.md out of date here: run `jobtrail index`" in checkout.stdout
    assert hooked.git("status", "--porcelain") == ""


@pytest.mark.parametrize("hook", POST_HOOKS)
def test_post_hooks_never_fail_even_when_jobtrail_cannot_run(repo: Repo, hook: str, monkeypatch) -> None:
    shutil.copytree(PROJECT / "hooks", repo.root / "hooks")
    repo.commit("start")
    (repo.root / "jobtrail.toml").write_text("active = [", encoding="utf-8")  # a broken configuration

    broken = subprocess.run([str(repo.root / "hooks" / hook)], cwd=repo.root, capture_output=True, text=True)
    monkeypatch.setenv("JOBTRAIL_PYTHON", "/nonexistent/python")
    missing = subprocess.run([str(repo.root / "hooks" / hook)], cwd=repo.root, capture_output=True, text=True)

    assert (broken.returncode, missing.returncode) == (0, 0)
    assert "jobtrail.toml: invalid TOML" in broken.stderr
    assert missing.stderr and not missing.stdout


def test_the_hook_scripts_are_executable_and_named_after_their_hooks() -> None:
    for hook in POST_HOOKS:
        script = PROJECT / "hooks" / hook
        assert os.access(script, os.X_OK), f"{script} is not executable"
        assert f"index --hook {hook}" in script.read_text(encoding="utf-8")


def test_the_hooks_are_offered_and_configured() -> None:
    offered = {hook["id"]: hook for hook in yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())}
    assert offered["jobtrail-index"]["entry"] == "jobtrail index --hook"
    assert offered["jobtrail-index"]["pass_filenames"] is False and offered["jobtrail-index"]["always_run"] is True
    assert offered["jobtrail-index"]["stages"] == ["pre-commit", "pre-merge-commit"]
    config = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text())
    # One hook, one line per commit; the project's own lint is `make lint`, not users' commits.
    assert [(hook["id"], hook["entry"]) for hook in config["repos"][0]["hooks"]] == [
        ("jobtrail-index", "hooks/jobtrail index --hook")
    ]
    assert len(config["repos"]) == 1
    attributes = (PROJECT / ".gitattributes").read_text()
    assert "INDEX.md merge=jobtrail-generated" in attributes and "HISTORY.md merge=jobtrail-generated" in attributes


def test_this_repository_s_generated_files_are_up_to_date() -> None:
    """The project's own INDEX.md and HISTORY.md are up to date (what CI checks in a user's repository)."""
    if git(PROJECT, "rev-parse", "--is-shallow-repository").strip() == "true":
        pytest.skip("a shallow clone cuts the history short")
    done = subprocess.run(
        [sys.executable, "-m", "jobtrail", "index", "--check"], cwd=PROJECT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_the_ci_workflow_checks_a_full_clone_with_the_hooks_and_index_check() -> None:
    workflow = yaml.safe_load((PROJECT / ".github" / "workflows" / "jobtrail.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    commands = [step["run"] for step in steps if "run" in step]
    assert checkout["with"]["fetch-depth"] == 0
    assert any(step.get("uses", "").startswith("actions/setup-python@") for step in steps)
    assert any("pip install" in command for command in commands)
    assert "pre-commit run --all-files --show-diff-on-failure" in commands
    assert commands[-1] == "jobtrail index --check"


def test_without_pre_commit_the_hook_scripts_give_first_try_commits(repo: Repo) -> None:
    """`git config core.hooksPath hooks`: the same loop through this repository's scripts."""
    shutil.copytree(PROJECT / "hooks", repo.root / "hooks")
    shutil.copyfile(PROJECT / ".gitattributes", repo.root / ".gitattributes")
    repo.git("config", "core.hooksPath", "hooks")
    repo.write("acme-data-engineer.md", with_company("Acme"))
    repo.git("add", "-A")

    commit = run_git(repo, "commit", "-m", "start")

    assert commit.returncode == 0, commit.stdout
    assert "| [Acme](" in repo.git("show", "HEAD:INDEX.md")
    assert repo.git("status", "--porcelain") == ""
    assert index_is_fresh(repo)
