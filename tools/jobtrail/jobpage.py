"""Get a saved job page or a job page's URL as text: the I/O edge of `jobtrail new --from`."""

from __future__ import annotations

import re

from .errors import JobtrailError
from .files import read_named_file

FETCH_TIMEOUT = 15.0  # seconds: a job board answers well within this, a dead network fails clearly
MAX_PAGE_BYTES = 10_000_000
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def decode_page(data: bytes, charset: str | None = None) -> str:
    """The page's text: the charset the server or the page's <meta> names, else UTF-8; bad bytes replaced."""
    found = _META_CHARSET.search(data[:4096])
    for name in (charset, found.group(1).decode("ascii") if found else None, "utf-8"):
        if not name:
            continue
        try:
            return data.decode(name, "replace").removeprefix("\ufeff")
        except LookupError:
            continue
    return data.decode("utf-8", "replace")


def read_page(source: str, timeout: float = FETCH_TIMEOUT) -> tuple[str, str]:
    """(the page's HTML, its URL or "") from a saved file or an http(s) URL."""
    if is_url(source):
        return _fetch(source, timeout), source
    data = read_named_file(source, MAX_PAGE_BYTES, "a saved job page (.html) or its https:// URL")
    return decode_page(data), ""


def _fetch(url: str, timeout: float) -> str:
    import urllib.error
    import urllib.request

    from . import __version__

    request = urllib.request.Request(
        url, headers={"User-Agent": f"jobtrail/{__version__} (+job page capture)", "Accept": "text/html,*/*"}
    )
    advice = "save the page from your browser and run `jobtrail new --from FILE`"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_PAGE_BYTES + 1)
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise JobtrailError(f"{url}: the server answered {exc.code} {exc.reason}: {advice}") from None
    except urllib.error.URLError as exc:
        raise JobtrailError(f"{url}: cannot fetch the page ({exc.reason}): no network? {advice}") from None
    except TimeoutError:
        raise JobtrailError(f"{url}: no answer within {timeout:.0f} s: {advice}") from None
    except OSError as exc:
        raise JobtrailError(f"{url}: cannot fetch the page ({exc}): {advice}") from None
    if len(data) > MAX_PAGE_BYTES:
        raise JobtrailError(f"{url}: the page is larger than {MAX_PAGE_BYTES:,} bytes: {advice}")
    return decode_page(data, charset)
