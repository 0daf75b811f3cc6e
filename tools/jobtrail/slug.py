"""File names for applications: ``Reddit`` + ``Senior ML Engineer, Safety`` -> ``reddit-senior-ml-engineer-safety``.

The result always matches the file-name rule (JT801): lowercase ASCII letters
and digits joined by single hyphens. Accents are folded (``Café`` -> ``cafe``);
other characters separate words.
"""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """``text`` without accents and letter case, for matching: ``Grüne`` -> ``grune`` (as ``slugify`` folds it).

    Only the marks go: letters of other scripts stay, so ``東京`` still matches itself.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def slugify(*parts: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """The lowercase slug of ``parts`` joined by hyphens; "" when nothing usable is left."""
    folded = unicodedata.normalize("NFKD", " ".join(parts)).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_ALNUM.sub("-", folded.lower()).strip("-")
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    # Cut at a word boundary when there is one; a single endless word is cut where it must be.
    return cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
