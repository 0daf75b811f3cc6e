"""`jobtrail check [PATH...] [--format text|json]`: validate application files."""

from __future__ import annotations

import argparse
import datetime
import sys

from ..check import check_paths
from ..config import load_config
from ..files import find_root
from ..problem import has_errors, problems_as_json


def run(args: argparse.Namespace) -> int:
    root = find_root()
    config = load_config(root)
    problems = check_paths(args.paths or None, config, datetime.date.today())
    if args.format == "json":
        print(problems_as_json(problems))
    else:
        for problem in problems:
            print(problem.as_text())
        if problems:
            errors = sum(problem.severity == "error" for problem in problems)
            print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return 1 if has_errors(problems) else 0
