"""`jobtrail history [APP] [--json]`: status history read from the git commits."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import JobtrailError
from ..files import repo_relative
from ..gitlog import read_history
from ..history import ApplicationHistory, RepositoryHistory
from ..repository import open_repository
from ..terminal import plain


def format_text(history: RepositoryHistory) -> str:
    blocks = []
    for app in history.applications:
        title = " - ".join(part for part in (app.company, app.position) if part) or "(no company or position)"
        lines = [plain(f"{app.path}: {title}")]  # an escape sequence in a file never reaches the terminal
        for change in app.changes:
            commit = change.commit[:10] if change.commit else "uncommitted"
            lines.append(f"  {change.date.isoformat()}  {plain(change.status):<13} {commit}")
        if not app.changes:
            lines.append("  (no status recorded yet)")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _only(history: RepositoryHistory, wanted: ApplicationHistory | None) -> RepositoryHistory:
    if wanted is None:
        return history
    return RepositoryHistory((wanted,), history.shallow, history.notes)


def run(args: argparse.Namespace) -> int:
    repo = open_repository()
    config = repo.config
    wanted_path = None
    if args.app:
        from ..selection import resolve_app  # (and its Unicode folding) only when an APP is named

        wanted_path = repo_relative(resolve_app(config, args.app), repo.root)
    history = read_history(repo)
    wanted = next((app for app in history.applications if app.path == wanted_path), None)
    if wanted_path is not None and wanted is None:
        raise JobtrailError(
            f"{wanted_path}: not an application: history covers the files in {config.applications_dir}/"
        )
    history = _only(history, wanted)
    if args.json:
        # Pretty for a person; compact (and much faster to write) for a program.
        print(json.dumps(history.as_json(), indent=2 if sys.stdout.isatty() else None, ensure_ascii=False))
    else:
        text = format_text(history)
        if text:
            print(text)
    for note in history.notes:
        print(f"jobtrail: note: {note}", file=sys.stderr)
    return 0
