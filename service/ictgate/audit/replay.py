"""Replay: the logged inputs under the current policies, and what would change.

Before a rule change is released, ``ictgate replay`` re-evaluates every logged
decision (or those a filter selects) with the policies of this checkout and
lists each decision whose verdict, route or findings would differ: the impact
of the change, for review. The stored input is evaluated as it was logged
(masked fields stay masked); nothing is written to the log.

A committee resolution record is re-judged too (R-RES-1…7, with the verdict and the
earlier resolutions it was judged with): one that the current policies would no
longer admit is listed as such, with the rules that would refuse it ("resolution …
would become inadmissible: R-RES-2").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ictgate.audit.decisionlog import Kind, StoredRecord
from ictgate.core.errors import IctgateError
from ictgate.core.policy import PolicyBundle

__all__ = ["Change", "ReplayReport", "replay"]


class Reevaluator(Protocol):
    """What replay needs of a pre-checker (``ictgate.prechecker.Prechecker``).

    Its policies, and a re-evaluation of a logged input that is not logged again.
    """

    @property
    def bundle(self) -> PolicyBundle: ...

    def evaluate_logged(self, kind: Kind, document: dict[str, Any]) -> dict[str, Any]: ...


Finding = tuple[str, str, str]


def _route(verdict: dict[str, Any]) -> str:
    route = verdict.get("route")
    if not route:
        return "-"
    return f"{route['body']} {route['province']}" if route.get("province") else str(route["body"])


def _findings(verdict: dict[str, Any]) -> set[Finding]:
    return {(f["rule"], f["outcome"], f["field"]) for f in verdict.get("findings", [])}


@dataclass(frozen=True)
class Change:
    decision_id: str
    sequence: int
    kind: str
    as_of: str
    policy_revision: str
    verdict: tuple[str, str]  # before, after
    route: tuple[str, str]
    findings_added: tuple[Finding, ...]
    findings_removed: tuple[Finding, ...]
    error: str = ""
    # A resolution record: whether the policies admit it, before and after (else None, None).
    admissible: tuple[bool | None, bool | None] = (None, None)
    # A resolution the current policies would refuse: the rules that would fail.
    refused_by: tuple[str, ...] = ()

    @property
    def becomes_inadmissible(self) -> bool:
        return self.kind == "resolution" and self.admissible[0] is not False and self.admissible[1] is False

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision_id": self.decision_id,
            "sequence": self.sequence,
            "kind": self.kind,
            "as_of": self.as_of,
            "logged_under": self.policy_revision,
            "verdict": {"before": self.verdict[0], "after": self.verdict[1]},
            "route": {"before": self.route[0], "after": self.route[1]},
            "findings_added": [list(f) for f in self.findings_added],
            "findings_removed": [list(f) for f in self.findings_removed],
            **({"error": self.error} if self.error else {}),
            **(
                {
                    "admissible": {"before": self.admissible[0], "after": self.admissible[1]},
                    "refused_by": list(self.refused_by),
                }
                if self.kind == "resolution"
                else {}
            ),
        }


@dataclass
class ReplayReport:
    policy_revision: str
    checked: int = 0
    changes: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        refused = [c.decision_id for c in self.changes if c.becomes_inadmissible]
        return {
            "policy_revision": self.policy_revision,
            "checked": self.checked,
            "changed": len(self.changes),
            # Only when there is one: resolutions the current policies would no longer admit.
            **({"inadmissible_resolutions": refused} if refused else {}),
            "changes": [change.as_dict() for change in self.changes],
        }

    def as_table(self) -> str:
        lines = [
            f"replayed {self.checked} decision(s) under policy {self.policy_revision}: "
            f"{len(self.changes)} would change"
        ]
        if self.changes:
            lines.append(f"{'decision':36}  {'as_of':10}  {'verdict':29}  {'route':45}  findings")
        for change in self.changes:
            verdict = (
                f"{change.verdict[0]} -> {change.verdict[1]}"
                if change.verdict[0] != change.verdict[1]
                else change.verdict[0]
            )
            route = (
                f"{change.route[0]} -> {change.route[1]}"
                if change.route[0] != change.route[1]
                else change.route[0]
            )
            delta = [f"+{r} {o} {f or '/'}" for r, o, f in change.findings_added]
            delta += [f"-{r} {o} {f or '/'}" for r, o, f in change.findings_removed]
            lines.append(
                f"{change.decision_id:36}  {change.as_of:10}  {verdict:29}  {route:45}  "
                + ("; ".join(delta) or change.error)
            )
        # Resolutions that would no longer be admitted: what an auditor must look at first.
        for change in self.changes:
            if change.becomes_inadmissible:
                lines.append(
                    f"resolution {change.decision_id} would become inadmissible: "
                    + (", ".join(change.refused_by) or "a rule")
                )
        return "\n".join(lines)


def _admissible(kind: str, verdict: dict[str, Any]) -> bool | None:
    """Whether a resolution verdict admits the resolution (the rule Prechecker.resolve applies)."""
    if kind != "resolution":
        return None
    return verdict.get("verdict") != "fail" and verdict.get("admissible") is not False


def _compare(record: StoredRecord, after: dict[str, Any]) -> Change | None:
    before = record.verdict
    added = tuple(sorted(_findings(after) - _findings(before)))
    removed = tuple(sorted(_findings(before) - _findings(after)))
    verdicts = (str(before.get("verdict")), str(after.get("verdict")))
    routes = (_route(before), _route(after))
    admissible = (_admissible(record.kind, before), _admissible(record.kind, after))
    if (
        verdicts[0] == verdicts[1]
        and routes[0] == routes[1]
        and not added
        and not removed
        and admissible[0] == admissible[1]
    ):
        return None
    refused_by = (
        tuple(sorted({f["rule"] for f in after.get("findings", []) if f.get("outcome") == "fail"}))
        if admissible[1] is False
        else ()
    )
    return Change(
        record.decision_id,
        record.sequence,
        record.kind,
        record.as_of,
        record.policy_revision,
        verdicts,
        routes,
        added,
        removed,
        admissible=admissible,
        refused_by=refused_by,
    )


def replay(checker: Reevaluator, records: Iterable[StoredRecord]) -> ReplayReport:
    report = ReplayReport(checker.bundle.revision)
    for record in records:
        report.checked += 1
        try:
            after = checker.evaluate_logged(record.kind, record.input)
        except IctgateError as error:
            report.changes.append(
                Change(
                    record.decision_id,
                    record.sequence,
                    record.kind,
                    record.as_of,
                    record.policy_revision,
                    (str(record.outcome), "error"),
                    (_route(record.verdict), "-"),
                    (),
                    (),
                    error.detail,
                )
            )
            continue
        change = _compare(record, after)
        if change is not None:
            report.changes.append(change)
    return report
