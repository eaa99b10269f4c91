"""Small engine inputs and stamped verdicts for the decision log tests.

They have the shapes ictgate.prechecker produces (engine input, stamped
verdict), with fixed decision ids and times so that records compare exactly.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from ictgate.audit.decisionlog import DecisionRecord, build_record

POLICY = {"revision": "2026.11.25-test", "digest": "sha256:" + "ab" * 32}
ENGINE = "regorus 0.13.0"


def decision_id(number: int) -> str:
    return str(uuid.UUID(int=number, version=4))


def fresh_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Sample:
    """One pre-check or committee check, described by the parts the log's columns show."""

    number: int
    kind: str = "precheck"
    province: str = "TH-11"
    agency: str = "เทศบาลเมืองบางปู"
    agency_kind: str = "town_municipality"
    outcome: str = "pass"
    findings: tuple[tuple[str, str], ...] = (("R-AUTH-1", "pass"),)
    as_of: str = "2025-02-01"
    recorded_at: str = "2025-02-01T03:00:00.000Z"
    budget: int | float = 3_000_000
    fiscal_year: int | None = 2568
    system_id: str | None = "bangpu-cctv-phase-2"
    extra_agency: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    title: str | None = None  # default: ระบบที่ <number>

    @property
    def decision_id(self) -> str:
        return self.id or decision_id(self.number)

    def input(self) -> dict[str, Any]:
        if self.kind == "committee_check":
            return {
                "order": {
                    "province": self.province,
                    "order": {"number": f"{self.number}/2567", "signed_on": "2024-07-01"},
                    "members": [
                        {"position": "provincial_governor", "role": "chair", "name": "นายสมชาย ใจดี"},
                        {
                            "position": "deputy_governor_cio",
                            "role": "vice_chair",
                            "name": "นางสาวสมหญิง รักชาติ",
                        },
                    ],
                },
                "as_of": self.as_of,
                "category": "cctv",
            }
        project: dict[str, Any] = {
            "title": self.title or f"ระบบที่ {self.number}",
            "category": "computer_system",
            "budget_thb": self.budget,
            "standard_prices": True,
        }
        if self.fiscal_year is not None:
            project["fiscal_year"] = self.fiscal_year
        if self.system_id is not None:
            project["system_id"] = self.system_id
        agency = {
            "name": self.agency,
            "kind": self.agency_kind,
            "province": self.province,
            **self.extra_agency,
        }
        return {"submission": {"submitted_on": self.as_of, "agency": agency, "project": project}}

    def verdict(self) -> dict[str, Any]:
        verdict: dict[str, Any] = {
            "decision_id": self.decision_id,
            "verdict": self.outcome,
            "as_of": self.as_of,
        }
        if self.kind == "precheck":
            verdict["route"] = {
                "body": "provincial_committee",
                "province": self.province,
                "name": {"th": "คณะกรรมการระดับจังหวัด", "en": "Provincial committee"},
            }
        verdict["findings"] = [
            {
                "rule": rule,
                "outcome": outcome,
                "severity": "info" if outcome == "pass" else "error",
                "field": "",
                "message": {"th": f"ข้อความ {rule}", "en": f"message {rule}"},
            }
            for rule, outcome in self.findings
        ]
        verdict["obligations"] = []
        verdict["policy"] = POLICY
        verdict["engine"] = ENGINE
        verdict["evaluated_at"] = self.recorded_at
        return verdict

    def record(self, mask: tuple[str, ...] = ()) -> DecisionRecord:
        kind: Any = self.kind
        return build_record(kind, self.input(), self.verdict(), mask=mask, recorded_at=self.recorded_at)


def burst_record() -> DecisionRecord:
    """A pre-check with a new decision id and the current time (for concurrency and crash tests)."""
    return build_record("precheck", Sample(0).input(), Sample(0, id=fresh_id()).verdict())
