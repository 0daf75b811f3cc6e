"""The parser: line numbers, line endings, front matter, and the quick status reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import reddit_text
from jobtrail.parse import parse_bytes, parse_text, read_fields, status_facts

GOLDEN = Path(__file__).parent / "golden" / "parse"


def summary(data: bytes) -> dict[str, object]:
    app = parse_bytes("x.md", data)
    return {
        "title": app.title.text if app.title else None,
        "sections": [
            [s.heading.text, s.heading.line, [[sub.heading.text, sub.heading.line] for sub in s.subsections]]
            for s in app.sections
        ],
        "company": app.company,
        "position": app.position,
        "status": [app.status_value.text, app.status_value.line, app.status_value.column] if app.status_value else None,
        "front_matter_end": app.front_matter_end,
        "front_matter": {key: str(value) for key, value in app.front_matter.items()},
        "problems": [[p.code, p.line] for p in app.problems],
    }


@pytest.mark.parametrize("source", sorted(GOLDEN.glob("*.md")), ids=lambda path: path.stem)
def test_golden(source: Path) -> None:
    expected = json.loads(source.with_suffix(".result.json").read_text())
    assert summary(source.read_bytes()) == expected


def test_reddit_values_and_lines() -> None:
    app = parse_text("r.md", reddit_text())
    assert (app.company, app.position, app.status) == ("Reddit", "Senior Machine Learning Engineer, Safety", "PENDING")
    assert app.status_value is not None and app.status_value.line == 14
    assert [s.heading.text for s in app.sections][:4] == ["Company", "Position", "Job URL", "Status"]


@pytest.mark.parametrize(
    "transform",
    [
        lambda t: t,
        lambda t: t.replace("\n", "\r\n"),
        lambda t: "\ufeff" + t,
        lambda t: t + "\n",
        lambda t: "\ufeff" + t.replace("\n", "\r\n") + "\r\n",
    ],
    ids=["lf-no-final-newline", "crlf", "bom", "final-newline", "bom-crlf-final"],
)
def test_line_endings_and_bom_give_the_same_reading(transform) -> None:
    expected = summary(reddit_text().encode())
    assert summary(transform(reddit_text()).encode()) == expected


def test_front_matter_shifts_line_numbers() -> None:
    app = parse_text("r.md", "---\ntags: [a]\n---\n" + reddit_text())
    assert app.front_matter == {"tags": ["a"]}
    assert app.status_value is not None and app.status_value.line == 17


def test_python_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    data = f"---\nx: !!python/object/apply:os.system ['touch {marker}']\n---\n{reddit_text()}".encode()
    app = parse_bytes("r.md", data)
    assert [p.code for p in app.problems] == ["JT202"]
    assert not marker.exists()


pieces = st.sampled_from(
    [
        "# Application Details",
        "## Status",
        "### Application",
        "## Application Date",
        "## Company",
        "### Other",
        "#### Deep",
        "APPLIED",
        "applied",
        "PENDING",
        "2026-01-02",
        "",
        "   ",
        "```",
        "~~~",
        "text",
        "---",
        "## Status ##",
    ]
)


@given(st.lists(pieces, max_size=30), st.sampled_from(["\n", "\r\n"]))
def test_status_facts_agrees_with_the_full_parser(lines: list[str], ending: str) -> None:
    text = ending.join(lines)
    app = parse_text("x.md", text, front_matter=False)
    status, date = status_facts(text.encode())
    assert status == (app.status or None)
    if (status or "").upper() == "APPLIED":
        assert date == (app.text("Application Date") or None)


@given(st.lists(pieces, max_size=30))
def test_read_fields_with_names_agrees_with_the_full_parser(lines: list[str]) -> None:
    text = "\n".join(line.replace("APPLIED", "Acme") if index % 3 == 0 else line for index, line in enumerate(lines))
    app = parse_text("x.md", text, front_matter=False)
    fields = read_fields(text.encode(), names=True)
    assert (fields.status, fields.company) == (app.status or None, app.text("Company") or None)
