from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.core.engines import OpaEmbeddedEngine, PolicyEngine, RegorusEngine
from ictgate.core.policy import PolicyBundle, load_bundle
from ictgate.core.settings import Settings
from ictgate.core.validation import SchemaSet
from ictgate.prechecker import Prechecker

# The decision log's backends (SQLite and a real PostgreSQL) for tests/audit/.
from tests.support.decisionlog_fixtures import log, postgres_url, store  # noqa: F401
from tests.support.helpers import ROOT, serving


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # Never the checkout's var/: an app built from these settings logs into a temporary file.
    log_file = tmp_path_factory.mktemp("decision-log") / "decisions.sqlite3"
    # Development mode: the API tests are about answers; tests/api/test_auth.py is about who may ask.
    return Settings(
        policy_dir=ROOT / "policies", schema_dir=ROOT / "schemas", decision_log=log_file, dev_mode=True
    )


@pytest.fixture(scope="session")
def bundle(settings: Settings) -> PolicyBundle:
    return load_bundle(settings.policy_dir)


@pytest.fixture(scope="session")
def schemas(settings: Settings) -> SchemaSet:
    return SchemaSet(settings.schema_dir)


@pytest.fixture(scope="session")
def embedded_engine(bundle: PolicyBundle) -> Iterator[PolicyEngine]:
    """The default engine, embedded OPA: what `make run` serves and the API tests ask."""
    engine = OpaEmbeddedEngine(bundle)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def regorus_engine(bundle: PolicyBundle) -> Iterator[PolicyEngine]:
    """The alternative engine, for the tests that hold the two to the same verdicts."""
    engine = RegorusEngine(bundle)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def prechecker(bundle: PolicyBundle, embedded_engine: PolicyEngine, schemas: SchemaSet) -> Prechecker:
    return Prechecker(bundle, embedded_engine, schemas)


@pytest.fixture(scope="session")
def client(settings: Settings, prechecker: Prechecker) -> Iterator[TestClient]:
    app = create_app(settings, prechecker)
    # Not as a context manager: the session-wide engine outlives this client.
    yield TestClient(app)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `ictgate serve` on loopback, on the embedded engine, in development mode."""
    with serving(tmp_path_factory.mktemp("served-log"), ICTGATE_DEV_MODE="true") as url:
        yield url
