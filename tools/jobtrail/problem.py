"""The one record every check, command and report shares: a Problem."""

from __future__ import annotations

from dataclasses import asdict, dataclass

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` is not imported at run time: `check` start-up is measured
    from typing import Literal

    Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


def error(path: str, line: int, code: str, message: str, column: int = 1) -> Problem:
    return Problem(path, line, column, code, "error", message)


def warning(path: str, line: int, code: str, message: str, column: int = 1) -> Problem:
    return Problem(path, line, column, code, "warning", message)


def problems_as_json(problems: list[Problem]) -> str:
    import json

    return json.dumps([asdict(problem) for problem in problems], indent=2, ensure_ascii=False)


def has_errors(problems: list[Problem]) -> bool:
    return any(problem.severity == "error" for problem in problems)
