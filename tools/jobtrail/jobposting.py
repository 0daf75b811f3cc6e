"""A job page's schema.org ``JobPosting``: the fields `jobtrail new --from` fills in.

Pure: the page's HTML in, a ``JobPosting`` out. Job boards (Greenhouse, Lever,
Workday, LinkedIn, Indeed, ...) embed the posting as JSON-LD in a
``<script type="application/ld+json">`` element, on its own, in a list, or
inside an ``@graph`` array beside the page's other objects.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any, NamedTuple

_SPACE = re.compile(r"\s+")
_MAX_DEPTH = 20


class JobPosting(NamedTuple):
    position: str
    company: str
    url: str
    location: str
    salary: str
    date_posted: str  # YYYY-MM-DD or ""
    description_html: str


class NoJobPosting(ValueError):
    """The page has no schema.org JobPosting (or none that can be read)."""


class _JsonLdScripts(HTMLParser):
    """Collects the text of every ``<script type="application/ld+json">``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # a script's text is raw: no entities to convert
        self.blocks: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
            self._current = [] if kind == "application/ld+json" else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.blocks.append("".join(self._current))
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)


def json_ld_blocks(page: str) -> list[str]:
    parser = _JsonLdScripts()
    parser.feed(page)
    parser.close()
    return parser.blocks


def _load(block: str) -> Any:
    text = block.strip()
    # Some pages wrap the JSON in an HTML comment or CDATA section for old browsers.
    for opening, closing in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")):
        if text.startswith(opening) and text.endswith(closing):
            text = text[len(opening) : -len(closing)].strip()
    # strict=False: raw newlines and tabs inside strings, as many boards write descriptions.
    return json.loads(text, strict=False)


def _is_job_posting(item: dict[str, Any]) -> bool:
    kinds = item.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(name, str) and name.rsplit("/", 1)[-1] == "JobPosting" for name in names)


def _objects(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JSON object in ``value``, outer ones first (``@graph`` arrays and nesting included)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item, depth + 1)


def find_job_posting(page: str) -> dict[str, Any]:
    """The first JobPosting object in the page's JSON-LD; NoJobPosting says why there is none."""
    blocks = json_ld_blocks(page)
    unreadable = 0
    for block in blocks:
        try:
            data = _load(block)
        except ValueError:
            unreadable += 1
            continue
        for item in _objects(data):
            if _is_job_posting(item):
                return item
    if not blocks:
        raise NoJobPosting('the page has no schema.org JSON-LD (<script type="application/ld+json">)')
    detail = f" ({unreadable} of {len(blocks)} JSON-LD blocks are not valid JSON)" if unreadable else ""
    raise NoJobPosting(f"the page's JSON-LD has no schema.org JobPosting{detail}")


def _text(value: Any) -> str:
    """One line of plain text: entities decoded, white space collapsed."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    if isinstance(value, list):
        value = next((item for item in value if item), "")
    if value is None or isinstance(value, dict | list):
        return ""
    return _SPACE.sub(" ", html.unescape(str(value))).strip()


def _place(place: Any) -> str:
    if not isinstance(place, dict):
        return _text(place)
    address = place.get("address")
    if isinstance(address, dict):
        parts = [_text(address.get(key)) for key in ("addressLocality", "addressRegion", "addressCountry")]
        unique = [part for index, part in enumerate(parts) if part and part not in parts[:index]]
        if unique:
            return ", ".join(unique)
    return _text(address) or _text(place.get("name"))


def _location(posting: dict[str, Any]) -> str:
    places = posting.get("jobLocation")
    found = [_place(place) for place in (places if isinstance(places, list) else [places]) if place]
    locations = [place for index, place in enumerate(found) if place and place not in found[:index]]
    kinds = posting.get("jobLocationType")
    if "TELECOMMUTE" in (kinds if isinstance(kinds, list) else [kinds]):
        locations.insert(0, "Remote")
    return "; ".join(locations)


def _number(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    text = _text(value)
    try:
        return _number(float(text.replace(",", ""))) if text else ""
    except ValueError:
        return text


def _salary(posting: dict[str, Any]) -> str:
    amount = posting.get("baseSalary") or posting.get("estimatedSalary")
    if isinstance(amount, list):
        amount = next(iter(amount), None)
    if not isinstance(amount, dict):
        return _number(amount) if amount else ""
    currency = _text(amount.get("currency"))
    value = amount.get("value")
    unit = ""
    if isinstance(value, dict):
        unit = _text(value.get("unitText"))
        low, high = _number(value.get("minValue")), _number(value.get("maxValue"))
        exact = _number(value.get("value"))
        figure = exact or (f"{low}-{high}" if low and high and low != high else low or high)
    else:
        figure = _number(value)
    if not figure:
        return ""
    per = f" per {unit.lower()}" if unit else ""
    return f"{currency} {figure}{per}".strip()


def _date(value: Any) -> str:
    text = _text(value)[:10]
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        return ""


def _description(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    # HTML escaped once more (&lt;p&gt;), as Greenhouse's job board API serves descriptions, is unescaped first.
    if "<" not in text and "&lt;" in text:
        text = html.unescape(text)
    return text


def job_posting(page: str, page_url: str = "") -> JobPosting:
    """The page's JobPosting fields; the URL falls back to ``page_url`` (where the page was fetched)."""
    posting = find_job_posting(page)
    url = _text(posting.get("url")) or page_url
    return JobPosting(
        position=_text(posting.get("title")) or _text(posting.get("name")),
        company=_text(posting.get("hiringOrganization")),
        url=url if url.lower().startswith(("https://", "http://")) else page_url,
        location=_location(posting),
        salary=_salary(posting),
        date_posted=_date(posting.get("datePosted")),
        description_html=_description(posting.get("description")),
    )
