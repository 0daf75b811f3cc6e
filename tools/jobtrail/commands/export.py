"""`jobtrail export --format csv|json|ics [--output FILE]`: take the applications elsewhere."""

from __future__ import annotations

import argparse
import datetime
import os
import stat
import sys

from ..agenda import agenda, agenda_sources
from ..config import Config
from ..errors import JobtrailError, UsageError
from ..export import export_records, to_csv, to_json
from ..files import read_application, write_atomic, write_in_place
from ..history import RepositoryHistory
from ..ics import to_ics
from ..render import HISTORY_FILE, INDEX_FILE
from ..repository import open_repository
from ..snapshot import print_notes, read_snapshot

# Where the system names open descriptors and terminals: `/dev/stdout` is a symlink to
# `/proc/self/fd/1`, which is a regular file when the shell redirected to one.
_DESCRIPTOR_FOLDERS = ("/dev/", "/proc/")


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def _refuse_protected(shown: str, real: str, config: Config) -> None:
    """No export replaces (or adds) an application, a generated file or the template."""
    applications = os.path.realpath(config.applications_path)
    if _inside(real, applications):
        raise UsageError(
            f"{shown}: refusing to write into the applications folder ({config.applications_dir}/):"
            " choose a file outside it"
        )
    protected = {
        os.path.realpath(os.path.join(config.root, name)): name
        for name in (INDEX_FILE, HISTORY_FILE, config.template_path or "template.md")
    }
    if real in protected:
        raise UsageError(f"{shown}: refusing to replace {protected[real]}, which jobtrail reads or generates")


def writes_in_place(shown: str, path: str, config: Config) -> bool:
    """True when ``path`` is a device, a FIFO or a socket (written in place), False for a regular file
    (replaced atomically); UsageError for what an export must never replace."""
    try:
        own = os.lstat(path)
    except FileNotFoundError:
        _refuse_protected(shown, os.path.realpath(path), config)
        return False
    except OSError as exc:
        raise JobtrailError(f"{shown}: cannot write ({exc.strerror})") from None
    if stat.S_ISLNK(own.st_mode):
        try:
            target: os.stat_result | None = os.stat(path)
        except OSError:
            target = None  # dangling, or a loop
        system_name = os.path.abspath(path).startswith(_DESCRIPTOR_FOLDERS)
        if target is None or stat.S_ISDIR(target.st_mode) or (stat.S_ISREG(target.st_mode) and not system_name):
            raise UsageError(
                f"{shown}: refusing to replace a symbolic link: give the path of the file itself, or remove the link"
            )
        _refuse_protected(shown, os.path.realpath(path), config)
        return True
    if stat.S_ISDIR(own.st_mode):
        raise UsageError(f"{shown}: refusing to write over a folder: give a file name")
    if not stat.S_ISREG(own.st_mode):
        return True  # a device, a FIFO, a socket: its own, never replaced
    _refuse_protected(shown, os.path.realpath(path), config)
    return False


def _texts(history: RepositoryHistory, config: Config) -> dict[str, str | None]:
    """Each application file's whole text (None when it is not UTF-8 or cannot be read)."""
    texts: dict[str, str | None] = {}
    for entry in history.applications:
        path = os.path.join(config.root, *entry.path.split("/"))
        data, _problem = read_application(path, entry.path, config.root, config.max_file_bytes)
        try:
            texts[entry.path] = data.decode("utf-8") if data is not None else None
        except UnicodeDecodeError:
            texts[entry.path] = None
    return texts


def run(args: argparse.Namespace) -> int:
    repo = open_repository()
    config = repo.config
    output = None if args.output in (None, "-") else os.path.abspath(args.output)
    in_place = output is not None and writes_in_place(args.output, output, config)  # refused before any work
    snapshot = read_snapshot(repo)
    print_notes(snapshot.history)
    texts = _texts(snapshot.history, config) if args.format == "json" else None
    records = export_records(snapshot.history, snapshot.apps, texts)
    if args.format == "csv":
        data = to_csv(records)
    elif args.format == "ics":
        stamp = snapshot.history.newest or datetime.date.today()
        sources = agenda_sources(snapshot.history, {app.path: app for app in snapshot.apps})
        data = to_ics(agenda(sources, config, stamp, past=True), stamp)
    else:
        data = (to_json(records) + "\n").encode("utf-8", "backslashreplace")
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        if in_place:
            write_in_place(output, data)
            return 0
        write_atomic(output, data)
    except OSError as exc:
        raise JobtrailError(f"{args.output}: cannot write ({exc.strerror}): check the folder exists") from None
    print(f"{args.output}: {len(records)} application(s)", file=sys.stderr)
    return 0
