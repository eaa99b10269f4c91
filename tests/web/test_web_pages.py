"""The web pages without a browser: form hints from the schema, field errors, sessions, CSRF, roles.

tests/web/test_web_browser.py drives the same pages in Chromium; these tests pin
what a browser does not show directly (cookies' flags, status codes, the
OpenAPI document staying API-only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from fastapi.testclient import TestClient
from ictgate.api import create_app
from ictgate.audit.decisionlog import open_decision_log
from ictgate.core.auth import hash_key
from ictgate.core.settings import ApiKeyEntry, Settings
from ictgate.prechecker import Prechecker
from ictgate.web.form import build_form
from ictgate.web.i18n import verdict_summary

from tests.support.helpers import ROOT, load_json

SUBMITTER_KEY = "ictg_pages-submitter-00000000000000000000000000"
AUDITOR_KEY = "ictg_pages-auditor-000000000000000000000000000"
COMPLIANT = ROOT / "examples" / "cctv" / "samut-prakan-compliant.json"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def form_fields(document: Any, pointer: str = "") -> list[tuple[str, str]]:
    """A proposal as the form sends it: one (JSON Pointer, text) pair per value."""
    if isinstance(document, dict):
        return [pair for key, value in document.items() for pair in form_fields(value, f"{pointer}/{key}")]
    if isinstance(document, list) and document and isinstance(document[0], dict):
        return [pair for i, item in enumerate(document) for pair in form_fields(item, f"{pointer}/{i}")]
    if isinstance(document, list):
        return [(pointer, str(item)) for item in document]
    if isinstance(document, bool):
        return [(pointer, "true" if document else "false")]
    return [(pointer, str(document))]


def app_with_log(settings: Settings, prechecker: Prechecker) -> TestClient:
    # The session's engine, with a decision log of this test's own.
    logged = Prechecker(prechecker.bundle, prechecker.engine, prechecker.schemas, open_decision_log(settings))
    return TestClient(create_app(settings, logged), follow_redirects=False)


def keyed_app(folder: Path, prechecker: Prechecker, *keys: tuple[str, str, str]) -> TestClient:
    """The app with authentication on, a decision log in ``folder``, and (id, role, key) API keys."""
    entries = tuple(ApiKeyEntry(id=key_id, role=role, sha256=hash_key(key)) for key_id, role, key in keys)
    settings = Settings(decision_log=folder / "decisions.sqlite3", dev_mode=False, api_keys=entries)
    return app_with_log(settings, prechecker)


@pytest.fixture
def keyed(tmp_path: Path, prechecker: Prechecker) -> Iterator[TestClient]:
    officer, auditor = ("officer", "submitter", SUBMITTER_KEY), ("auditor", "auditor", AUDITOR_KEY)
    yield keyed_app(tmp_path, prechecker, officer, auditor)


@pytest.fixture
def dev(tmp_path: Path, prechecker: Prechecker) -> Iterator[TestClient]:
    yield app_with_log(Settings(decision_log=tmp_path / "decisions.sqlite3", dev_mode=True), prechecker)


def post_form(client: TestClient, path: str, fields: list[tuple[str, str]]) -> Any:
    return client.post(
        path, content=urlencode(fields), headers={"content-type": "application/x-www-form-urlencoded"}
    )


def login(client: TestClient, key: str) -> Any:
    page = client.get("/login")
    return client.post("/login", data={"api_key": key, "csrf_token": csrf_of(page.text), "next": "/"})


def test_form_hints_come_from_the_submission_schema(client: TestClient, prechecker: Prechecker) -> None:
    schema = prechecker.schemas.plain_documents["submission"]
    html = client.get("/precheck").text
    kinds = re.findall(
        r'<option value="([a-z_]+)"', html.split('name="/agency/kind"')[1].split("</select>")[0]
    )
    assert kinds == [
        branch["const"] for branch in schema["properties"]["agency"]["properties"]["kind"]["oneOf"]
    ]
    assert '<option value="town_municipality">เทศบาลเมือง (town municipality)</option>' in html
    assert re.search(r'name="/agency/name"[^>]*required[^>]* maxlength="300" minlength="1"', html)
    assert re.search(r'name="/project/system_id"[^>]* pattern="\[A-Za-z0-9\]\[A-Za-z0-9\._\\-\]\*"', html)
    # The CCTV part's required fields are required only when a script shows the part.
    assert re.search(r'name="/cctv/cameras"[^>]*data-required="true"', html)
    purposes = re.findall(r'name="/cctv/purposes" value="([a-z_]+)"', html)
    assert purposes == [
        "traffic",
        "crime_prevention",
        "public_safety",
        "disaster_response",
        "building_security",
        "other",
    ]


def test_every_schema_leaf_has_a_thai_and_an_english_label(prechecker: Prechecker) -> None:
    spec = build_form(prechecker.schemas.plain_documents)
    thai = re.compile(r"[\u0e00-\u0e7f]")
    for field in spec.all_fields():
        assert thai.search(field.th), field.pointer
        assert field.en and not thai.search(field.en), field.pointer


def test_a_filled_form_gives_the_verdict_of_the_api(client: TestClient) -> None:
    proposal = load_json(COMPLIANT)
    page = client.get("/precheck")
    sent = [*form_fields(proposal), ("csrf_token", csrf_of(page.text))]
    answer = post_form(client, "/precheck", sent)
    assert answer.status_code == 200
    assert 'data-verdict="pass"' in answer.text
    assert answer.headers["content-security-policy"].startswith("default-src 'none'; style-src 'self'")
    api = client.post("/v1/precheck", json=proposal).json()
    rules = re.findall(r'data-rule="(R-[A-Z]+-\d+)" data-outcome="(\w+)"', answer.text)
    assert rules == [(f["rule"], f["outcome"]) for f in api["findings"]]


def test_schema_errors_are_shown_at_their_fields(client: TestClient) -> None:
    proposal = load_json(COMPLIANT)
    del proposal["project"]["standard_prices"]
    proposal["cctv"]["sharing"][1]["agreement"]["approved_by"] = ""
    page = client.get("/precheck")
    sent = [*form_fields(proposal), ("csrf_token", csrf_of(page.text))]
    answer = post_form(client, "/precheck", sent)
    assert answer.status_code == 422
    # Thai beside the field on a Thai page (the default), the English beneath it.
    assert re.findall(r'<p class="error" id="([^"]+)-error"><span>([^<]+)</span>', answer.text) == [
        ("f-project-standard-prices", "กรุณาระบุว่าใช้ราคามาตรฐาน (ดศ./มท.) หรือไม่"),
        ("f-cctv-sharing-1-agreement-approved-by", "กรุณาระบุผู้อนุมัติข้อตกลง (การเปิดเผยหรือแบ่งปันข้อมูล รายการที่ 2)"),
    ]
    assert '<span class="alt" lang="en">standard_prices is required</span>' in answer.text
    # What the officer typed is kept.
    assert 'value="DSA-2568/07"' in answer.text


def test_a_post_without_the_session_csrf_token_is_refused(client: TestClient) -> None:
    fresh = TestClient(client.app)
    answer = fresh.post("/precheck", data={"/agency/name": "x", "csrf_token": "forged"})
    assert answer.status_code == 403
    assert "แบบฟอร์มหมดอายุ" in answer.text


def test_committee_order_as_yaml(client: TestClient) -> None:
    page = client.get("/committee")
    order = load_json(ROOT / "schemas/examples/committee_order/valid/samut-prakan-2024-amended.json")
    answer = client.post(
        "/committee",
        data={"csrf_token": csrf_of(page.text), "category": "cctv", "as_of": "2025-06-01"},
        files={
            "file": ("order.yaml", yaml.safe_dump(order, allow_unicode=True).encode(), "application/yaml")
        },
    )
    assert answer.status_code == 200
    assert 'data-verdict="pass"' in answer.text
    broken = client.post(
        "/committee", data={"csrf_token": csrf_of(page.text), "document": "order: [unclosed"}
    )
    assert broken.status_code == 400
    assert "อ่านเอกสารไม่ได้" in broken.text


def test_login_sets_a_signed_httponly_strict_cookie_and_never_shows_the_key(keyed: TestClient) -> None:
    assert keyed.get("/precheck").headers["location"] == "/login?next=%2Fprecheck"
    answer = login(keyed, SUBMITTER_KEY)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("ictgate_session=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    assert SUBMITTER_KEY not in cookie
    page = keyed.get("/precheck")
    assert page.status_code == 200 and SUBMITTER_KEY not in page.text
    assert "officer" in page.text


def test_a_tampered_session_cookie_is_no_session(keyed: TestClient) -> None:
    login(keyed, SUBMITTER_KEY)
    value = keyed.cookies["ictgate_session"]
    body, _, signature = value.partition(".")
    keyed.cookies.clear()
    keyed.cookies.set("ictgate_session", body[:-2] + "xx." + signature)
    assert keyed.get("/precheck").status_code == 303


def test_roles_of_the_pages_are_the_roles_of_the_api(keyed: TestClient) -> None:
    login(keyed, SUBMITTER_KEY)
    for path in ("/audit/decisions", "/audit/report", "/audit/report.csv", "/audit/decisions/x"):
        assert keyed.get(path).status_code == 403, path
    assert keyed.get("/rules").status_code == 200
    logout = keyed.post("/logout", data={"csrf_token": csrf_of(keyed.get("/precheck").text)})
    assert logout.status_code == 303
    assert keyed.get("/precheck").status_code == 303

    login(keyed, AUDITOR_KEY)
    assert keyed.get("/").headers["location"] == "/audit/decisions"
    assert keyed.get("/precheck").status_code == 403
    assert keyed.get("/audit/decisions").status_code == 200
    csv = keyed.get("/audit/report.csv")
    assert csv.status_code == 200 and csv.text.startswith("\ufeffsection,row,period,province,decision_id")


def test_a_wrong_key_and_an_outside_next_are_refused(keyed: TestClient) -> None:
    page = keyed.get("/login?next=//evil.example/")
    answer = keyed.post(
        "/login", data={"api_key": "ictg_nobody", "csrf_token": csrf_of(page.text), "next": "//evil.example/"}
    )
    assert answer.status_code == 401
    answer = keyed.post(
        "/login", data={"api_key": SUBMITTER_KEY, "csrf_token": csrf_of(page.text), "next": "//evil.example/"}
    )
    assert answer.headers["location"] == "/"


def test_pages_stay_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if not path.startswith("/v1/") and path not in ("/healthz", "/readyz")]


def test_english_is_chosen_by_query_and_remembered(client: TestClient) -> None:
    fresh = TestClient(client.app)
    answer = fresh.get("/precheck?lang=en")
    assert '<html lang="en">' in answer.text
    assert "ictgate_lang=en" in answer.headers["set-cookie"]
    assert '<html lang="en">' in fresh.get("/precheck").text
    assert '<html lang="th">' in fresh.get("/precheck?lang=th").text


def test_decision_detail_shows_the_logged_decision(dev: TestClient) -> None:
    client = dev
    verdict = client.post("/v1/precheck", json=load_json(COMPLIANT)).json()
    page = client.get(f"/audit/decisions/{verdict['decision_id']}")
    logged = client.get(f"/v1/decisions/{verdict['decision_id']}").json()
    assert page.status_code == 200
    assert f'<code class="hash" id="chain-hash">{logged["chain"]["hash"]}</code>' in page.text
    assert client.get("/audit/decisions/no-such-decision").status_code == 404
    listing = client.get("/audit/decisions", params={"verdict": "pass", "province": "TH-11"})
    assert f'href="/audit/decisions/{verdict["decision_id"]}"' in listing.text


def test_a_buddhist_era_date_is_explained_beside_its_field(client: TestClient) -> None:
    proposal = load_json(COMPLIANT)
    proposal["submitted_on"] = "2568-02-01"
    page = client.get("/precheck")
    sent = [*form_fields(proposal), ("csrf_token", csrf_of(page.text))]
    answer = post_form(client, "/precheck", sent)
    assert answer.status_code == 422
    found = re.findall(r'<p class="error" id="([^"]+)-error"><span>([^<]+)</span>', answer.text)
    assert found == [("f-submitted-on", "วันที่เสนอโครงการ: ปี 2568 เป็นปีพุทธศักราช กรุณาระบุเป็นคริสต์ศักราช 2025")]
    assert '<span class="alt" lang="en">2568 looks like a Buddhist-era year; use 2025</span>' in answer.text
    # The summary at the top links the Thai sentence to its field, without a JSON Pointer.
    assert (
        '<a href="#f-submitted-on" class="error-message">วันที่เสนอโครงการ: ปี 2568 เป็นปีพุทธศักราช '
        "กรุณาระบุเป็นคริสต์ศักราช 2025</a>"
    ) in answer.text
    assert "<code>/submitted_on</code>" not in answer.text


def test_a_buddhist_era_as_of_is_explained_beside_the_as_of_field(client: TestClient) -> None:
    page = client.get("/precheck")
    sent = [*form_fields(load_json(COMPLIANT)), ("as_of", "2567-07-17"), ("csrf_token", csrf_of(page.text))]
    answer = post_form(client, "/precheck?lang=en", sent)
    assert answer.status_code == 422
    # An English page: English first, the Thai beneath it.
    assert re.findall(r'<p class="error" id="as-of-error"><span>([^<]+)</span>', answer.text) == [
        "2567 looks like a Buddhist-era year; use 2024"
    ]
    assert (
        '<span class="alt" lang="th">วันที่ที่ใช้ตรวจตามหลักเกณฑ์: ปี 2567 เป็นปีพุทธศักราช '
        "กรุณาระบุเป็นคริสต์ศักราช 2024</span>"
    ) in answer.text
    assert (
        'id="as-of" name="as_of" value="2567-07-17" '
        'aria-describedby="as-of-help as-of-error" aria-invalid="true"' in answer.text
    )


def test_audit_pages_show_thailand_time_and_amounts(dev: TestClient) -> None:
    from ictgate.core.thai_format import thai_datetime

    verdict = dev.post("/v1/precheck", json=load_json(COMPLIANT)).json()
    logged = dev.get(f"/v1/decisions/{verdict['decision_id']}").json()
    shown = thai_datetime(logged["recorded_at"])
    assert shown.endswith(" น.") and " 25" in shown  # a Buddhist-era year, Thailand time
    listing = dev.get("/audit/decisions").text
    assert f'<time datetime="{logged["recorded_at"]}">{shown}</time>' in listing
    assert "สมุทรปราการ (TH-11)" in listing and "ตรวจข้อเสนอโครงการ" in listing
    detail = dev.get(f"/audit/decisions/{verdict['decision_id']}?lang=en").text
    assert f"{thai_datetime(logged['recorded_at'], 'en')}</time>" in detail
    report = dev.get("/audit/report?lang=th").text
    assert '<td class="num">3,000,000.00</td>' in report
    assert "(1 ต.ค. 2567 – 31 มี.ค. 2568)" in report


def test_form_help_is_thai_first_without_rule_ids_or_developer_words(client: TestClient) -> None:
    html = client.get("/precheck?lang=th").text
    helps = re.findall(r'<p class="help" id="f[^"]*-help">(.*?)</p>', html, flags=re.S)
    assert len(helps) > 30
    for text in helps:
        assert not re.search(r"R-[A-Z]+-[0-9]+|as_of|caller|a code, or", text), text
        assert re.match(r"\s*[\u0e00-\u0e7f]", text), f"help not in Thai first: {text}"
    budget = re.search(r'id="f-project-budget-thb-help">(.*?)</p>', html, flags=re.S)
    assert budget and "งบประมาณของปีนี้" in budget.group(1) and 'lang="en">This year' in budget.group(1)


@pytest.mark.parametrize(
    ("verdict", "fails", "reviews", "sentence"),
    [
        ("fail", 1, 0, ("ยังเสนอไม่ได้ ต้องแก้ไข 1 รายการ", "Not ready to submit: 1 item to fix")),
        (
            "fail",
            2,
            1,
            (
                "ยังเสนอไม่ได้ ต้องแก้ไข 2 รายการ และให้เจ้าหน้าที่พิจารณา 1 รายการ",
                "Not ready to submit: 2 items to fix and 1 for an officer to review",
            ),
        ),
        ("needs_review", 0, 2, ("ต้องให้เจ้าหน้าที่พิจารณา 2 รายการ", "An officer must review 2 items")),
        ("pass", 0, 0, ("พร้อมเสนอ", "Ready to submit")),
        ("not_applicable", 0, 0, ("อยู่นอกขอบเขตของหลักเกณฑ์", "Outside the scope of the rules")),
    ],
)
def test_the_verdict_is_said_as_what_to_do(verdict: str, fails: int, reviews: int, sentence: Any) -> None:
    assert verdict_summary(verdict, fails, reviews) == sentence


def test_a_failing_verdict_page_lists_what_to_fix_before_the_chain(client: TestClient) -> None:
    proposal = load_json(ROOT / "examples" / "cctv" / "no-provincial-manual.json")
    page = client.get("/precheck?lang=th")
    answer = post_form(client, "/precheck", [*form_fields(proposal), ("csrf_token", csrf_of(page.text))])
    html = answer.text
    assert "ยังเสนอไม่ได้ ต้องแก้ไข 1 รายการ" in html
    assert html.index('id="what-to-fix"') < html.index('id="chain"') < html.index('<details class="passed')
    fix = html.split('id="what-to-fix"')[1].split("</section>")[0]
    assert 'data-rule="R-CCTV-4"' in fix and "เป็นไปตามคู่มือ CCTV ของจังหวัด" in fix
    assert 'formaction="/precheck?edit=1#f-cctv-follows-provincial-manual"' in fix
    assert 'class="route-name"' not in html
