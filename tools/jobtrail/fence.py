"""Code fences that hold any text: the fence is longer than every fence-like run inside it.

A CommonMark fenced block ends at the first line that starts (after up to three
spaces) with a run of the same character at least as long as its opening fence.
A job description that contains ```` ``` ```` would close a three-backtick fence
early and turn the rest of the description into headings and sections; a fence
one backtick longer than the longest run in the text cannot be closed by it.
"""

from __future__ import annotations

import re

from .markdown import split_lines

_FENCE_RUN = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.MULTILINE)
MIN_FENCE = 3


def fence_for(text: str) -> str:
    """The backtick fence for ``text``: at least three, one more than its longest run of backticks at a line start.

    Tildes never close a backtick fence, so only backtick runs count; any run of
    backticks at a line start is counted (indented ones too), which is safe and simple.
    """
    longest = max((len(match.group(1)) for match in _FENCE_RUN.finditer(text) if match.group(1)[0] == "`"), default=0)
    return "`" * max(MIN_FENCE, longest + 1)


def fenced(text: str, newline: str = "\n") -> str:
    """``text`` as one fenced code block (no final newline), its own line endings made ``newline``."""
    body = newline.join(split_lines(text))
    fence = fence_for(body)
    return f"{fence}{newline}{body}{newline}{fence}" if body else f"{fence}{newline}{fence}"
