"""`jobtrail init [DIR]`: make DIR (default: here) a jobtrail applications repository.

Safe to run again: a file that exists is kept as it is (``.gitattributes`` only
gains the lines jobtrail needs, at its end); git hooks are (re)installed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from ..config import load_config
from ..errors import JobtrailError
from ..files import create_exclusive, write_atomic
from ..generated import ensure_merge_driver
from ..git import output_or_none
from ..git import run as run_git
from ..repository import repository_at
from ..scaffold import (
    GIT_HOOKS,
    GITIGNORE_LINES,
    HOOK_MARK,
    HOOK_TYPES,
    PYTHON_SETTING,
    config_text,
    git_hook_text,
    gitattributes_lines,
    gitattributes_text,
    gitignore_text,
    missing_lines,
    pre_commit_config,
)
from ..template import default_template_text

if TYPE_CHECKING:
    from git import Repo


def _create(target: str, name: str, text: str) -> str:
    try:
        create_exclusive(os.path.join(target, name), text.encode("utf-8"))
    except FileExistsError:
        return f"kept     {name} (it exists)"
    except OSError as exc:
        raise JobtrailError(f"{name}: cannot create ({exc.strerror})") from None
    return f"created  {name}"


def _gitattributes(target: str, applications_dir: str) -> str:
    return _with_lines(
        target, ".gitattributes", gitattributes_text(applications_dir), gitattributes_lines(applications_dir)
    )


def _with_lines(target: str, name: str, text: str, lines: tuple[str, ...]) -> str:
    """Create ``name`` holding ``text``, or add the ``lines`` it lacks at its end."""
    path = os.path.join(target, name)
    if not os.path.exists(path):
        return _create(target, name, text)
    with open(path, "rb") as handle:
        data = handle.read()
    missing = missing_lines(data.decode("utf-8", "replace"), lines)
    if not missing:
        return f"kept     {name} (it has jobtrail's lines)"
    eol = b"\r\n" if b"\r\n" in data else b"\n"
    ending = b"" if not data or data.endswith((b"\n", b"\r")) else eol
    added = eol.join(line.encode("utf-8") for line in ["# added by jobtrail init", *missing]) + eol
    write_atomic(path, data + ending + added)
    return f"updated  {name} (added {', '.join(missing)})"


def _make_folder(path: str, shown: str) -> None:
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise JobtrailError(f"{shown}: cannot make the folder ({exc.strerror}): move what is in the way") from None


def _repository(folder: str) -> Repo | None:
    """The git repository ``folder`` is in, found as git finds it, or None.

    gitpython follows a linked worktree's or a submodule's ``.git`` file to its
    git dir and the common dir they share, and knows a bare repository and a git
    folder from the inside. Imported here only: ``init`` is not on a hot path.
    """
    from git import InvalidGitRepositoryError, NoSuchPathError
    from git import Repo as GitRepo

    try:
        return GitRepo(folder, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        return None


def _config_value(folder: str, *args: str) -> str | None:
    """``git config ARGS`` as git answers it in ``folder``, or None when it is not set.

    Asked of git, through the one door (``jobtrail.git``), not of gitpython's
    ``config_reader()``: that reader ignores ``GIT_CONFIG_GLOBAL``,
    ``GIT_CONFIG_NOSYSTEM`` and ``git -c``, and could miss a value git obeys.
    """
    out = output_or_none(folder, "config", *args)
    value = out.decode("utf-8", "surrogateescape").strip() if out is not None else ""
    return value or None


def _within(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([path, folder]) == folder


def _hooks_folder(repo: Repo) -> str:
    """Where git looks for hooks: the common dir's (a linked worktree and its main one share them).

    core.hooksPath is refused before this is asked (``_preconditions``).
    """
    return os.path.join(repo.common_dir, "hooks")


def _preconditions(target: str, *, hooks_only: bool) -> str | None:
    """What stops jobtrail from setting up ``target``, checked before anything is written; None when nothing does.

    Returns the hooks folder when ``target`` is already a repository.
    """
    run_git(os.getcwd(), "--version")  # says so when git is missing
    # A folder still to be made is judged by the nearest one that exists: `jobtrail init jobs`
    # inside a bare repository (or inside .git) would put a repository into git's own folder.
    probe = target
    while not os.path.isdir(probe) and os.path.dirname(probe) != probe:
        probe = os.path.dirname(probe)
    found = _repository(probe)
    inside = found is not None and probe == target
    if hooks_only and not inside:
        raise JobtrailError(f"{target} is not a git repository: run `jobtrail init` there first")
    if found is not None and (
        found.bare or any(_within(probe, os.fspath(d)) for d in (found.git_dir, found.common_dir))
    ):
        where = target if probe == target else f"{target} would be inside {probe}, which"
        raise JobtrailError(
            f"{where} is a bare repository or a git folder: jobtrail needs a work tree to keep files in."
            " Clone it (`git clone REPOSITORY jobs`) and run `jobtrail init jobs`; nothing was changed"
        )
    asked = target if inside else os.path.dirname(target) or "."
    hooks_path = _config_value(asked, "--get", "core.hooksPath")
    if hooks_path:
        origin = _config_value(asked, "--show-origin", "--get", "core.hooksPath") or ""
        raise JobtrailError(
            f"git's core.hooksPath is set to {hooks_path} ({origin.split()[0] if origin else 'git config'};"
            " another tool, such as husky, manages the hooks): git would not run jobtrail's. Unset it"
            " (`git config --unset core.hooksPath`, with --global if it is set there) and run this again, or have"
            " that tool run `jobtrail index --hook pre-commit` before a commit and"
            " `jobtrail index --hook post-commit` after one; nothing was changed"
        )
    done = subprocess.run([sys.executable, "-m", "pre_commit", "--version"], capture_output=True, text=True)
    if done.returncode != 0:
        raise JobtrailError(
            f"pre-commit is not installed for {sys.executable}: `{sys.executable} -m pip install pre-commit`"
            " (it comes with jobtrail) and run this again; nothing was changed"
        )
    if found is None or not inside:
        return None
    folder = _hooks_folder(found)
    foreign = [hook for hook in GIT_HOOKS if not _ours_or_pre_commits(os.path.join(folder, hook))]
    if foreign:
        raise JobtrailError(
            f"{folder} already has {', '.join(foreign)} hook(s) of another tool: jobtrail would replace them."
            f" Move them away (or call `jobtrail index --hook HOOK` from them) and run this again;"
            " nothing was changed"
        )
    return folder


def _ours_or_pre_commits(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(65536)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return HOOK_MARK in text or "File generated by pre-commit" in text or text.strip() == ""


def _install_hooks(target: str) -> str:
    types = [arg for hook in HOOK_TYPES for arg in ("-t", hook)]
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", *types], cwd=target, capture_output=True, text=True
    )
    if done.returncode != 0:
        message = (done.stdout + done.stderr).strip()
        raise JobtrailError(f"pre-commit could not install the git hooks:\n{message or 'no message'}")
    repo = _repository(target)
    folder = _hooks_folder(repo) if repo is not None else os.path.join(target, ".git", "hooks")
    for hook in GIT_HOOKS:
        path = os.path.join(folder, hook)
        write_atomic(path, git_hook_text(hook).encode("utf-8"))
        os.chmod(path, 0o755)
    return f"hooks    {', '.join((*HOOK_TYPES, *GIT_HOOKS))}"


def run(args: argparse.Namespace) -> int:
    target = os.path.abspath(args.dir or ".")
    if os.path.exists(target) and not os.path.isdir(target):
        raise JobtrailError(f"{args.dir}: is a file, not a folder")
    _preconditions(target, hooks_only=args.hooks)
    if args.hooks:
        run_git(target, "config", PYTHON_SETTING, sys.executable)
        ensure_merge_driver(repository_at(target))
        print(_install_hooks(target))
        return 0
    _make_folder(target, args.dir or ".")
    report = []
    if os.path.exists(os.path.join(target, ".git")):
        report.append("kept     .git (already a git repository)")
    else:
        run_git(target, "init", "-q")
        report.append("created  .git (git init)")
    report.append(_create(target, "jobtrail.toml", config_text()))
    report.append(_create(target, "template.md", default_template_text()))
    config = load_config(target)
    applications = config.applications_path
    if os.path.isdir(applications):
        report.append(f"kept     {config.applications_dir}/")
    else:
        _make_folder(applications, config.applications_dir)
        # git keeps no empty folders: a placeholder keeps applications/ in a fresh clone.
        create_exclusive(os.path.join(applications, ".gitkeep"), b"")
        report.append(f"created  {config.applications_dir}/")
    report.append(_create(target, ".pre-commit-config.yaml", pre_commit_config(config.applications_dir)))
    report.append(_gitattributes(target, config.applications_dir))
    report.append(_with_lines(target, ".gitignore", gitignore_text(), GITIGNORE_LINES))
    run_git(target, "config", PYTHON_SETTING, sys.executable)
    ensure_merge_driver(repository_at(target, config))
    report.append(_install_hooks(target))
    for line in report:
        print(line)
    print(f"Ready: {target}. Next: `jobtrail new COMPANY POSITION`, edit the file, commit.")
    return 0
