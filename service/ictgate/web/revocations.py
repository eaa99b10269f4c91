"""Ended web sessions, in a small SQLite file every worker process reads.

A signed cookie is valid until it expires (8 hours) wherever it is presented;
logging out must end it on the server too, or a copy taken before the logout
still works. Logout writes the session's id and expiry here; every request
of a logged-in session asks whether its id is here (one indexed read). Rows
are removed once the session would have expired anyway, so the file stays
small.

The file is ICTGATE_SESSION_STORE, by default ``sessions.sqlite3`` beside the
SQLite decision log: one per machine, shared by ``ictgate serve --workers N``.
Several machines behind one address need it on shared storage, or sticky
sessions. If the store cannot be read, a logged-in session is treated as
ended (fail closed); if logout cannot write to it, the page says so (503)
rather than pretend the session ended.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from ictgate.core.errors import IctgateError

__all__ = ["SessionRevocations", "SessionStoreUnavailable", "revocations_of", "store_path"]

log = logging.getLogger("ictgate.web")

_SCHEMA = "CREATE TABLE IF NOT EXISTS ended_sessions (sid TEXT PRIMARY KEY, expires INTEGER NOT NULL) STRICT"


class SessionStoreUnavailable(IctgateError):
    code = "session_store_unavailable"
    title = "Session store unavailable"
    status = 503


class SessionRevocations:
    """The ended sessions in the SQLite file at ``path`` (created on first use)."""

    def __init__(self, path: Path, timeout: float = 2.0) -> None:
        self.path = path
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute(_SCHEMA)
            self._local.connection = connection
        return connection

    def revoke(self, sid: str, expires: int) -> None:
        try:
            connection = self._connection()
            connection.execute(
                "INSERT INTO ended_sessions (sid, expires) VALUES (?, ?) "
                "ON CONFLICT (sid) DO UPDATE SET expires = excluded.expires",
                [sid, int(expires)],
            )
            connection.execute("DELETE FROM ended_sessions WHERE expires < ?", [int(time.time())])
        except (OSError, sqlite3.Error) as error:
            raise SessionStoreUnavailable(
                f"the session could not be ended on the server ({self.path}: {error}); "
                "it was not logged out, try again"
            ) from error

    def is_revoked(self, sid: str) -> bool:
        try:
            row = self._connection().execute("SELECT 1 FROM ended_sessions WHERE sid = ?", [sid]).fetchone()
        except (OSError, sqlite3.Error) as error:
            log.error("session store %s unreadable (%s): treating the session as ended", self.path, error)
            return True
        return row is not None


def store_path(settings: Any) -> Path:
    configured: Path | None = getattr(settings, "session_store", None)
    if configured is not None:
        return configured
    return Path(settings.decision_log).with_name("sessions.sqlite3")


_LOCK = threading.Lock()


def revocations_of(state: Any) -> SessionRevocations:
    """The application's store (``app.state``), made on first use from its settings."""
    with _LOCK:
        store = getattr(state, "session_revocations", None)
        if not isinstance(store, SessionRevocations):
            store = SessionRevocations(store_path(state.settings))
            state.session_revocations = store
        return store
