"""The parser: line numbers, line endings, front matter, and the quick status reader."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import reddit_text
from jobtrail.parse import fields_of_application, parse_bytes, parse_text, read_fields, status_facts

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
    facts = status_facts(text.encode())
    status, date = facts.status, facts.application_date
    assert status == (app.status or None)
    if (status or "").upper() == "APPLIED":
        assert date == (app.text("Application Date") or None)


@given(st.lists(pieces, max_size=30))
def test_read_fields_with_names_agrees_with_the_full_parser(lines: list[str]) -> None:
    text = "\n".join(line.replace("APPLIED", "Acme") if index % 3 == 0 else line for index, line in enumerate(lines))
    app = parse_text("x.md", text, front_matter=False)
    fields = read_fields(text.encode(), names=True)
    assert (fields.status, fields.company) == (app.status or None, app.text("Company") or None)


# --- front matter that PyYAML cannot build, or that expands without bound ---


def front_matter_problems(yaml: str) -> list[tuple[str, int, str]]:
    app = parse_bytes("a.md", f"---\n{yaml}\n---\n# Application Details\n".encode())
    return [(problem.code, problem.line, problem.message) for problem in app.problems]


@pytest.mark.parametrize(
    "yaml",
    [
        "x: !!int",  # IndexError inside PyYAML
        "x: !!bool",  # KeyError
        "x: !!timestamp",  # AttributeError
        "x: !!int ''",
        "follow_up: 2026-02-30",  # ValueError: day is out of range for month
        "x: " + "9" * 5000,  # ValueError: too many digits for an int
    ],
)
def test_values_pyyaml_cannot_construct_are_invalid_yaml_not_a_crash(yaml: str) -> None:
    [(code, line, message)] = front_matter_problems(yaml)
    assert (code, line) == ("JT201", 2)
    assert message.startswith("front matter is not valid YAML (") and "sys." not in message


def test_python_tags_are_named_as_written() -> None:
    [(code, _, message)] = front_matter_problems("x: !!python/object/apply:os.system ['echo pwned']")
    assert code == "JT202"
    assert "(!!python/object/apply:os.system)" in message


@pytest.mark.parametrize(
    ("yaml", "reason"),
    [("? [a, b]\n: c", "found unhashable key"), ("b:\n  <<: 5", "expected a mapping or list of mappings for merging")],
)
def test_constructor_errors_that_are_not_tags_are_invalid_yaml(yaml: str, reason: str) -> None:
    [(code, _, message)] = front_matter_problems(yaml)
    assert code == "JT201" and reason in message


def test_a_control_character_is_located() -> None:
    app = parse_bytes("a.md", b"---\na: b\nc: x\x01\n---\n")
    [problem] = app.problems
    assert (problem.code, problem.line, problem.column) == ("JT201", 3, 5)
    assert "#x0001" in problem.message


@pytest.mark.parametrize(
    "yaml",
    [
        # Aliases of a long string: few nodes, gigabytes once a renderer or an export walks them.
        "a: &a " + "x" * 2000 + "\nb: [" + ", ".join(["*a"] * 200) + "]",
        # !!pairs and !!omap load as tuples, which must be walked too.
        "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: !!pairs [k: *c, l: *c, m: *c, n: *c, o: *c, p: *c, q: *c, r: *c, s: *c, t: *c]",
        "a: &a [*a]",
    ],
)
def test_alias_bombs_are_refused(yaml: str) -> None:
    [(code, line, _)] = front_matter_problems(yaml)
    assert (code, line) == ("JT206", 2)


def test_large_front_matter_without_aliases_is_not_a_bomb() -> None:
    yaml = (
        "tags: ["
        + ", ".join(f"t{index}" for index in range(2_000))
        + "]\n"
        + "".join(f"key{index}: {{a, b, c}}\n" for index in range(800))
    )
    assert front_matter_problems(yaml) == []


def test_billion_laughs_is_refused_quickly() -> None:
    levels = ["a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for index in range(1, 9):
        name, previous = chr(97 + index), chr(96 + index)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    started = time.perf_counter()
    [(code, _, _)] = front_matter_problems("\n".join(levels))
    assert code == "JT206"
    assert time.perf_counter() - started < 2


def test_utf16_is_named() -> None:
    [problem] = parse_bytes("a.md", "# Application Details\n".encode("utf-16")).problems
    assert (problem.code, problem.line) == ("JT102", 1)
    assert "UTF-16" in problem.message


def test_an_unclosed_fence_is_reported_where_it_opens() -> None:
    app = parse_bytes("a.md", b"# T\n## Job Description\n````\ntext\n```\n## Notes\n")
    assert app.unclosed_fence is not None
    assert (app.unclosed_fence.marker, app.unclosed_fence.line) == ("````", 3)
    assert [heading.text for heading in app.headings] == ["T", "Job Description"]
    assert parse_bytes("a.md", b"```\n```\n").unclosed_fence is None


@given(st.lists(pieces, max_size=30))
def test_fields_of_a_parsed_file_are_what_the_quick_reader_gives(lines: list[str]) -> None:
    text = "\n".join(lines)
    quick = read_fields(text.encode(), names=True)
    full = fields_of_application(parse_text("x.md", text, front_matter=False))
    assert full is not None
    assert (full.status, full.company, full.position) == (quick.status, quick.company, quick.position)
    if (quick.status or "").upper() == "APPLIED":
        assert full.application_date == quick.application_date


def test_base_60_values_are_text_as_in_yaml_1_2() -> None:
    app = parse_bytes("a.md", b"---\nduration: 1:30\nsalary: 1:1:1:1:1:1\nbonus: 1:30.5\nplain: 190\n---\n")
    assert app.problems == ()
    assert app.front_matter == {"duration": "1:30", "salary": "1:1:1:1:1:1", "bonus": "1:30.5", "plain": 190}


@pytest.mark.parametrize(
    ("yaml", "said"),
    [
        ("a: !!int 1:30", "base-60"),
        ("a: !!float 1:30.5", "base-60"),
        ("a: 9223372036854775808", "64 bits"),
        ("a: -9223372036854775809", "64 bits"),
        ("a: 0x1" + "0" * 16, "64 bits"),
        ("a: 0b1" + "0" * 64, "64 bits"),
        ("a: " + "9" * 5000, "64 bits"),
    ],
)
def test_base_60_tags_and_numbers_past_64_bits_are_invalid(yaml: str, said: str) -> None:
    [(code, line, message)] = front_matter_problems(yaml)
    assert (code, line) == ("JT201", 2)
    assert said in message and "quote" in message


def test_numbers_up_to_64_bits_are_read() -> None:
    app = parse_bytes("a.md", b"---\na: 9223372036854775807\nb: -9223372036854775808\nc: 0x7fffffffffffffff\n---\n")
    assert app.problems == ()
    assert app.front_matter == {"a": 2**63 - 1, "b": -(2**63), "c": 2**63 - 1}


def test_front_matter_past_the_bound_is_refused_before_yaml_reads_it() -> None:
    [(code, line, message)] = front_matter_problems("tags: [" + "x," * 20_000 + "]")
    assert (code, line) == ("JT206", 2)
    assert "32,768 characters" in message
