"""`jobtrail new COMPANY POSITION [--url URL]`, `jobtrail new --from FILE_OR_URL`: start an application.

Creates ``applications/<company>-<position>.md`` from the template, never
replacing a file, and warns about applications that look like the same one.
With ``--from``, the page's schema.org JobPosting fills the company, position,
Job URL, the description (as Markdown text in a code fence) and the front
matter keys ``location``, ``salary`` and ``date_posted``; COMPANY, POSITION and
``--url`` given on the command line win over the page's.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from typing import Any, NamedTuple

from ..check import load_application
from ..config import load_config
from ..create import FillError, TemplateError, look_alikes, new_application, set_description, with_front_matter
from ..errors import JobtrailError, UsageError
from ..fieldrules import url_problem
from ..files import application_paths, create_exclusive, display_path, find_root, read_named_file
from ..slug import slugify


class Filled(NamedTuple):
    company: str
    position: str
    url: str | None
    front_matter: dict[str, Any]
    description: str | None


def _from_arguments(args: argparse.Namespace) -> Filled:
    if args.company is None or args.position is None:
        raise UsageError("give COMPANY and POSITION, or --from a saved job page or its URL")
    url = args.url.strip() if args.url is not None else None
    return Filled(args.company.strip(), args.position.strip(), url, {}, None)


def _from_page(args: argparse.Namespace) -> Filled:
    from ..htmltext import html_to_markdown
    from ..jobpage import read_page
    from ..jobposting import NoJobPosting, job_posting

    page, page_url = read_page(args.page)
    try:
        posting = job_posting(page, page_url)
    except NoJobPosting as exc:
        raise JobtrailError(
            f"{args.page}: {exc}: this page cannot fill an application; run `jobtrail new COMPANY POSITION --url URL`"
        ) from None
    company = args.company.strip() if args.company is not None else posting.company
    position = args.position.strip() if args.position is not None else posting.position
    missing = [name for name, value in (("COMPANY", company), ("POSITION", position)) if not value]
    if missing:
        raise UsageError(f"{args.page}: the JobPosting has no {' or '.join(missing)}: give them on the command line")
    url = args.url.strip() if args.url is not None else (posting.url or None)
    if args.url is None and url is not None and url_problem(url) is not None:
        url = None  # the page's own address is not usable as a Job URL: leave the placeholder
    front_matter: dict[str, Any] = {}
    for key, value in (("location", posting.location), ("salary", posting.salary)):
        if value:
            front_matter[key] = value
    if posting.date_posted:
        front_matter["date_posted"] = datetime.date.fromisoformat(posting.date_posted)
    description = html_to_markdown(posting.description_html) if posting.description_html else None
    return Filled(company, position, url, front_matter, description or None)


def read_description(source: str, max_bytes: int) -> str:
    """The text of ``--description FILE`` (``-``: standard input): UTF-8, at most ``max_bytes``, not empty."""
    shown = "standard input" if source == "-" else source
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        data = read_named_file(source, max_bytes, "a text file, or - for standard input", "--description")
    if len(data) > max_bytes:
        raise JobtrailError(f"--description: {shown} is larger than {max_bytes:,} bytes (max_file_bytes)")
    if b"\0" in data:
        raise JobtrailError(f"--description: {shown} is not text (it holds a NUL byte)")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise JobtrailError(f"--description: {shown} is not UTF-8 (line {line}): save it as UTF-8") from None
    text = text.strip("\r\n")
    if not text.strip():
        raise JobtrailError(f"--description: {shown} is empty: nothing to put under ## Job Description")
    return text


def run(args: argparse.Namespace) -> int:
    root = find_root()
    config = load_config(root)
    description = read_description(args.description, config.max_file_bytes) if args.description is not None else None
    filled = _from_page(args) if args.page is not None else _from_arguments(args)
    if description is not None:
        filled = filled._replace(description=description)
    company, position, url = filled.company, filled.position, filled.url
    if url is not None and (why := url_problem(url)) is not None:
        raise UsageError(f"--url `{url}`: {why}: give the listing's https:// address")
    slug = slugify(company, position)
    if not slug:
        raise UsageError("COMPANY and POSITION have no letters or digits to name the file with (a-z, 0-9)")
    try:
        data = new_application(config.template.text, company, position, url)
        if filled.description is not None:
            data = set_description(data, filled.description)
        data = with_front_matter(data, filled.front_matter)
    except FillError as exc:
        raise UsageError(str(exc)) from None
    except TemplateError as exc:
        raise JobtrailError(f"{config.template_path or 'the built-in template'}: {exc}") from None
    path = os.path.join(config.applications_path, f"{slug}.md")
    shown = display_path(path, root)
    try:
        os.makedirs(config.applications_path, exist_ok=True)
    except OSError as exc:
        raise JobtrailError(
            f"{config.applications_dir}: cannot make the applications folder ({exc.strerror})"
        ) from None
    others = application_paths(config.applications_path)
    same_name = [other for other in others if os.path.basename(other) == f"{slug}.md" and other != path]
    if same_name:  # in a sub-folder: a second file of that name would make APP ambiguous
        raise JobtrailError(
            f"{display_path(same_name[0], root)} already exists: edit it, or give a more precise POSITION"
            " to make a different file name"
        )
    existing = [load_application(other, display_path(other, root), config, front_matter=False) for other in others]
    try:
        create_exclusive(path, data)
    except FileExistsError:
        raise JobtrailError(
            f"{shown} already exists: edit it, or give a more precise POSITION to make a different file name"
        ) from None
    except OSError as exc:
        raise JobtrailError(f"{shown}: cannot create the file ({exc.strerror})") from None
    for other, why in look_alikes(existing, company, position, url):
        print(f"jobtrail: warning: {other} has the {why}: is this the same application?", file=sys.stderr)
    print(shown)
    return 0
