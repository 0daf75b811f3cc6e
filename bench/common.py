"""What the benchmark scripts share: the interpreter under test and a git identity of their own."""

from __future__ import annotations

import os
import sys

PYTHON = sys.executable
ENV = {
    # What people run: Python keeps its compiled modules (a sandbox may say not to; that costs ~0.1 s a run).
    **{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}
