"""What `jobtrail init` writes into a new applications repository: pure text, one function per file."""

from __future__ import annotations

from .config import DEFAULT_ACTIVE, DEFAULT_CLOSED, DEFAULT_FOLLOW_UP_DAYS

GENERATED_FILES = ("INDEX.md", "HISTORY.md")
MERGE_DRIVER = "jobtrail-generated"
HOOK_TYPES = ("pre-commit", "post-commit", "post-merge", "post-checkout", "post-rewrite")
PYTHON_SETTING = "jobtrail.python"  # git config: the interpreter that ran `jobtrail init` here


def _words(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def config_text() -> str:
    """``jobtrail.toml``: every setting at its default, each explained."""
    follow_up = ", ".join(f"{status} = {days}" for status, days in DEFAULT_FOLLOW_UP_DAYS.items())
    return f"""\
# jobtrail settings for this repository. These are the defaults: change what you need.

# The pipeline, in order. A new application starts in the first status.
active = {_words(DEFAULT_ACTIVE)}
# Where an application ends.
closed = {_words(DEFAULT_CLOSED)}

# The template new applications start from and the checks follow
# (without this file, jobtrail's built-in template applies).
# template = "template.md"

# The folder of application files.
applications = "applications"

# Days in a status before a follow-up is due.
follow_up_days = {{ {follow_up} }}
# An application is "quiet" after this many days without a change.
quiet_days = 21
# Larger files are refused.
max_file_bytes = 1000000
"""


def _runner(command: str) -> str:
    # `language: system` hooks get git's PATH, which often lacks the virtual environment
    # jobtrail lives in: use the interpreter `jobtrail init` recorded, else `jobtrail` on PATH.
    script = (
        f"p=$(git config --get {PYTHON_SETTING}); "
        'if [ -n "$p" ] && [ -x "$p" ]; then exec "$p" -m jobtrail "$@"; fi; '
        'exec jobtrail "$@"'
    )
    return f"sh -c '{script}' jobtrail {command}"


def pre_commit_config(applications_dir: str) -> str:
    folder = applications_dir.strip("/").replace(".", r"\.")
    stages = ", ".join(HOOK_TYPES)
    return f"""\
# Written by `jobtrail init`. The hooks run jobtrail with the Python that ran
# `jobtrail init` in this repository (git config {PYTHON_SETTING}), else the
# `jobtrail` on PATH. Run `jobtrail init` again after moving jobtrail.
repos:
  - repo: local
    hooks:
      - id: jobtrail-check
        name: jobtrail check
        entry: {_runner("check")}
        language: system
        files: ^{folder}/[^/]*\\.md$
        stages: [pre-commit]
      - id: jobtrail-index
        name: jobtrail index
        entry: {_runner("index --hook")}
        language: system
        pass_filenames: false
        always_run: true
        stages: [{stages}]
"""


def gitattributes_lines(applications_dir: str) -> tuple[str, ...]:
    folder = applications_dir.strip("/")
    return (
        f"{folder}/** -text",
        *(f"{name} merge={MERGE_DRIVER}" for name in GENERATED_FILES),
    )


def gitattributes_text(applications_dir: str) -> str:
    lines = gitattributes_lines(applications_dir)
    return (
        "# Application files are kept byte for byte: no line-ending conversion.\n"
        f"{lines[0]}\n"
        "# The generated files never conflict: git keeps one side, the post-merge hook regenerates them.\n"
        + "".join(f"{line}\n" for line in lines[1:])
    )


def missing_lines(existing: str, wanted: tuple[str, ...]) -> list[str]:
    present = {line.strip() for line in existing.splitlines()}
    return [line for line in wanted if line not in present]
