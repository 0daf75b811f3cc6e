"""Put text from application files into generated Markdown without letting it become markup.

A company name such as ``Evil | Corp <script>alert(1)</script>`` must stay one
table cell of plain text: no new cell, no new line, no HTML, no link (not even
one a code host's autolinking would make of a bare URL or an e-mail address).

>>> inline("Evil | Corp <script>")
'Evil \\\\| Corp \\\\<script\\\\>'
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .problem import INVISIBLE

# Characters that can start inline markup (code, emphasis, links, HTML, entities,
# strikethrough, math on code hosts) or end a table cell. Other punctuation stays
# as it is so the file still reads well in a terminal.
_MARKUP = re.compile(r"([\\`*_\[\]<>|&~$])")
# Line breaks, other control characters and bidirectional overrides: a cell is one line,
# and its characters show in the order they are written. A lone surrogate (a file name
# that is not UTF-8) could not even be written to the file.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# A heading's closing sequence (`## Title #`) would swallow a trailing `#`.
_TRAILING_HASHES = re.compile(r"(#+)$")
# GitHub's autolink extension links bare URLs (`https://`), `www.` hosts and e-mail
# addresses (also `mailto:` and `xmpp:` ones) in plain text. An escaped `:` or `.`
# (the backslash does not show) stops the first two; an address needs a character
# that does not show: a word joiner right after the `@` leaves it no domain.
_URL_SCHEME = re.compile(r":(?=//)")
_WWW = re.compile(r"(?i)(?<![0-9a-z])(www)\.")
WORD_JOINER = "\u2060"
# Characters that do not show, dropped from the text first (so only ours remain).
_INVISIBLE = INVISIBLE
# Text that every step below leaves as it is (words of ASCII letters, digits and a little punctuation, single
# spaces between): most company names and positions. Rendering 50,000 rows escapes 350,000 texts; these skip
# the eight passes. No `.`, `:`, `@` or `#`: the autolink and heading steps look at them. The em dash joins
# company and position in a row's label.
_PLAIN = re.compile("[A-Za-z0-9,()'+/\u2014-]+(?: [A-Za-z0-9,()'+/\u2014-]+)*")
# A path that percent-encoding leaves as it is (``quote``'s always-safe characters and ``/``).
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.~/-]+")


def inline(text: str) -> str:
    """``text`` as literal inline Markdown on one line (a table cell, a heading, a list item)."""
    return text if _PLAIN.fullmatch(text) else _escaped(text)


def _escaped(text: str) -> str:
    flat = " ".join(_CONTROLS.sub(" ", _INVISIBLE.sub("", text)).split())
    escaped = _MARKUP.sub(r"\\\1", flat)
    escaped = _WWW.sub(r"\1\\.", _URL_SCHEME.sub(r"\\:", escaped)).replace("@", "@" + WORD_JOINER)
    return _TRAILING_HASHES.sub(lambda match: "\\#" * len(match.group(1)), escaped)


def link_target(path: str) -> str:
    """A repository-relative path as a link destination: percent-encoded, so it is never a scheme."""
    return path if _PLAIN_PATH.fullmatch(path) else _encoded(path)


def _encoded(path: str) -> str:
    # A name that is not UTF-8 is percent-encoded byte for byte, so the link still opens the file.
    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def link(text: str, path: str) -> str:
    """A Markdown link to a file in the repository, both parts escaped."""
    return f"[{inline(text)}]({link_target(path)})"
