"""`jobtrail new COMPANY POSITION [--url URL]`: start an application from the template.

Creates ``applications/<company>-<position>.md``, never replacing a file, and
warns about applications that look like the same one.
"""

from __future__ import annotations

import argparse
import os
import sys

from ..check import load_application
from ..config import load_config
from ..create import FillError, TemplateError, look_alikes, new_application
from ..errors import JobtrailError, UsageError
from ..files import application_paths, create_exclusive, display_path, find_root
from ..rules import url_problem
from ..slug import slugify


def run(args: argparse.Namespace) -> int:
    root = find_root()
    config = load_config(root)
    company, position = args.company.strip(), args.position.strip()
    url = args.url.strip() if args.url is not None else None
    if url is not None and (why := url_problem(url)) is not None:
        raise UsageError(f"--url `{url}`: {why}: give the listing's https:// address")
    slug = slugify(company, position)
    if not slug:
        raise UsageError("COMPANY and POSITION have no letters or digits to name the file with (a-z, 0-9)")
    try:
        data = new_application(config.template.text, company, position, url)
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
    existing = [
        load_application(other, display_path(other, root), config, front_matter=False)
        for other in application_paths(config.applications_path)
    ]
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
