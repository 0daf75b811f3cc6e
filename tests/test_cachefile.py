"""A cache file reads as nothing when it is not a small regular file, or not the value its checksum names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jobtrail.cachefile import expect_int, expect_list, frame, read_bounded, unframe


def test_read_bounded_refuses_what_is_not_a_small_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 11)
    small = tmp_path / "small"
    small.write_bytes(b"{}")

    assert read_bounded(str(fifo), 1024) is None
    assert read_bounded(str(zero), 1024) is None
    assert read_bounded(str(big), max_bytes=10) is None
    assert read_bounded(str(tmp_path / "missing"), 1024) is None
    assert read_bounded(str(small), 1024) == b"{}"


def _length(body: bytes) -> bytes:
    return b"%d" % len(body)


def test_a_framed_value_reads_back_and_a_torn_or_edited_one_does_not() -> None:
    data = frame(b"magic", _length, b'{"a":[1,2]}')

    assert unframe(data, b"magic", _length) == {"a": [1, 2]}
    assert unframe(data[:-1], b"magic", _length) is None  # torn
    assert unframe(data.replace(b"1", b"3"), b"other", _length) is None  # another kind of file
    assert unframe(frame(b"magic", _length, b"{not json"), b"magic", _length) is None
    assert unframe(frame(b"magic", _length, b"[" * 100_000), b"magic", _length) is None


def test_the_type_checks_refuse_look_alikes() -> None:
    assert expect_int(3) == 3
    with pytest.raises(TypeError):
        expect_int(True)
    with pytest.raises(TypeError):
        expect_list((1, 2))
