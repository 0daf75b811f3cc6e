"""statuswords.py: status words in any letter case, mapped to the workflow."""

from __future__ import annotations

import pytest

from jobtrail.config import Workflow
from jobtrail.statuswords import status_word

WORKFLOW = Workflow()


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Applied", "APPLIED"),
        ("applied", "APPLIED"),
        ("Interviewing", "INTERVIEWING"),
        ("INTERVIEW", "INTERVIEWING"),
        ("Wishlist", "PENDING"),
        ("wish-list", "PENDING"),
        ("Bookmarked", "PENDING"),
        ("Ghosted", "GHOSTED"),
        ("No response", "GHOSTED"),
        ("Phone Screen", "SCREENING"),
        ("Offer", "OFFER"),
        ("Withdrew", "WITHDRAWN"),
        ("declined", "DECLINED"),
        ("rejected", "REJECTED"),
        ("Limbo", None),
        ("", None),
    ],
)
def test_status_words_any_case(word: str, status: str | None) -> None:
    assert status_word(word, WORKFLOW) == status


def test_a_status_word_the_workflow_lacks_is_unknown() -> None:
    assert status_word("ghosted", Workflow(active=("NEW", "SENT"), closed=("NO",))) is None
    assert status_word("sent", Workflow(active=("NEW", "SENT"), closed=("NO",))) == "SENT"
