"""Checking files one by one: read, tell the document kind, evaluate.

``check_document`` is the one place a file becomes a result. It dispatches on
the kind of document, so a second kind (committee orders,
``schemas/committee_order.schema.json``) is one more entry in ``_EVALUATE``
and one more method of the evaluators.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ictgate.core.errors import DecisionLogUnavailable, EngineError, InputError, SchemaViolation
from ictgate.core.thai_errors import DETAIL_TH, bilingual, detail_th
from ictgate.gate.documents import DocumentSyntaxError, Source, read_source
from ictgate.gate.evaluators import Evaluator
from ictgate.gate.results import FileResult, Problem

__all__ = ["check_document", "check_files", "document_kind"]

SUBMISSION = "submission"
COMMITTEE_ORDER = "committee_order"


def document_kind(document: Any) -> str:
    """The kind of a parsed document, told by its content.

    A document with ``members`` and ``order`` and no ``project`` is a committee
    order (schemas/committee_order.schema.json); anything else is checked as a
    proposal, so a proposal with a mistake still gets the proposal's errors.
    """
    if isinstance(document, dict) and {"members", "order"} <= document.keys() and "project" not in document:
        return COMMITTEE_ORDER
    return SUBMISSION


def _precheck(evaluator: Evaluator, source: Source, as_of: str | None) -> dict[str, Any]:
    return evaluator.precheck(source, as_of)


def _check_order(evaluator: Evaluator, source: Source, as_of: str | None) -> dict[str, Any]:
    return evaluator.check_order(source, as_of)


_EVALUATE: dict[str, Callable[[Evaluator, Source, str | None], dict[str, Any]]] = {
    SUBMISSION: _precheck,
    COMMITTEE_ORDER: _check_order,
}


def _invalid(error: InputError) -> Problem:
    errors = tuple(bilingual(item) for item in error.errors) if isinstance(error, SchemaViolation) else ()
    line = error.line if isinstance(error, DocumentSyntaxError) else None
    return Problem("invalid", error.code, error.detail, errors, line, detail_th(error))


def check_document(path: Path, evaluator: Evaluator, as_of: str | None) -> FileResult:
    """One file's result. Raises EngineError when the engine gave no answer."""
    started = time.perf_counter()
    try:
        source = read_source(path)
    except DocumentSyntaxError as error:
        return FileResult(path, problem=_invalid(error), seconds=time.perf_counter() - started)
    kind = document_kind(source.document)
    try:
        verdict = _EVALUATE[kind](evaluator, source, as_of)
    except InputError as error:
        result = FileResult(path, kind, source, problem=_invalid(error))
    else:
        result = FileResult(path, kind, source, verdict=verdict)
    result.seconds = time.perf_counter() - started
    return result


def check_files(paths: Sequence[Path], evaluator: Evaluator, as_of: str | None) -> list[FileResult]:
    """Every file's result. After an engine failure the rest are reported unchecked, not evaluated."""
    results: list[FileResult] = []
    for position, path in enumerate(paths):
        try:
            results.append(check_document(path, evaluator, as_of))
        except (EngineError, DecisionLogUnavailable) as error:
            # No verdict without its log entry when --log was asked: the run stops like an engine failure.
            results.append(
                FileResult(
                    path, problem=Problem("error", error.code, error.detail, detail_th=detail_th(error))
                )
            )
            reason = f"not checked: no verdict could be given for {path} ({error.code})"
            reason_th = f"{DETAIL_TH['not_checked']} (ไฟล์ {path})"
            results.extend(
                FileResult(rest, problem=Problem("error", "not_checked", reason, detail_th=reason_th))
                for rest in paths[position + 1 :]
            )
            break
    return results
