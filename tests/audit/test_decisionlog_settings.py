"""How the decision log is configured: the settings fields and the backend they choose."""

from __future__ import annotations

from pathlib import Path

import pytest
from ictgate.audit.decisionlog import SQLiteDecisionLog, open_decision_log
from ictgate.audit.decisionlog.postgres import PostgresDecisionLog
from ictgate.core.settings import REPO_ROOT, Settings
from pydantic import ValidationError

from tests.support.decisionlog_samples import Sample
from tests.support.decisionlog_store import Store


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "ICTGATE_DECISION_LOG", "ICTGATE_DECISION_LOG_MASK"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.decision_log == REPO_ROOT / "var" / "decisions.sqlite3"
    assert settings.database_url is None
    assert settings.decision_log_mask == ("/order/members/*/name",)


def test_the_environment_sets_path_url_and_mask(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ICTGATE_DECISION_LOG", str(tmp_path / "log.sqlite3"))
    monkeypatch.setenv("DATABASE_URL", "postgresql://ictgate@db/ictgate")
    monkeypatch.setenv("ICTGATE_DECISION_LOG_MASK", '["/order/members/*/name", "/submission/agency/contact"]')
    settings = Settings()
    assert settings.decision_log == tmp_path / "log.sqlite3"
    assert settings.database_url == "postgresql://ictgate@db/ictgate"
    assert settings.decision_log_mask == ("/order/members/*/name", "/submission/agency/contact")


def test_a_malformed_mask_pointer_stops_the_settings() -> None:
    with pytest.raises(ValidationError, match="must start with '/'"):
        Settings(decision_log_mask=("order/members/*/name",))


def test_the_factory_chooses_the_backend_and_passes_the_mask(store: Store) -> None:
    log = store.open(mask=("/submission/agency/name",))
    try:
        expected = PostgresDecisionLog if store.backend == "postgres" else SQLiteDecisionLog
        assert type(log) is expected
        assert log.append(Sample(1).record()).agency_name == "***"
    finally:
        log.close()


def test_sqlite_creates_its_folder_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "var" / "nested" / "decisions.sqlite3"
    log = open_decision_log(Settings(decision_log=path, DATABASE_URL=None))
    try:
        assert path.is_file()
        assert log.description == f"sqlite {path}"
        assert log.query().total == 0
    finally:
        log.close()
