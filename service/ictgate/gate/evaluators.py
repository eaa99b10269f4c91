"""What answers a ``check``: the embedded engine, or a running ictgate service.

Both take the parsed file and give the stamped verdict of ``POST /v1/precheck``,
or raise the product's own errors (ictgate/core/errors.py): ``InputError`` for a
file the agency must fix, ``EngineError`` when no verdict could be had. The
service path maps HTTP answers onto those errors in one place
(``_raise_for_answer``), so a run reports the same way against either.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Protocol

import httpx

from ictgate import __version__
from ictgate.core.errors import (
    EngineBadResult,
    EngineError,
    EngineTimeout,
    EngineUnavailable,
    FieldError,
    InputError,
    MalformedInput,
    PayloadTooLarge,
    SchemaViolation,
    UnsupportedMediaType,
)
from ictgate.gate.documents import Source

__all__ = ["Evaluator", "LocalEvaluator", "ServerEvaluator", "json_text"]

_VERDICTS = frozenset({"pass", "fail", "needs_review", "not_applicable"})


class Evaluator(Protocol):
    description: str

    def precheck(self, source: Source, as_of: str | None) -> dict[str, Any]: ...

    def check_order(self, source: Source, as_of: str | None) -> dict[str, Any]: ...

    def close(self) -> None: ...


class _Closes(Protocol):
    def close(self) -> None: ...


class _Engine(Protocol):
    # Not ictgate.core.engines.PolicyEngine: importing that package loads the engines,
    # and `ictgate check --server` must start without them.
    @property
    def description(self) -> str: ...

    def close(self) -> None: ...


class Checker(Protocol):
    """What a local check needs of a pre-checker (``ictgate.prechecker.Prechecker``)."""

    @property
    def engine(self) -> _Engine: ...

    @property
    def log(self) -> _Closes | None: ...

    def precheck(self, submission: Any, as_of: str | None = None) -> dict[str, Any]: ...

    def check_order(
        self, order: Any, as_of: str | None = None, category: str | None = None
    ) -> dict[str, Any]: ...


class LocalEvaluator:
    """The pre-check in this process, on a ``Prechecker`` built by ``ictgate.compose``."""

    def __init__(self, checker: Checker, order_category: str | None = None) -> None:
        self._order_category = order_category
        self._checker = checker
        self.description = checker.engine.description

    def precheck(self, source: Source, as_of: str | None) -> dict[str, Any]:
        return self._checker.precheck(source.document, as_of)

    def check_order(self, source: Source, as_of: str | None) -> dict[str, Any]:
        return self._checker.check_order(source.document, as_of, self._order_category)

    def close(self) -> None:
        self._checker.engine.close()
        if self._checker.log is not None:
            self._checker.log.close()


def json_text(value: Any) -> str:
    """A parsed document as JSON text, numbers exactly as written (Decimal, not float)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal | int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(json_text(item) for item in value) + "]"
    if isinstance(value, dict):
        members = (
            json.dumps(key if isinstance(key, str) else json_text(key), ensure_ascii=False)
            + ":"
            + json_text(item)
            for key, item in value.items()
        )
        return "{" + ",".join(members) + "}"
    raise MalformedInput(f"a {type(value).__name__} value cannot be sent as JSON")


_INPUT_ERRORS: dict[str, type[InputError]] = {
    MalformedInput.code: MalformedInput,
    PayloadTooLarge.code: PayloadTooLarge,
    UnsupportedMediaType.code: UnsupportedMediaType,
}
_ENGINE_ERRORS: dict[str, type[EngineError]] = {
    EngineUnavailable.code: EngineUnavailable,
    EngineTimeout.code: EngineTimeout,
    EngineBadResult.code: EngineBadResult,
}
# Answers about the file itself; any other 4xx (404 wrong URL, 401/403, 429)
# is about the server or the run, and stops the run like an engine failure.
_FILE_STATUSES = frozenset({400, 413, 415, 422})


def _field_errors(problem: dict[str, Any]) -> list[FieldError]:
    items = problem.get("errors")
    if not isinstance(items, list):
        return []
    return [
        FieldError(
            str(item.get("pointer", "")),
            str(item.get("message", "")),
            str(item.get("keyword", "")),
            parameter=str(item.get("parameter", "")),
            message_th=str(item.get("message_th", "")),
        )
        for item in items
        if isinstance(item, dict)
    ]


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _raise_for_answer(response: httpx.Response) -> dict[str, Any]:
    """The verdict of a 200 answer, or the product's error for any other."""
    where = f"{response.request.method} {response.request.url}"
    if response.status_code == 200:
        try:
            verdict = response.json()
        except ValueError:
            raise EngineBadResult(f"{where} answered 200 without JSON") from None
        if (
            not isinstance(verdict, dict)
            or verdict.get("verdict") not in _VERDICTS
            or not isinstance(verdict.get("findings"), list)
        ):
            raise EngineBadResult(f"{where} answered 200 without a verdict")
        return verdict
    problem = _problem(response)
    code = str(problem.get("code", ""))
    detail = str(problem.get("detail") or response.reason_phrase or "no detail")
    thai = str(problem.get("detail_th") or "")
    if response.status_code in _FILE_STATUSES:
        if code == SchemaViolation.code or (response.status_code == 422 and not code):
            raise SchemaViolation(detail, _field_errors(problem), detail_th=thai)
        error = _INPUT_ERRORS.get(code, InputError)(detail, thai)
        if error.code != code and code:
            error.code = code  # keep the server's stable code
        raise error
    engine_error = _ENGINE_ERRORS.get(code, EngineUnavailable)
    raise engine_error(f"{where} answered {response.status_code}: {detail}")


class ServerEvaluator:
    """``POST {url}/v1/precheck`` on a running ictgate service (``--server URL``)."""

    def __init__(
        self,
        url: str,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        order_category: str | None = None,
        api_key: str | None = None,
    ) -> None:
        self._order_category = order_category
        self.url = url.rstrip("/")
        credentials = {"authorization": f"Bearer {api_key}"} if api_key else {}
        self.description = f"ictgate service at {self.url}"
        self._client = httpx.Client(
            base_url=self.url,
            timeout=timeout,
            transport=transport,
            headers={
                "accept": "application/json",
                "user-agent": f"ictgate-check/{__version__}",
                **credentials,
            },
        )

    def precheck(self, source: Source, as_of: str | None) -> dict[str, Any]:
        return self._post("/v1/precheck", source, {"as_of": as_of})

    def check_order(self, source: Source, as_of: str | None) -> dict[str, Any]:
        return self._post("/v1/committees/check", source, {"as_of": as_of, "category": self._order_category})

    def _post(self, path: str, source: Source, query: dict[str, str | None]) -> dict[str, Any]:
        # A JSON file goes as it is, so the service parses the very bytes the file holds.
        body = source.raw if source.is_json else json_text(source.document).encode("utf-8")
        params = {name: value for name, value in query.items() if value} or None
        try:
            response = self._client.post(
                path, content=body, params=params, headers={"content-type": "application/json"}
            )
        except httpx.TimeoutException as error:
            raise EngineTimeout(f"no answer from {self.url} within the time limit ({error})") from error
        except httpx.HTTPError as error:
            raise EngineUnavailable(f"cannot reach {self.url}: {error}") from error
        return _raise_for_answer(response)

    def close(self) -> None:
        self._client.close()
