"""The record of one logged decision, and the content its chain hash covers."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, Literal

__all__ = ["KINDS", "OUTCOMES", "DecisionRecord", "Kind", "ProposalSeen", "RuleOutcome", "StoredRecord"]

Kind = Literal["precheck", "committee_check", "resolution"]
KINDS: tuple[Kind, ...] = ("precheck", "committee_check", "resolution")
OUTCOMES = ("pass", "fail", "needs_review", "not_applicable")


@dataclass(frozen=True)
class RuleOutcome:
    """One finding of the verdict reduced to what queries filter on."""

    rule: str
    outcome: str


@dataclass(frozen=True)
class DecisionRecord:
    """One decision as the log keeps it, before it has a place in the chain.

    ``input`` is the engine input document after masking and ``input_digest``
    the digest of exactly that document, so anyone can recompute it from the
    record. The columns after ``verdict`` repeat parts of the input and the
    verdict for queries; they are covered by the chain hash like the rest, so
    changing one to hide a record from a filter is detected too.
    """

    decision_id: str
    recorded_at: str  # UTC, 2025-02-01T03:04:05.678Z
    kind: Kind
    as_of: str  # YYYY-MM-DD
    input: dict[str, Any]
    input_digest: str
    verdict: dict[str, Any]
    outcome: str
    route_body: str | None
    province: str | None
    agency_name: str | None
    agency_kind: str | None
    system_id: str | None
    fiscal_year: int | None  # Buddhist Era, e.g. 2568
    budget_thb: Decimal | None
    rules: tuple[RuleOutcome, ...]
    policy_revision: str
    policy_digest: str
    engine: str
    resolves: str | None = field(default=None, kw_only=True)

    def content(self) -> dict[str, Any]:
        """The fields the chain hash covers, as JSON values (the budget as exact text)."""
        content: dict[str, Any] = {
            "decision_id": self.decision_id,
            "recorded_at": self.recorded_at,
            "kind": self.kind,
            "as_of": self.as_of,
            "input": self.input,
            "input_digest": self.input_digest,
            "verdict": self.verdict,
            "outcome": self.outcome,
            "route_body": self.route_body,
            "province": self.province,
            "agency_name": self.agency_name,
            "agency_kind": self.agency_kind,
            "system_id": self.system_id,
            "fiscal_year": self.fiscal_year,
            "budget_thb": None if self.budget_thb is None else format(self.budget_thb, "f"),
            "rules": [{"rule": item.rule, "outcome": item.outcome} for item in self.rules],
            "policy_revision": self.policy_revision,
            "policy_digest": self.policy_digest,
            "engine": self.engine,
        }
        if self.resolves is not None:
            content["resolves"] = self.resolves
        return content


@dataclass(frozen=True)
class StoredRecord(DecisionRecord):
    """A record in its place: ``sequence`` counts from 1 without gaps; ``hash`` seals it to ``prev_hash``."""

    sequence: int
    prev_hash: str
    hash: str

    def unsealed(self) -> DecisionRecord:
        """The record without its place in the chain."""
        return DecisionRecord(**{field.name: getattr(self, field.name) for field in fields(DecisionRecord)})


@dataclass(frozen=True)
class ProposalSeen:
    """An earlier pre-check of one agency, as R-AUTH-9 reads it.

    The latest of each project title per system and fiscal year only: a draft
    pre-checked again under the same title is the same purchase, not a second one.
    """

    sequence: int
    decision_id: str
    recorded_at: str  # UTC, 2025-02-01T03:04:05.678Z
    project_title: str | None
    budget_thb: Decimal | None
    outcome: str
    system_id: str | None = None  # None: the proposal named no system
    fiscal_year: int | None = None
