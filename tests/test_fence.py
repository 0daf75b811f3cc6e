"""fence.fenced: a code block no line of its text can close."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jobtrail.fence import fence_for, fenced
from jobtrail.markdown import outline, split_lines


def test_three_backticks_when_the_text_has_none() -> None:
    assert fenced("plain\ntext") == "```\nplain\ntext\n```"


def test_one_more_than_the_longest_run_inside() -> None:
    assert fence_for("```\ncode\n```\n  `````` indented\n~~~~~~~~") == "```````"


def test_line_endings_follow_the_file() -> None:
    assert fenced("a\nb", "\r\n") == "```\r\na\r\nb\r\n```"


@given(st.lists(st.sampled_from(["text", "```", "````", "~~~", "# heading", "  ```x", "", "## Notes"]), max_size=12))
def test_no_text_makes_a_heading_out_of_its_lines(lines: list[str]) -> None:
    block = fenced("\n".join(lines))
    structure = outline(split_lines(f"## Job Description\n{block}\n\n## Next\n"), first_line=1)
    assert [heading.text for heading in structure.headings] == ["Job Description", "Next"]
    assert structure.unclosed_fence is None
