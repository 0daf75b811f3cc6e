"""A CSV or TSV file's bytes as rows of cells: the encoding (UTF-8 with or without BOM, UTF-16 as Excel's
"Unicode text" writes it, else Windows-1252) and the delimiter (comma, tab or semicolon, from the header
line)."""

from __future__ import annotations

import csv
import io


def decode_table(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (old Excel)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def read_table(text: str, delimiter: str | None = None) -> list[list[str]]:
    """The table's rows (header first), empty rows dropped."""
    first = text.split("\n", 1)[0]
    if delimiter is None:
        delimiter = max((",", "\t", ";"), key=first.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [row for row in rows if any(cell.strip() for cell in row)]
