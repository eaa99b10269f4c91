"""An OPA server, asked through its REST Data API (``POST /v1/data/<path>``).

httpx, not opa-python-client: that client is built on requests and aiohttp,
so its error paths cannot be exercised with ``httpx.MockTransport`` as the
tests must, it raises the transport's own exceptions rather than typed ones,
and it would bring two more HTTP stacks into a service that already has httpx.
The Data API is one POST; this module is the whole client.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any

import httpx

from ictgate.core.errors import EngineBadResult, EngineTimeout, EngineUnavailable

__all__ = ["OpaServerEngine"]


class OpaServerEngine:
    def __init__(
        self,
        base_url: str,
        timeout: float = 2.0,
        transport: httpx.BaseTransport | None = None,
        retries: int = 2,
        backoff: float = 0.05,
    ) -> None:
        self._retries = retries
        self._backoff = backoff
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._client = httpx.Client(base_url=self._base_url, timeout=timeout, transport=transport)
        self._version: str | None = None
        # The exchanges run here; the caller waits for each at most ``timeout`` in all.
        self._calls = ThreadPoolExecutor(max_workers=8, thread_name_prefix="opa-client")

    @property
    def description(self) -> str:
        if self._version is None:
            self._version = self._ask_version()
        return f"opa {self._version}" if self._version else "opa"

    def _ask_version(self) -> str:
        # opa.runtime() carries the server's version; older or locked-down
        # servers may refuse ad-hoc queries, which only costs the version label.
        try:
            response = self._request("/v1/query", {"query": "v := opa.runtime().version"})
            # The Query API answers {"result": [{"v": "1.20.2"}]}: one object of bindings per row.
            rows = response.json().get("result", [])
            return str(rows[0]["v"]) if rows else ""
        except (httpx.HTTPError, EngineTimeout, ValueError, KeyError, IndexError, TypeError, AttributeError):
            return ""

    def policy_revision(self) -> str | None:
        """The revision of the bundle(s) the server has loaded, from OPA's provenance.

        ``GET /v1/data/<path>?provenance=true`` answers ``provenance.bundles.<name>.revision``
        for every bundle (or ``provenance.revision`` for a single legacy one). The path asked
        is one no policy defines, so nothing is evaluated. None: the server loaded no bundle.
        Raises the engine's errors when the server does not answer.
        """
        url = "/v1/data/ictgate/readiness_revision_probe?provenance=true"
        with self._reaching_opa():
            response = self._client.get(url, timeout=self._timeout)
        if response.status_code != 200:
            raise _status_error(response)
        try:
            provenance = response.json().get("provenance") or {}
            revisions = sorted(
                {str(b["revision"]) for b in (provenance.get("bundles") or {}).values() if b.get("revision")}
            )
        except (ValueError, AttributeError, TypeError) as error:
            raise EngineBadResult("OPA's provenance is not what its REST API documents") from error
        if not revisions and provenance.get("revision"):
            revisions = [str(provenance["revision"])]
        return ", ".join(revisions) or None

    def evaluate(self, rule_path: str, input_document: dict[str, Any]) -> Any:
        """The rule's value, within ``timeout`` seconds in all: connecting, sending, every read.

        The exchange runs in a thread of its own and the caller waits for it at most
        the deadline, so not even one slow network operation can hold it longer
        (httpx's limits apply per operation; ``_request`` also stops a slow answer).
        """
        url = "/v1/data/" + rule_path.strip("/")
        try:
            future = self._calls.submit(self._post_with_retries, url, {"input": input_document})
        except RuntimeError as error:  # closed
            raise EngineUnavailable(f"the client of OPA at {self._base_url} has been closed") from error
        with self._reaching_opa():
            try:
                response = future.result(timeout=self._timeout)
            except FutureTimeout as error:
                # A call still queued is not sent later, when nobody waits for its answer.
                future.cancel()
                late = f"no answer from OPA at {self._base_url} within {self._timeout} s"
                raise EngineTimeout(late) from error
        if response.status_code != 200:
            raise _status_error(response)
        try:
            body = response.json()
        except ValueError as error:
            raise EngineBadResult("OPA answered with something that is not JSON") from error
        if not isinstance(body, dict) or "result" not in body:
            # The Data API omits "result" when the rule is undefined for this input.
            raise EngineBadResult(f"{rule_path} is undefined in OPA for this input")
        return body["result"]

    @contextmanager
    def _reaching_opa(self) -> Iterator[None]:
        """httpx's failures to reach OPA as the engine's errors (a timeout, or no connection)."""
        try:
            yield
        except httpx.TimeoutException as error:
            raise EngineTimeout(f"no answer from OPA at {self._base_url} in time") from error
        except httpx.TransportError as error:
            raise EngineUnavailable(f"cannot reach OPA at {self._base_url}: {error}") from error

    def _post_with_retries(self, url: str, body: dict[str, Any]) -> httpx.Response:
        # Only a refused or failed connection is retried (bounded, with back-off):
        # the request never reached OPA. A timeout or an error answer is final.
        deadline = time.monotonic() + self._timeout
        for attempt in range(self._retries + 1):
            try:
                return self._request(url, body, deadline)
            except httpx.ConnectError:
                if attempt == self._retries or time.monotonic() >= deadline:
                    raise
                time.sleep(min(self._backoff * 2**attempt, max(0.0, deadline - time.monotonic())))
        raise AssertionError("unreachable")

    def _request(self, url: str, body: dict[str, Any], deadline: float | None = None) -> httpx.Response:
        """POST with one deadline for the whole exchange, not per read.

        httpx's timeouts apply to each network operation, so a server that drips
        its answer a byte at a time would never trip them; the body is read in
        chunks and the deadline checked after each. Each operation may still
        wait up to the time left, so a call ends within twice the limit at worst.
        """
        deadline = deadline if deadline is not None else time.monotonic() + self._timeout
        left = deadline - time.monotonic()
        if left <= 0:
            raise EngineTimeout(f"no answer from OPA at {self._base_url} within {self._timeout} s")
        with self._client.stream("POST", url, json=body, timeout=left) as response:
            chunks: list[bytes] = []
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise EngineTimeout(f"no answer from OPA at {self._base_url} within {self._timeout} s")
        # The body is already decoded (gzip and the like): keep only its media type.
        media_type = {"content-type": response.headers.get("content-type", "application/json")}
        return httpx.Response(
            response.status_code, headers=media_type, content=b"".join(chunks), request=response.request
        )

    def close(self) -> None:
        self._calls.shutdown(wait=False, cancel_futures=True)
        self._client.close()


def _status_error(response: httpx.Response) -> EngineBadResult | EngineUnavailable:
    try:
        message = str(response.json().get("message", ""))
    except (ValueError, AttributeError):
        message = ""
    detail = f"OPA answered HTTP {response.status_code}" + (f": {message}" if message else "")
    if response.status_code >= 500:
        return EngineUnavailable(detail)
    return EngineBadResult(detail)
