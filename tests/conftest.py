from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.core.engines import EmbeddedEngine
from ictgate.core.policy import PolicyBundle, load_bundle
from ictgate.core.prechecker import Prechecker
from ictgate.core.settings import REPO_ROOT, Settings
from ictgate.core.validation import SchemaSet

# The decision log's backends (SQLite and a real PostgreSQL) for tests/test_decisionlog*.py.
from .decisionlog_fixtures import postgres_url, store  # noqa: F401

ROOT = REPO_ROOT


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # Never the checkout's var/: an app built from these settings logs into a temporary file.
    log = tmp_path_factory.mktemp("decision-log") / "decisions.sqlite3"
    # Development mode: the API tests are about answers; tests/test_auth.py is about who may ask.
    return Settings(
        policy_dir=ROOT / "policies", schema_dir=ROOT / "schemas", decision_log=log, dev_mode=True
    )


@pytest.fixture(scope="session")
def bundle(settings: Settings) -> PolicyBundle:
    return load_bundle(settings.policy_dir)


@pytest.fixture(scope="session")
def schemas(settings: Settings) -> SchemaSet:
    return SchemaSet(settings.schema_dir)


@pytest.fixture(scope="session")
def embedded_engine(bundle: PolicyBundle) -> Iterator[EmbeddedEngine]:
    engine = EmbeddedEngine(bundle)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def prechecker(bundle: PolicyBundle, embedded_engine: EmbeddedEngine, schemas: SchemaSet) -> Prechecker:
    return Prechecker(bundle, embedded_engine, schemas)


@pytest.fixture(scope="session")
def client(settings: Settings, prechecker: Prechecker) -> Iterator[TestClient]:
    app = create_app(settings, prechecker)
    # Not as a context manager: the session-wide engine outlives this client.
    yield TestClient(app)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def triples(verdict: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(f["rule"], f["outcome"], f["field"]) for f in verdict["findings"]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], *arguments: str) -> tuple[subprocess.Popen[bytes], str]:
    """`ictgate serve ARGUMENTS` on a free loopback port with exactly ``env``, once it is ready."""
    port = free_port()
    command = ["serve", "--port", str(port), "--log-level", "warning", *arguments]
    process = subprocess.Popen([sys.executable, "-m", "ictgate", *command], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"ictgate serve {' '.join(arguments)} did not become ready")
        time.sleep(0.1)


@contextmanager
def serving(log_dir: Path, **env: str) -> Iterator[str]:
    """A real `ictgate serve` on a free loopback port, with ``env`` added; yields its URL."""
    base = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "ICTGATE_DECISION_LOG": str(log_dir / "decisions.sqlite3"),
    }
    process, url = start_server({**base, **env})
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `ictgate serve` on loopback, on the embedded engine, in development mode."""
    with serving(tmp_path_factory.mktemp("served-log"), ICTGATE_DEV_MODE="true") as url:
        yield url
