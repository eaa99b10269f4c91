"""What a ``check`` run found: one result per file, and the run's exit code.

A file ends in one of six states: the four verdicts of a pre-check (``pass``,
``fail``, ``needs_review``, ``not_applicable``), ``invalid`` (not JSON/YAML, or
breaks its schema: the agency must fix the file) or ``error`` (the policy
engine gave no answer, so the file was not checked: never read as a pass).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ictgate.core.errors import FieldError
from ictgate.gate.documents import Source

__all__ = [
    "EXIT_FAIL",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_REVIEW",
    "STATES",
    "FileResult",
    "GateRun",
    "Problem",
    "exit_code",
]

# docs/contract.md: the same codes for every output format.
EXIT_OK = 0  # every file pass or not_applicable
EXIT_FAIL = 1  # at least one fail
EXIT_INVALID = 2  # invalid input or usage, or the engine could not answer
EXIT_REVIEW = 3  # needs_review and nothing failed

STATES = ("pass", "fail", "needs_review", "not_applicable", "invalid", "error")


def exit_code(verdicts: Iterable[str], invalid: int, review_ok: bool) -> int:
    """docs/contract.md: invalid input beats fail, fail beats needs_review."""
    seen = set(verdicts)
    if invalid:
        return EXIT_INVALID
    if "fail" in seen:
        return EXIT_FAIL
    if "needs_review" in seen and not review_ok:
        return EXIT_REVIEW
    return EXIT_OK


@dataclass(frozen=True)
class Problem:
    """Why a file has no verdict."""

    state: Literal["invalid", "error"]
    code: str  # the stable error code of ictgate/core/errors.py (schema_violation, engine_timeout, ...)
    detail: str
    errors: tuple[FieldError, ...] = ()
    line: int | None = None  # where a file that is not JSON/YAML goes wrong
    detail_th: str = ""  # ``detail`` in Thai (ictgate/core/thai_errors.py)


@dataclass
class FileResult:
    path: Path
    kind: str = ""  # the document kind ("submission"); empty when the file could not be read
    source: Source | None = None
    verdict: dict[str, Any] | None = None
    problem: Problem | None = None
    seconds: float = 0.0

    @property
    def state(self) -> str:
        if self.verdict is not None:
            return str(self.verdict["verdict"])
        assert self.problem is not None
        return self.problem.state

    def line(self, pointer: str) -> int | None:
        """The line of a field of this file, when the file could be read."""
        if self.source is None:
            return None
        try:
            return self.source.line(pointer)
        except UnicodeDecodeError:
            return None

    def error_line(self, item: FieldError) -> int | None:
        # A query parameter (as_of) is not in the file.
        return None if item.parameter else self.line(item.pointer)


@dataclass
class GateRun:
    results: list[FileResult]
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    as_of: str | None = None
    review_ok: bool = False
    evaluator: str = ""  # what answered: the engine, or the server's URL

    def count(self, state: str) -> int:
        return sum(1 for result in self.results if result.state == state)

    @property
    def counts(self) -> dict[str, int]:
        return {state: self.count(state) for state in STATES}

    @property
    def unchecked(self) -> bool:
        """Nothing was evaluated, or something could not be: the run itself did not succeed."""
        return not self.results or bool(self.unmatched) or self.count("error") > 0

    @property
    def exit_code(self) -> int:
        if not self.results:
            return EXIT_INVALID
        invalid = self.count("invalid") + self.count("error") + len(self.unmatched)
        return exit_code((result.state for result in self.results), invalid, self.review_ok)

    def summary(self) -> str:
        shown = ", ".join(f"{n} {state}" for state, n in self.counts.items() if n)
        line = f"{len(self.results)} file(s) checked: {shown}" if self.results else "no file checked"
        if self.unmatched:
            line += f"; {len(self.unmatched)} path(s) matched nothing"
        return line
