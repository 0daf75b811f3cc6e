"""Configuration: the workflow, the template and a few thresholds.

Read from ``jobtrail.toml`` at the repository root (top-level keys) or, when
that file is absent, from ``[tool.jobtrail]`` in ``pyproject.toml``. With
neither, the built-in defaults apply.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from .errors import JobtrailError
from .template import Template, default_template_text, template_from_text

DEFAULT_ACTIVE = ("PENDING", "APPLIED", "SCREENING", "INTERVIEWING", "OFFER")
DEFAULT_CLOSED = ("ACCEPTED", "REJECTED", "WITHDRAWN", "DECLINED", "GHOSTED")
DEFAULT_FOLLOW_UP_DAYS = {"APPLIED": 7, "SCREENING": 5, "INTERVIEWING": 4, "OFFER": 2}
DEFAULT_TEMPLATE_FILE = "template.md"
MAX_DAYS = 36_500  # a hundred years: any more and date arithmetic overflows
MAX_FILE_BYTES = 1 << 30
_STATUS_WORD = re.compile(r"[A-Z][A-Z0-9_-]*")  # fullmatch: `$` would let "APPLIED\n" through

_DEFAULT_FOLLOW_UP: Mapping[str, int] = DEFAULT_FOLLOW_UP_DAYS


class Workflow(NamedTuple):
    active: tuple[str, ...] = DEFAULT_ACTIVE
    closed: tuple[str, ...] = DEFAULT_CLOSED

    @property
    def statuses(self) -> tuple[str, ...]:
        return self.active + self.closed

    @property
    def initial(self) -> str:
        return self.active[0]

    def is_closed(self, status: str) -> bool:
        return status in self.closed

    @property
    def applied(self) -> str:
        """The status that says the application went out: the second active one (APPLIED by default).

        Its change takes the Application Date; stats count from it. A workflow of one
        active status has none past the first: then it is that one, and nothing is sent.
        """
        return self.active[1] if len(self.active) > 1 else self.active[0]

    def is_sent(self, status: str) -> bool:
        """An active status past the first: the application has gone out, so it has a date and a listing.

        Not a closed one: an application can close (WITHDRAWN, REJECTED, ...) without ever being sent.
        """
        return status in self.active and status != self.initial


class Config(NamedTuple):
    root: str
    template: Template
    template_path: str | None = None
    source: str | None = None
    applications_dir: str = "applications"
    workflow: Workflow = Workflow()
    follow_up_days: Mapping[str, int] = _DEFAULT_FOLLOW_UP
    quiet_days: int = 21
    max_file_bytes: int = 1_000_000

    @property
    def applications_path(self) -> str:
        return os.path.join(self.root, self.applications_dir)


def _read_toml(path: str) -> dict[str, Any]:
    import tomllib  # only repositories with a configuration file pay for it

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise JobtrailError(f"{path}: invalid TOML ({exc}); fix the file or remove it") from None
    except OSError as exc:
        raise JobtrailError(f"{path}: cannot read ({exc.strerror})") from None


def _mentions_jobtrail(path: str) -> bool:
    """A cheap look before parsing TOML: most pyproject.toml files have no jobtrail table."""
    try:
        with open(path, "rb") as handle:
            return b"[tool.jobtrail" in handle.read()
    except OSError:
        return False


def _settings(root: str) -> tuple[dict[str, Any], str | None]:
    own = os.path.join(root, "jobtrail.toml")
    if os.path.isfile(own):
        return _read_toml(own), "jobtrail.toml"
    pyproject = os.path.join(root, "pyproject.toml")
    if os.path.isfile(pyproject) and _mentions_jobtrail(pyproject):
        tool = _read_toml(pyproject).get("tool", {})
        if isinstance(tool, dict) and isinstance(tool.get("jobtrail"), dict):
            return tool["jobtrail"], "pyproject.toml [tool.jobtrail]"
    return {}, None


def _status_list(settings: dict[str, Any], key: str, default: tuple[str, ...], where: str) -> tuple[str, ...]:
    value = settings.get(key, list(default))
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(item, str) and _STATUS_WORD.fullmatch(item) for item in value)
    ):
        raise JobtrailError(
            f"{where}: `{key}` must be a non-empty list of upper-case status words, such as {list(default)[:2]}"
        )
    return tuple(value)


def _is_count(value: object, most: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= most


def _int(settings: dict[str, Any], key: str, default: int, where: str, unit: str = "days", most: int = MAX_DAYS) -> int:
    value = settings.get(key, default)
    if not _is_count(value, most):
        raise JobtrailError(f"{where}: `{key}` must be a whole number of {unit} from 0 to {most:,}")
    return int(value)


def _inside_repository(root: str, relative: str, what: str) -> None:
    """Refuse ``relative`` when a symlink takes it out of the repository: `new` and `status` would
    write there, and a template pointing at a private file would be copied into applications."""
    path = os.path.join(root, relative)
    if not os.path.lexists(path):
        return
    real, top = os.path.realpath(path), os.path.realpath(root)
    if os.path.commonpath([real, top]) != top:
        raise JobtrailError(
            f"{relative}: {what} is a symbolic link out of the repository (to {real}):"
            " replace it with the folder or file itself"
        )


def load_config(root: str) -> Config:
    settings, where = _settings(root)
    where = where or "configuration"
    active = _status_list(settings, "active", DEFAULT_ACTIVE, where)
    closed = _status_list(settings, "closed", DEFAULT_CLOSED, where)
    if set(active) & set(closed):
        raise JobtrailError(f"{where}: a status cannot be both active and closed: {sorted(set(active) & set(closed))}")
    follow_up = settings.get("follow_up_days", DEFAULT_FOLLOW_UP_DAYS)
    if not isinstance(follow_up, dict) or not all(_is_count(days, MAX_DAYS) for days in follow_up.values()):
        raise JobtrailError(
            f"{where}: `follow_up_days` must map statuses to whole numbers of days"
            f" from 0 to {MAX_DAYS:,}, such as {{APPLIED = 7}}"
        )
    applications_dir = settings.get("applications", "applications")
    template_setting = settings.get("template", DEFAULT_TEMPLATE_FILE)
    for key, value in (("applications", applications_dir), ("template", template_setting)):
        if not isinstance(value, str) or os.path.isabs(value) or ".." in value.replace("\\", "/").split("/"):
            raise JobtrailError(f"{where}: `{key}` must be a path inside the repository")
    # One spelling of the folder (`./applications/` is `applications`): git reports paths that way.
    applications_dir = posixpath.normpath(applications_dir.replace("\\", "/"))
    if applications_dir == ".":
        raise JobtrailError(f'{where}: `applications` must name a folder below the top, such as "applications"')
    template_path = os.path.join(root, template_setting)
    _inside_repository(root, applications_dir, "the applications folder")
    _inside_repository(root, template_setting, "the template")
    if os.path.isfile(template_path):
        try:
            with open(template_path, encoding="utf-8-sig", newline="") as handle:  # its line endings, as written
                template = template_from_text(handle.read())
        except (OSError, UnicodeDecodeError) as exc:
            raise JobtrailError(
                f"{template_setting}: cannot read the template ({exc}); fix it or delete it to use the built-in one"
            ) from None
        if not template.sections:
            raise JobtrailError(
                f"{template_setting}: the template has no `## ` sections; add them or delete it to use the built-in one"
            )
        relative_template: str | None = template_setting
    else:
        if "template" in settings:
            raise JobtrailError(f"{where}: the template `{template_setting}` does not exist")
        template = template_from_text(default_template_text())
        relative_template = None
    return Config(
        root=root,
        template=template,
        template_path=relative_template,
        source=where if where != "configuration" else None,
        applications_dir=applications_dir,
        workflow=Workflow(active, closed),
        follow_up_days={str(status): int(days) for status, days in follow_up.items()},
        quiet_days=_int(settings, "quiet_days", 21, where),
        max_file_bytes=_int(settings, "max_file_bytes", 1_000_000, where, "bytes", MAX_FILE_BYTES),
    )
