"""Rule metadata for reports: titles, severities and citations from the rule catalog.

The catalog is policy data (``policies/rulebook/catalog/data.json``, with the
source documents of ``rulebook/sources/data.json``); reports only describe the
rules with it, they never decide anything. A rule a verdict names that the
local catalog lacks (a newer service behind ``--server``) is described from
the finding itself, so no result is ever left without its rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["INPUT_RULES", "RuleInfo", "input_rule", "load_catalog", "rule_from_finding"]


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: dict[str, str]
    severity: str = "error"  # error, warning or info (catalog severities)
    family: str = ""
    citation: dict[str, Any] = field(default_factory=dict)
    in_force: dict[str, str] = field(default_factory=dict)
    order: int = 10_000


def _read(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def load_catalog(policy_dir: Path | None) -> dict[str, RuleInfo]:
    """The rules of the catalog under policy_dir; empty when there is none."""
    if policy_dir is None:
        return {}
    rules = _read(policy_dir / "rulebook" / "catalog" / "data.json").get("rules", {})
    sources = _read(policy_dir / "rulebook" / "sources" / "data.json").get("documents", {})
    catalog: dict[str, RuleInfo] = {}
    if not isinstance(rules, dict):
        return catalog
    for rule_id, rule in rules.items():
        if not isinstance(rule, dict):
            continue
        citation = dict(rule.get("citation", {}))
        document = sources.get(citation.get("source"), {}) if isinstance(sources, dict) else {}
        for key in ("reference", "date", "title"):
            if key in document:
                citation.setdefault(key, document[key])
        citation["interpretation"] = bool(rule.get("interpretation", False))
        catalog[rule_id] = RuleInfo(
            id=rule_id,
            title=dict(rule.get("title", {})),
            severity=str(rule.get("severity", "error")),
            family=str(rule.get("family", "")),
            citation=citation,
            in_force=dict(rule.get("in_force", {})),
            order=int(rule.get("order", 10_000)),
        )
    return catalog


def rule_from_finding(finding: dict[str, Any]) -> RuleInfo:
    return RuleInfo(
        id=finding["rule"],
        title={"th": finding["rule"], "en": finding["rule"]},
        severity=str(finding.get("severity", "error")),
        citation=dict(finding.get("citation", {})),
    )


# Problems with the file itself, reported like rules so that every format
# names them with a stable id (ictgate/<error code of ictgate/core/errors.py>).
INPUT_RULES: dict[str, RuleInfo] = {
    "schema_violation": RuleInfo(
        id="ictgate/schema_violation",
        title={
            "th": "ข้อเสนอโครงการไม่ตรงตามโครงสร้างข้อมูลที่กำหนด (schemas/submission.schema.json)",
            "en": "The proposal does not match its JSON Schema (schemas/submission.schema.json)",
        },
    ),
    "malformed_json": RuleInfo(
        id="ictgate/malformed_json",
        title={
            "th": "ไฟล์ไม่ใช่เอกสาร JSON หรือ YAML ที่อ่านได้",
            "en": "The file is not a readable JSON or YAML document",
        },
    ),
}


def input_rule(code: str) -> RuleInfo:
    return INPUT_RULES.get(
        code,
        RuleInfo(
            id=f"ictgate/{code}",
            title={"th": f"ไฟล์ใช้ตรวจไม่ได้ ({code})", "en": f"The file cannot be checked ({code})"},
        ),
    )
