"""jobtrail: job applications as plain Markdown in a git repository."""

from __future__ import annotations

__version__ = "0.1.0"
