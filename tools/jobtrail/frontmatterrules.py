"""The rule on the front matter's keys: dates, interviews, the next action, tags and text fields."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .agenda import interview_of
from .model import Application
from .parse import iso_date
from .problem import Problem, error, quoted

if TYPE_CHECKING:
    from .rules import CheckContext  # the registry imports this module: types only

FM_TYPE = "JT204"
DATE_FIELDS = ("follow_up", "followed_up", "deadline")
TEXT_FIELDS = ("location", "source", "resume")
STRING_LIST_FIELDS = ("tags",)


def _front_matter_line(app: Application, key: str) -> int:
    for index in range(1, max(app.front_matter_end - 1, 1)):
        if app.lines[index].startswith(f"{key}:") or app.lines[index].startswith(f'"{key}":'):
            return index + 1
    return 1


def front_matter_fields(app: Application, context: CheckContext) -> Iterator[Problem]:
    metadata = app.front_matter
    for key in DATE_FIELDS:
        if key in metadata and metadata[key] is not None and iso_date(metadata[key]) is None:
            yield error(
                app.path,
                _front_matter_line(app, key),
                FM_TYPE,
                f"front matter `{key}` must be a date written YYYY-MM-DD",
            )
    interviews = metadata.get("interviews")
    if interviews is not None:
        unread = [item for item in interviews if interview_of(item) is None] if isinstance(interviews, list) else []
        if unread or not isinstance(interviews, list):
            first = unread[0] if unread else None
            shown = ", ".join(f"{k}: {v}" for k, v in first.items()) if isinstance(first, dict) else str(first)
            which = f" (`{quoted(shown)}` is not one)" if unread else ""
            yield error(
                app.path,
                _front_matter_line(app, "interviews"),
                FM_TYPE,
                "front matter `interviews` must be a list of `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` dates"
                f" (or of mappings with `date`, `time`, `with`, `kind`){which}",
            )
    action = metadata.get("next_action")
    if action is not None and not isinstance(action, str) and iso_date(action) is None:
        yield error(
            app.path, _front_matter_line(app, "next_action"), FM_TYPE, "front matter `next_action` must be text"
        )
    for key in STRING_LIST_FIELDS:
        if key in metadata and metadata[key] is not None:
            items = metadata[key]
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                yield error(
                    app.path,
                    _front_matter_line(app, key),
                    FM_TYPE,
                    f"front matter `{key}` must be a list of words, such as [ml, remote]",
                )
    for key in TEXT_FIELDS:
        if key in metadata and metadata[key] is not None and not isinstance(metadata[key], str):
            yield error(app.path, _front_matter_line(app, key), FM_TYPE, f"front matter `{key}` must be text")
