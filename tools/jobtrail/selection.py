"""Which application a person means: a path, a file stem, or a unique prefix of a stem."""

from __future__ import annotations

import os

from .config import Config
from .errors import JobtrailError
from .files import application_paths, repo_relative
from .slug import fold

_SHOWN_CANDIDATES = 8


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def _listing(paths: list[str], root: str) -> str:
    shown = [repo_relative(path, root) for path in paths[:_SHOWN_CANDIDATES]]
    more = len(paths) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _as_path(root: str, applications: str, app: str) -> str | None:
    """``app`` as an existing file: relative to the current folder, the repository root or the
    applications folder (``2026-11/acme``, ``.md`` optional, names one in a sub-folder)."""
    below = os.path.join(applications, app if app.endswith(".md") else app + ".md")
    for candidate in (os.path.abspath(app), os.path.join(root, app), below):
        if os.path.isfile(candidate):
            return os.path.abspath(candidate)
    return None


def resolve_app(config: Config, app: str) -> str:
    """The absolute path of the application file that ``app`` names.

    In order: an existing file (relative to the current folder or the root);
    a stem (``reddit-senior-machine-learning-engineer-safety``, ``.md`` optional);
    the one stem that starts with ``app`` (letter case and accents ignored: ``grüne`` finds ``grune-...``). Raises a
    JobtrailError (exit 1) naming the candidates when there is none or more than one.
    """
    root = config.root
    found = _as_path(root, config.applications_path, app)
    if found is not None:
        return found
    every = application_paths(config.applications_path)
    if not every:
        raise JobtrailError(f"no applications in {config.applications_dir}/ yet: create one with `jobtrail new`")
    wanted = app.removesuffix(".md")
    if "/" in wanted or os.sep in wanted:
        raise JobtrailError(f"{app}: no such file: check the path, or give just the name, such as `{_stem(every[0])}`")
    exact = [path for path in every if _stem(path) == wanted]
    if len(exact) == 1:
        return os.path.abspath(exact[0])
    if exact:  # the same name in two sub-folders
        raise JobtrailError(f"`{app}` names {len(exact)} applications: {_listing(exact, root)}: give the path")
    query = fold(wanted)
    matches = [path for path in every if fold(_stem(path)).startswith(query)]
    if len(matches) == 1:
        return os.path.abspath(matches[0])
    # `grüne` names `grune.md` even beside `grune-energie-analyst.md`, as `grune` would.
    same = [path for path in matches if fold(_stem(path)) == query]
    if len(same) == 1:
        return os.path.abspath(same[0])
    if matches:
        raise JobtrailError(
            f"`{app}` matches {len(matches)} applications: {_listing(matches, root)}: type more of the name"
        )
    import difflib

    close = difflib.get_close_matches(query, [_stem(path) for path in every], n=3, cutoff=0.6)
    if close:
        suggestion = f"did you mean {' or '.join(f'`{name}`' for name in close)}?"
    else:
        suggestion = f"known: {_listing(every, root)}"
    raise JobtrailError(f"no application matches `{app}`: {suggestion} (`jobtrail list` shows them all)")
