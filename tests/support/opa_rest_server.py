"""A small OPA REST server for the tests: OPA's own engine behind OPA's Data and Query APIs.

Not part of the product. No OPA binary can be installed on the build
machines, so the OPA-server client (``ictgate.core.engines.opa_server``) and
the API tests that run through it talk to this server in CI. It evaluates
with the embedded OPA engine (OPA's Go ``rego`` package), so the answers have
real OPA semantics, and it speaks the subset of OPA's REST API the client
uses, with OPA's answer shapes:

- ``POST /v1/data/<path>`` with ``{"input": ...}`` (and ``GET``): ``{"result": ...}``,
  or ``{}`` when the document is undefined; 400 ``invalid_parameter`` for a
  body that is not JSON; 500 ``internal_error`` for an evaluation error. With
  ``?provenance=true`` the answer also carries ``provenance`` (the version and the
  revision of the bundle loaded, as ``opa run --bundle`` reports it).
- ``POST /v1/query`` with ``{"query": "..."}``: ``{"result": [{<var>: <value>}, ...]}``.
  ``opa.runtime()`` answers ``{"version": ...}`` as an OPA server's does.
- ``GET /health``: ``{}``.

Set ``OPA_URL`` to test against a real OPA server instead (``make test`` does
the same checks then).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ictgate.core.engines import embedded_opa_version
from ictgate.core.policy import load_bundle
from opa_bindings import OpaEngine, OpaError, OpaUndefinedError

__all__ = ["opa_rest_server"]


class _Handler(BaseHTTPRequestHandler):
    engine: OpaEngine
    runtime: str
    revision: str

    def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures
        return

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        try:
            body = json.loads(raw)
        except ValueError as error:
            self._answer(400, {"code": "invalid_parameter", "message": f"body is not JSON: {error}"})
            return None
        if not isinstance(body, dict):
            self._answer(400, {"code": "invalid_parameter", "message": "body must be a JSON object"})
            return None
        return body

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/health":
            self._answer(200, {})
        elif self.path.startswith("/v1/data"):
            self._data(None)
        else:
            self._answer(404, {"code": "resource_not_found", "message": self.path})

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        if body is None:
            return
        if self.path.startswith("/v1/data"):
            self._data(body.get("input"))
        elif self.path == "/v1/query":
            self._query(str(body.get("query", "")), body.get("input"))
        else:
            self._answer(404, {"code": "resource_not_found", "message": self.path})

    def _data(self, input_document: Any) -> None:
        path, _, query = self.path.partition("?")
        path = path.removeprefix("/v1/data").strip("/").replace("/", ".")
        # ?provenance=true: OPA adds its version and each loaded bundle's revision.
        extra: dict[str, Any] = {}
        if "provenance=true" in query.split("&"):
            extra["provenance"] = {
                "version": self.runtime,
                "bundles": {"policies": {"revision": self.revision}},
            }
        try:
            result = self.engine.eval_document(path, input_document)
        except OpaUndefinedError:
            self._answer(200, extra)
            return
        except OpaError as error:
            self._answer(500, {"code": "internal_error", "message": error.message})
            return
        self._answer(200, {"result": result, **extra})

    def _query(self, query: str, input_document: Any) -> None:
        # The embedded engine has no runtime information; an OPA server's opa.runtime()
        # carries its version, so the query is given the same.
        if "opa.runtime()" in query:
            query += " with opa.runtime as " + json.dumps({"version": self.runtime})
        try:
            rows = self.engine.eval_query(query, input_document)
        except OpaError as error:
            self._answer(400, {"code": "invalid_parameter", "message": error.message})
            return
        self._answer(200, {"result": rows})


@contextmanager
def opa_rest_server(policy_dir: Path) -> Iterator[str]:
    """Serve ``policy_dir`` as ``opa run --server policy_dir`` would, on loopback; yields the base URL."""
    bundle = load_bundle(policy_dir)
    engine = OpaEngine()
    for name, source in bundle.modules.items():
        engine.add_policy(name, source)
    engine.add_data(bundle.data)
    handler = type(
        "Handler",
        (_Handler,),
        {"engine": engine, "runtime": embedded_opa_version(), "revision": bundle.revision},
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="opa-rest-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        engine.close()
