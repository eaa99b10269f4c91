"""A record from what the pre-check had in hand: the engine input and the stamped verdict.

The input shapes are those ``ictgate.prechecker.Prechecker`` sends the engine:

- ``precheck``: ``{"submission": {...}, "as_of"?: "YYYY-MM-DD"}``
- ``committee_check``: ``{"order": {...}, "as_of": "YYYY-MM-DD", "category"?: ...}``
- ``resolution``: ``{"resolution": {...}, "decision": <the logged pre-check verdict>,
  "resolutions": [earlier admissible resolutions], "as_of": "YYYY-MM-DD"}``; the record's
  ``resolves`` is the pre-check's decision id, ``route_body`` the body that resolved and
  ``province`` its province (else the province of the pre-check's route)

Nothing is judged here; the columns only copy what the input and the
verdict say, after masking, so that they agree with the stored input.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ictgate.audit.decisionlog.canonical import plain_json, sha256_digest
from ictgate.audit.decisionlog.record import KINDS, OUTCOMES, DecisionRecord, Kind, RuleOutcome
from ictgate.core.masking import Mask

__all__ = ["build_record", "utc_timestamp"]

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$")


def utc_timestamp(moment: dt.datetime | None = None) -> str:
    """``moment`` (default: now) in UTC as ISO 8601 with milliseconds and ``Z``."""
    moment = dt.datetime.now(dt.UTC) if moment is None else moment.astimezone(dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _amount(value: Any) -> Decimal | None:
    """An exact decimal: a float as the digits it prints as, written without an exponent."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return Decimal(format(exact, "f"))


def _date(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError(f"{what} {value!r} is not a date (YYYY-MM-DD)")
    dt.date.fromisoformat(value)
    return value


def _required_text(verdict: Mapping[str, Any], *path: str) -> str:
    value: Any = verdict
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        raise ValueError(f"the verdict has no {'.'.join(path)}")
    return value


def build_record(
    kind: Kind,
    input_document: Mapping[str, Any],
    verdict: Mapping[str, Any],
    *,
    mask: Mask | Iterable[str] = (),
    recorded_at: str | None = None,
) -> DecisionRecord:
    """The record of one stamped verdict; raises ``ValueError`` when either document lacks a key part.

    ``mask`` is applied to the input (and its values scrubbed from the verdict)
    before the digest is taken. ``recorded_at`` defaults to now.
    """
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of: {', '.join(KINDS)}")
    mask = mask if isinstance(mask, Mask) else Mask(mask)
    stored_input, removed = mask.apply(plain_json(dict(input_document)))
    stored_verdict: dict[str, Any] = mask.scrub(plain_json(dict(verdict)), removed)

    decision_id = _required_text(stored_verdict, "decision_id")
    if str(uuid.UUID(decision_id)) != decision_id:
        raise ValueError(f"decision_id {decision_id!r} is not a lower-case UUID")
    outcome = _required_text(stored_verdict, "verdict")
    if outcome not in OUTCOMES:
        raise ValueError(f"verdict {outcome!r} is not one of: {', '.join(OUTCOMES)}")
    recorded_at = utc_timestamp() if recorded_at is None else recorded_at
    if not _TIMESTAMP.match(recorded_at):
        raise ValueError(f"recorded_at {recorded_at!r} is not UTC with milliseconds (…T03:04:05.678Z)")

    submission = _object(stored_input.get("submission")) if kind == "precheck" else {}
    order = _object(stored_input.get("order")) if kind == "committee_check" else {}
    resolution = _object(stored_input.get("resolution")) if kind == "resolution" else {}
    resolves = None
    if kind == "resolution":
        resolves = _required_text(stored_input, "decision", "decision_id")
        if str(uuid.UUID(resolves)) != resolves:
            raise ValueError(f"the resolved decision_id {resolves!r} is not a lower-case UUID")
    agency = _object(submission.get("agency"))
    project = _object(submission.get("project"))
    as_of = stored_verdict.get("as_of") or stored_input.get("as_of") or submission.get("submitted_on")
    findings = stored_verdict.get("findings")

    return DecisionRecord(
        decision_id=decision_id,
        recorded_at=recorded_at,
        kind=kind,
        as_of=_date(as_of, "as_of"),
        input=stored_input,
        input_digest=sha256_digest(stored_input),
        verdict=stored_verdict,
        outcome=outcome,
        route_body=_text(
            resolution.get("body")
            if kind == "resolution"
            else _object(stored_verdict.get("route")).get("body")
        ),
        province=_text(_province(kind, agency, order, resolution, stored_input)),
        agency_name=_text(agency.get("name")),
        agency_kind=_text(agency.get("kind")),
        system_id=_text(project.get("system_id")),
        fiscal_year=_whole(project.get("fiscal_year")),
        budget_thb=_amount(project.get("budget_thb")),
        rules=tuple(
            RuleOutcome(finding["rule"], finding["outcome"])
            for finding in (findings if isinstance(findings, list) else [])
            if isinstance(finding, dict)
            and isinstance(finding.get("rule"), str)
            and isinstance(finding.get("outcome"), str)
        ),
        policy_revision=_required_text(stored_verdict, "policy", "revision"),
        policy_digest=_required_text(stored_verdict, "policy", "digest"),
        engine=_required_text(stored_verdict, "engine"),
        resolves=resolves,
    )


def _province(
    kind: Kind,
    agency: dict[str, Any],
    order: dict[str, Any],
    resolution: dict[str, Any],
    stored_input: dict[str, Any],
) -> Any:
    if kind == "precheck":
        return agency.get("province")
    if kind == "committee_check":
        return order.get("province")
    route = _object(_object(stored_input.get("decision")).get("route"))
    return resolution.get("province") or route.get("province")
