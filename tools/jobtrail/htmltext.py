"""HTML to readable Markdown text, for job descriptions (markdownify does the converting).

Imported only by `jobtrail new --from`: nothing on `check`'s path loads it.
"""

from __future__ import annotations

import re

_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def html_to_markdown(html: str) -> str:
    """Markdown text of ``html``: headings, lists, emphasis and links kept; scripts and styles dropped.

    The text goes into a code fence, so Markdown characters are not escaped
    (``_`` and ``*`` stay as people wrote them).
    """
    from bs4 import BeautifulSoup
    from markdownify import MarkdownConverter

    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "noscript", "template"]):
        element.decompose()
    converter = MarkdownConverter(
        heading_style="ATX", bullets="-", escape_asterisks=False, escape_underscores=False, escape_misc=False
    )
    text = converter.convert_soup(soup)
    text = _TRAILING_SPACE.sub("\n", text.replace("\r\n", "\n").replace("\xa0", " "))
    return _BLANK_RUNS.sub("\n\n", text).strip()
