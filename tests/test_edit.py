"""Byte-preserving edits: only the bytes that must change do."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import reddit_text
from jobtrail.edit import (
    EditError,
    add_note,
    insert_line,
    line_spans,
    replace_value,
    set_front_matter_value,
    set_status,
)
from jobtrail.model import Value
from jobtrail.parse import parse_bytes

DAY = datetime.date(2026, 11, 25)


def variant(text: str, eol: str, bom: bool, final_newline: bool) -> bytes:
    body = text.rstrip("\n").replace("\n", eol) + (eol if final_newline else "")
    return (b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8")


def test_line_spans_match_split_lines_numbering() -> None:
    data = b"\xef\xbb\xbfone\r\ntwo\rthree\nfour"
    assert [data[span.start : span.end] for span in line_spans(data)] == [b"one", b"two", b"three", b"four"]
    assert [data[span.end : span.stop] for span in line_spans(data)] == [b"\r\n", b"\r", b"\n", b""]
    assert line_spans(b"") == []
    assert len(line_spans(b"a\n")) == 1


def test_replace_value_keeps_indentation_and_trailing_spaces() -> None:
    data = "x\n  Ünïcode  \t\r\ny".encode()
    assert replace_value(data, Value("Ünïcode", 2, 3), "B") == b"x\n  B  \t\r\ny"


def test_replace_value_refuses_bytes_that_do_not_match() -> None:
    with pytest.raises(EditError):
        replace_value(b"a\nb\n", Value("c", 2, 1), "d")
    with pytest.raises(EditError):
        replace_value(b"a\n", Value("a", 5, 1), "d")


@pytest.mark.parametrize(
    ("data", "after", "expected"),
    [
        (b"a\r\nb\r\n", 1, b"a\r\nNEW\r\nb\r\n"),
        (b"a\r\nb\r\n", 2, b"a\r\nb\r\nNEW\r\n"),
        (b"a\r\nb", 2, b"a\r\nb\r\nNEW"),  # still no final newline
        (b"a\nb", 2, b"a\nb\nNEW"),
        (b"\xef\xbb\xbfa\n", 0, b"\xef\xbb\xbfNEW\na\n"),
        (b"a", 1, b"a\nNEW"),
    ],
)
def test_insert_line(data: bytes, after: int, expected: bytes) -> None:
    assert insert_line(data, after, "NEW") == expected


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("final_newline", [False, True])
def test_set_status_changes_only_the_status_and_the_date_placeholder(eol: str, bom: bool, final_newline: bool) -> None:
    data = variant(reddit_text(), eol, bom, final_newline)
    app = parse_bytes("a.md", data)

    edited = set_status(data, app, "APPLIED", fill_date=DAY)

    expected = data.replace(b"PENDING", b"APPLIED").replace(b"[Current date in YYYY-MM-DD format]", b"2026-11-25")
    assert edited == expected
    assert parse_bytes("a.md", edited).status == "APPLIED"


def test_set_status_leaves_a_real_date_alone() -> None:
    data = reddit_text().replace("[Current date in YYYY-MM-DD format]", "2026-11-01").encode()
    edited = set_status(data, parse_bytes("a.md", data), "APPLIED", fill_date=DAY)
    assert edited == data.replace(b"PENDING", b"APPLIED")


def test_set_status_without_a_status_line_is_an_error() -> None:
    data = b"# Application Details\n\n## Status\n### Application\n\n## Notes\nx\n"
    with pytest.raises(EditError, match="no status"):
        set_status(data, parse_bytes("a.md", data), "APPLIED")


def test_add_note_goes_after_the_last_line_of_notes() -> None:
    data = b"# T\r\n\r\n## Notes\r\nfirst\r\n\r\n### Sub\r\nx\r\n"
    edited = add_note(data, parse_bytes("a.md", data), "- 2026-11-25 REJECTED: no")
    assert edited == b"# T\r\n\r\n## Notes\r\nfirst\r\n- 2026-11-25 REJECTED: no\r\n\r\n### Sub\r\nx\r\n"


def test_add_note_to_an_empty_notes_section_and_without_a_final_newline() -> None:
    assert (
        add_note(b"## Notes\n\n## Next", parse_bytes("a.md", b"## Notes\n\n## Next"), "n") == b"## Notes\nn\n\n## Next"
    )
    assert add_note(b"## Notes\nx", parse_bytes("a.md", b"## Notes\nx"), "n") == b"## Notes\nx\nn"


def test_add_note_without_notes_section_is_an_error() -> None:
    with pytest.raises(EditError, match="Notes"):
        add_note(b"# T\n", parse_bytes("a.md", b"# T\n"), "n")


statuses = st.sampled_from(["PENDING", "APPLIED", "SCREENING", "REJECTED", "GHOSTED"])


@given(
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
    final_newline=st.booleans(),
    status=statuses,
    prefix=st.text(alphabet=" \t", max_size=3),
)
def test_property_a_status_and_back_gives_the_original_bytes(
    eol: str, bom: bool, final_newline: bool, status: str, prefix: str
) -> None:
    text = reddit_text().replace("### Application\nPENDING", f"### Application\n{prefix}PENDING \t")
    data = variant(text, eol, bom, final_newline)
    there = set_status(data, parse_bytes("a.md", data), status)
    back = set_status(there, parse_bytes("a.md", there), "PENDING")
    assert parse_bytes("a.md", there).status == status
    assert back == data


FRONT_MATTERS = [
    "",  # none: a block is added at the top
    "---\ntags: [ml]\n---\n",  # the key is added at the end of the block
    "---\nfollowed_up: 2026-10-01  # the last one\ntags: [ml]\n---\n",  # its line is rewritten
]


@given(
    front=st.sampled_from(FRONT_MATTERS),
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
    final_newline=st.booleans(),
)
def test_set_front_matter_value_changes_one_line_whatever_the_file(
    front: str, eol: str, bom: bool, final_newline: bool
) -> None:
    data = variant(front + reddit_text(), eol, bom, final_newline)
    edited = set_front_matter_value(data, parse_bytes("a.md", data), "followed_up", "2026-11-20")

    after = parse_bytes("a.md", edited)
    assert after.front_matter["followed_up"] == datetime.date(2026, 11, 20)
    assert after.status == "PENDING" and after.company == "Reddit"
    old = data.removeprefix(b"\xef\xbb\xbf").split(eol.encode())
    new = edited.removeprefix(b"\xef\xbb\xbf").split(eol.encode())
    changed = [line for line in new if line not in old]
    assert changed in ([b"followed_up: 2026-11-20"], [b"---", b"followed_up: 2026-11-20", b"---"])
    assert len(new) - len(old) == (3 if not front else 1 if "followed_up" not in front else 0)
    assert edited.startswith(b"\xef\xbb\xbf") == bom and edited.endswith(eol.encode()) == final_newline
    assert [line for line in old if line not in new] in ([], [b"followed_up: 2026-10-01  # the last one"])


def test_set_front_matter_value_refuses_a_value_on_several_lines() -> None:
    data = b"---\nfollowed_up:\n  - 2026-10-01\n---\n# Application Details\n"
    with pytest.raises(EditError, match="spans several lines"):
        set_front_matter_value(data, parse_bytes("a.md", data), "followed_up", "2026-11-20")
