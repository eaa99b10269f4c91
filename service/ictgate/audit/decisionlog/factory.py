"""Choosing the backend from the settings."""

from __future__ import annotations

from ictgate.audit.decisionlog.anchoring import load_anchor_key
from ictgate.audit.decisionlog.base import DecisionLog, DecisionLogSettings
from ictgate.core.masking import Mask

__all__ = ["open_decision_log"]

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_decision_log(settings: DecisionLogSettings, *, timeout: float = 10.0) -> DecisionLog:
    """PostgreSQL when ``settings.database_url`` is set, else the SQLite file ``settings.decision_log``.

    The tables are created on first use. ``timeout`` bounds how long an
    operation waits for a lock or a connection before it raises
    ``DecisionLogUnavailable``; a malformed mask pointer or a
    ``DATABASE_URL`` that is not PostgreSQL's, or an anchor key file that cannot be
    read or is too short, raises ``ValueError``.
    """
    mask = Mask(settings.decision_log_mask)
    # Read at start, from outside the database (ICTGATE_ANCHOR_KEY_FILE); None: an unanchored log.
    anchor = load_anchor_key(settings.anchor_key_file)
    url = settings.database_url
    if url:
        if "://" in url and not url.startswith(_POSTGRES_SCHEMES):
            raise ValueError("DATABASE_URL must be a postgresql:// URL (or libpq key=value settings)")
        # Imported here: psycopg is only loaded by deployments that use it.
        from ictgate.audit.decisionlog.postgres import PostgresDecisionLog

        return PostgresDecisionLog(url, mask=mask, timeout=timeout, anchor=anchor)
    from ictgate.audit.decisionlog.sqlite import SQLiteDecisionLog

    return SQLiteDecisionLog(settings.decision_log, mask=mask, timeout=timeout, anchor=anchor)
