"""The product's errors, each with a stable code reused in HTTP problem details.

    IctgateError
    ├── InputError                 the caller sent something unusable (4xx, CLI exit 2)
    │   ├── MalformedInput         not parseable JSON/YAML                      400
    │   │   └── NestingTooDeep     JSON nested deeper than the limit            400
    │   ├── UnsupportedMediaType   not JSON                                     415
    │   ├── PayloadTooLarge        over the body-size limit                     413
    │   ├── SchemaViolation        parsed, but breaks the JSON Schema           422
    │   ├── UnknownDecision        no logged pre-check with this id             404
    │   └── InadmissibleResolution a resolution the policy refuses (findings)   422
    ├── AuthError                  who is calling, and may they?
    │   ├── Unauthenticated        no key, or a key nobody issued               401
    │   └── Forbidden              a valid key whose role may not do this       403
    ├── EngineError                the policy engine gave no usable answer      503
    │   ├── EngineUnavailable      cannot reach or start the engine
    │   ├── EngineTimeout          no answer within the time limit
    │   └── EngineBadResult        undefined or malformed result
    └── DecisionLogUnavailable     the decision log cannot store or read        503
                                   (disk full, read-only file, database down)

An engine error never becomes a verdict: the service answers 503 and the
command line exits 2, so a failed evaluation can never read as ``pass``.
A verdict that could not be logged should not be given out either: the log is
the auditors' record, and an answer it does not hold is one nobody can trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "AuthError",
    "DecisionLogUnavailable",
    "EngineBadResult",
    "EngineError",
    "EngineTimeout",
    "EngineUnavailable",
    "FieldError",
    "Forbidden",
    "InadmissibleResolution",
    "IctgateError",
    "InputError",
    "MalformedInput",
    "NestingTooDeep",
    "PayloadTooLarge",
    "SchemaViolation",
    "UnknownDecision",
    "Unauthenticated",
    "UnsupportedMediaType",
]


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: a JSON Pointer into the document, or a query parameter.

    ``message`` is English; ``message_th`` says the same in Thai, naming the field by its
    Thai label (ictgate/core/thai_errors.py fills it in where it is left empty).
    """

    pointer: str
    message: str
    keyword: str = ""
    parameter: str = ""
    message_th: str = ""

    def as_dict(self) -> dict[str, str]:
        where = {"parameter": self.parameter} if self.parameter else {"pointer": self.pointer}
        item = {**where, "message": self.message}
        if self.message_th:
            item["message_th"] = self.message_th
        if self.keyword:
            item["keyword"] = self.keyword
        return item


class IctgateError(Exception):
    code = "ictgate_error"
    title = "ictgate error"
    status = 500

    def __init__(self, detail: str, detail_th: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        # The same in Thai; when empty, ictgate.core.thai_errors.detail_th gives the code's own.
        self.detail_th = detail_th


class InputError(IctgateError):
    code = "invalid_input"
    title = "Invalid input"
    status = 400


class MalformedInput(InputError):
    code = "malformed_json"
    title = "Malformed JSON"
    status = 400


class NestingTooDeep(MalformedInput):
    code = "nesting_too_deep"
    title = "JSON nested too deeply"


class AuthError(IctgateError):
    code = "auth_error"
    title = "Not allowed"
    status = 401


class Unauthenticated(AuthError):
    code = "unauthenticated"
    title = "Authentication required"
    status = 401


class Forbidden(AuthError):
    code = "forbidden"
    title = "Not allowed for this role"
    status = 403


class UnsupportedMediaType(InputError):
    code = "unsupported_media_type"
    title = "Unsupported media type"
    status = 415


class PayloadTooLarge(InputError):
    code = "payload_too_large"
    title = "Request body too large"
    status = 413


class SchemaViolation(InputError):
    code = "schema_violation"
    title = "The document does not match its schema"
    status = 422

    def __init__(
        self, detail: str, errors: list[FieldError], total: int | None = None, detail_th: str = ""
    ) -> None:
        super().__init__(detail, detail_th)
        self.errors = errors
        # How many errors there are in all; ``errors`` may list only the first of them.
        self.total = len(errors) if total is None else total


class UnknownDecision(InputError):
    """No logged pre-check has this decision id (a resolution resolves a logged pre-check only)."""

    code = "unknown_decision"
    title = "Unknown decision"
    status = 404


class InadmissibleResolution(InputError):
    """The policies refuse to record a committee resolution; ``verdict`` is their stamped answer.

    Nothing was logged. ``findings`` are the verdict's findings that failed or need
    review (what to correct), each with its field in the resolution and its citation.
    """

    code = "inadmissible_resolution"
    title = "The resolution cannot be recorded"
    status = 422

    def __init__(self, detail: str, verdict: dict[str, Any], detail_th: str = "") -> None:
        super().__init__(detail, detail_th)
        self.verdict = verdict
        self.findings: list[dict[str, Any]] = [
            finding
            for finding in verdict.get("findings", [])
            if isinstance(finding, dict) and finding.get("outcome") in ("fail", "review")
        ]


class EngineError(IctgateError):
    code = "engine_error"
    title = "Policy engine unavailable"
    status = 503


class EngineUnavailable(EngineError):
    code = "engine_unavailable"


class EngineTimeout(EngineError):
    code = "engine_timeout"


class EngineBadResult(EngineError):
    code = "engine_bad_result"


class DecisionLogUnavailable(IctgateError):
    """The decision log could not complete an operation; records already stored are untouched."""

    code = "decision_log_unavailable"
    title = "Decision log unavailable"
    status = 503
