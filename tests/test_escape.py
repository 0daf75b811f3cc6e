"""escape's shortcuts: text and paths it returns as they are come out exactly as the full escaping gives them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jobtrail import escape

# Mostly the characters the shortcut accepts, with every kind it must refuse mixed in.
TEXT = st.text(alphabet=st.sampled_from("aZ09 ,()'+/-\u2014.:@#_*[]|<>&~$`\\\t\n\u00a0\u200bwW"), max_size=24)


@given(TEXT)
def test_inline_is_the_full_escaping(text: str) -> None:
    assert escape.inline(text) == escape._escaped(text)


@given(st.text(alphabet=st.sampled_from("aZ09/_.~-:% ?#é\udcff"), max_size=24))
def test_link_target_is_the_full_encoding(path: str) -> None:
    assert escape.link_target(path) == escape._encoded(path)


def test_plain_names_skip_the_passes() -> None:
    assert escape.inline("Company 00042") == "Company 00042"
    assert escape.inline("Company 00042 — Engineer") == "Company 00042 — Engineer"
    assert escape.inline("www.example.com") == "www\\.example.com"
    assert escape.inline("Lead #") == "Lead \\#"
    assert escape.link_target("applications/company-00042-engineer.md") == "applications/company-00042-engineer.md"
