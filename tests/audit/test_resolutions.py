"""Issue 21, the Python side: committee resolutions recorded in the hash-chained log,
judged by the real policies (R-RES-*), on SQLite and on a real PostgreSQL (fixture
``store``): the API with each role, supersession, 422 with findings, the six-monthly
report's two sections, and ``ictgate log verify`` with resolution records in the chain."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.audit.decisionlog import DecisionLog, SQLiteDecisionLog
from ictgate.audit.replay import replay
from ictgate.cli.main import main
from ictgate.core.auth import hash_key, new_key
from ictgate.core.engines import PolicyEngine, RegorusEngine
from ictgate.core.errors import InadmissibleResolution, UnknownDecision
from ictgate.core.policy import load_bundle
from ictgate.core.settings import ApiKeyEntry, Settings, get_settings
from ictgate.core.validation import SchemaSet
from ictgate.prechecker import Prechecker

from tests.support.cases import submission
from tests.support.decisionlog_store import Store
from tests.support.helpers import ROOT, report_summary

KEYS = {role: new_key() for role in ("submitter", "auditor", "secretariat", "admin")}


def resolution(**changes: Any) -> dict[str, Any]:
    """The provincial committee of Nakhon Ratchasima (the route of ``submission()``) approves."""
    base: dict[str, Any] = {
        "body": "provincial_committee",
        "province": "TH-30",
        "meeting": {"number": "2/2568", "date": "2025-02-20"},
        "outcome": "approved",
        "reference": "รายงานการประชุม ครั้งที่ 2/2568 วาระที่ 4.1",
    }
    return {key: value for key, value in {**base, **changes}.items() if value is not None}


@pytest.fixture
def checker(
    settings: Settings, embedded_engine: PolicyEngine, schemas: SchemaSet, log: DecisionLog
) -> Prechecker:
    return Prechecker(load_bundle(settings.policy_dir), embedded_engine, schemas, log)


@pytest.fixture
def api(settings: Settings, checker: Prechecker) -> TestClient:
    entries = tuple(
        ApiKeyEntry(id=f"{role}-1", role=role, sha256=hash_key(key)) for role, key in KEYS.items()
    )
    secured = settings.model_copy(update={"dev_mode": False, "api_keys": entries})
    return TestClient(create_app(secured, checker))


def _as(role: str) -> dict[str, str]:
    return {"authorization": f"Bearer {KEYS[role]}"}


def _precheck(api: TestClient, document: dict[str, Any]) -> dict[str, Any]:
    answer = api.post("/v1/precheck", json=document, headers=_as("submitter"))
    assert answer.status_code == 200, answer.text
    verdict: dict[str, Any] = answer.json()
    return verdict


def _resolve(api: TestClient, decision_id: str, body: dict[str, Any], role: str = "secretariat") -> Any:
    return api.post(
        f"/v1/decisions/{decision_id}/resolutions",
        json=body,
        params={"as_of": "2025-06-01"},
        headers=_as(role),
    )


# --- the record kind, the log and its chain --------------------------------------------------------


def test_a_resolution_is_recorded_in_the_chain_and_listed(checker: Prechecker, log: DecisionLog) -> None:
    verdict = checker.precheck(submission())
    answer = checker.resolve(verdict["decision_id"], resolution(), "2025-06-01")
    assert answer["verdict"] == "pass" and answer["admissible"] is True and answer["step"] == 0
    assert {f["rule"] for f in answer["findings"]} >= {"R-RES-1", "R-RES-2", "R-RES-4", "R-RES-6"}
    record = log.get(answer["decision_id"])
    assert record is not None and record.kind == "resolution"
    assert record.resolves == verdict["decision_id"]
    assert record.route_body == "provincial_committee" and record.province == "TH-30"
    assert record.input["decision"]["decision_id"] == verdict["decision_id"]
    assert record.content()["resolves"] == verdict["decision_id"]
    assert [r.decision_id for r in log.resolutions(verdict["decision_id"])] == [answer["decision_id"]]
    assert log.resolutions(answer["decision_id"]) == []
    report = log.verify()
    assert report.ok, report.problems
    # R-AUTH-9's summary counts pre-checks only.
    assert [
        p.decision_id for p in log.latest_proposals("องค์การบริหารส่วนจังหวัดนครราชสีมา", "TH-30", fiscal_year=2568)
    ] in ([], [verdict["decision_id"]])


def test_log_verify_passes_with_resolutions_in_the_chain(
    checker: Prechecker, store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = checker.precheck(submission())
    second = checker.precheck(submission(project={"title": "ระบบที่สอง"}))
    checker.resolve(first["decision_id"], resolution(), "2025-06-01")
    checker.resolve(second["decision_id"], resolution(outcome="deferred"), "2025-06-01")
    store.make_current(monkeypatch)
    try:
        assert main(["log", "verify"]) == 0, capsys.readouterr()
        capsys.readouterr()
        assert main(["resolution", "list", first["decision_id"], "--format", "json"]) == 0
        assert '"outcome": "approved"' in capsys.readouterr().out
    finally:
        get_settings.cache_clear()


def test_an_old_sqlite_log_gets_the_column_and_keeps_verifying(tmp_path: Path, checker: Prechecker) -> None:
    path = tmp_path / "old.sqlite3"
    old = SQLiteDecisionLog(path)
    moved = Prechecker(checker.bundle, checker.engine, checker.schemas, old)
    verdict = moved.precheck(submission())
    old.close()
    with closing(sqlite3.connect(path)) as connection:  # as a log made before resolutions existed
        connection.execute("DROP INDEX ictgate_decisions_resolves")
        connection.execute("ALTER TABLE ictgate_decisions DROP COLUMN resolves")
        connection.commit()
    reopened = SQLiteDecisionLog(path)
    try:
        moved = Prechecker(checker.bundle, checker.engine, checker.schemas, reopened)
        moved.resolve(verdict["decision_id"], resolution(), "2025-06-01")
        assert reopened.verify().ok
        assert len(reopened.resolutions(verdict["decision_id"])) == 1
    finally:
        reopened.close()


# --- admissibility: judged by the policies -------------------------------------------------------


def test_supersession_and_refusals(checker: Prechecker, log: DecisionLog) -> None:
    verdict = checker.precheck(submission())
    decision_id = verdict["decision_id"]
    first = checker.resolve(decision_id, resolution(), "2025-06-01")
    # A second resolution of the same body must supersede the standing one (R-RES-7).
    with pytest.raises(InadmissibleResolution) as refused:
        checker.resolve(decision_id, resolution(outcome="rejected"), "2025-06-01")
    assert {f["rule"] for f in refused.value.findings if f["outcome"] == "fail"} == {"R-RES-7"}
    with pytest.raises(InadmissibleResolution):
        checker.resolve(
            decision_id, resolution(supersedes="0b6d3c1e-7a8f-4a43-9a4e-2f6a9f0d3c21"), "2025-06-01"
        )
    correction = checker.resolve(
        decision_id,
        resolution(
            outcome="approved_with_conditions",
            conditions=["รายงานผลการติดตั้งภายใน 90 วัน"],
            meeting={"number": "3/2568", "date": "2025-03-20"},
            supersedes=first["decision_id"],
        ),
        "2025-06-01",
    )
    listed = checker.resolutions(decision_id)
    assert [r.decision_id for r in listed] == [first["decision_id"], correction["decision_id"]]
    # A body not on the route (R-RES-1) and an unknown decision.
    with pytest.raises(InadmissibleResolution) as off_route:
        checker.resolve(decision_id, resolution(body="moi_committee", province=None), "2025-06-01")
    assert "R-RES-1" in {f["rule"] for f in off_route.value.findings}
    with pytest.raises(UnknownDecision):
        checker.resolve(first["decision_id"], resolution(), "2025-06-01")
    assert log.verify().ok


# --- the API, with each role ---------------------------------------------------------------------


def test_api_roles_supersession_and_422(api: TestClient) -> None:
    decision_id = _precheck(api, submission())["decision_id"]
    path = f"/v1/decisions/{decision_id}/resolutions"
    assert _resolve(api, decision_id, resolution(), role="submitter").status_code == 403
    assert _resolve(api, decision_id, resolution(), role="auditor").status_code == 403
    assert api.post(path, json=resolution()).status_code == 401
    recorded = _resolve(api, decision_id, resolution())
    assert recorded.status_code == 200, recorded.text
    first = recorded.json()
    assert first["admissible"] is True and first["step"] == 0
    # Inadmissible: 422 with the findings, in Thai and English; nothing logged.
    refused = _resolve(api, decision_id, resolution(outcome="rejected"))
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "inadmissible_resolution" and problem["detail_th"]
    assert [f["rule"] for f in problem["findings"] if f["outcome"] == "fail"] == ["R-RES-7"]
    assert all(f["message"]["th"] and f["message"]["en"] for f in problem["findings"])
    # The shape: 422 naming the field.
    bad = _resolve(api, decision_id, resolution(meeting={"number": "2/2568", "date": "2568-02-20"}))
    assert bad.status_code == 422 and [e["pointer"] for e in bad.json()["errors"]] == ["/meeting/date"]
    assert _resolve(api, "0b6d3c1e-7a8f-4a43-9a4e-2f6a9f0d3c21", resolution()).status_code == 404
    corrected = _resolve(api, decision_id, resolution(outcome="rejected", supersedes=first["decision_id"]))
    assert corrected.status_code == 200, corrected.text
    # Reading: auditor and secretariat (and admin); not a submitter.
    for role in ("auditor", "secretariat", "admin"):
        listed = api.get(path, headers=_as(role))
        assert listed.status_code == 200, role
    assert api.get(path, headers=_as("submitter")).status_code == 403
    items = api.get(path, headers=_as("auditor")).json()["resolutions"]
    assert [(i["resolution"]["outcome"], i["superseded_by"]) for i in items] == [
        ("approved", corrected.json()["decision_id"]),
        ("rejected", None),
    ]
    assert api.get(f"/v1/decisions/{decision_id}", headers=_as("secretariat")).status_code == 200


def test_openapi_documents_the_resolution_endpoints(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    operations = spec["paths"]["/v1/decisions/{decision_id}/resolutions"]
    assert operations["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Resolution"
    }
    assert {"401", "403", "404", "422", "503"} <= set(operations["post"]["responses"])
    assert "get" in operations


# --- the six-monthly report: approvals only by recorded resolution ---------------------------------


def test_report_lists_approvals_by_resolution_and_pending_prechecks(api: TestClient) -> None:
    def propose(title: str, budget: float, date: str) -> str:
        document = submission(submitted_on=date, project={"title": title, "budget_thb": budget})
        return str(_precheck(api, document)["decision_id"])

    a = propose("ระบบ ก", 1000000, "2024-11-05")
    b = propose("ระบบ ข", 2500000.50, "2025-01-20")
    c = propose("ระบบ ค", 800000, "2025-02-01")
    propose("ระบบ ง", 1200000, "2025-03-01")
    report = api.get("/v1/reports/semiannual", headers=_as("auditor")).json()
    # No resolution yet: nothing is reported as approved.
    assert report["periods"] == [] and report["totals"]["approved"] == {"count": 0, "total_budget_thb": "0"}
    assert report["totals"]["pending"] == {"count": 4, "total_budget_thb": "5500000.5"}

    assert _resolve(api, a, resolution(meeting={"number": "1/2568", "date": "2024-12-10"})).status_code == 200
    conditional = resolution(
        outcome="approved_with_conditions",
        conditions=["ใช้ราคามาตรฐานของกระทรวงดิจิทัลฯ"],
        meeting={"number": "3/2568", "date": "2025-04-10"},  # FY2568-H2, by the meeting date
    )
    assert _resolve(api, b, conditional).status_code == 200
    assert _resolve(api, c, resolution(outcome="rejected")).status_code == 200
    report = api.get("/v1/reports/semiannual", headers=_as("secretariat")).json()
    assert report_summary(report, "periods") == [
        ("FY2568-H1", "TH-30", 1, "1000000", ["ระบบ ก"]),
        ("FY2568-H2", "TH-30", 1, "2500000.5", ["ระบบ ข"]),
    ]
    project = report["periods"][1]["provinces"][0]["projects"][0]
    assert project["meeting"] == {"number": "3/2568", "date": "2025-04-10"}
    assert project["conditions"] == ["ใช้ราคามาตรฐานของกระทรวงดิจิทัลฯ"]
    assert project["outcome"] == "approved_with_conditions" and project["decision_id"] == b
    pending = [x["project_title"] for p in report["pending"] for q in p["provinces"] for x in q["projects"]]
    assert pending == ["ระบบ ง"]  # ค was rejected: closed, neither approved nor pending
    assert report["totals"] == {
        "approved": {"count": 2, "total_budget_thb": "3500000.5"},
        "pending": {"count": 1, "total_budget_thb": "1200000"},
    }
    answer = api.get("/v1/reports/semiannual", params={"format": "csv"}, headers=_as("auditor"))
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.text.removeprefix("\ufeff"))))
    assert [(r["section"], r["row"], r["period"]) for r in rows[:-1]] == [
        ("approved", "project", "FY2568-H1"),
        ("approved", "total", "FY2568-H1"),
        ("approved", "project", "FY2568-H2"),
        ("approved", "total", "FY2568-H2"),
        ("pending", "project", "FY2568-H1"),
        ("pending", "total", "FY2568-H1"),
    ]
    assert rows[2]["conditions"] == "ใช้ราคามาตรฐานของกระทรวงดิจิทัลฯ" and rows[2]["meeting_number"] == "3/2568"
    assert rows[-1]["row"] == "chain_head"


# --- audit views: the search by resolution, and replay re-judging resolutions ----------------------


def _failing_approved(api: TestClient) -> tuple[str, str]:
    """A CCTV pre-check that fails R-DATA-3, and the resolution approving it despite that finding."""
    proposal = json.loads((ROOT / "examples/cctv/private-sharing-without-agreement.json").read_text("utf-8"))
    verdict = _precheck(api, proposal)
    assert verdict["verdict"] == "fail"
    accepted = [
        {"rule": f["rule"], "field": f["field"], "reason": "สัญญาอยู่ระหว่างลงนาม คณะกรรมการรับทราบ"}
        for f in verdict["findings"]
        if f["outcome"] in ("fail", "review")
    ]
    body = resolution(
        province="TH-11", meeting={"number": "3/2568", "date": "2025-03-14"}, acceptances=accepted
    )
    answer = _resolve(api, verdict["decision_id"], body)
    assert answer.status_code == 200, answer.text
    return str(verdict["decision_id"]), str(answer.json()["decision_id"])


def test_the_decision_search_filters_by_resolution(api: TestClient) -> None:
    approved = _precheck(api, submission())["decision_id"]
    deferred = _precheck(api, submission(project={"title": "ระบบที่เลื่อน"}))["decision_id"]
    untouched = _precheck(api, submission(project={"title": "ระบบที่ยังไม่มีมติ"}))["decision_id"]
    # Deferred, then approved at the next meeting: the latest standing resolution counts.
    assert _resolve(api, approved, resolution(outcome="deferred")).status_code == 200
    assert (
        _resolve(api, approved, resolution(meeting={"number": "3/2568", "date": "2025-03-20"})).status_code
        == 200
    )
    rejected = _precheck(api, submission(project={"title": "ระบบที่แก้มติ"}))["decision_id"]
    first = _resolve(api, rejected, resolution()).json()
    # Approved, then corrected to a rejection: the superseded approval no longer counts.
    assert (
        _resolve(api, rejected, resolution(outcome="rejected", supersedes=first["decision_id"])).status_code
        == 200
    )
    assert _resolve(api, deferred, resolution(outcome="deferred")).status_code == 200
    despite, _ = _failing_approved(api)

    def found(**params: str) -> list[str]:
        answer = api.get("/v1/decisions", params=params, headers=_as("secretariat"))
        assert answer.status_code == 200, answer.text
        return [item["decision_id"] for item in answer.json()["items"]]

    assert found(resolution="approved") == [approved, despite]
    assert found(resolution="deferred") == [deferred]
    assert found(resolution="none") == [untouched]
    assert found(resolution="rejected") == [rejected]
    assert found(accepted_failure="true") == [despite]
    assert found(resolution="approved", accepted_failure="true", province="TH-11") == [despite]
    assert found(resolution="approved", province="TH-30") == [approved]
    refused = api.get("/v1/decisions", params={"resolution": "maybe"}, headers=_as("auditor"))
    assert refused.status_code == 422 and "resolution" in refused.text


def test_replay_shows_a_resolution_that_would_become_inadmissible(
    api: TestClient, log: DecisionLog, settings: Settings, schemas: SchemaSet, tmp_path: Path
) -> None:
    decision_id = _precheck(api, submission())["decision_id"]
    recorded = _resolve(api, decision_id, resolution())
    assert recorded.status_code == 200, recorded.text
    resolution_id = recorded.json()["decision_id"]
    # The change under review (a thought experiment): the provincial committee listed among the
    # bodies whose power lapsed, so its approval of 2025-02-20 would no longer be admitted (R-RES-2).
    changed = tmp_path / "policies"
    shutil.copytree(settings.policy_dir, changed)
    parameters = changed / "rulebook/parameters/data.json"
    data = json.loads(parameters.read_text())
    data["cctv"]["lapsed_bodies"]["provincial_committee"] = {"rule": "R-CCTV-1", "source": "OPM-2024"}
    parameters.write_text(json.dumps(data, ensure_ascii=False))
    bundle = load_bundle(changed)
    engine = RegorusEngine(bundle)
    try:
        # The resolution record is re-judged with the verdict it was logged with.
        report = replay(Prechecker(bundle, engine, schemas), log.iter())
    finally:
        engine.close()
    change = next(c for c in report.changes if c.decision_id == resolution_id)
    assert change.kind == "resolution" and change.admissible == (True, False)
    assert change.becomes_inadmissible and change.refused_by == ("R-RES-2",)
    table = report.as_table()
    assert f"resolution {resolution_id} would become inadmissible: {', '.join(change.refused_by)}" in table
    assert report.as_dict()["inadmissible_resolutions"] == [resolution_id]
