"""The pre-check: validate, ask the engine, check its answer, stamp it, log it.

Nothing here decides a verdict. An answer that does not match
``schemas/verdict.schema.json`` is treated as no answer (``EngineBadResult``),
so a broken policy or a confused engine can never yield ``pass``.

With a decision log, the agency's earlier proposals for the same system and
fiscal year reach the policy as ``input.history`` (R-AUTH-9 decides in Rego
whether they add up to a split purchase), and every verdict is appended to
the log before it is returned: a verdict that could not be logged is not
given (``DecisionLogUnavailable``, 503), so no answer escapes the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from functools import cached_property
from typing import Any

from ictgate.audit.decisionlog import DecisionLog, Kind, ProposalSeen, StoredRecord, build_record
from ictgate.core.catalog import catalog_entries
from ictgate.core.engines import PolicyEngine
from ictgate.core.errors import (
    DecisionLogUnavailable,
    EngineBadResult,
    FieldError,
    InadmissibleResolution,
    SchemaViolation,
    UnknownDecision,
)
from ictgate.core.labels import ThaiLabels
from ictgate.core.policy import COMMITTEE_QUERY, PRECHECK_QUERY, RESOLUTION_QUERY, PolicyBundle
from ictgate.core.thai_format import THAILAND
from ictgate.core.validation import SchemaSet, to_engine_json

__all__ = ["CATEGORIES", "Prechecker", "check_as_of", "earlier_resolution", "today_in_thailand"]

# Years 1900-2199: the rules start in 2010, and a Thai fiscal year must stay four digits (FY2743 at most).
_DATE = re.compile(r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$")
# Thailand keeps UTC+7 all year (no daylight saving), so a fixed offset is exact.
CATEGORIES = ("computer_system", "cctv")


def today_in_thailand() -> str:
    return dt.datetime.now(THAILAND).date().isoformat()


def _check_category(category: str | None) -> None:
    if category is not None and category not in CATEGORIES:
        raise SchemaViolation(
            "category is not a project category",
            [
                FieldError(
                    "", f"{category!r} is not one of: {', '.join(CATEGORIES)}", "enum", parameter="category"
                )
            ],
        )


def check_as_of(as_of: str | None) -> None:
    if as_of is None:
        return
    try:
        if not _DATE.match(as_of):
            raise ValueError
        dt.date.fromisoformat(as_of)
    except ValueError:
        raise SchemaViolation(
            "as_of is not a date",
            [
                FieldError(
                    "", f"{as_of!r} is not a date (YYYY-MM-DD, years 1900-2199)", "format", parameter="as_of"
                )
            ],
        ) from None


class Prechecker:
    def __init__(
        self,
        bundle: PolicyBundle,
        engine: PolicyEngine,
        schemas: SchemaSet,
        log: DecisionLog | None = None,
    ) -> None:
        self.bundle = bundle
        self.engine = engine
        self.schemas = schemas
        self.log = log

    @cached_property
    def catalog(self) -> list[dict[str, Any]]:
        """The rule catalog of the loaded policies, built once (GET /v1/rules, the pages)."""
        return catalog_entries(self.bundle)

    @cached_property
    def labels(self) -> ThaiLabels:
        """Thai labels an officer may write for a code (sharing purposes, lawful bases, …)."""
        return ThaiLabels(self.bundle.data["rulebook"].get("terms", {}))

    def history(self, submission: dict[str, Any]) -> list[dict[str, Any]]:
        """The agency's logged proposals R-AUTH-9 may count, as the policy reads them: those of
        the same system in every fiscal year, or without a system_id, all of the same fiscal year.
        The policy selects again what counts; this only bounds what the engine is given."""
        agency = submission.get("agency", {})
        project = submission.get("project", {})
        system_id, fiscal_year = project.get("system_id"), project.get("fiscal_year")
        if self.log is None or not isinstance(fiscal_year, int):
            return []
        name, province = str(agency.get("name")), str(agency.get("province"))
        # The latest proposal of each title is all R-AUTH-9 reads (a resubmitted draft counts
        # once); passing only those keeps a draft saved on every edit from carrying, and
        # logging, its whole past (the log would otherwise grow with the square of the drafts).
        if isinstance(system_id, str):
            seen = self.log.latest_proposals(name, province, system_id=system_id)
        else:
            seen = self.log.latest_proposals(name, province, fiscal_year=fiscal_year)
        return [_history_entry(entry, name, province) for entry in seen]

    def _record(self, kind: Kind, document: dict[str, Any], verdict: dict[str, Any]) -> None:
        if self.log is not None:
            self.log.append(build_record(kind, document, verdict))

    def _resolution_log(self) -> DecisionLog:
        if self.log is None:
            raise DecisionLogUnavailable(
                "resolutions are recorded in the decision log, and this service runs without one",
                "มติคณะกรรมการต้องบันทึกในบันทึกผลการตรวจสอบ แต่ระบบนี้ไม่ได้เปิดใช้บันทึกดังกล่าว",
            )
        return self.log

    def precheck_record(self, decision_id: str) -> StoredRecord:
        """The logged pre-check ``decision_id``; raises UnknownDecision for anything else."""
        record = self._resolution_log().get(decision_id)
        if record is None or record.kind != "precheck":
            raise UnknownDecision(
                f"no logged pre-check {decision_id!r}: a resolution resolves a logged pre-check",
                f"ไม่พบผลการตรวจสอบเบื้องต้นเลขที่ {decision_id} ในบันทึก มติต้องอ้างถึงผลการตรวจสอบที่บันทึกไว้",
            )
        return record

    def resolutions(self, decision_id: str) -> list[StoredRecord]:
        """The resolutions recorded on the logged pre-check ``decision_id``, in log order."""
        return self.resolutions_of(self.precheck_record(decision_id))

    def resolutions_of(self, decision: StoredRecord) -> list[StoredRecord]:
        """The resolutions recorded on a pre-check already read from the log, in log order."""
        return self._resolution_log().resolutions(decision.decision_id)

    def resolution_input(
        self, decision: StoredRecord, resolution: Any, as_of: str | None, before: int | None = None
    ) -> dict[str, Any]:
        """The engine input of a resolution: it, the logged verdict, the earlier admissible
        resolutions (logged before sequence ``before``, default: all) and the date."""
        earlier = [
            earlier_resolution(record)
            for record in self._resolution_log().resolutions(decision.decision_id)
            if before is None or record.sequence < before
        ]
        return {
            "resolution": to_engine_json(resolution),
            "decision": decision.verdict,
            "resolutions": earlier,
            "as_of": as_of or today_in_thailand(),
        }

    def resolve(self, decision_id: str, resolution: Any, as_of: str | None = None) -> dict[str, Any]:
        """Records a committee's resolution on a logged pre-check, if the policies admit it.

        Returns the stamped admissibility verdict (its decision_id is the resolution's id)
        once the record is in the log. Raises SchemaViolation (the resolution's shape),
        UnknownDecision (no such pre-check), InadmissibleResolution (the policies refuse it;
        nothing is logged), EngineError or DecisionLogUnavailable.
        """
        check_as_of(as_of)
        self.schemas.check("resolution", resolution)
        return self._admit(self.precheck_record(decision_id), resolution, as_of)

    def resolve_record(
        self, decision: StoredRecord, resolution: Any, as_of: str | None = None
    ) -> dict[str, Any]:
        """``resolve`` for a pre-check already read from the log (the decision page has it)."""
        check_as_of(as_of)
        self.schemas.check("resolution", resolution)
        return self._admit(decision, resolution, as_of)

    def _admit(self, decision: StoredRecord, resolution: Any, as_of: str | None) -> dict[str, Any]:
        """Judges a checked resolution on ``decision`` and logs it if the policies admit it."""
        document = self.resolution_input(decision, resolution, as_of)
        verdict = self.stamp(self.engine.evaluate(RESOLUTION_QUERY, document))
        if verdict["verdict"] == "fail" or verdict.get("admissible") is False:
            failed = sorted({f["rule"] for f in verdict.get("findings", []) if f.get("outcome") == "fail"})
            raise InadmissibleResolution(
                f"the resolution cannot be recorded: {', '.join(failed) or 'a rule'} failed "
                "(the findings say what to correct)",
                verdict,
                f"บันทึกมตินี้ไม่ได้ เพราะไม่ผ่านหลักเกณฑ์ {', '.join(failed) or ''} (ดูรายการข้อตรวจพบว่าต้องแก้ไขอะไร)",
            )
        self._record("resolution", document, verdict)
        return verdict

    def engine_input(self, submission: Any, as_of: str | None) -> dict[str, Any]:
        document: dict[str, Any] = {"submission": to_engine_json(submission)}
        if as_of is not None:
            document["as_of"] = as_of
        return document

    def precheck(self, submission: Any, as_of: str | None = None) -> dict[str, Any]:
        """Verdict for one parsed submission; raises InputError, EngineError or DecisionLogUnavailable."""
        check_as_of(as_of)
        submission = self.labels.to_codes(submission)
        self.schemas.check("submission", submission)
        document = self.engine_input(submission, as_of)
        history = self.history(document["submission"])
        if history:
            document["history"] = history
        verdict = self.stamp(self.engine.evaluate(PRECHECK_QUERY, document))
        self._record("precheck", document, verdict)
        return verdict

    def evaluate_logged(self, kind: Kind, document: dict[str, Any]) -> dict[str, Any]:
        """The verdict the current policies give a logged engine input (for replay); not logged."""
        query = {"precheck": PRECHECK_QUERY, "committee_check": COMMITTEE_QUERY}.get(kind, RESOLUTION_QUERY)
        return self.stamp(self.engine.evaluate(query, document))

    def check_order(
        self, order: Any, as_of: str | None = None, category: str | None = None
    ) -> dict[str, Any]:
        """Verdict on a provincial committee order at a date (default: today in Thailand).

        category ("computer_system" or "cctv") says for which projects R-COMP-13
        judges an order that lacks the 2024 additions; without it, as for
        computer-system projects.
        """
        check_as_of(as_of)
        _check_category(category)
        self.schemas.check("committee_order", order)
        document: dict[str, Any] = {"order": to_engine_json(order), "as_of": as_of or today_in_thailand()}
        if category is not None:
            document["category"] = category
        verdict = self.stamp(self.engine.evaluate(COMMITTEE_QUERY, document))
        self._record("committee_check", document, verdict)
        return verdict

    def stamp(self, answer: Any) -> dict[str, Any]:
        if not isinstance(answer, dict):
            raise EngineBadResult(f"the engine answered {type(answer).__name__}, not a verdict object")
        stamped = {
            **answer,
            "decision_id": str(uuid.uuid4()),
            "policy": self.bundle.stamp(),
            "engine": self.engine.description,
            "evaluated_at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        verdict = _reading_order(stamped)
        problems = self.schemas.errors("verdict", verdict)
        if problems:
            first = problems[0]
            raise EngineBadResult(
                f"the engine's answer is not a valid verdict ({len(problems)} problem(s); "
                f"first: {first.pointer or '/'} {first.message})"
            )
        return verdict


# Engines return object keys sorted; people read a verdict top-down. Only the
# order of keys changes here, never a value.
_VERDICT_ORDER = (
    "decision_id",
    "verdict",
    "as_of",
    "route",
    "findings",
    "obligations",
    "admissible",
    "step",
    "policy",
    "engine",
    "evaluated_at",
)
_FINDING_ORDER = ("rule", "outcome", "severity", "field", "message", "citation", "params")


def _ordered(item: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    first = {key: item[key] for key in order if key in item}
    return {**first, **{key: value for key, value in item.items() if key not in first}}


def _reading_order(verdict: dict[str, Any]) -> dict[str, Any]:
    result = _ordered(verdict, _VERDICT_ORDER)
    if isinstance(result.get("findings"), list):
        result["findings"] = [
            _ordered(finding, _FINDING_ORDER) if isinstance(finding, dict) else finding
            for finding in result["findings"]
        ]
    return result


def earlier_resolution(record: StoredRecord) -> dict[str, Any]:
    """A logged resolution as ``input.resolutions`` holds it for the policy."""
    return {
        "resolution_id": record.decision_id,
        "recorded_at": record.recorded_at,
        "resolution": record.input.get("resolution", {}),
    }


def _history_entry(seen: ProposalSeen, agency_name: str, province: str) -> dict[str, Any]:
    """An earlier proposal as input.history holds it (R-AUTH-9): facts only, no judgement."""
    return {
        "decision_id": seen.decision_id,
        "recorded_at": seen.recorded_at,
        "agency_name": agency_name,
        "province": province,
        "system_id": seen.system_id,
        "fiscal_year": seen.fiscal_year,
        "project_title": seen.project_title,
        "budget_thb": None if seen.budget_thb is None else to_engine_json(seen.budget_thb),
        "outcome": seen.outcome,
    }
