"""How a logged decision reads to an auditor, for the API and the pages alike."""

from __future__ import annotations

from typing import Any

from ictgate.audit.decisionlog import StoredRecord

__all__ = ["decision_view"]


def decision_view(record: StoredRecord) -> dict[str, Any]:
    """A logged decision as an auditor reads it: what was asked, what was answered, under which rules."""
    return {
        "decision_id": record.decision_id,
        "sequence": record.sequence,
        "recorded_at": record.recorded_at,
        "kind": record.kind,
        "as_of": record.as_of,
        "input": record.input,
        "input_digest": record.input_digest,
        "verdict": record.verdict,
        "policy": {"revision": record.policy_revision, "digest": record.policy_digest},
        "engine": record.engine,
        "chain": {"prev_hash": record.prev_hash, "hash": record.hash},
    }
