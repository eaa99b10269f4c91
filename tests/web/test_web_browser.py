"""The web pages in a real browser: Debian's headless Chromium driven by Playwright.

Two live `ictgate serve` processes on loopback: the development-mode one of
conftest.py (no login) and one with API keys (ICTGATE_API_KEYS), where a
person logs in with their key. Every page visited is saved as a screenshot
under tests/artifacts/ (git-ignored); with ICTGATE_UPDATE_SCREENSHOTS=1 the
README's copies in docs/screenshots/ are refreshed too.

Without /usr/bin/chromium these tests are skipped, except under CI, where
.ci/run installs it and a missing browser is a failure.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from ictgate.core.auth import hash_key

from tests.support.helpers import ROOT, load_json, serving

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
README_SHOTS = ROOT / "docs" / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}

COMPLIANT = ROOT / "examples" / "cctv" / "samut-prakan-compliant.json"
PRIVATE_SHARING = ROOT / "examples" / "cctv" / "private-sharing-without-agreement.json"

PROVINCIAL_COMMITTEE_TH = "คณะกรรมการบริหารและจัดหาระบบคอมพิวเตอร์ของหน่วยงานในสังกัดกระทรวงมหาดไทย ระดับจังหวัด"
PROVINCIAL_COMMITTEE_EN = (
    "Provincial committee for the administration and procurement of computer systems of MOI agencies"
)
R_DATA_3_EN = (
    "Sharing with the private sector (บริษัท ตัวอย่าง จำกัด) has no data-sharing agreement approved by the "
    "provincial committee: give its reference, approval date and approver, or stop the sharing (PDPA s.27)."
)

SUBMITTER_KEY = "ictg_web-test-submitter-key-000000000000000000000"
AUDITOR_KEY = "ictg_web-test-auditor-key-0000000000000000000000"

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip(
        "no /usr/bin/chromium (apt-get install chromium, as .ci/run does): browser tests skipped",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "CI must install Debian's chromium (.ci/run) for the browser tests"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="th-TH")
    # Fail fast when a page lacks what a test waits for (a failure, not a timed assertion).
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


def shoot(page: Page, name: str) -> None:
    """The whole page as a test artefact; for the README (on request), what the screen shows."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if os.environ.get("ICTGATE_UPDATE_SCREENSHOTS") == "1":
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(README_SHOTS / f"{name}.png"))


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`ictgate serve` with a submitter and an auditor key: not development mode."""
    keys = [
        {"id": "officer-th11", "role": "submitter", "sha256": hash_key(SUBMITTER_KEY)},
        {"id": "auditor-th11", "role": "auditor", "sha256": hash_key(AUDITOR_KEY)},
    ]
    with serving(tmp_path_factory.mktemp("web-log"), ICTGATE_API_KEYS=json.dumps(keys)) as url:
        yield url


def _leaves(document: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _leaves(value, f"{pointer}/{key}")
    elif isinstance(document, list) and document and isinstance(document[0], dict):
        for index, item in enumerate(document):
            yield from _leaves(item, f"{pointer}/{index}")
    else:
        yield pointer, document


def fill_proposal(page: Page, proposal: dict[str, Any]) -> None:
    """Fill the form as a person would: category first (it shows the CCTV part), rows added by button."""
    page.select_option('[name="/project/category"]', proposal["project"]["category"])
    for index in range(1, len(proposal.get("cctv", {}).get("sharing", []))):
        page.locator("#add-row").click()
        assert page.locator(f'[name="/cctv/sharing/{index}/recipient"]').count() == 1
    for pointer, value in _leaves(proposal):
        target = page.locator(f'[name="{pointer}"]')
        if isinstance(value, list):
            for item in value:
                page.check(f'input[name="{pointer}"][value="{item}"]')
        elif isinstance(value, bool):
            target.select_option("true" if value else "false")
        elif target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(str(value))
        else:
            target.fill(str(value))


def shown_findings(page: Page, where: str = "ol.findings > li") -> list[tuple[str, str]]:
    items = page.locator(where)
    return [
        (str(items.nth(i).get_attribute("data-rule")), str(items.nth(i).get_attribute("data-outcome")))
        for i in range(items.count())
    ]


def every_finding(page: Page) -> list[tuple[str, str]]:
    """What to fix, warnings and the folded passes: all the verdict's findings, in no set order."""
    return sorted(shown_findings(page, "#main li[data-rule][data-outcome]"))


def api_verdict(server: str, proposal: dict[str, Any]) -> dict[str, Any]:
    answer = httpx.post(f"{server}/v1/precheck", json=proposal, timeout=10)
    assert answer.status_code == 200, answer.text
    verdict: dict[str, Any] = answer.json()
    return verdict


def test_compliant_cctv_project_passes_on_the_page(page: Page, server: str) -> None:
    proposal = load_json(COMPLIANT)
    page.goto(f"{server}/precheck")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("h1").inner_text() == "ตรวจสอบข้อเสนอโครงการ Pre-check a project proposal"
    shoot(page, "precheck-form")
    # The submit button's English word is white on navy, not the muted grey of other second languages.
    check = page.locator("#precheck-form button.primary")
    assert check.inner_text() == "ตรวจสอบ Check"
    assert check.locator(".alt").evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    fill_proposal(page, proposal)
    page.get_by_role("button", name="ตรวจสอบ").click()
    page.wait_for_selector("#verdict-label")

    assert page.locator("#verdict-label").get_attribute("data-verdict") == "pass"
    assert page.locator("#verdict-sentence").inner_text() == "พร้อมเสนอ"
    assert page.locator("#verdict-sentence-alt").inner_text() == "Ready to submit"
    assert page.locator("#route").get_attribute("data-body") == "provincial_committee"
    # Ready: the body to submit to in large type.
    assert page.locator(".route-name").inner_text() == PROVINCIAL_COMMITTEE_TH
    assert page.locator(".route-name-alt").inner_text() == PROVINCIAL_COMMITTEE_EN
    assert "สมุทรปราการ" in page.locator(".route-province").inner_text()
    assert page.locator("#what-to-fix").count() == 0
    expected = api_verdict(server, proposal)
    # Every finding passed: all of them folded away, in the API's order.
    assert shown_findings(page, "#passed ol.findings > li") == [
        (f["rule"], f["outcome"]) for f in expected["findings"]
    ]
    assert {outcome for _, outcome in shown_findings(page)} == {"pass"}
    assert page.locator("#passed summary").inner_text() == f"ผ่าน {len(expected['findings'])} หลักเกณฑ์ " + (
        f"{len(expected['findings'])} rules passed"
    )
    assert not page.locator("#passed ol.findings").is_visible()
    step = page.locator("#route-steps > li")
    assert step.count() == 1 and step.get_attribute("data-role") == "approval"
    assert "อนุมัติ" in step.locator(".step-role").inner_text()
    obligation = page.locator(".obligations li")
    assert obligation.get_attribute("data-rule") == "R-AUTH-6"
    assert "FY2568-H1 (1 ต.ค. 2567 – 31 มี.ค. 2568)" in obligation.inner_text()
    decision_id = page.locator("#decision-id").inner_text()
    assert len(decision_id) == 36 and decision_id != expected["decision_id"]
    shoot(page, "verdict-pass")


def test_private_sharing_without_agreement_fails_with_its_reason(page: Page, server: str) -> None:
    proposal = load_json(PRIVATE_SHARING)
    page.goto(f"{server}/precheck")
    fill_proposal(page, proposal)
    page.get_by_role("button", name="ตรวจสอบ").click()
    page.wait_for_selector("#verdict-label")

    assert page.locator("#verdict-label").get_attribute("data-verdict") == "fail"
    # The verdict says what to do, and the body comes after the fix, in normal type.
    assert page.locator("#verdict-sentence").inner_text() == "ยังเสนอไม่ได้ ต้องแก้ไข 1 รายการ"
    assert page.locator("#verdict-sentence-alt").inner_text() == "Not ready to submit: 1 item to fix"
    assert page.locator("#route").get_attribute("data-body") == "provincial_committee"
    assert page.locator("#route-next").inner_text().startswith(f"เมื่อแก้ไขแล้ว เสนอต่อ {PROVINCIAL_COMMITTEE_TH}")
    assert page.locator(".route-name").count() == 0
    expected = api_verdict(server, proposal)
    assert every_finding(page) == sorted((f["rule"], f["outcome"]) for f in expected["findings"])

    # What to fix: the one failing finding, numbered, with its field by its Thai label.
    fixes = page.locator("#what-to-fix ol.fixes > li")
    assert fixes.count() == 1
    fix = fixes.first
    r_data_3 = next(f for f in expected["findings"] if f["outcome"] == "fail")
    assert fix.get_attribute("data-rule") == "R-DATA-3"
    assert fix.locator('.message[lang="th"]').inner_text() == r_data_3["message"]["th"]
    assert fix.locator('.message[lang="en"]').inner_text() == R_DATA_3_EN
    assert fix.locator(".field-label").inner_text() == (
        "ข้อตกลงการแบ่งปันข้อมูล (การเปิดเผยหรือแบ่งปันข้อมูล รายการที่ 2) Data-sharing agreement (sharing arrangement 2)"
    )
    assert "/cctv/" not in fix.inner_text()
    assert fix.locator(".cite-source").inner_text() == "MOI-2024"
    assert fix.locator(".cite-clause").inner_text() == "ข้อ 3 (item 3)"
    assert fix.locator(".badge.interp").count() == (1 if r_data_3["citation"]["interpretation"] else 0)
    # Then the chain, each body with its role in Thai; then the passes, folded away.
    chain = page.locator("#chain #route-steps > li")
    assert chain.count() == len(expected["route"]["steps"]) == 1
    assert chain.first.locator(".step-role").inner_text() == "อนุมัติ approval"
    passed = page.locator("#passed")
    assert passed.get_attribute("open") is None
    assert len(shown_findings(page, "#passed ol.findings > li")) == len(expected["findings"]) - 1
    assert not page.locator("#passed ol.findings").is_visible()
    order = page.evaluate(
        "['summary', 'what-to-fix', 'chain', 'obligations', 'passed']"
        ".map(id => document.getElementById(id).getBoundingClientRect().top)"
    )
    assert order == sorted(order), order
    shoot(page, "verdict-fail")
    # Unfolded, the passes show their messages and sources.
    passed.locator("summary").click()
    assert page.locator("#passed ol.findings > li").first.is_visible()
    passed.locator("summary").scroll_into_view_if_needed()
    shoot(page, "verdict-fail-passes-open")
    passed.locator("summary").click()

    # The printable verdict, whole: no navigation, no buttons, the same order.
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible()
    assert not page.locator("#print-button").is_visible()
    assert not page.locator(".edit-field").is_visible()
    assert page.locator("#verdict-sentence").is_visible()
    assert page.locator("#obligations").is_visible()
    page.pdf(path=str(ARTIFACTS / "verdict-fail.pdf"), format="A4")
    shoot(page, "verdict-fail-print")

    # The short print: only the verdict, what to fix and the chain, on one A4 page.
    page.emulate_media(media="screen")
    page.evaluate("window.print = () => { window.printedShort = document.documentElement.className; }")
    page.get_by_role("button", name="พิมพ์ฉบับย่อ").click()
    assert page.evaluate("window.printedShort") == "print-short"
    page.emulate_media(media="print")
    for shown in ("#verdict-sentence", "#route-next", "#what-to-fix", "#chain"):
        assert page.locator(shown).is_visible(), shown
    for hidden in ("#obligations", "#passed", "header.site", "#print-short-button"):
        assert not page.locator(hidden).is_visible(), hidden
    shoot(page, "verdict-fail-print-short")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf)) == 1, "the short print takes more than one page"
    # Printed (Chromium fires afterprint for a PDF too), the page is whole again.
    assert page.evaluate("document.documentElement.className") == ""

    # "Go to this field": the form again, filled in as sent, at the field to change.
    page.emulate_media(media="screen")
    fix.locator(".edit-field").click()
    page.wait_for_selector("#precheck-form")
    assert page.url.endswith("/precheck?edit=1#f-cctv-sharing-1-agreement-reference")
    assert page.locator('[name="/cctv/sharing/1/recipient"]').input_value() == "บริษัท ตัวอย่าง จำกัด"
    assert page.locator('[name="/project/title"]').input_value() == proposal["project"]["title"]
    assert page.locator("#f-cctv-sharing-1-agreement-reference").is_visible()


def test_english_switch_labels_and_messages(page: Page, server: str) -> None:
    page.goto(f"{server}/precheck")
    page.get_by_role("link", name="English").click()
    page.wait_for_selector('html[lang="en"]')
    assert page.locator("h1").inner_text() == "Pre-check a project proposal ตรวจสอบข้อเสนอโครงการ"
    assert page.locator('label[for="f-agency-name"]').inner_text() == "Agency name ชื่อหน่วยงาน *\nrequired"
    # The language is remembered: the next page is English without ?lang.
    page.goto(f"{server}/precheck")
    assert page.locator("html").get_attribute("lang") == "en"
    fill_proposal(page, load_json(PRIVATE_SHARING))
    page.get_by_role("button", name="Check").click()
    page.wait_for_selector("#verdict-label")
    assert page.locator("#verdict-sentence").inner_text() == "Not ready to submit: 1 item to fix"
    assert page.locator("#verdict-sentence-alt").inner_text() == "ยังเสนอไม่ได้ ต้องแก้ไข 1 รายการ"
    fix = page.locator('ol.fixes > li[data-outcome="fail"]')
    assert fix.locator(".message").first.inner_text() == R_DATA_3_EN
    assert fix.locator(".message").first.get_attribute("lang") == "en"
    assert (
        fix.locator(".field-label").inner_text().startswith("Data-sharing agreement (sharing arrangement 2)")
    )
    assert (
        page.locator("#route-next")
        .inner_text()
        .startswith(f"Once corrected, submit to {PROVINCIAL_COMMITTEE_EN}")
    )
    shoot(page, "verdict-fail-en")


def test_phone_layout_fits_the_screen(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(f"{server}/precheck")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width == PHONE["width"], f"the form scrolls sideways on a phone: {width}px"
        shoot(phone, "precheck-form-phone")
        fill_proposal(phone, load_json(PRIVATE_SHARING))
        phone.get_by_role("button", name="ตรวจสอบ").click()
        phone.wait_for_selector("#verdict-label")
        assert phone.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
        shoot(phone, "verdict-fail-phone")
    finally:
        context.close()


def test_the_cctv_part_follows_the_category_and_keyboard_reaches_the_form(page: Page, server: str) -> None:
    page.goto(f"{server}/precheck")
    cctv = page.locator('fieldset[data-pointer="/cctv"]')
    assert not cctv.is_visible()
    page.select_option('[name="/project/category"]', "cctv")
    assert cctv.is_visible()
    page.select_option('[name="/project/category"]', "computer_system")
    assert not cctv.is_visible()
    # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_server_side_errors_are_shown_next_to_their_fields(page: Page, server: str) -> None:
    page.goto(f"{server}/precheck")
    proposal = load_json(COMPLIANT)
    proposal["project"]["budget_thb"] = "1,000.005"
    fill_proposal(page, proposal)
    # The browser's own hint (pattern from the schema: two decimals) stops the first try.
    page.get_by_role("button", name="ตรวจสอบ").click()
    assert page.locator("#f-project-budget-thb").evaluate("e => e.validity.patternMismatch") is True
    # Sent anyway (no browser checks), the service answers 422 and names the field.
    page.locator("#precheck-form").evaluate("f => { f.noValidate = true; }")
    with page.expect_response(lambda r: r.url.endswith("/precheck") and r.request.method == "POST") as sent:
        page.get_by_role("button", name="ตรวจสอบ").click()
    assert sent.value.status == 422
    error = page.locator("#f-project-budget-thb-error")
    # Thai first on the Thai page, the English beneath it.
    assert error.locator("span").first.inner_text() == "วงเงินงบประมาณ มีทศนิยมได้ไม่เกินสองตำแหน่ง"
    assert error.locator("span.alt").inner_text() == "1000.005 has more than two decimals"
    assert page.locator("#f-project-budget-thb").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-project-budget-thb").input_value() == "1,000.005"
    assert page.locator("#error-summary a").first.get_attribute("href") == "#f-project-budget-thb"
    shoot(page, "precheck-errors")


def test_committee_order_page_checks_a_pasted_order(page: Page, server: str) -> None:
    order = (ROOT / "schemas/examples/committee_order/valid/nakhon-ratchasima-2010.json").read_text("utf-8")
    page.goto(f"{server}/committee")
    page.fill("#order-document", order)
    page.select_option("#order-category", "cctv")
    page.fill("#order-as-of", "2025-06-01")
    page.get_by_role("button", name="ตรวจสอบ").click()
    page.wait_for_selector("#verdict-label")
    assert page.locator("#verdict-label").get_attribute("data-verdict") == "fail"
    failing = [rule for rule, outcome in shown_findings(page, "ol.fixes > li") if outcome == "fail"]
    # Two experts declare no field: R-COMP-10 fails once for each.
    assert failing == ["R-COMP-10", "R-COMP-10", "R-COMP-11", "R-COMP-12", "R-COMP-13"]
    shoot(page, "committee-verdict")


def login(page: Page, server: str, key: str, path: str) -> None:
    page.goto(f"{server}{path}")
    assert page.url.startswith(f"{server}/login?next=")
    page.fill("#api-key", key)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state()


def test_an_auditor_logs_in_and_opens_a_decision(page: Page, keyed_server: str) -> None:
    proposal = load_json(PRIVATE_SHARING)
    answer = httpx.post(
        f"{keyed_server}/v1/precheck", json=proposal, headers={"X-API-Key": SUBMITTER_KEY}, timeout=10
    )
    decision_id = answer.json()["decision_id"]
    logged = httpx.get(
        f"{keyed_server}/v1/decisions/{decision_id}", headers={"X-API-Key": AUDITOR_KEY}, timeout=10
    ).json()

    login(page, keyed_server, AUDITOR_KEY, "/audit/decisions")
    assert page.url == f"{keyed_server}/audit/decisions"
    cookie = next(c for c in page.context.cookies() if c["name"] == "ictgate_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert AUDITOR_KEY not in cookie["value"] and AUDITOR_KEY not in page.content()
    page.select_option("#q-verdict", "fail")
    page.select_option("#q-rule", "R-DATA-3")
    page.get_by_role("button", name="ค้นหา").click()
    page.wait_for_load_state()
    assert page.locator("#total strong").inner_text() == "1"
    shoot(page, "audit-decisions")
    page.get_by_role("link", name=decision_id).click()
    page.wait_for_selector("#chain-hash")
    assert page.locator("#chain-hash").inner_text() == logged["chain"]["hash"]
    assert page.locator("#policy-revision").inner_text() == logged["policy"]["revision"]
    assert page.locator("#decision-id").inner_text() == decision_id
    assert page.locator('ol.findings > li[data-outcome="fail"]').get_attribute("data-rule") == "R-DATA-3"
    assert "commercial" in page.locator("pre.json").inner_text()
    shoot(page, "audit-decision")

    page.goto(f"{keyed_server}/rules")
    assert page.locator("li.rule#R-DATA-3 .cite-source").inner_text() == "MOI-2024"
    shoot(page, "rules")
    page.goto(f"{keyed_server}/audit/report")
    shoot(page, "audit-report")
    csv = page.request.get(f"{keyed_server}{page.locator('#csv-link').get_attribute('href')}")
    assert csv.status == 200
    assert csv.text().splitlines()[0].startswith("\ufeffsection,row,period,province,decision_id")

    page.get_by_role("button", name="ออกจากระบบ").click()
    page.wait_for_load_state()
    page.goto(f"{keyed_server}/audit/decisions")
    assert page.url.startswith(f"{keyed_server}/login?next=")


def test_a_submitter_cannot_open_auditor_pages(page: Page, keyed_server: str) -> None:
    login(page, keyed_server, SUBMITTER_KEY, "/precheck")
    assert page.url == f"{keyed_server}/precheck"
    for path in ("/audit/decisions", "/audit/report", "/audit/report.csv"):
        answer = page.goto(f"{keyed_server}{path}")
        assert answer is not None and answer.status == 403, path
        assert page.locator("h1").inner_text() == "ไม่มีสิทธิ์เข้าถึงหน้านี้ You may not open this page"
        assert page.locator("#your-role").inner_text() == "submitter"
    shoot(page, "forbidden")


def test_a_wrong_key_is_refused_at_login(page: Page, keyed_server: str) -> None:
    page.goto(f"{keyed_server}/login")
    shoot(page, "login")
    page.fill("#api-key", "ictg_not-a-key")
    with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as sent:
        page.get_by_role("button", name="เข้าสู่ระบบ").click()
    assert sent.value.status == 401
    assert page.locator("#login-error").inner_text() == "กุญแจไม่ถูกต้อง This key is not known to the service"


def test_a_buddhist_era_date_is_explained_beside_its_field(page: Page, server: str) -> None:
    page.goto(f"{server}/precheck")
    proposal = load_json(COMPLIANT)
    fill_proposal(page, proposal)
    # An officer types the Thai year into the date field (the browser's own picker would not).
    page.locator("#f-submitted-on").evaluate("e => { e.type = 'text'; e.value = '2568-02-01'; }")
    page.locator("#precheck-form").evaluate("f => { f.noValidate = true; }")
    with page.expect_response(lambda r: r.url.endswith("/precheck") and r.request.method == "POST") as sent:
        page.get_by_role("button", name="ตรวจสอบ").click()
    assert sent.value.status == 422
    error = page.locator("#f-submitted-on-error span").first
    assert error.inner_text() == "วันที่เสนอโครงการ: ปี 2568 เป็นปีพุทธศักราช กรุณาระบุเป็นคริสต์ศักราช 2025"
    assert error.is_visible()
    shoot(page, "precheck-buddhist-era-error")


@pytest.mark.parametrize(("path", "rendered"), [("/docs", ".opblock"), ("/redoc", "[data-section-id]")])
def test_api_docs_render_without_the_internet(page: Page, server: str, path: str, rendered: str) -> None:
    """Every request outside the service is refused: the pages must render from local assets alone."""
    outside: list[str] = []

    def only_local(route: Any) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(f"{server}{path}")
    page.locator(rendered).first.wait_for(state="visible")
    assert page.locator(rendered).count() > 3
    if path == "/docs":
        assert "/v1/precheck" in page.locator(".opblock-summary-path").all_inner_texts()
    assert outside == []
    shoot(page, f"api-docs-{path.strip('/')}")
