"""tools/audit_pins.py: pip-audit runs only against a database that answers; "not run" is never "passed"."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.helpers import free_port
from tools import audit_pins
from tools.audit_pins import LOCKS, Pin, pins


class _Advisories(BaseHTTPRequestHandler):
    """PyPI's per-release JSON for every pin; 404 when the server was started to refuse."""

    refuse = False

    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        if self.refuse:
            self.send_error(404)
            return
        body = json.dumps({"info": {}, "vulnerabilities": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(params=["answers", "refuses"])
def pypi(request: pytest.FixtureRequest) -> Iterator[tuple[str, bool]]:
    handler = type("Handler", (_Advisories,), {"refuse": request.param == "refuses"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", request.param == "answers"
    finally:
        server.shutdown()
        server.server_close()


def test_every_pin_of_both_lock_files_is_read_once() -> None:
    pinned = pins(LOCKS)
    names = [pin.name for pin in pinned]
    assert len(names) == len(set(names))
    assert Pin("fastapi", "0.163.2") in pinned  # runtime.lock
    assert Pin("pip-audit", "2.10.1") in pinned  # dev.lock only
    assert Pin("psycopg", "3.3.9") in pinned  # psycopg[binary]: the extra is not part of the name
    lines = [line for lock in LOCKS for line in lock.read_text("utf-8").splitlines() if "==" in line]
    pinned_names = {line.split("==")[0].split("[")[0].lower() for line in lines if not line.startswith(" ")}
    assert pinned_names == set(names)


def test_the_audit_runs_against_the_first_database_that_answers_and_only_then(
    pypi: tuple[str, bool], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, answers = pypi
    ran: list[list[str]] = []

    def call(command: list[str]) -> int:
        ran.append(command)
        return 0

    monkeypatch.setattr(subprocess, "call", call)  # the module audit_pins calls pip-audit through
    monkeypatch.delenv("ICTGATE_REQUIRE_AUDIT", raising=False)
    closed = f"http://127.0.0.1:{free_port()}"

    status = audit_pins.main(["--pypi", url, "--osv", closed, "--timeout", "2"])

    out = capsys.readouterr().out
    first = pins(LOCKS)[0]
    if answers:
        assert status == 0
        assert len(ran) == 1
        command = ran[0]
        assert command[command.index("--vulnerability-service") + 1] == "pypi"
        assert "--strict" in command and "--require-hashes" in command
        assert [command[i + 1] for i, part in enumerate(command) if part == "-r"] == [str(p) for p in LOCKS]
        assert f"advisories from pypi ({url}/pypi/{first.name}/{first.version}/json)" in out
    else:
        assert (status, ran) == (0, [])
        assert f"audit NOT RUN: no advisory database answered about {first.name}=={first.version}" in out
        assert f"pypi: {url}/pypi/{first.name}/{first.version}/json → HTTP 404" in out
        assert f"osv: {closed}/v1/query → unreachable" in out


@pytest.mark.parametrize("how", ["--require", "ICTGATE_REQUIRE_AUDIT=1"])
def test_an_audit_that_cannot_run_fails_when_required(
    how: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(subprocess, "call", lambda command: pytest.fail("pip-audit must not run"))
    closed = f"http://127.0.0.1:{free_port()}"
    argv = ["--pypi", closed, "--osv", closed, "--timeout", "2"]
    if how == "--require":
        monkeypatch.delenv("ICTGATE_REQUIRE_AUDIT", raising=False)
        argv.append("--require")
    else:
        monkeypatch.setenv("ICTGATE_REQUIRE_AUDIT", "1")
    assert audit_pins.main(argv) == 2
    assert "an audit that could not run never passes" in capsys.readouterr().out


def test_ci_runs_the_audit() -> None:
    ci = (Path(audit_pins.ROOT) / ".ci" / "run").read_text("utf-8")
    makefile = (Path(audit_pins.ROOT) / "Makefile").read_text("utf-8")
    assert "\nmake audit-ci\n" in ci
    assert "audit-ci: $(VENV)/.dev\n\t$(BIN)/python tools/audit_pins.py\n" in makefile
