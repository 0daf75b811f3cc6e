"""Errors that end a command with a clear message instead of a traceback."""

from __future__ import annotations


class JobtrailError(Exception):
    """A user-facing failure: the message says what is wrong and what to do. Exit 1."""

    exit_code = 1


class UsageError(JobtrailError):
    """The command line itself is wrong. Exit 2."""

    exit_code = 2
