"""The product's errors, each with a stable code reused in HTTP problem details.

    IctgateError
    ├── InputError                 the caller sent something unusable (4xx, CLI exit 2)
    │   ├── MalformedInput         not parseable JSON/YAML                      400
    │   │   └── NestingTooDeep     JSON nested deeper than the limit            400
    │   ├── UnsupportedMediaType   not JSON                                     415
    │   ├── PayloadTooLarge        over the body-size limit                     413
    │   └── SchemaViolation        parsed, but breaks the JSON Schema           422
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

__all__ = [
    "AuthError",
    "DecisionLogUnavailable",
    "EngineBadResult",
    "EngineError",
    "EngineTimeout",
    "EngineUnavailable",
    "FieldError",
    "Forbidden",
    "IctgateError",
    "InputError",
    "MalformedInput",
    "NestingTooDeep",
    "PayloadTooLarge",
    "SchemaViolation",
    "Unauthenticated",
    "UnsupportedMediaType",
]


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: a JSON Pointer into the document, or a query parameter."""

    pointer: str
    message: str
    keyword: str = ""
    parameter: str = ""

    def as_dict(self) -> dict[str, str]:
        where = {"parameter": self.parameter} if self.parameter else {"pointer": self.pointer}
        item = {**where, "message": self.message}
        if self.keyword:
            item["keyword"] = self.keyword
        return item


class IctgateError(Exception):
    code = "ictgate_error"
    title = "ictgate error"
    status = 500

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


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

    def __init__(self, detail: str, errors: list[FieldError], total: int | None = None) -> None:
        super().__init__(detail)
        self.errors = errors
        # How many errors there are in all; ``errors`` may list only the first of them.
        self.total = len(errors) if total is None else total


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
