"""Issue 6 end to end, on SQLite and on a real PostgreSQL (fixture ``store``):
every verdict logged, auditors' endpoints, tampering found by ``ictgate log
verify``, replay of a policy change, the six-monthly report, split purchases."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.audit.decisionlog import DecisionLog
from ictgate.audit.replay import replay
from ictgate.cli.main import main
from ictgate.core.engines import PolicyEngine, RegorusEngine
from ictgate.core.policy import load_bundle
from ictgate.core.settings import Settings
from ictgate.core.validation import SchemaSet
from ictgate.prechecker import Prechecker

from tests.support.cases import CCTV_BLOCK, submission
from tests.support.decisionlog_store import TABLE, Store
from tests.support.helpers import ROOT, report_summary

ORDER = json.loads((ROOT / "schemas/examples/committee_order/valid/nakhon-ratchasima-2010.json").read_text())


@pytest.fixture
def audited(
    settings: Settings, embedded_engine: PolicyEngine, schemas: SchemaSet, log: DecisionLog
) -> TestClient:
    checker = Prechecker(load_bundle(settings.policy_dir), embedded_engine, schemas, log)
    return TestClient(create_app(settings, checker))


def _precheck(client: TestClient, document: dict[str, Any], **params: str) -> dict[str, Any]:
    response = client.post("/v1/precheck", json=document, params=params)
    assert response.status_code == 200, response.text
    verdict: dict[str, Any] = response.json()
    return verdict


# --- every verdict is logged, and auditors can read it back ---------------------------------


def test_every_verdict_is_logged_as_answered(audited: TestClient, log: DecisionLog) -> None:
    answers = [
        _precheck(audited, submission()),
        _precheck(
            audited, submission(project={"budget_thb": 7000000}, requested_body="provincial_committee")
        ),
        _precheck(audited, submission(agency={"kind": "central_government"})),
    ]
    order = audited.post("/v1/committees/check", json=ORDER, params={"as_of": "2025-06-01"}).json()
    page = log.query(page_size=10)
    assert page.total == 4
    assert [r.decision_id for r in page.records] == [a["decision_id"] for a in [*answers, order]]
    for answer in [*answers, order]:
        logged = audited.get(f"/v1/decisions/{answer['decision_id']}").json()
        assert logged["verdict"] == answer
        assert logged["policy"] == answer["policy"]
        assert logged["input_digest"].startswith("sha256:")
    assert [r.kind for r in page.records] == ["precheck", "precheck", "precheck", "committee_check"]


def test_decisions_are_searched_by_province_verdict_rule_and_paged(audited: TestClient) -> None:
    ids = {
        "korat": _precheck(audited, submission())["decision_id"],
        "korat_fail": _precheck(
            audited, submission(project={"budget_thb": 7000000}, requested_body="provincial_committee")
        )["decision_id"],
        "samut": _precheck(
            audited,
            submission(agency={"name": "เทศบาลเมืองบางปู", "kind": "town_municipality", "province": "TH-11"},
                       project={"category": "cctv"}, cctv=CCTV_BLOCK),
        )["decision_id"],
    }  # fmt: skip

    def found(**params: Any) -> list[str]:
        body = audited.get("/v1/decisions", params=params).json()
        return [item["decision_id"] for item in body["items"]]

    assert found(province="TH-30") == [ids["korat"], ids["korat_fail"]]
    assert found(verdict="fail") == [ids["korat_fail"]]
    assert found(rule="R-CCTV-3") == [ids["samut"]]
    assert found(rule="R-AUTH-2", rule_outcome="fail") == [ids["korat_fail"]]
    assert found(agency="องค์การบริหารส่วนจังหวัดนครราชสีมา") == [ids["korat"], ids["korat_fail"]]
    page = audited.get("/v1/decisions", params={"page": 2, "page_size": 2}).json()
    assert (page["total"], [i["decision_id"] for i in page["items"]]) == (3, [ids["samut"]])
    assert page["items"][0]["route"] == {"body": "provincial_committee", "province": "TH-11"}
    failing = audited.get("/v1/decisions", params={"verdict": "fail"}).json()["items"][0]
    assert failing["failed_rules"] == ["R-AUTH-2"]


def test_unknown_decision_and_bad_filters_are_problems(audited: TestClient) -> None:
    assert audited.get("/v1/decisions/not-a-decision").status_code == 404
    response = audited.get("/v1/decisions", params={"rule_outcome": "fail"})
    assert response.status_code == 422
    assert "rule_outcome needs a rule" in response.json()["errors"][0]["message"]
    assert audited.get("/v1/decisions", params={"page_size": 5000}).status_code == 422


# --- tampering -----------------------------------------------------------------------------------


def test_log_verify_names_a_tampered_record(
    audited: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [
        _precheck(audited, submission(project={"budget_thb": 1000000 * n}))["decision_id"] for n in (1, 2, 3)
    ]
    store.make_current(monkeypatch)
    assert main(["log", "verify"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "chain intact"
    store.drop_protection()
    store.sql(f"UPDATE {TABLE} SET outcome = 'fail' WHERE decision_id = ?", (ids[1],))  # hide it among fails
    assert main(["log", "verify", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(p["sequence"], p["decision_id"], p["kind"]) for p in report["problems"]] == [
        (2, ids[1], "changed")
    ]


def test_log_verify_names_a_removed_record(
    audited: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [
        _precheck(audited, submission(project={"budget_thb": 1000000 * n}))["decision_id"] for n in (1, 2, 3)
    ]
    store.drop_protection()
    store.sql(f"DELETE FROM {TABLE} WHERE decision_id = ?", (ids[1],))
    store.make_current(monkeypatch)
    assert main(["log", "verify"]) == 1
    out = capsys.readouterr().out
    assert "record 2" in out and "chain BROKEN" in out


# --- replay --------------------------------------------------------------------------------------


def test_replay_reports_exactly_the_decisions_a_policy_change_affects(
    audited: TestClient, log: DecisionLog, settings: Settings, schemas: SchemaSet, tmp_path: Path
) -> None:
    budgets = [1000000, 3500000, 4800000, 6000000]
    ids = [_precheck(audited, submission(project={"budget_thb": b}))["decision_id"] for b in budgets]
    # The change under review: the threshold down to 3,000,000 THB.
    changed = tmp_path / "policies"
    shutil.copytree(settings.policy_dir, changed)
    parameters = changed / "rulebook/parameters/data.json"
    data = json.loads(parameters.read_text())
    data["authority"]["threshold_thb"] = 3000000
    parameters.write_text(json.dumps(data, ensure_ascii=False))
    bundle = load_bundle(changed)
    engine = RegorusEngine(bundle)
    try:
        report = replay(Prechecker(bundle, engine, schemas), log.iter())
    finally:
        engine.close()
    assert report.checked == 4
    assert [c.decision_id for c in report.changes] == [ids[1], ids[2]]
    first = report.changes[0]
    assert first.route == ("provincial_committee TH-30", "moi_committee")
    assert first.verdict == ("pass", "pass")
    assert ("R-AUTH-1", "pass", "/project/standard_prices") in first.findings_removed
    assert ("R-AUTH-6", "pass", "") in first.findings_removed
    assert ("R-COMP-13", "warn", "/agency/province") in first.findings_removed
    assert "replayed 4 decision(s)" in report.as_table()
    assert report.as_dict()["changed"] == 2


def test_replay_with_unchanged_policies_reports_nothing(
    audited: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for budget in (1000000, 6000000):
        _precheck(audited, submission(project={"budget_thb": budget}))
    audited.post("/v1/committees/check", json=ORDER, params={"as_of": "2025-06-01", "category": "cctv"})
    store.make_current(monkeypatch)
    assert main(["replay", "--format", "json", "--fail-on-change"]) == 0
    assert json.loads(capsys.readouterr().out) | {"policy_revision": "-"} == {
        "policy_revision": "-",
        "checked": 3,
        "changed": 0,
        "changes": [],
    }


# --- the six-monthly report (R-AUTH-6) ---------------------------------------------------------


def test_semiannual_report_totals(audited: TestClient) -> None:
    def propose(title: str, budget: float, date: str, province: str = "TH-30", **more: Any) -> None:
        _precheck(
            audited,
            submission(
                submitted_on=date,
                agency={"province": province},
                project={"title": title, "budget_thb": budget},
                **more,
            ),
        )  # noqa: E501

    propose("ระบบ ก", 1000000, "2024-11-05")
    propose("ระบบ ข", 2500000.50, "2025-01-20")
    propose("ระบบ ข", 2400000, "2025-02-10")  # the same project again: counted once, the latest
    propose("ระบบ ค", 800000, "2025-05-01")  # FY2568-H2
    propose("ระบบ ง", 1200000, "2025-03-01", province="TH-11")
    propose("ระบบ จ", 6000000, "2025-01-10")  # MOI committee: not in the report
    propose("ระบบ ฉ", 1000000, "2025-01-11", requested_body="moi_committee")  # fails: not reported
    report = audited.get("/v1/reports/semiannual").json()
    # A pre-check is not an approval: without a recorded resolution, the projects routed to the
    # provincial committee are pending (section 2), none approved (tests/audit/test_resolutions.py).
    assert report["periods"] == []
    assert report_summary(report, "pending") == [
        ("FY2568-H1", "TH-11", 1, "1200000", ["ระบบ ง"]),
        ("FY2568-H1", "TH-30", 2, "3400000", ["ระบบ ก", "ระบบ ข"]),
        ("FY2568-H2", "TH-30", 1, "800000", ["ระบบ ค"]),
    ]
    assert report["pending"][0]["start"] == "2024-10-01" and report["pending"][0]["end"] == "2025-03-31"
    assert report["totals"]["pending"] == {"count": 4, "total_budget_thb": "5400000"}
    only = audited.get("/v1/reports/semiannual", params={"province": "TH-30", "period": "FY2568-H1"}).json()
    assert [q["province"] for p in only["pending"] for q in p["provinces"]] == ["TH-30"]
    csv = audited.get("/v1/reports/semiannual", params={"period": "FY2568-H1", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.content.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte-order mark Excel needs for Thai
    rows = csv.text.removeprefix("\ufeff").strip().splitlines()
    assert rows[0].startswith("section,row,period,province,decision_id")
    assert [r.split(",")[1] for r in rows[1:]] == [
        "project",
        "total",
        "project",
        "project",
        "total",
        "chain_head",
    ]
    assert rows[-2].endswith(",3400000,,,,,,,,2")
    # The report ends with the head of the hash chain, as --expect-head takes it.
    head = report["chain_head"]
    assert rows[-1].split(",")[4] == head["expect_head"] == f"{head['sequence']}:{head['hash']}"


# --- split procurement (R-AUTH-9) ---------------------------------------------------------------


def _phase(title: str, budget: float, year: int, date: str) -> dict[str, Any]:
    return submission(
        submitted_on=date,
        project={"title": title, "budget_thb": budget, "fiscal_year": year, "system_id": "korat-gis"},
    )


def test_a_split_purchase_is_caught_and_names_the_earlier_decisions(audited: TestClient) -> None:
    first = _precheck(audited, _phase("GIS ระยะที่ 1", 2000000, 2568, "2024-11-01"))
    second = _precheck(audited, _phase("GIS ระยะที่ 2", 1500000, 2568, "2024-12-01"))
    assert (first["verdict"], second["verdict"]) == ("pass", "pass")
    third = _precheck(audited, _phase("GIS ระยะที่ 3", 2000000, 2568, "2025-01-15"))
    assert third["verdict"] == "needs_review"
    (split,) = [f for f in third["findings"] if f["rule"] == "R-AUTH-9"]
    assert split["outcome"] == "review"
    assert split["params"]["decision_ids"] == f"{first['decision_id']}, {second['decision_id']}"
    assert split["params"]["total"] == "5,500,000.00"


def test_tranches_of_one_system_across_fiscal_years_are_caught(audited: TestClient) -> None:
    first = _precheck(audited, _phase("GIS ระยะที่ 1", 4000000, 2567, "2024-03-01"))
    again = _precheck(audited, _phase("GIS ระยะที่ 2", 4000000, 2568, "2024-11-01"))
    assert again["verdict"] == "needs_review"
    (split,) = [f for f in again["findings"] if f["rule"] == "R-AUTH-9"]
    assert (split["outcome"], split["params"]["decision_ids"]) == ("review", first["decision_id"])
    assert split["params"]["earlier_th"] == "GIS ระยะที่ 1 ปีงบประมาณ 2567 วงเงิน 4,000,000.00 บาท"


def test_a_multi_year_project_stating_its_total_goes_to_the_moi_committee(audited: TestClient) -> None:
    _precheck(audited, _phase("GIS ระยะที่ 1", 3000000, 2567, "2024-03-01"))
    phase = _phase("GIS ระยะที่ 2", 3000000, 2568, "2024-11-01")
    phase["project"]["total_value_thb"] = 9000000
    again = _precheck(audited, phase)
    assert (again["verdict"], again["route"]["body"]) == ("pass", "moi_committee")
    assert [f["rule"] for f in again["findings"] if f["rule"] == "R-AUTH-9"] == []


def test_without_a_system_id_the_agencys_year_is_named(audited: TestClient) -> None:
    gis = _precheck(audited, _phase("GIS ระยะที่ 1", 3000000, 2568, "2024-11-01"))
    office = submission(
        submitted_on="2024-12-01",
        project={"title": "ระบบสำนักงาน", "budget_thb": 2500000, "fiscal_year": 2568},
    )
    verdict = _precheck(audited, office)
    assert verdict["verdict"] == "needs_review"
    (split,) = [f for f in verdict["findings"] if f["rule"] == "R-AUTH-9"]
    assert (split["outcome"], split["field"], split["params"]["decision_ids"]) == (
        "review",
        "/project/system_id",
        gis["decision_id"],
    )
    assert split["params"]["total"] == "5,500,000.00"
    assert "ไม่ได้ระบุรหัสระบบ" in split["message"]["th"]


def test_a_draft_saved_many_times_reaches_the_policy_once(audited: TestClient) -> None:
    for _ in range(4):
        _precheck(audited, _phase("GIS ระยะที่ 1", 2000000, 2568, "2024-11-01"))
    second = _precheck(audited, _phase("GIS ระยะที่ 2", 1500000, 2568, "2024-12-01"))
    logged = audited.get(f"/v1/decisions/{second['decision_id']}").json()
    assert [entry["project_title"] for entry in logged["input"]["history"]] == ["GIS ระยะที่ 1"]


def test_the_report_is_served_as_a_spreadsheet(audited: TestClient) -> None:
    _precheck(audited, submission())
    answer = audited.get("/v1/reports/semiannual", params={"format": "xlsx"})
    assert answer.status_code == 200, answer.text
    assert (
        answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    with zipfile.ZipFile(io.BytesIO(answer.content)) as book:
        pending = book.read("xl/worksheets/sheet2.xml").decode("utf-8")
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert submission()["project"]["title"] in strings
    assert pending.count("<v>3000000</v>") == 2  # the project's budget and its province's total
