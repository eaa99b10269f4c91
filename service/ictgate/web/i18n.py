"""The pages' own words, in Thai and English; Thai is the default language.

The schema gives the form's labels and options; the verdict gives its own
messages in both languages. What is left (headings, buttons, outcome names)
is here, each as a (Thai, English) pair.
"""

from __future__ import annotations

from fastapi import Request

from ictgate.core.render import VERDICT_LABELS

__all__ = ["LANG_COOKIE", "LANGS", "TEXT", "language_of", "passed_summary", "verdict_summary"]

LANGS = ("th", "en")
LANG_COOKIE = "ictgate_lang"

TEXT: dict[str, tuple[str, str]] = {
    "product": ("ตรวจสอบข้อเสนอโครงการเบื้องต้น", "Project proposal pre-check"),
    "nav_precheck": ("ตรวจสอบโครงการ", "Pre-check a project"),
    "nav_committee": ("ตรวจสอบคำสั่งคณะกรรมการ", "Check a committee order"),
    "nav_rules": ("หลักเกณฑ์", "Rules"),
    "nav_decisions": ("บันทึกผลการตรวจสอบ", "Decisions"),
    "nav_report": ("รายงานรอบหกเดือน", "Six-monthly report"),
    "login": ("เข้าสู่ระบบ", "Log in"),
    "logout": ("ออกจากระบบ", "Log out"),
    "logged_in_as": ("ผู้ใช้", "Signed in as"),
    "dev_mode": ("โหมดพัฒนา: ไม่ต้องเข้าสู่ระบบ", "Development mode: no login"),
    "skip": ("ข้ามไปยังเนื้อหา", "Skip to content"),
    "switch_lang": ("English", "ภาษาไทย"),
    "precheck_title": ("ตรวจสอบข้อเสนอโครงการ", "Pre-check a project proposal"),
    "precheck_intro": (
        "กรอกข้อมูลโครงการ แล้วกดตรวจสอบ ระบบจะบอกว่าต้องเสนอหน่วยงานใด ครบถ้วนตามหลักเกณฑ์หรือไม่ และเพราะเหตุใด",
        "Fill in the project and press Check: the page tells which body must approve it, "
        "whether it meets the rules, and why.",
    ),
    "required": ("จำเป็น", "required"),
    "choose": ("— เลือก —", "— choose —"),
    "yes": ("ใช่", "yes"),
    "no": ("ไม่ใช่", "no"),
    "not_stated": ("— ไม่ระบุ —", "— not stated —"),
    "as_of": ("ตรวจตามหลักเกณฑ์ ณ วันที่ (ไม่บังคับ)", "Apply the rules in force on (optional)"),
    "as_of_help": ("ถ้าไม่ระบุ ใช้วันที่เสนอโครงการ", "Default: the date of submission"),
    "add_row": ("เพิ่มรายการแบ่งปันข้อมูล", "Add a sharing arrangement"),
    "remove_row": ("ลบรายการนี้", "Remove this arrangement"),
    "row": ("รายการที่", "Arrangement"),
    "cctv_note": (
        "กรอกส่วนนี้เฉพาะโครงการประเภทกล้องโทรทัศน์วงจรปิด (CCTV)",
        "Fill in this part only for a CCTV project",
    ),
    "submit_check": ("ตรวจสอบ", "Check"),
    "errors_title": ("กรุณาแก้ไขข้อมูลต่อไปนี้", "Please correct the following"),
    "verdict_title": ("ผลการตรวจสอบ", "Pre-check result"),
    "route": ("เสนอต่อ", "Submit to"),
    "no_route": ("ไม่มีหน่วยงานที่ต้องเสนอ", "No approving body"),
    "approval_chain": ("ขั้นตอนการเสนอ ตามลำดับ", "Approval chain, in order"),
    "role_consent": ("ให้ความยินยอม", "consent"),
    "role_endorsement": ("ให้ความเห็นชอบและเสนอต่อ", "endorsement, then passes it on"),
    "role_approval": ("อนุมัติ", "approval"),
    "what_to_fix": ("สิ่งที่ต้องแก้ไข", "What to fix"),
    "fix_fail": ("ต้องแก้ไข", "must be fixed"),
    "fix_review": ("ให้เจ้าหน้าที่พิจารณา", "for an officer to review"),
    "field_to_change": ("ช่องที่ต้องแก้ไข", "Field to change"),
    "field_to_review": ("ข้อมูลที่ต้องพิจารณา", "Field to review"),
    "edit_on_form": ("ไปที่ช่องนี้ในแบบฟอร์ม", "Go to this field on the form"),
    "route_after_fail": ("เมื่อแก้ไขแล้ว เสนอต่อ", "Once corrected, submit to"),
    "route_after_needs_review": ("เมื่อเจ้าหน้าที่พิจารณาแล้ว เสนอต่อ", "Once reviewed, submit to"),
    "warnings": ("ข้อควรทราบ", "Please note"),
    "print_short": ("พิมพ์ฉบับย่อ", "Print short version"),
    "print_short_help": (
        "ฉบับย่อพิมพ์เฉพาะผล สิ่งที่ต้องแก้ไข และขั้นตอนการเสนอ",
        "The short version prints the verdict, what to fix and the approval chain only",
    ),
    "province": ("จังหวัด", "Province"),
    "verdict": ("ผล", "Verdict"),
    "findings": ("ผลการตรวจแต่ละหลักเกณฑ์", "Findings, rule by rule"),
    "field": ("ข้อมูลที่เกี่ยวข้อง", "Field"),
    "citation": ("อ้างอิง", "Source"),
    "interpretation": ("การตีความของระบบ", "interpretation"),
    "obligations": ("ภาระหน้าที่หลังอนุมัติ", "Obligations after approval"),
    "no_obligations": ("ไม่มี", "None"),
    "decision_id": ("เลขที่ผลการตรวจสอบ", "Decision id"),
    "as_of_used": ("ตรวจตามหลักเกณฑ์ ณ วันที่", "Rules as of"),
    "policy": ("ชุดหลักเกณฑ์", "Policy revision"),
    "print": ("พิมพ์ฉบับเต็ม", "Print full version"),
    "check_another": ("ตรวจสอบโครงการอื่น", "Check another project"),
    "period": ("รอบรายงาน", "Period"),
    "committee_title": ("ตรวจสอบคำสั่งแต่งตั้งคณะกรรมการ", "Check a provincial committee order"),
    "committee_intro": (
        "วางคำสั่งแต่งตั้งคณะกรรมการในรูปแบบ JSON หรือ YAML หรืออัปโหลดไฟล์",
        "Paste the committee order as JSON or YAML, or upload the file.",
    ),
    "committee_result": ("ผลการตรวจสอบคำสั่งคณะกรรมการ", "Committee order check result"),
    "order_text": ("คำสั่ง (JSON หรือ YAML)", "Order (JSON or YAML)"),
    "order_file": ("หรืออัปโหลดไฟล์ (.json, .yaml)", "Or upload a file (.json, .yaml)"),
    "category": ("สำหรับโครงการประเภท", "For projects of category"),
    "order_as_of": ("ตรวจตามหลักเกณฑ์ ณ วันที่ (ไม่บังคับ)", "Check against the rules of (optional)"),
    "order_as_of_help": ("ถ้าไม่ระบุ ใช้วันนี้ (เวลาประเทศไทย)", "Default: today in Thailand"),
    "cat_computer_system": ("ระบบคอมพิวเตอร์", "computer system"),
    "cat_cctv": ("กล้องโทรทัศน์วงจรปิด (CCTV)", "CCTV"),
    "not_a_document": ("อ่านเอกสารไม่ได้", "The document cannot be read"),
    "nothing_sent": ("กรุณาวางคำสั่งหรือเลือกไฟล์", "Paste an order or choose a file"),
    "login_title": ("เข้าสู่ระบบ", "Log in"),
    "login_intro": (
        "ใช้กุญแจ API ที่ผู้ดูแลระบบออกให้ ระบบจะจำการเข้าสู่ระบบไว้ 8 ชั่วโมง และไม่เก็บกุญแจไว้ในเบราว์เซอร์",
        "Use the API key your administrator issued. You stay logged in for 8 hours; "
        "the key itself is not kept in the browser.",
    ),
    "api_key": ("กุญแจ API", "API key"),
    "bad_key": ("กุญแจไม่ถูกต้อง", "This key is not known to the service"),
    "forbidden_title": ("ไม่มีสิทธิ์เข้าถึงหน้านี้", "You may not open this page"),
    "forbidden_text": (
        "บทบาทของท่านไม่มีสิทธิ์เปิดหน้านี้ ต้องเป็นบทบาท",
        "Your role may not open this page. It needs the role",
    ),
    "your_role": ("บทบาทของท่าน", "Your role"),
    "csrf_title": ("แบบฟอร์มหมดอายุ", "The form has expired"),
    "csrf_text": ("กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง", "Reload the page and send it again."),
    "unavailable_title": ("ระบบไม่สามารถตรวจสอบได้ในขณะนี้", "The service cannot check right now"),
    "not_found_title": ("ไม่พบหน้านี้", "Not found"),
    "decisions_title": ("บันทึกผลการตรวจสอบ", "Logged decisions"),
    "filter": ("ค้นหา", "Search"),
    "agency": ("หน่วยงาน", "Agency"),
    "rule": ("หลักเกณฑ์", "Rule"),
    "from": ("ตั้งแต่วันที่", "From"),
    "to": ("ถึงวันที่", "To"),
    "any": ("— ทั้งหมด —", "— any —"),
    "recorded_at": ("เวลาที่บันทึก", "Recorded at"),
    "kind": ("ประเภท", "Kind"),
    "kind_precheck": ("ตรวจข้อเสนอโครงการ", "project pre-check"),
    "kind_committee_check": ("ตรวจคำสั่งคณะกรรมการ", "committee order check"),
    "times_in_ict": ("เวลาประเทศไทย (ICT)", "Thailand time (ICT, UTC+7)"),
    "failed_rules": ("หลักเกณฑ์ที่ไม่ผ่าน", "Rules failed"),
    "results": ("รายการ", "decisions"),
    "page": ("หน้า", "Page"),
    "previous": ("ก่อนหน้า", "Previous"),
    "next": ("ถัดไป", "Next"),
    "none_found": ("ไม่พบรายการ", "No decision matches"),
    "decision_title": ("รายละเอียดผลการตรวจสอบ", "Decision"),
    "input": ("ข้อมูลที่ส่งตรวจ", "Input"),
    "input_digest": ("ค่าแฮชของข้อมูล", "Input digest"),
    "chain": ("ห่วงโซ่แฮช", "Hash chain"),
    "prev_hash": ("แฮชก่อนหน้า", "Previous hash"),
    "hash": ("แฮช", "Hash"),
    "engine": ("กลไกประมวลผล", "Engine"),
    "sequence": ("ลำดับ", "Sequence"),
    "rules_title": ("หลักเกณฑ์และแหล่งอ้างอิง", "Rule catalog and sources"),
    "severity": ("ความรุนแรง", "Severity"),
    "in_force": ("มีผล", "In force"),
    "until": ("ถึง", "until"),
    "messages": ("ข้อความ", "Messages"),
    "report_title": ("รายงานผลการอนุมัติรอบหกเดือน", "Six-monthly report of provincial approvals"),
    "report_intro": (
        "โครงการที่คณะกรรมการระดับจังหวัดอนุมัติตามมติที่บันทึกไว้ และโครงการที่ยังรอมติ "
        "จัดกลุ่มตามจังหวัดและรอบครึ่งปีงบประมาณ (R-AUTH-6)",
        "Projects the provincial committee approved by a recorded resolution, and those still awaiting "
        "one, by province and fiscal half-year (R-AUTH-6).",
    ),
    "download_csv": ("ดาวน์โหลด CSV", "Download CSV"),
    "download_xlsx": ("ดาวน์โหลดไฟล์ Excel (XLSX)", "Download the spreadsheet (XLSX)"),
    "count": ("จำนวนโครงการ", "Projects"),
    "total_budget": ("งบประมาณรวม (บาท)", "Total budget (THB)"),
    "project_title": ("ชื่อโครงการ", "Project"),
    "budget": ("งบประมาณ (บาท)", "Budget (THB)"),
    "report_empty": ("ยังไม่มีโครงการในรายงาน", "No project in the report yet"),
    "chain_head": ("ค่าแฮชล่าสุดของบันทึกผลการตรวจสอบ", "Head of the decision log's hash chain"),
    "chain_head_help": (
        "เก็บค่านี้ไว้นอกระบบ: คำสั่ง ictgate log verify --expect-head ตรวจได้ว่าบันทึกไม่ถูกตัดทอนหรือแก้ไขย้อนหลัง",
        "Keep this outside the system: ictgate log verify --expect-head then shows that the log "
        "was not cut back or rewritten since.",
    ),
    "report_approved": ("โครงการที่คณะกรรมการระดับจังหวัดอนุมัติแล้ว", "Projects the provincial committee approved"),
    "report_approved_help": (
        "ตามมติที่บันทึกไว้และยังมีผล จัดตามรอบครึ่งปีของวันประชุม",
        "By a recorded resolution that stands, in the half-year of the meeting date.",
    ),
    "report_pending": ("โครงการที่รอมติคณะกรรมการระดับจังหวัด", "Pre-checks awaiting the provincial committee"),
    "report_pending_help": (
        "ผลการตรวจสอบที่ต้องเสนอคณะกรรมการระดับจังหวัดในรอบนี้ แต่ยังไม่มีมติอนุมัติหรือไม่อนุมัติ",
        "Pre-checks routed to the provincial committee in the period "
        "with no approval or rejection recorded yet.",
    ),
    "report_none_approved": ("ยังไม่มีโครงการที่อนุมัติ", "No approval recorded"),
    "report_none_pending": ("ไม่มีโครงการที่รอมติ", "No pre-check awaiting a resolution"),
    "totals": ("รวมทั้งหมด", "Totals"),
    "section_approved": ("อนุมัติแล้ว", "Approved"),
    "section_pending": ("รอมติ", "Pending"),
    "not_stated_amount": ("ไม่ระบุ", "not stated"),
    "meeting": ("การประชุม", "Meeting"),
    "meeting_number": ("ครั้งที่ประชุม", "Meeting number"),
    "meeting_date": ("วันที่ประชุม", "Meeting date"),
    "resolution_outcome": ("มติ", "Resolution"),
    "conditions": ("เงื่อนไข", "Conditions"),
    "accepted_findings": ("ข้อตรวจพบที่คณะกรรมการยอมรับ", "Findings the committee accepted"),
    "latest_resolution": ("มติล่าสุด", "Latest resolution"),
    "reference": ("อ้างอิงมติ", "Reference"),
    "res_approved": ("อนุมัติ", "approved"),
    "res_approved_with_conditions": ("อนุมัติโดยมีเงื่อนไข", "approved with conditions"),
    "res_rejected": ("ไม่อนุมัติ", "rejected"),
    "res_deferred": ("เลื่อนการพิจารณา", "deferred"),
    "res_endorsed": ("เห็นชอบและเสนอต่อ", "endorsed"),
    "res_none": ("ยังไม่มีมติ", "no resolution"),
    "resolutions_title": ("มติคณะกรรมการ", "Committee resolutions"),
    "resolutions_none": ("ยังไม่มีมติที่บันทึกไว้", "No resolution recorded yet"),
    "resolution_id": ("เลขที่มติ", "Resolution id"),
    "committee_body": ("คณะกรรมการ", "Committee"),
    "superseded": ("ถูกแก้ไขโดยมติ", "Superseded by"),
    "supersedes": ("แก้ไขมติ", "Supersedes"),
    "supersedes_none": ("— ไม่ได้แก้ไขมติใด —", "— corrects no resolution —"),
    "approved_despite_fail": ("อนุมัติแม้มีข้อตรวจพบที่ไม่ผ่าน", "Approved despite a failing finding"),
    "accept": ("ยอมรับ", "accept"),
    "accept_reason": ("เหตุผลที่ยอมรับ", "Reason for accepting"),
    "record_resolution": ("บันทึกมติคณะกรรมการ", "Record a committee resolution"),
    "record_resolution_help": (
        "ระบบตรวจตามหลักเกณฑ์ R-RES-1 ถึง R-RES-7 ก่อนบันทึก มติที่บันทึกแล้วแก้ไขไม่ได้ ให้บันทึกมติใหม่ที่แก้ไขมติเดิม",
        "The rules R-RES-1 to R-RES-7 are checked before recording. A recorded resolution is never "
        "edited: record a new one that supersedes it.",
    ),
    "conditions_help": ("หนึ่งเงื่อนไขต่อหนึ่งบรรทัด", "One condition per line"),
    "meeting_date_help": (
        "วันที่แบบคริสต์ศักราช (ปปปป-ดด-วว)",
        "Gregorian date (YYYY-MM-DD)",
    ),
    "submit_resolution": ("บันทึกมติ", "Record the resolution"),
    "resolution_refused": ("บันทึกมตินี้ไม่ได้", "This resolution cannot be recorded"),
    "resolution_recorded": ("บันทึกมติแล้ว", "Resolution recorded"),
    "accepted_failure": ("อนุมัติแม้มีข้อที่ไม่ผ่าน", "Approved despite a failing finding"),
    "body_provincial_committee": ("คณะกรรมการระดับจังหวัด", "provincial committee"),
    "body_moi_committee": ("คณะกรรมการของกระทรวงมหาดไทย", "MOI committee"),
    "body_provincial_cctv_data_committee": (
        "คณะกรรมการข้อมูล CCTV ระดับจังหวัด",
        "provincial CCTV data committee",
    ),
    "body_national_cctv_committee": ("คณะกรรมการ CCTV ระดับประเทศ", "national CCTV committee"),
    "kind_resolution": ("มติคณะกรรมการ", "committee resolution"),
    "outcome_pass": ("ผ่าน", "pass"),
    "outcome_fail": ("ไม่ผ่าน", "fail"),
    "outcome_warn": ("คำเตือน", "warning"),
    "outcome_review": ("ต้องพิจารณา", "review"),
    "outcome_not_applicable": ("ไม่อยู่ในขอบเขต", "not applicable"),
}
for _verdict, _pair in VERDICT_LABELS.items():
    TEXT[f"verdict_{_verdict}"] = _pair


def _items(count: int) -> str:
    return "1 item" if count == 1 else f"{count} items"


def verdict_summary(verdict: str, fails: int, reviews: int, order: bool = False) -> tuple[str, str]:
    """The verdict as a sentence that says what to do, (Thai, English).

    ``fails`` and ``reviews`` count the findings that fail and that ask for an
    officer's review; ``order`` is a committee order rather than a proposal.
    """
    if verdict == "pass":
        if order:
            return "คำสั่งเป็นไปตามหลักเกณฑ์", "The order meets the rules"
        return "พร้อมเสนอ", "Ready to submit"
    if verdict == "fail":
        th = f"ต้องแก้ไข {fails:,} รายการ"
        en = f"{_items(fails)} to fix"
        if reviews:
            th += f" และให้เจ้าหน้าที่พิจารณา {reviews:,} รายการ"
            en += f" and {reviews:,} for an officer to review"
        if order:
            return f"คำสั่งยังไม่เป็นไปตามหลักเกณฑ์ {th}", f"The order does not meet the rules yet: {en}"
        return f"ยังเสนอไม่ได้ {th}", f"Not ready to submit: {en}"
    if verdict == "needs_review":
        return f"ต้องให้เจ้าหน้าที่พิจารณา {reviews:,} รายการ", f"An officer must review {_items(reviews)}"
    if verdict == "not_applicable":
        return "อยู่นอกขอบเขตของหลักเกณฑ์", "Outside the scope of the rules"
    th, en = VERDICT_LABELS.get(verdict, (verdict, verdict))
    return th, en


def passed_summary(passed: int, other: int) -> tuple[str, str]:
    """The line that folds the findings with nothing to do: "ผ่าน 19 หลักเกณฑ์"."""
    th, en = f"ผ่าน {passed:,} หลักเกณฑ์", f"{passed:,} rules passed"
    if other:
        th += f" ไม่อยู่ในขอบเขตหรือไม่เกี่ยวข้อง {other:,} หลักเกณฑ์"
        en += f", {other:,} not applicable"
    return th, en


def language_of(request: Request) -> str:
    """?lang=en or ?lang=th chooses (and the page remembers it in a cookie); Thai by default."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    kept = request.cookies.get(LANG_COOKIE)
    return kept if kept in LANGS else "th"
