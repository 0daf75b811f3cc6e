"""`jobtrail export --format csv|json|ics [--output FILE]`: take the applications elsewhere."""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from ..errors import JobtrailError
from ..export import export_records, to_csv, to_ics, to_json
from ..files import write_atomic
from ..repository import open_repository
from ..snapshot import print_notes, read_snapshot


def run(args: argparse.Namespace) -> int:
    repo = open_repository()
    config = repo.config
    snapshot = read_snapshot(repo)
    print_notes(snapshot.history)
    records = export_records(snapshot.history, snapshot.apps)
    if args.format == "csv":
        data = to_csv(records)
    elif args.format == "ics":
        data = to_ics(records, config, snapshot.history.newest or datetime.date.today())
    else:
        data = (to_json(records) + "\n").encode("utf-8", "backslashreplace")
    if args.output is None or args.output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        write_atomic(os.path.abspath(args.output), data)
    except OSError as exc:
        raise JobtrailError(f"{args.output}: cannot write ({exc.strerror}): check the folder exists") from None
    print(f"{args.output}: {len(records)} application(s)", file=sys.stderr)
    return 0
