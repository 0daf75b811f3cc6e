"""Text for a terminal: control characters made harmless, widths as a terminal counts them."""

from __future__ import annotations

import unicodedata

from .problem import INVISIBLE

ELLIPSIS = "…"


# Bidirectional overrides would show a row's characters out of order (`exe.txt` as `txt.exe`).
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def plain(text: str) -> str:
    """``text`` on one line with no control characters (an escape sequence in a file cannot reach the terminal).

    Also no bidirectional override, no lone surrogate (a file name that is not UTF-8), and no
    invisible character (``PENDING`` with a zero-width space after it shows as ``PENDING``
    only in ``check``'s message, which names it).
    """
    return "".join(
        " " if char in _BIDI or unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs") else char
        for char in INVISIBLE.sub("", text)
    )


def char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    return sum(char_width(char) for char in text)


def fit(text: str, columns: int) -> str:
    """``text`` cut to at most ``columns`` terminal columns, an ellipsis marking the cut, padded to ``columns``."""
    if width(text) > columns:
        kept, used = [], 0
        for char in text:
            if used + char_width(char) > columns - 1:
                break
            kept.append(char)
            used += char_width(char)
        text = "".join(kept) + ELLIPSIS
    return text + " " * (columns - width(text))
