"""Which application a person means: a path, a file stem, or a unique prefix of a stem."""

from __future__ import annotations

import os

from .config import Config
from .errors import JobtrailError
from .files import application_paths


def resolve_app(config: Config, app: str) -> str:
    """The absolute path of the application ``app`` names; a clear error when none or several match."""
    paths = application_paths(config.applications_path)
    as_path = os.path.abspath(app)
    if os.path.isfile(as_path):
        return as_path
    stems = {os.path.splitext(os.path.basename(path))[0]: path for path in paths}
    wanted = os.path.splitext(os.path.basename(app))[0]
    if wanted in stems:
        return stems[wanted]
    matches = sorted(stem for stem in stems if stem.startswith(wanted))
    if len(matches) == 1:
        return stems[matches[0]]
    if not matches:
        raise JobtrailError(
            f"no application matches `{app}`: give a path, a file name or the start of one (see `jobtrail list`)"
        )
    shown = ", ".join(matches[:8]) + (", ..." if len(matches) > 8 else "")
    raise JobtrailError(f"`{app}` matches {len(matches)} applications ({shown}): type more of the name")
