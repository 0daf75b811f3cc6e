"""Status words people and trackers use (``Wishlist``, ``Phone screen``, ``Ghosted``, any letter case),
mapped to the workflow. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .config import DEFAULT_ACTIVE, Workflow

# Status words people and trackers use, by the default workflow's status they mean.
STATUS_WORDS: Mapping[str, str] = {
    **dict.fromkeys(
        (
            "wishlist", "wish list", "bookmarked", "bookmark", "saved", "save", "interested", "planning", "plan",
            "to apply", "not applied", "not yet applied", "draft", "prospect", "idea", "researching", "applying",
            "pending", "todo", "to do", "created", "added",
        ),
        "PENDING",
    ),
    **dict.fromkeys(("applied", "application sent", "submitted", "sent", "applied online", "apply"), "APPLIED"),
    **dict.fromkeys(
        (
            "screening", "screen", "phone screen", "recruiter screen", "recruiter call", "phone call", "hr call",
            "hr screen", "assessment", "online assessment", "oa", "take home", "coding test",
        ),
        "SCREENING",
    ),
    **dict.fromkeys(
        (
            "interviewing", "interview", "interviews", "interviewed", "onsite", "on site", "final round",
            "technical interview", "phone interview", "video interview", "second round", "first round",
        ),
        "INTERVIEWING",
    ),
    **dict.fromkeys(("offer", "offered", "offer received", "offers"), "OFFER"),
    **dict.fromkeys(("accepted", "hired", "offer accepted", "accept", "signed"), "ACCEPTED"),
    **dict.fromkeys(("rejected", "rejection", "not selected", "turned down", "denied", "no offer"), "REJECTED"),
    **dict.fromkeys(("withdrawn", "withdrew", "withdraw", "i withdrew"), "WITHDRAWN"),
    **dict.fromkeys(("declined", "offer declined", "i declined", "decline"), "DECLINED"),
    **dict.fromkeys(("ghosted", "no response", "no answer", "no reply", "silence", "unresponsive"), "GHOSTED"),
}  # fmt: skip

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def header_key(text: str) -> str:
    return "".join(words(text))


def in_workflow(status: str, workflow: Workflow) -> str:
    """A default workflow's status as ``workflow`` names it: the first (PENDING) and the sent one
    (APPLIED, ``Workflow.applied``) keep their roles under any name; the others keep their own."""
    if status == DEFAULT_ACTIVE[0]:
        return workflow.initial
    if status == DEFAULT_ACTIVE[1]:
        return workflow.applied
    return status


def status_word(text: str, workflow: Workflow, extra: Mapping[str, str] | None = None) -> str | None:
    """The workflow status a word means (any letter case, spaces or punctuation), or None."""
    phrase = " ".join(words(text))
    if not phrase:
        return None
    for table in (extra or {}, {status.casefold(): status for status in workflow.statuses}, STATUS_WORDS):
        found = table.get(phrase) or table.get(phrase.replace(" ", ""))
        if found is not None and table is STATUS_WORDS:
            found = in_workflow(found, workflow)
        if found is not None and found in workflow.statuses:
            return found
    return None
