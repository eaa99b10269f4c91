"""Committee resolutions on the pages: beside the verdict on the decision page, the secretariat's form
(the same roles as the API: a secretariat records, an auditor reads), the search by resolution, and
the six-monthly report's two sections."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.prechecker import Prechecker

from tests.support.helpers import ROOT, load_json
from tests.web.test_web_pages import csrf_of, keyed_app, login, post_form

SUBMITTER_KEY = "ictg_res-pages-submitter-0000000000000000000000"
AUDITOR_KEY = "ictg_res-pages-auditor-00000000000000000000000"
SECRETARIAT_KEY = "ictg_res-pages-secretariat-000000000000000000000"
CHAIN = ROOT / "examples" / "cctv" / "samut-prakan-above-threshold-chain.json"
FAILING = ROOT / "examples" / "cctv" / "private-sharing-without-agreement.json"


@pytest.fixture
def keyed(tmp_path: Path, prechecker: Prechecker) -> Iterator[TestClient]:
    yield keyed_app(
        tmp_path,
        prechecker,
        ("officer", "submitter", SUBMITTER_KEY),
        ("auditor", "auditor", AUDITOR_KEY),
        ("spk-secretariat", "secretariat", SECRETARIAT_KEY),
    )


def _precheck(client: TestClient, path: Path) -> dict[str, Any]:
    answer = client.post("/v1/precheck", json=load_json(path), headers={"x-api-key": SUBMITTER_KEY})
    assert answer.status_code == 200, answer.text
    verdict: dict[str, Any] = answer.json()
    return verdict


def _record(client: TestClient, decision_id: str, fields: list[tuple[str, str]]) -> Any:
    page = client.get(f"/audit/decisions/{decision_id}")
    return post_form(
        client, f"/audit/decisions/{decision_id}/resolutions", [*fields, ("csrf_token", csrf_of(page.text))]
    )


def test_a_secretariat_records_the_chain_on_the_decision_page(keyed: TestClient) -> None:
    decision_id = _precheck(keyed, CHAIN)["decision_id"]
    path = f"/audit/decisions/{decision_id}"
    login(keyed, SECRETARIAT_KEY)
    assert keyed.get("/").headers["location"] == "/audit/decisions"
    # The pages a secretariat may open are those the API lets it call.
    for allowed in ("/audit/decisions", "/audit/report", "/audit/report.csv", path):
        assert keyed.get(allowed).status_code == 200, allowed
    for refused in ("/precheck", "/committee", "/rules"):
        assert keyed.get(refused).status_code == 403, refused
    page = keyed.get(path).text
    assert 'id="resolution-form"' in page and 'id="resolutions-none"' in page
    assert re.findall(r'<option value="(\d)">\d\. ', page) == ["0", "1"]  # the two steps of the route

    # The MOI committee before the provincial endorsement: refused (R-RES-5), Thai first, nothing stored.
    early = [("step", "1"), ("meeting_number", "1/2568"), ("meeting_date", "2025-04-10")]
    refused = _record(keyed, decision_id, [*early, ("outcome", "approved"), ("reference", "มติ กมท.")])
    assert refused.status_code == 422
    summary = refused.text.split('id="resolution-refused"')[1].split("</div>")[0]
    assert 'data-rule="R-RES-5"' in summary
    assert summary.index('<p class="message" lang="th">') < summary.index('lang="en">The Provincial')
    assert 'value="1/2568"' in refused.text  # what was typed is kept
    assert (
        keyed.get(f"/v1/decisions/{decision_id}/resolutions", headers={"x-api-key": AUDITOR_KEY}).json()[
            "resolutions"
        ]
        == []
    )

    endorsed = _record(
        keyed,
        decision_id,
        [("step", "0"), ("meeting_number", "3/2568"), ("meeting_date", "2025-03-14"), ("outcome", "endorsed")]
        + [("reference", "รายงานการประชุม ครั้งที่ 3/2568 วาระที่ 4.1")],
    )
    assert endorsed.status_code == 303 and endorsed.headers["location"].startswith(f"{path}?recorded=")
    approved = _record(
        keyed,
        decision_id,
        [*early, ("outcome", "approved_with_conditions"), ("reference", "มติ กมท. ครั้งที่ 1/2568")]
        + [("conditions", "ติดตั้งป้ายแจ้งเตือน\n\nรายงานผลภายใน 90 วัน\n")],
    )
    assert approved.status_code == 303
    page = keyed.get(approved.headers["location"]).text
    shown = page.split('id="resolutions"')[1]
    assert shown.count('class="resolution outcome-') == 2
    assert "อนุมัติโดยมีเงื่อนไข" in shown and "approved with conditions" in shown
    assert '<time datetime="2025-04-10">10 เม.ย. 2568</time>' in shown  # Buddhist era on a Thai page
    assert "<li>ติดตั้งป้ายแจ้งเตือน</li><li>รายงานผลภายใน 90 วัน</li>" in shown
    english = keyed.get(f"{path}?lang=en").text
    assert '<time datetime="2025-04-10">10 Apr 2025</time>' in english

    # A bad token is refused like on every other form.
    bad = post_form(keyed, f"{path}/resolutions", [("step", "0"), ("csrf_token", "forged")])
    assert bad.status_code == 403


def test_an_approval_despite_a_failing_finding_is_marked_and_found(keyed: TestClient) -> None:
    verdict = _precheck(keyed, FAILING)
    decision_id = verdict["decision_id"]
    index = next(i for i, f in enumerate(verdict["findings"]) if f["outcome"] == "fail")
    login(keyed, SECRETARIAT_KEY)
    fields = [
        ("step", "0"),
        ("meeting_number", "3/2568"),
        ("meeting_date", "2025-03-14"),
        ("outcome", "approved"),
    ]
    fields.append(("reference", "รายงานการประชุม ครั้งที่ 3/2568 วาระที่ 4.2"))
    # Not accepted: R-RES-3 refuses the approval of a failing verdict.
    refused = _record(keyed, decision_id, fields)
    assert refused.status_code == 422 and 'data-rule="R-RES-3"' in refused.text
    assert f'name="accept_{index}"' in refused.text and "ยอมรับ / accept" in refused.text
    accepted = [(f"accept_{index}", "1"), (f"reason_{index}", "สัญญาอยู่ระหว่างลงนาม")]
    assert _record(keyed, decision_id, [*fields, *accepted]).status_code == 303
    page = keyed.get(f"/audit/decisions/{decision_id}").text.split('id="resolutions"')[1]
    assert "อนุมัติแม้มีข้อตรวจพบที่ไม่ผ่าน" in page and "สัญญาอยู่ระหว่างลงนาม" in page

    login(keyed, AUDITOR_KEY)
    listing = keyed.get("/audit/decisions", params={"accepted_failure": "true"}).text
    assert '<p id="total"><strong>1</strong>' in listing and decision_id in listing
    assert decision_id in keyed.get("/audit/decisions", params={"resolution": "approved"}).text
    assert decision_id not in keyed.get("/audit/decisions", params={"resolution": "none"}).text
    # An auditor reads the resolutions but has no form, and may not post one.
    page = keyed.get(f"/audit/decisions/{decision_id}").text
    assert "สัญญาอยู่ระหว่างลงนาม" in page and 'id="resolution-form"' not in page
    answer = post_form(
        keyed, f"/audit/decisions/{decision_id}/resolutions", [*fields, ("csrf_token", csrf_of(page))]
    )
    assert answer.status_code == 403

    report = keyed.get("/audit/report?lang=th").text
    approved = report.split('id="section-approved"')[1].split("</section>")[0]
    assert "สัญญาอยู่ระหว่างลงนาม" in approved and "14 มี.ค. 2568" in approved
    assert '<p class="totals" id="totals-approved">' in approved


def test_the_report_page_shows_both_sections_and_a_missing_budget(keyed: TestClient) -> None:
    decision_id = _precheck(keyed, ROOT / "examples" / "cctv" / "samut-prakan-compliant.json")["decision_id"]
    login(keyed, AUDITOR_KEY)
    report = keyed.get("/audit/report?lang=th").text
    approved = report.split('id="section-approved"')[1].split("</section>")[0]
    assert "ยังไม่มีโครงการที่อนุมัติ" in approved
    pending = report.split('id="section-pending"')[1].split("</section>")[0]
    assert decision_id in pending and "(1 ต.ค. 2567 – 31 มี.ค. 2568)" in pending
    assert '<td class="num">3,000,000.00</td>' in pending and "ยังไม่มีมติ" in pending
    assert re.search(r'data-section="pending"><th scope="row">รอมติ.*?<td class="num">1</td>', report)
    # A project whose budget the log no longer holds (archived, or masked) reads "not stated".
    from ictgate.web.i18n import TEXT
    from ictgate.web.pages import templates

    module = templates.get_template("_amounts.html").make_module({"tr": lambda key: TEXT[key][0]})
    assert str(module.money(None)) == '<span class="alt">ไม่ระบุ</span>'  # type: ignore[attr-defined]
    assert str(module.money("2500000.5")) == "2,500,000.50"  # type: ignore[attr-defined]
