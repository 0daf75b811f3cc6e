"""create.py: what `new` and `import` write into the template, byte for byte."""

from __future__ import annotations

import pytest

from jobtrail.create import (
    FillError,
    fill_template,
    replace_section_text,
    set_description,
    set_notes,
    with_front_matter,
)
from jobtrail.parse import parse_bytes
from jobtrail.template import default_template_text

TEMPLATE = default_template_text()


def test_fill_template_sets_each_value_and_nothing_else() -> None:
    data = fill_template(TEMPLATE, {"Company": "Acme", "Position": "Engineer", "Job URL": "https://acme.example/1"})
    expected = (
        TEMPLATE.replace("[Company Name]", "Acme")
        .replace("[Position Title]", "Engineer")
        .replace("[URL to job listing]", "https://acme.example/1")
    )
    assert data == expected.encode()


def test_fill_template_inserts_under_an_empty_section() -> None:
    template = TEMPLATE.replace("[Company Name]\n", "")
    app = parse_bytes("x", fill_template(template, {"Company": "Acme", "Position": "Engineer"}))
    assert (app.company, app.position) == ("Acme", "Engineer")


def test_fill_template_refuses_what_markdown_would_misread() -> None:
    with pytest.raises(FillError, match="would not read back"):
        fill_template(TEMPLATE, {"Company": "# Acme", "Position": "Engineer"})


def test_replace_section_text_keeps_crlf_and_the_next_heading() -> None:
    data = TEMPLATE.replace("\n", "\r\n").encode()
    edited = replace_section_text(data, "Company Details", "one\ntwo")
    assert b"## Company Details\r\none\r\ntwo\r\n\r\n## Application Date\r\n" in edited
    assert edited.replace(b"one\r\ntwo", b"[What the company does, its size, its news]") == data


def test_description_fence_is_longer_than_any_inside() -> None:
    app = parse_bytes("x", set_description(TEMPLATE.encode(), "```\ncode\n```\n## Not a section"))
    assert app.section("Job Description").content[0] == "````"
    assert [h.text for h in app.headings if h.level == 2] == [
        h.text for h in parse_bytes("t", TEMPLATE.encode()).headings if h.level == 2
    ]


def test_notes_plain_unless_a_line_would_be_a_heading() -> None:
    plain = parse_bytes("x", set_notes(TEMPLATE.encode(), "call back Monday\n- bring portfolio"))
    fenced = parse_bytes("x", set_notes(TEMPLATE.encode(), "# prep\nSQL windows"))
    assert plain.section("Notes").content[:2] == ("call back Monday", "- bring portfolio")
    assert fenced.section("Notes").content[:3] == ("```", "# prep", "SQL windows")


def test_front_matter_values_read_back_as_written() -> None:
    values = {"location": "Remote: EU", "salary": "1:1:1", "tags": ["a", "b"], "note": "# not a comment"}
    app = parse_bytes("x", with_front_matter(TEMPLATE.encode(), values))
    assert dict(app.front_matter) == values
    assert app.problems == ()
