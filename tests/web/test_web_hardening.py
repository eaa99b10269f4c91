"""Security review, round two, on the pages: logout ends the session on the server (item 10), and a
pasted YAML alias bomb is refused at once (item 4)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.core.auth import hash_key
from ictgate.core.settings import ApiKeyEntry, Settings
from ictgate.prechecker import Prechecker
from ictgate.web.session import COOKIE

from tests.gate.test_bounded_documents import LAUGHS
from tests.web.test_web_pages import SUBMITTER_KEY, csrf_of, login

SECRET = "s" * 40


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        decision_log=tmp_path / "decisions.sqlite3",
        dev_mode=False,
        session_secret=SECRET,
        api_keys=(ApiKeyEntry(id="officer", role="submitter", sha256=hash_key(SUBMITTER_KEY)),),
    )


@pytest.fixture
def workers(tmp_path: Path, prechecker: Prechecker) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps as two worker processes have them: one secret, one session store, nothing else shared."""
    settings = _settings(tmp_path)
    yield (
        TestClient(create_app(settings, prechecker), follow_redirects=False),
        TestClient(create_app(settings, prechecker), follow_redirects=False),
    )


def _logout(client: TestClient) -> None:
    page = client.get("/precheck")
    assert client.post("/logout", data={"csrf_token": csrf_of(page.text)}).status_code == 303


def test_fixed_a_copied_cookie_stops_working_at_logout(workers: tuple[TestClient, TestClient]) -> None:
    """Was: logout only deleted the browser's cookie, and a copy of it worked for 8 hours."""
    first, _ = workers
    login(first, SUBMITTER_KEY)
    copied = first.cookies[COOKIE]
    assert first.get("/precheck").status_code == 200
    _logout(first)
    first.cookies.set(COOKIE, copied)
    answer = first.get("/precheck")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_fixed_logout_on_one_worker_ends_the_session_on_every_worker(
    workers: tuple[TestClient, TestClient],
) -> None:
    first, second = workers
    login(first, SUBMITTER_KEY)
    copied = first.cookies[COOKIE]
    second.cookies.set(COOKIE, copied)
    assert second.get("/precheck").status_code == 200  # one secret: the other worker reads the session
    _logout(first)
    assert second.get("/precheck").status_code == 303


def test_other_sessions_of_the_same_key_are_not_ended(workers: tuple[TestClient, TestClient]) -> None:
    first, second = workers
    login(first, SUBMITTER_KEY)
    login(second, SUBMITTER_KEY)
    _logout(first)
    assert second.get("/precheck").status_code == 200


def test_a_cookie_without_a_session_id_is_logged_out(tmp_path: Path, prechecker: Prechecker) -> None:
    """A cookie signed before sessions had ids cannot be revoked, so it is not honoured."""

    from ictgate.web.session import _sign

    client = TestClient(create_app(_settings(tmp_path), prechecker), follow_redirects=False)
    # The payload as the previous version signed it: no "sid".
    payload = {"csrf": "csrf", "exp": int(time.time()) + 3600, "kid": "officer", "role": "submitter"}
    body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).rstrip(b"=")
    secret = hashlib.sha256(SECRET.encode()).digest()
    client.cookies.set(COOKIE, f"{body.decode()}.{_sign(secret, body)}")
    assert client.get("/precheck").status_code == 303


def test_fixed_a_pasted_alias_bomb_is_refused_at_once(workers: tuple[TestClient, TestClient]) -> None:
    """Was: 440 bytes pasted on /committee took 20 s."""
    client, _ = workers
    login(client, SUBMITTER_KEY)
    page = client.get("/committee")
    started = time.process_time()
    answer = client.post("/committee", data={"csrf_token": csrf_of(page.text), "document": LAUGHS})
    assert time.process_time() - started < 1.0
    assert answer.status_code == 400
    assert "YAML aliases (*a) are not accepted" in answer.text
