"""`jobtrail init [DIR]`: a ready repository, safe to run twice, never overwriting the user's files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, Repo, git
from jobtrail.config import DEFAULT_ACTIVE, DEFAULT_CLOSED, DEFAULT_FOLLOW_UP_DAYS, load_config
from jobtrail.template import default_template_text

MADE = (
    ".gitattributes",
    ".gitignore",
    ".pre-commit-config.yaml",
    "jobtrail.toml",
    "template.md",
    "applications/.gitkeep",
)
HOOKS = ("pre-commit", "post-commit", "post-merge", "post-checkout", "post-rewrite")


def snapshot(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in MADE}


def test_init_a_new_folder_then_again(tmp_path: Path, run_cli) -> None:
    target = tmp_path / "search"

    first = run_cli(tmp_path, "init", "search")
    files = snapshot(target)
    second = run_cli(target, "init")

    assert first.status == 0, first.err
    assert [line.split()[0] for line in first.out.splitlines()[:-1]] == ["created"] * 7 + ["hooks"]
    assert second.status == 0, second.err
    assert [line.split()[0] for line in second.out.splitlines()[:-1]] == ["kept"] * 7 + ["hooks"]
    assert snapshot(target) == files
    for hook in ("pre-commit", "pre-merge-commit"):
        assert "pre-commit" in (target / ".git" / "hooks" / hook).read_text()
    for hook in ("post-commit", "post-merge", "post-rewrite", "post-checkout"):
        assert f"index --hook {hook}" in (target / ".git" / "hooks" / hook).read_text()
    assert git(target, "config", "--get", "jobtrail.python").strip() == sys.executable


def test_the_files_hold_the_defaults(tmp_path: Path, run_cli) -> None:
    assert run_cli(tmp_path, "init").status == 0

    config = load_config(str(tmp_path))
    assert (config.workflow.active, config.workflow.closed) == (DEFAULT_ACTIVE, DEFAULT_CLOSED)
    assert dict(config.follow_up_days) == DEFAULT_FOLLOW_UP_DAYS
    assert config.template_path == "template.md"
    assert (tmp_path / "template.md").read_text() == default_template_text()
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert [(hook["id"], hook["language"]) for hook in hooks] == [("jobtrail-index", "system")]
    assert hooks[0]["entry"].endswith(" jobtrail index --hook")
    assert (tmp_path / ".gitattributes").read_text().splitlines()[1::2] == [
        "applications/** -text",
        "INDEX.md merge=jobtrail-generated",
    ]
    assert "HISTORY.md merge=jobtrail-generated" in (tmp_path / ".gitattributes").read_text()
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"], cwd=tmp_path
    )
    assert done.returncode == 0


def test_never_overwrites_the_users_files(repo: Repo, run_cli) -> None:
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    (repo.root / "jobtrail.toml").write_text('active = ["TODO", "SENT"]\nclosed = ["DONE"]\n')
    (repo.root / "template.md").write_text("# Application Details\n\n## Company\n[Company]\n")
    (repo.root / ".gitattributes").write_bytes(b"* text=auto\r\n*.png binary")  # CRLF, no final newline
    before = {name: (repo.root / name).read_bytes() for name in ("jobtrail.toml", "template.md")}
    apps_before = {path.name: path.read_bytes() for path in repo.applications.iterdir()}

    result = run_cli(repo.root, "init")

    assert result.status == 0, result.err
    assert "kept     .git (already a git repository)" in result.out
    assert {name: (repo.root / name).read_bytes() for name in before} == before
    assert {path.name: path.read_bytes() for path in repo.applications.iterdir()} == apps_before  # no .gitkeep either
    assert (repo.root / ".gitattributes").read_bytes() == (
        b"* text=auto\r\n*.png binary\r\n# added by jobtrail init\r\napplications/** -text\r\n"
        b"INDEX.md merge=jobtrail-generated\r\nHISTORY.md merge=jobtrail-generated\r\n"
    )
    assert "updated  .gitattributes" in result.out
    again = run_cli(repo.root, "init")
    assert "kept     .gitattributes (it has jobtrail's lines)" in again.out


def test_the_installed_hooks_check_a_commit_without_jobtrail_on_path(tmp_path: Path, run_cli) -> None:
    assert run_cli(tmp_path, "init").status == 0
    assert run_cli(tmp_path, "new", "Acme", "Data Engineer").status == 0
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(shutil.which("git") or "/usr/bin/git") + os.pathsep + "/bin"
    env.pop("JOBTRAIL_PYTHON", None)

    def commit(message: str) -> subprocess.CompletedProcess[str]:
        subprocess.run(["git", "add", "-A"], cwd=tmp_path, env=env, check=True)
        return subprocess.run(["git", "commit", "-m", message], cwd=tmp_path, env=env, capture_output=True, text=True)

    good = commit("acme")
    path = tmp_path / "applications" / "acme-data-engineer.md"
    path.write_text(path.read_text().replace("\nPENDING\n", "\nAPPLID\n"))
    bad = commit("typo")

    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout + good.stderr
    assert bad.returncode == 1
    assert "JT401 unknown status `APPLID`" in bad.stdout + bad.stderr


def test_dir_that_is_a_file_is_an_error(tmp_path: Path, run_cli) -> None:
    (tmp_path / "file").write_text("x")
    result = run_cli(tmp_path, "init", "file")
    assert result.status == 1 and "is a file" in result.err


def test_a_file_where_a_folder_goes_is_an_error_not_a_crash(tmp_path: Path, run_cli) -> None:
    (tmp_path / "applications").write_text("not a folder\n")
    (tmp_path / "taken").write_text("")

    in_the_way = run_cli(tmp_path, "init")
    below_a_file = run_cli(tmp_path, "init", "taken/search")

    assert in_the_way.status == 1 and "applications: cannot make the folder" in in_the_way.err
    assert below_a_file.status == 1 and "taken/search: cannot make the folder" in below_a_file.err
    assert (tmp_path / "applications").read_text() == "not a folder\n"


def test_without_git_every_command_says_to_install_it(tmp_path: Path, repo: Repo, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))

    for cwd, argv in ((tmp_path, ("init", "search")), (repo.root, ("history",)), (repo.root, ("index",))):
        result = run_cli(cwd, *argv)
        assert (result.status, result.err) == (
            1,
            "jobtrail: error: git is not installed or not on PATH: install git first\n",
        )


def listing(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


@pytest.mark.parametrize(
    ("kind", "where"), [("bare", "jobs"), ("bare", "hooks/jobs"), ("bare", "."), ("git", ".git/jobs")]
)
def test_init_in_a_bare_repository_or_a_git_folder_writes_nothing(
    tmp_path: Path, run_cli, kind: str, where: str
) -> None:
    root = tmp_path / "repo"
    git(tmp_path, "init", "-q", *(["--bare"] if kind == "bare" else []), str(root))
    before = listing(root)

    result = run_cli(root, "init", where)

    assert result.status == 1
    assert "bare repository or a git folder" in result.err and "nothing was changed" in result.err
    assert listing(root) == before


def test_jobtrails_temporary_files_are_ignored_by_git(tmp_path: Path, run_cli) -> None:
    target = tmp_path / "search"
    (target).mkdir()
    (target / ".gitignore").write_bytes(b"*.log")  # the user's, without a final newline
    assert run_cli(tmp_path, "init", "search").status == 0
    assert (target / ".gitignore").read_bytes() == b"*.log\n# added by jobtrail init\n.*.tmp\n"
    # What a writer killed before its rename leaves (files.write_atomic's names).
    (target / ".INDEX.md.k2j4h1.tmp").write_bytes(b"half")
    (target / "applications" / ".acme.md.x9y8z7.tmp").write_bytes(b"half")
    (target / "applications" / "acme.md").write_bytes(b"kept")

    git(target, "add", "-A")

    staged = git(target, "diff", "--cached", "--name-only").split()
    assert "applications/acme.md" in staged
    assert not [name for name in staged if name.endswith(".tmp")], staged


def test_this_repository_ignores_jobtrails_temporary_files() -> None:
    for name in (".INDEX.md.k2j4h1.tmp", ".HISTORY.md.a.tmp", "applications/.reddit.md.x9y8z7.tmp"):
        done = subprocess.run(["git", "check-ignore", "-q", "--no-index", name], cwd=PROJECT)
        assert done.returncode == 0, name


def commit_refused_for_a_typo(root: Path, run_cli) -> subprocess.CompletedProcess[str]:
    """A new application with an unknown status, committed: jobtrail's pre-commit hook must stop it."""
    assert run_cli(root, "new", "Acme", "Data Engineer").status == 0
    path = root / "applications" / "acme-data-engineer.md"
    path.write_text(path.read_text().replace("\nPENDING\n", "\nAPPLID\n"))
    git(root, "add", "-A")
    return subprocess.run(["git", "commit", "-m", "typo"], cwd=root, capture_output=True, text=True)


def test_init_in_a_linked_worktree_installs_the_hooks_git_runs_there(tmp_path: Path, run_cli) -> None:
    main = tmp_path / "main"
    git(tmp_path, "init", "-q", "-b", "main", str(main))
    git(main, "commit", "-q", "--allow-empty", "-m", "start")
    linked = tmp_path / "linked"
    git(main, "worktree", "add", "-q", str(linked))

    result = run_cli(linked, "init")

    assert result.status == 0, result.err
    assert "kept     .git" in result.out and (linked / ".git").is_file()  # still the worktree's pointer
    for hook in HOOKS:  # a linked worktree runs the hooks of the common git dir
        assert (main / ".git" / "hooks" / hook).is_file(), hook
    refused = commit_refused_for_a_typo(linked, run_cli)
    assert refused.returncode == 1 and "JT401 unknown status `APPLID`" in refused.stdout + refused.stderr


def test_init_in_a_submodule_installs_the_hooks_in_its_own_git_dir(tmp_path: Path, run_cli) -> None:
    inner = tmp_path / "inner"
    outer = tmp_path / "outer"
    for folder in (inner, outer):
        git(tmp_path, "init", "-q", "-b", "main", str(folder))
        git(folder, "commit", "-q", "--allow-empty", "-m", "start")
    git(outer, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "jobs")
    jobs = outer / "jobs"

    result = run_cli(jobs, "init")

    assert result.status == 0, result.err
    assert "kept     .git" in result.out and (jobs / ".git").is_file()
    for hook in HOOKS:
        assert (outer / ".git" / "modules" / "jobs" / "hooks" / hook).is_file(), hook
        assert not (outer / ".git" / "hooks" / hook).exists(), hook  # the parent's commits are not jobtrail's
    refused = commit_refused_for_a_typo(jobs, run_cli)
    assert refused.returncode == 1 and "JT401 unknown status `APPLID`" in refused.stdout + refused.stderr


@pytest.mark.parametrize(
    "argv",
    [["check"], ["history"], ["index"], ["index", "--hook", "pre-commit"], ["index", "--hook", "post-commit"]],
    ids=" ".join,
)
def test_the_commands_on_every_commit_never_import_gitpython(repo: Repo, argv: list[str]) -> None:
    """`import git` alone costs about 0.1 s, the whole budget of a warm `history`: only `init` may pay it
    (and msgspec is the pre-commit hook's alone: docs/development.md)."""
    repo.commit("add", date="2026-08-01T09:00:00+00:00")
    code = (
        "import sys; from jobtrail.cli import main; status = main(sys.argv[1:]);\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'git', 'msgspec'})); sys.exit(status)"
    )
    done = subprocess.run([sys.executable, "-c", code, *argv], cwd=repo.root, capture_output=True, text=True)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    hooks_own = ["msgspec"] if argv[-1] == "pre-commit" else []  # it reads the memo of the parent's rows
    assert done.stdout.strip().splitlines()[-1] == str(hooks_own), done.stdout


def test_init_is_where_gitpython_is_imported(tmp_path: Path) -> None:
    """The rule above is no accident of an unused dependency: `init` does import it."""
    code = (
        "import sys; from jobtrail.cli import main; status = main(['init']);\n"
        "print('git' in sys.modules); sys.exit(status)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True"
