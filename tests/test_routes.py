"""The two ways in, each tried from an empty folder as a new user would, and what stops them.

The template route: clone this repository, `make run`, `jobtrail` on PATH, a
first application, a commit. The private-repository route: `pip install` from
a clone, `jobtrail init ~/jobs`, the hooks working there, and the
`.pre-commit-hooks.yaml` snippet of docs/generated-files.md with a real `rev:`.
These build real virtual environments (about half a minute each).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, git

BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)


def plain_env(home: Path) -> dict[str, str]:
    """A new user's shell: no jobtrail on PATH, no activated environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JOBTRAIL_", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if os.path.isdir(p))
    env["HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    return env


def sh(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", script], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900
    )


def clone_project(tmp_path: Path) -> Path:
    clone = tmp_path / "jobtrail"
    git(tmp_path, "clone", "-q", str(PROJECT), str(clone))
    return clone


def test_template_route_make_run_then_jobtrail_new_and_a_first_commit(tmp_path: Path) -> None:
    assert not any(tmp_path.iterdir())
    clone = clone_project(tmp_path)
    env = plain_env(tmp_path)

    run = sh(f"make run PYTHON={BASE_PYTHON}", clone, env)
    assert run.returncode == 0, run.stdout
    assert "`. .venv/bin/activate` puts it on PATH" in run.stdout

    first = sh(
        '. .venv/bin/activate && command -v jobtrail && jobtrail new Acme "Data Engineer"'
        ' && git add -A && git commit -qm "Acme: data engineer"',
        clone,
        env,
    )

    assert first.returncode == 0, first.stdout
    assert first.stdout.splitlines()[0] == str(clone / ".venv" / "bin" / "jobtrail")
    assert "Failed" not in first.stdout
    assert "Acme" in git(clone, "show", "HEAD:INDEX.md")
    assert git(clone, "status", "--porcelain") == ""


def test_make_run_stops_before_writing_when_core_hookspath_is_set(tmp_path: Path) -> None:
    clone = clone_project(tmp_path)
    git(clone, "config", "core.hooksPath", ".husky")

    run = sh(f"make run PYTHON={BASE_PYTHON}", clone, plain_env(tmp_path))

    assert run.returncode != 0
    assert "core.hooksPath is set to .husky" in run.stdout and "git config --unset core.hooksPath" in run.stdout
    assert not (clone / ".venv").exists() and not (clone / ".git" / "hooks" / "pre-commit").exists()


def test_private_repository_route_pip_install_then_init_and_the_hooks_snippet(tmp_path: Path) -> None:
    clone = clone_project(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = plain_env(home)
    installed = sh(f"{BASE_PYTHON} -m venv {tmp_path}/env && {tmp_path}/env/bin/pip install -q {clone}", tmp_path, env)
    assert installed.returncode == 0, installed.stdout

    init = sh(f"{tmp_path}/env/bin/jobtrail init ~/jobs", tmp_path, env)
    assert init.returncode == 0, init.stdout
    jobs = home / "jobs"
    made = sh(
        f'{tmp_path}/env/bin/jobtrail new Acme "Data Engineer" && git add -A && git commit -qm "Acme"', jobs, env
    )  # the hooks run without jobtrail on PATH: git config jobtrail.python

    assert made.returncode == 0, made.stdout
    assert "Failed" not in made.stdout and "Acme" in git(jobs, "show", "HEAD:INDEX.md")
    assert git(jobs, "status", "--porcelain") == ""

    # The snippet, pointed at the clone and a rev that exists there (a tag or a commit sha).
    reference = (PROJECT / "docs" / "generated-files.md").read_text(encoding="utf-8")
    snippet = yaml.safe_load(re.search(r"```yaml\n(.*?)```", reference, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert snippet["repos"][0]["rev"] == f"v{__import__('jobtrail').__version__}"
    snippet["repos"][0]["repo"] = str(clone)
    snippet["repos"][0]["rev"] = git(clone, "rev-parse", "HEAD").strip()
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    (other / "applications").mkdir()
    (other / ".pre-commit-config.yaml").write_text(yaml.safe_dump(snippet), encoding="utf-8")
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    hooked = sh(
        f"{tmp_path}/env/bin/python -m pre_commit install && cp {jobs}/applications/acme-data-engineer.md applications/"
        " && git add -A && git commit -qm acme",
        other,
        env,
    )

    assert hooked.returncode == 0, hooked.stdout
    assert "jobtrail....." in hooked.stdout and "Failed" not in hooked.stdout
    assert "Acme" in git(other, "show", "HEAD:INDEX.md")


@pytest.mark.parametrize("obstacle", ["bare", "hooks-path", "foreign-hook"])
def test_init_checks_every_precondition_before_writing_anything(tmp_path: Path, run_cli, obstacle: str) -> None:
    target = tmp_path / "jobs"
    if obstacle == "bare":
        git(tmp_path, "init", "-q", "--bare", str(target))
    else:
        git(tmp_path, "init", "-q", str(target))
    if obstacle == "hooks-path":
        git(target, "config", "core.hooksPath", ".husky")
    if obstacle == "foreign-hook":
        hook = target / ".git" / "hooks" / "post-commit"
        hook.write_text("#!/bin/sh\necho mine\n")
    before = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))

    result = run_cli(tmp_path, "init", "jobs")

    assert result.status == 1
    assert "nothing was changed" in result.err
    expected = {"bare": "bare repository", "hooks-path": "core.hooksPath", "foreign-hook": "post-commit"}[obstacle]
    assert expected in result.err
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*")) == before
