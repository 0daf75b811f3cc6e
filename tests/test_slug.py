"""File names from company and position."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobtrail.slug import fold, slugify

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("Reddit", "Senior Machine Learning Engineer, Safety"), "reddit-senior-machine-learning-engineer-safety"),
        (("Café Zürich", "Señor Dev"), "cafe-zurich-senor-dev"),
        (("  AT&T ", "C++ / Go -- backend"), "at-t-c-go-backend"),
        (("=cmd()", "<script>"), "cmd-script"),
        (("日本", "会社"), ""),
        (("a" * 100,), "a" * 80),
        (("word " * 30,), ("word-" * 16).rstrip("-")),
    ],
)
def test_slugify(parts: tuple[str, ...], expected: str) -> None:
    assert slugify(*parts) == expected


@given(st.text(), st.text())
def test_slug_is_always_a_valid_file_name_or_empty(company: str, position: str) -> None:
    slug = slugify(company, position)
    assert slug == "" or (SLUG.match(slug) and len(slug) <= 80)


def test_fold_drops_accents_and_case_but_keeps_other_scripts() -> None:
    assert fold("Grüne Énergie") == "grune energie"
    assert fold("Zoe\u0308") == fold("Zoë") == "zoe"
    assert fold("東京") == "東京"
