"""What `jobtrail init` writes into a new applications repository: pure text, one function per file."""

from __future__ import annotations

from .config import DEFAULT_ACTIVE, DEFAULT_CLOSED, DEFAULT_FOLLOW_UP_DAYS

GENERATED_FILES = ("INDEX.md", "HISTORY.md")
MERGE_DRIVER = "jobtrail-generated"
HOOK_TYPES = ("pre-commit", "pre-merge-commit")  # through pre-commit (it stashes unstaged changes)
# Plain git hooks jobtrail installs itself: through pre-commit each would print a line of its own.
GIT_HOOKS = ("post-commit", "post-merge", "post-rewrite", "post-checkout")
HOOK_MARK = "# jobtrail git hook"
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

# Days in a status before a follow-up is due (counted from the last `followed_up`
# when that is later); the agenda lists it.
follow_up_days = {{ {follow_up} }}
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
    return f"""\
# Written by `jobtrail init`. The hook runs jobtrail with the Python that ran
# `jobtrail init` in this repository (git config {PYTHON_SETTING}), else the
# `jobtrail` on PATH. Run `jobtrail init` again after moving jobtrail.
# One hook: it checks the applications a commit changes and puts fresh INDEX.md
# and HISTORY.md into the commit (the commit goes through on the first try).
default_install_hook_types: [{", ".join(HOOK_TYPES)}]
repos:
  - repo: local
    hooks:
      - id: jobtrail-index
        name: jobtrail
        entry: {_runner("index --hook")}
        language: system
        pass_filenames: false
        always_run: true
        require_serial: true
        stages: [{", ".join(HOOK_TYPES)}]
"""


def git_hook_text(hook: str) -> str:
    """A plain git hook that runs ``jobtrail index --hook HOOK``; it never fails git."""
    skip = '[ "$1" = amend ] && exit 0  # the post-commit hook already did it\n' if hook == "post-rewrite" else ""
    return f"""\
#!/bin/sh
{HOOK_MARK} ({hook}): brings INDEX.md and HISTORY.md in the work tree up to date.
# Installed by `jobtrail init`; quiet when all is well, and it never blocks git.
{skip}p=$(git config --get {PYTHON_SETTING})
if [ -n "$p" ] && [ -x "$p" ]; then
    "$p" -m jobtrail index --hook {hook} >&2
elif command -v jobtrail >/dev/null 2>&1; then
    jobtrail index --hook {hook} >&2
fi
exit 0
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


# A writer killed between writing its temporary file and renaming it leaves `.NAME.RANDOM.tmp`
# beside the file (files.write_atomic): never to be committed by `git add -A`.
GITIGNORE_LINES = (".*.tmp",)


def gitignore_text() -> str:
    return "# Temporary files a killed jobtrail may leave beside the file it was writing.\n" + "".join(
        f"{line}\n" for line in GITIGNORE_LINES
    )


def missing_lines(existing: str, wanted: tuple[str, ...]) -> list[str]:
    present = {line.strip() for line in existing.splitlines()}
    return [line for line in wanted if line not in present]
