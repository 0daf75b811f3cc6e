"""`jobtrail init [DIR]`: make DIR (default: here) a jobtrail applications repository.

Safe to run again: a file that exists is kept as it is (``.gitattributes`` only
gains the lines jobtrail needs, at its end); git hooks are (re)installed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from ..config import load_config
from ..errors import JobtrailError
from ..files import create_exclusive, write_atomic
from ..git import run as run_git
from ..scaffold import (
    HOOK_TYPES,
    PYTHON_SETTING,
    config_text,
    gitattributes_lines,
    gitattributes_text,
    missing_lines,
    pre_commit_config,
)
from ..template import default_template_text


def _create(target: str, name: str, text: str) -> str:
    try:
        create_exclusive(os.path.join(target, name), text.encode("utf-8"))
    except FileExistsError:
        return f"kept     {name} (it exists)"
    except OSError as exc:
        raise JobtrailError(f"{name}: cannot create ({exc.strerror})") from None
    return f"created  {name}"


def _gitattributes(target: str, applications_dir: str) -> str:
    path = os.path.join(target, ".gitattributes")
    if not os.path.exists(path):
        return _create(target, ".gitattributes", gitattributes_text(applications_dir))
    with open(path, "rb") as handle:
        data = handle.read()
    missing = missing_lines(data.decode("utf-8", "replace"), gitattributes_lines(applications_dir))
    if not missing:
        return "kept     .gitattributes (it has jobtrail's lines)"
    eol = b"\r\n" if b"\r\n" in data else b"\n"
    ending = b"" if not data or data.endswith((b"\n", b"\r")) else eol
    added = eol.join(line.encode("utf-8") for line in ["# added by jobtrail init", *missing]) + eol
    write_atomic(path, data + ending + added)
    return f"updated  .gitattributes (added {', '.join(missing)})"


def _make_folder(path: str, shown: str) -> None:
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise JobtrailError(f"{shown}: cannot make the folder ({exc.strerror}): move what is in the way") from None


def _install_hooks(target: str) -> str:
    types = [arg for hook in HOOK_TYPES for arg in ("-t", hook)]
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", *types], cwd=target, capture_output=True, text=True
    )
    if done.returncode != 0:
        message = (done.stdout + done.stderr).strip().splitlines()
        raise JobtrailError(f"pre-commit could not install the git hooks: {message[-1] if message else 'no message'}")
    return f"hooks    {', '.join(HOOK_TYPES)}"


def run(args: argparse.Namespace) -> int:
    target = os.path.abspath(args.dir or ".")
    if os.path.exists(target) and not os.path.isdir(target):
        raise JobtrailError(f"{args.dir}: is a file, not a folder")
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
    run_git(target, "config", PYTHON_SETTING, sys.executable)
    report.append(_install_hooks(target))
    for line in report:
        print(line)
    print(f"Ready: {target}. Next: `jobtrail new COMPANY POSITION`, edit the file, commit.")
    return 0
