"""The heading scanner agrees with markdown-it-py, a real CommonMark parser."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from jobtrail.markdown import heading_of, headings, split_lines

COMMONMARK = MarkdownIt("commonmark")


def atx_headings_by_markdown_it(text: str) -> list[tuple[int, int, str]]:
    """Top-level ATX headings (a heading inside a list item is not a section)."""
    tokens = COMMONMARK.parse(text)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.markup.startswith("#") and token.level == 0 and token.map:
            inline = tokens[index + 1]
            found.append((int(token.tag[1]), token.map[0] + 1, inline.content))
    return found


def ours(text: str) -> list[tuple[int, int, str]]:
    return [(heading.level, heading.line, heading.text) for heading in headings(split_lines(text))]


words = st.text(alphabet="abcXYZ 019.,:!?#`~*-_[]()", min_size=0, max_size=12)
indent = st.sampled_from(["", " ", "  ", "   ", "    ", "\t"])
# Container blocks (list items, block quotes) are outside the format's grammar:
# a heading nested in a list item is not a section. Lines that would open one are left out.
CONTAINER = re.compile(r"^\s*(?:[-*+>]|\d+[.)])(?:\s|$)")
line_kinds = st.one_of(
    st.builds(
        lambda i, n, t, close: f"{i}{'#' * n} {t}{close}",
        indent,
        st.integers(1, 7),
        words,
        st.sampled_from(["", " #", " ##", "#"]),
    ),
    st.builds(lambda i, n: f"{i}{'#' * n}", indent, st.integers(1, 7)),
    st.builds(
        lambda i, f, info: f"{i}{f}{info}",
        indent,
        st.sampled_from(["```", "````", "~~~", "~~~~", "``"]),
        st.sampled_from(["", "python", " x", "a`b"]),
    ),
    st.builds(lambda i, t: f"{i}{t}", indent, words),
    st.just(""),
).filter(lambda line: not CONTAINER.match(line))
documents = st.builds(
    lambda lines, ending, final: ending.join(lines) + (ending if final else ""),
    st.lists(line_kinds, max_size=25),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)


@given(documents)
def test_same_headings_on_the_same_lines_as_markdown_it(text: str) -> None:
    assert ours(text) == atx_headings_by_markdown_it(text)


def test_hash_lines_inside_fences_are_text() -> None:
    text = "# Title\n```\n# not a heading\n```\n~~~\n## nor this\n~~~\n## Real\n"
    assert ours(text) == [(1, 1, "Title"), (2, 8, "Real")]


def test_unclosed_fence_runs_to_the_end() -> None:
    assert ours("# A\n````\n# B\n```\n# C\n") == [(1, 1, "A")]


def test_closing_hashes_are_not_text() -> None:
    assert ours("## Company ##\n### C# #\n#5 bolt\n") == [(2, 1, "Company"), (3, 2, "C#")]


def test_line_endings_lf_crlf_cr_and_no_final_newline() -> None:
    assert split_lines("a\r\nb\nc\rd") == ["a", "b", "c", "d"]
    assert split_lines("a\n") == ["a"]
    assert split_lines("") == []


@pytest.mark.parametrize(
    "line",
    [
        "#\ta" + " " * 200_000 + "x",  # a lazy `.*?` before `[ \t]*$` backtracked on every space
        "# a" + " " * 200_000 + "#x#",  # so did a regex for the closing hashes
        "# a" + " \t" * 100_000 + "#x#",
        "## " + " #" * 100_000 + " ##",
    ],
    ids=["tab-then-spaces", "spaces-then-hash", "spaces-and-tabs", "hashes"],
)
def test_long_lines_are_scanned_in_linear_time(line: str) -> None:
    started = time.perf_counter()
    found = headings([line] * 5)
    assert time.perf_counter() - started < 1
    assert len(found) == 5


def test_closing_sequence_rules() -> None:
    assert [heading_of(line) for line in ("# #", "# foo#", "# foo #", "#\tfoo\t#\t", "# foo \\#", "#  ")] == [
        (1, ""),
        (1, "foo#"),
        (1, "foo"),
        (1, "foo"),
        (1, "foo \\#"),
        (1, ""),
    ]
