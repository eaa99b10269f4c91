"""Committee resolutions as the log holds them, read for people and reports.

A resolution record (kind ``resolution``) holds in its input the resolution, the
pre-check verdict it resolves and the earlier resolutions the policies saw; its
verdict is the policies' admissibility verdict (only admissible ones are logged).
Records are never edited: a correction is a new resolution whose ``supersedes``
names the one it replaces. Which resolutions stand is read here from those links
(a fact of the records, not a judgement: the policies admitted each link).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from ictgate.audit.decisionlog import DecisionFilter, DecisionLog, StoredRecord

__all__ = [
    "APPROVALS",
    "OUTCOMES",
    "RESOLUTION_FILTERS",
    "accepted_failures",
    "resolution_of",
    "resolution_view",
    "resolution_views",
    "resolved_filter",
    "standing",
    "superseded_by",
]

# Outcomes that approve the project (the final step of its route).
APPROVALS = ("approved", "approved_with_conditions")
OUTCOMES = (*APPROVALS, "rejected", "deferred", "endorsed")
# What the decision search may ask of a pre-check's resolutions: a standing one with this
# outcome, or ``none`` (no resolution recorded).
RESOLUTION_FILTERS = (*OUTCOMES, "none")


def resolution_of(record: StoredRecord) -> dict[str, Any]:
    """The resolution a record holds (empty for a record of another kind)."""
    value = record.input.get("resolution") if record.kind == "resolution" else None
    return value if isinstance(value, dict) else {}


def superseded_by(records: Iterable[StoredRecord]) -> dict[str, str]:
    """resolution_id -> the id of the later resolution that supersedes it."""
    found: dict[str, str] = {}
    for record in records:
        target = resolution_of(record).get("supersedes")
        if isinstance(target, str):
            found[target] = record.decision_id
    return found


def standing(records: Sequence[StoredRecord]) -> list[StoredRecord]:
    """The resolutions no later one supersedes, in log order."""
    replaced = superseded_by(records)
    return [record for record in records if record.decision_id not in replaced]


def accepted_failures(record: StoredRecord) -> list[dict[str, Any]]:
    """The acceptances of a resolution that cover a failing finding of the verdict it resolved."""
    decision = record.input.get("decision")
    findings = decision.get("findings", []) if isinstance(decision, dict) else []
    failing = {
        (finding.get("rule"), finding.get("field"))
        for finding in findings
        if isinstance(finding, dict) and finding.get("outcome") == "fail"
    }
    return [
        acceptance
        for acceptance in resolution_of(record).get("acceptances", [])
        if isinstance(acceptance, dict) and (acceptance.get("rule"), acceptance.get("field")) in failing
    ]


def resolution_view(record: StoredRecord, replaced_by: str | None = None) -> dict[str, Any]:
    """One logged resolution as the API and the pages show it."""
    return {
        "resolution_id": record.decision_id,
        "decision_id": record.resolves,
        "sequence": record.sequence,
        "recorded_at": record.recorded_at,
        "resolution": resolution_of(record),
        "superseded_by": replaced_by,
        "approved_despite_failing_finding": bool(
            resolution_of(record).get("outcome") in APPROVALS and accepted_failures(record)
        ),
        "verdict": record.verdict,
        "chain": {"prev_hash": record.prev_hash, "hash": record.hash},
    }


def resolution_views(records: Sequence[StoredRecord]) -> list[dict[str, Any]]:
    replaced = superseded_by(records)
    return [resolution_view(record, replaced.get(record.decision_id)) for record in records]


def resolved_filter(
    log: DecisionLog, outcome: str | None = None, accepted_failure: bool | None = None
) -> dict[str, Any]:
    """The ``DecisionFilter`` fields that select pre-checks by their logged resolutions.

    ``outcome``: those whose latest standing (not superseded) resolution has that outcome, or
    with ``none``, those on which no resolution is recorded. ``accepted_failure``: those a standing
    resolution approved despite a failing finding (``False``: all others). Empty when neither is
    asked. Reads the resolution records only (committees resolve far fewer than are pre-checked).
    """
    if outcome is None and accepted_failure is None:
        return {}
    if outcome is not None and outcome not in RESOLUTION_FILTERS:
        raise ValueError(f"resolution {outcome!r} is not one of: {', '.join(RESOLUTION_FILTERS)}")
    by_decision: dict[str, list[StoredRecord]] = defaultdict(list)
    for record in log.iter(DecisionFilter(kind="resolution")):
        if record.resolves is not None:
            by_decision[record.resolves].append(record)
    fields: dict[str, Any] = {"kind": "precheck"}
    wanted: set[str] | None = None
    if outcome == "none":
        fields["excluded_ids"] = tuple(sorted(by_decision))
    elif outcome is not None:
        # What the committees resolved last (a deferral followed by an approval is approved).
        wanted = {
            decision
            for decision, records in by_decision.items()
            if resolution_of(standing(records)[-1]).get("outcome") == outcome
        }
    if accepted_failure is not None:
        despite = {
            decision
            for decision, records in by_decision.items()
            if any(
                resolution_of(r).get("outcome") in APPROVALS and accepted_failures(r)
                for r in standing(records)
            )
        }
        if accepted_failure:
            wanted = despite if wanted is None else wanted & despite
        else:
            fields["excluded_ids"] = tuple(sorted(set(fields.get("excluded_ids", ())) | despite))
    if wanted is not None:
        fields["decision_ids"] = tuple(sorted(wanted))
    return fields
