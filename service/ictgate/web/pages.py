"""The web pages: pre-check form and verdict, committee orders, and the auditors' pages.

Server-rendered (Jinja2), with one CSS and one small script file; every page
works without the script. The pages call the same Prechecker and decision log
as the API, and admit the same roles (ictgate/api/security.py), but a person
logs in once with their API key and then carries a signed session cookie
(ictgate/web/session.py). None of these routes is in the OpenAPI document.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from ictgate.audit.decisionlog import MAX_PAGE_SIZE, DecisionFilter, StoredRecord
from ictgate.audit.decisionlog.record import OUTCOMES
from ictgate.audit.report_files import report_file
from ictgate.audit.resolutions import RESOLUTION_FILTERS, resolved_filter
from ictgate.audit.semiannual import semiannual_report
from ictgate.audit.views import decision_view
from ictgate.core.bodylimit import read_body
from ictgate.core.errors import (
    DecisionLogUnavailable,
    EngineError,
    FieldError,
    InputError,
    SchemaViolation,
)
from ictgate.core.thai_errors import bilingual, detail_th
from ictgate.core.thai_format import amount, thai_date, thai_datetime
from ictgate.gate.documents import DocumentSyntaxError, parse_document
from ictgate.prechecker import CATEGORIES, Prechecker
from ictgate.web.form import FormSpec, build_form, field_place, place_errors, submission_from_form
from ictgate.web.i18n import LANG_COOKIE, TEXT, language_of, passed_summary, verdict_summary
from ictgate.web.resolutions import RECORDERS, record_resolution, resolutions_context
from ictgate.web.revocations import SessionStoreUnavailable
from ictgate.web.session import Session, csrf_ok, end_session, issue, read_session, set_cookie

__all__ = ["STATIC_DIR", "install_pages", "router"]

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
# Times in Thailand time and Buddhist-era dates on Thai pages, amounts with separators (core/thai_format.py).
templates.env.filters["when"] = thai_datetime
templates.env.filters["day"] = thai_date
templates.env.filters["baht"] = amount

# Pages load their style and script from this origin only; no inline script or style.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SUBMITTERS = ("submitter",)
# The auditors' pages admit the roles the API's audit routes admit (ictgate/api/audit.py).
AUDITORS = ("auditor", "secretariat")
READERS = ("submitter", "auditor")
PAGE_SIZE = 20
# The decision kinds that have Thai and English names (web/i18n.py).
KIND_KEYS = frozenset(key for key in TEXT if key.startswith("kind_"))
# Every key the pages have words for (a template shows a code as it is when it has none).
TEXT_KEYS = frozenset(TEXT)

router = APIRouter(include_in_schema=False)


def _checker(request: Request) -> Prechecker:
    checker: Prechecker = request.app.state.prechecker
    return checker


def _form_spec(request: Request) -> FormSpec:
    # Built once per app from the schemas the service validates with.
    state = request.app.state
    if not hasattr(state, "web_form"):
        state.web_form = build_form(_checker(request).schemas.plain_documents)
    spec: FormSpec = state.web_form
    return spec


def _provinces(request: Request) -> dict[str, tuple[str, str]]:
    spec = _form_spec(request)
    province = next(f for f in spec.all_fields() if f.pointer == "/agency/province")
    return {o.value: (o.th, o.en) for o in province.options}


def _role(request: Request, session: Session) -> str | None:
    return "admin" if request.app.state.dev_mode else session.role


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
    session: Session | None = None,
) -> Response:
    session = session or read_session(request)
    lang = language_of(request)
    other = "en" if lang == "th" else "th"

    def tr(key: str) -> str:
        pair = TEXT[key]
        return pair[0] if lang == "th" else pair[1]

    def tr_other(key: str) -> str:
        pair = TEXT[key]
        return pair[1] if lang == "th" else pair[0]

    values = {
        "request": request,
        "lang": lang,
        "other": other,
        "tr": tr,
        "tr_other": tr_other,
        "session": session,
        "role": _role(request, session),
        "dev_mode": request.app.state.dev_mode,
        "csrf": session.csrf,
        "provinces": _provinces(request),
        "categories": CATEGORIES,
        "kinds": KIND_KEYS,
        "text_keys": TEXT_KEYS,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, template, values, status_code=status)
    response.headers["Content-Security-Policy"] = PAGE_CSP
    if session.fresh:
        set_cookie(request, response, session)
    if request.query_params.get("lang") == lang:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 86400, path="/", samesite="strict", httponly=True
        )
    return response


def _guard(request: Request, roles: tuple[str, ...]) -> Response | None:
    """None when the caller may see the page; else the login page's redirect or a 403 page."""
    if request.app.state.dev_mode:
        return None
    session = read_session(request)
    if session.key_id is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        response = RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)
        if session.fresh:
            set_cookie(request, response, session)
        return response
    if session.role not in (*roles, "admin"):
        needed = " / ".join((*roles, "admin"))
        return render(request, "forbidden.html", {"needed": needed}, status=403)
    return None


# Fields of one form: the pre-check form with 100 sharing arrangements sends about 900.
MAX_FORM_FIELDS = 2000


async def _form_data(request: Request) -> tuple[dict[str, list[str]], tuple[str, bytes] | None]:
    """The form's text fields, and the uploaded file (name, bytes) if one was sent.

    The whole body is read first, counting the bytes that arrive (a chunked body
    declares no length), and refused past the limit before any of it is parsed
    or its CSRF token looked at; the parser then reads those bytes, at most one
    file and ``MAX_FORM_FIELDS`` fields, no part larger than the limit.
    """
    limit = request.app.state.settings.max_body_bytes
    await read_body(request, limit)
    texts: dict[str, list[str]] = {}
    upload: tuple[str, bytes] | None = None
    async with request.form(max_files=1, max_fields=MAX_FORM_FIELDS, max_part_size=limit) as form:
        for key, value in form.multi_items():
            if isinstance(value, str):
                texts.setdefault(key, []).append(value)
            elif isinstance(value, UploadFile):
                upload = (value.filename or "", await value.read())
    return texts, upload


def _csrf_failed(request: Request, data: dict[str, list[str]]) -> Response | None:
    token = (data.get("csrf_token") or [""])[0]
    if csrf_ok(read_session(request), token):
        return None
    return render(request, "message.html", {"title": "csrf_title", "text": "csrf_text"}, status=403)


class PageResponse(Exception):
    """Raised by a page's dependency to answer with this response (login, 403, CSRF) instead."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def answer_with_page_response(request: Request, error: Exception) -> Response:
    """The app's handler for PageResponse (registered by ``install_pages``)."""
    assert isinstance(error, PageResponse)
    return error.response


def allow(*roles: str) -> Any:
    """A route dependency: the caller's session must hold one of ``roles`` (or admin)."""

    def guard(request: Request) -> None:
        denied = _guard(request, roles)
        if denied is not None:
            raise PageResponse(denied)

    return Depends(guard)


@dataclass(frozen=True)
class PostedForm:
    """A form as posted, its CSRF token already checked."""

    texts: dict[str, list[str]]
    upload: tuple[str, bytes] | None

    def first(self, name: str, default: str = "") -> str:
        return (self.texts.get(name) or [default])[0]


async def _posted_form(request: Request) -> PostedForm:
    texts, upload = await _form_data(request)
    refused = _csrf_failed(request, texts)
    if refused is not None:
        raise PageResponse(refused)
    return PostedForm(texts, upload)


Posted = Annotated[PostedForm, Depends(_posted_form)]


def _unavailable(request: Request, error: Exception) -> Response:
    detail = getattr(error, "detail", str(error))
    return render(request, "message.html", {"title": "unavailable_title", "detail": detail}, status=503)


@router.get("/")
def home(request: Request) -> Response:
    # Auditors (and committee secretariats) land on their own pages; everyone else on the form.
    auditor = read_session(request).role in AUDITORS and not request.app.state.dev_mode
    return RedirectResponse("/audit/decisions" if auditor else "/precheck", status_code=303)


# -- pre-check ---------------------------------------------------------------------------------


def _precheck_page(
    request: Request,
    shown: dict[str, Any] | None = None,
    errors: list[FieldError] | None = None,
    status: int = 200,
) -> Response:
    spec = _form_spec(request)
    shown = shown or {}
    rows = int(shown.get("_rows", 0))
    # Every error in Thai too; the date the rules are read at is not in the document.
    as_of = str(shown.get("as_of", "")) or None
    bilingual_errors = [bilingual(e, as_of if e.parameter == "as_of" else None) for e in errors or []]
    located = [
        (error, "as_of" if error.parameter == "as_of" else name)
        for error, name in place_errors(spec, bilingual_errors, rows)
    ]
    thai = language_of(request) == "th"
    placed: dict[str, list[tuple[str, str]]] = {}
    summary: list[tuple[tuple[str, str], str]] = []
    for error, name in located:
        # (in the page's language, in the other): Thai first on a Thai page.
        pair = (error.message_th, error.message) if thai else (error.message, error.message_th)
        placed.setdefault(name, []).append(pair)
        summary.append((pair, "as-of" if name == "as_of" else _html_id(name)))
    return render(
        request,
        "precheck.html",
        {
            "spec": spec,
            "shown": shown,
            # The rows sent, and one empty row to fill (scripts add and remove rows).
            "row_count": rows + 1,
            "errors": summary,
            "placed": placed,
        },
        status=status,
    )


def _html_id(name: str) -> str:
    return "f" + name.replace("/", "-").replace("_", "-") if name else ""


@router.get("/precheck", dependencies=[allow(*SUBMITTERS)])
def precheck_form(request: Request) -> Response:
    return _precheck_page(request)


@router.post("/precheck", dependencies=[allow(*SUBMITTERS)])
async def precheck_submit(request: Request, form: Posted) -> Response:
    document, shown = await run_in_threadpool(submission_from_form, _form_spec(request), form.texts)
    as_of = form.first("as_of").strip() or None
    shown["as_of"] = as_of or ""
    if request.query_params.get("edit") == "1":
        # "Go to this field" on a verdict: the form again, filled in as sent, nothing checked.
        return _precheck_page(request, shown)
    try:
        verdict = await run_in_threadpool(_checker(request).precheck, document, as_of)
    except SchemaViolation as error:
        return _precheck_page(request, shown, error.errors, status=422)
    except InputError as error:
        problem = FieldError("", error.detail, message_th=detail_th(error))
        return _precheck_page(request, shown, [problem], status=400)
    except (EngineError, DecisionLogUnavailable) as error:
        return _unavailable(request, error)
    return _verdict_page(request, verdict, {"submission": document, "shown": shown})


# -- committee orders ---------------------------------------------------------------------------


@router.get("/committee", dependencies=[allow(*SUBMITTERS)])
def committee_form(request: Request) -> Response:
    return render(request, "committee.html", {"shown": {}})


@router.post("/committee", dependencies=[allow(*SUBMITTERS)])
async def committee_submit(request: Request, form: Posted) -> Response:
    shown = {k: (v[0] if v else "") for k, v in form.texts.items() if k != "csrf_token"}
    name, raw = form.upload or ("", b"")
    name = name or "order.yaml"
    if not raw:
        text = shown.get("document", "")
        raw = text.encode("utf-8")
        name = "order.json" if text.lstrip().startswith(("{", "[")) else "order.yaml"
    category = shown.get("category") or None
    as_of = shown.get("as_of", "").strip() or None
    if not raw.strip():
        return render(request, "committee.html", {"shown": shown, "problem": "nothing_sent"}, status=400)
    try:
        # Parsing (YAML, possibly 1 MiB of it) runs in a worker thread, never on the event loop.
        order = await run_in_threadpool(parse_document, raw, name)
        verdict = await run_in_threadpool(_checker(request).check_order, order, as_of, category)
    except DocumentSyntaxError as error:
        context = {"shown": shown, "problem": "not_a_document", "detail": error.detail}
        return render(request, "committee.html", {**context, "detail_th": error.detail_th}, status=400)
    except SchemaViolation as error:
        sent = {"as_of": as_of, "category": category}
        errors = [bilingual(e, sent.get(e.parameter)) for e in error.errors]
        return render(request, "committee.html", {"shown": shown, "errors": errors}, status=422)
    except InputError as error:
        context = {"shown": shown, "problem": "not_a_document", "detail": error.detail}
        return render(request, "committee.html", {**context, "detail_th": detail_th(error)}, status=400)
    except (EngineError, DecisionLogUnavailable) as error:
        return _unavailable(request, error)
    return _verdict_page(request, verdict, {"order": order})


# What a verdict asks of the agency: fix (fail) or have an officer review (review), in that order.
_TO_FIX = ("fail", "review")


def _verdict_page(request: Request, verdict: dict[str, Any], context: dict[str, Any]) -> Response:
    """The verdict page: what to do first, then the chain, the passes folded away."""
    findings: list[dict[str, Any]] = list(verdict.get("findings") or [])
    fixes = [f for outcome in _TO_FIX for f in findings if f.get("outcome") == outcome]
    warnings = [f for f in findings if f.get("outcome") == "warn"]
    folded = [f for f in findings if f.get("outcome") not in (*_TO_FIX, "warn")]
    passed = sum(1 for f in findings if f.get("outcome") == "pass")
    order = "order" in context
    labels = _checker(request).schemas.labels["committee_order" if order else "submission"]
    spec = _form_spec(request)
    rows = int(context.get("shown", {}).get("_rows", 0))
    places: dict[str, dict[str, str]] = {}
    for finding in (*fixes, *warnings):
        pointer = str(finding.get("field") or "")
        if not pointer or pointer in places:
            continue
        if order:
            # A committee order has no form here: the label, and the pointer for the English reader.
            th, en, name = labels.label(pointer), pointer, ""
        else:
            th, en, name = field_place(spec, labels.label(pointer), pointer, rows)
        places[pointer] = {"th": th, "en": en, "target": _html_id(name) if name else ""}
    fails = sum(1 for f in fixes if f.get("outcome") == "fail")
    return render(
        request,
        "verdict.html",
        {
            **context,
            "verdict": verdict,
            "summary": verdict_summary(str(verdict.get("verdict")), fails, len(fixes) - fails, order),
            "fixes": fixes,
            "warnings": warnings,
            "folded": folded,
            "folded_summary": passed_summary(passed, len(folded) - passed),
            "places": places,
        },
    )


# -- rules --------------------------------------------------------------------------------------


@router.get("/rules", dependencies=[allow(*READERS)])
def rules_page(request: Request) -> Response:
    checker = _checker(request)
    return render(request, "rules.html", {"rules": checker.catalog, "policy": checker.bundle.stamp()})


# -- auditors -----------------------------------------------------------------------------------


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/audit/decisions", dependencies=[allow(*AUDITORS)])
async def decisions_page(request: Request) -> Response:
    query = {k: v.strip() for k, v in request.query_params.items() if k in _FILTERS and v.strip()}
    page = int(query.get("page", "1")) if query.get("page", "1").isdigit() else 1
    page = max(1, min(page, 10**6))
    problem = ""
    log = _checker(request).log
    if log is None:
        return _unavailable(request, RuntimeError("this service runs without a decision log"))
    try:
        # By what the committees resolved: read from the log's resolution records.
        resolved = await run_in_threadpool(
            resolved_filter, log, query.get("resolution"), True if query.get("accepted_failure") else None
        )
        filters = DecisionFilter(
            province=query.get("province"),
            agency_name=query.get("agency"),
            outcome=query.get("verdict"),
            rule=query.get("rule"),
            recorded_from=_date(query.get("from", "")),
            recorded_to=_date(query.get("to", "")),
            **resolved,
        )
    except ValueError as error:
        problem, filters = str(error), DecisionFilter()
    except DecisionLogUnavailable as error:
        return _unavailable(request, error)
    try:
        result = await run_in_threadpool(
            log.query, filters, page=page, page_size=PAGE_SIZE, newest_first=True
        )
    except DecisionLogUnavailable as error:
        return _unavailable(request, error)
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    base = {k: v for k, v in query.items() if k != "page"}

    def page_link(number: int) -> str:
        return "/audit/decisions?" + urlencode({**base, "page": str(number)})

    return render(
        request,
        "decisions.html",
        {
            "query": query,
            "records": result.records,
            "total": result.total,
            "page": page,
            "pages": pages,
            "page_link": page_link,
            "problem": problem,
            "outcomes": OUTCOMES,
            "resolution_filters": RESOLUTION_FILTERS,
            "rule_ids": [entry["id"] for entry in _checker(request).catalog],
            "max_page_size": MAX_PAGE_SIZE,
        },
    )


_FILTERS = ("province", "agency", "verdict", "rule", "from", "to", "resolution", "accepted_failure", "page")


@router.get("/audit/decisions/{decision_id}", dependencies=[allow(*AUDITORS)])
async def decision_page(decision_id: str, request: Request) -> Response:
    log = _checker(request).log
    record = await run_in_threadpool(log.get, decision_id) if log is not None else None
    recorded = request.query_params.get("recorded", "")
    return await _decision_response(request, record, {"recorded": recorded}, decision_id=decision_id)


async def _decision_response(
    request: Request,
    record: StoredRecord | None,
    extra: dict[str, Any],
    status: int = 200,
    decision_id: str = "",
) -> Response:
    """The decision page: the logged decision, its committee resolutions, and for a secretariat the
    form to record one (``extra``: what a refused form showed)."""
    if record is None:
        return render(
            request, "message.html", {"title": "not_found_title", "detail": decision_id}, status=404
        )
    view = decision_view(record)
    pretty = json.dumps(view["input"], ensure_ascii=False, indent=2, default=_plain)
    role = _role(request, read_session(request))
    try:
        context = await run_in_threadpool(
            resolutions_context, _checker(request), record, role, extra.get("shown")
        )
    except (EngineError, DecisionLogUnavailable) as error:
        return _unavailable(request, error)
    context = {**context, **{k: v for k, v in extra.items() if k != "shown"}}
    return render(
        request,
        "decision.html",
        {"view": view, "verdict": record.verdict, "input_json": pretty, **context},
        status=status,
    )


@router.post("/audit/decisions/{decision_id}/resolutions", dependencies=[allow(*RECORDERS)])
async def resolution_submit(decision_id: str, request: Request, form: Posted) -> Response:
    async def again(record: StoredRecord | None, extra: dict[str, Any], status: int) -> Response:
        return await _decision_response(request, record, extra, status, decision_id)

    try:
        return await record_resolution(request, decision_id, form.texts, again)
    except (EngineError, DecisionLogUnavailable) as error:
        return _unavailable(request, error)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value).__name__)


_PERIOD = re.compile(r"^FY[0-9]{4}-H[12]$")


def _report_filters(request: Request) -> tuple[str | None, str | None]:
    province = request.query_params.get("province", "").strip() or None
    period = request.query_params.get("period", "").strip() or None
    if period is not None and not _PERIOD.match(period):
        period = None
    return province, period


async def _report(request: Request) -> Response | tuple[dict[str, Any], dict[str, str]]:
    """The six-monthly report the query asks for and its filters, or the page that says why not."""
    log = _checker(request).log
    if log is None:
        return _unavailable(request, RuntimeError("this service runs without a decision log"))
    province, period = _report_filters(request)
    chosen = {name: value for name, value in (("province", province), ("period", period)) if value}
    return await run_in_threadpool(semiannual_report, log, province, period), chosen


@router.get("/audit/report", dependencies=[allow(*AUDITORS)])
async def report_page(request: Request) -> Response:
    answer = await _report(request)
    if isinstance(answer, Response):
        return answer
    report, chosen = answer
    return render(
        request,
        "report.html",
        {
            "report": report,
            "province": chosen.get("province", ""),
            "period": chosen.get("period", ""),
            "csv_link": "/audit/report.csv?" + urlencode(chosen),
            "xlsx_link": "/audit/report.xlsx?" + urlencode(chosen),
        },
    )


@router.get("/audit/report.csv", dependencies=[allow(*AUDITORS)])
async def report_csv(request: Request) -> Response:
    return await _report_download(request, "csv")


@router.get("/audit/report.xlsx", dependencies=[allow(*AUDITORS)])
async def report_xlsx(request: Request) -> Response:
    return await _report_download(request, "xlsx")


async def _report_download(request: Request, file_format: str) -> Response:
    answer = await _report(request)
    if isinstance(answer, Response):
        return answer
    report, _ = answer
    file = await run_in_threadpool(report_file, report, file_format)
    return Response(file.content, media_type=file.media_type, headers=file.headers)


# -- login --------------------------------------------------------------------------------------


def _safe_next(target: str) -> str:
    # Only a path of this site: never an open redirect to another host.
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/login")
def login_form(request: Request) -> Response:
    return render(request, "login.html", {"next": _safe_next(request.query_params.get("next", "/"))})


@router.post("/login")
async def login_submit(request: Request, form: Posted) -> Response:
    target = _safe_next(form.first("next", "/"))
    presented = form.first("api_key").strip()
    key = request.app.state.keyring.identify(presented) if presented else None
    if key is None:
        return render(request, "login.html", {"next": target, "problem": "bad_key"}, status=401)
    if target == "/" and key.role in AUDITORS:
        target = "/audit/decisions"
    response = RedirectResponse(target, status_code=303)
    # A new session (and CSRF token) at login: a session fixed before it is worth nothing.
    set_cookie(request, response, issue(key.id, key.role))
    return response


@router.post("/logout")
async def logout(request: Request, form: Posted) -> Response:
    # Ended on the server first: a copy of the cookie is refused from now on, by every worker.
    try:
        await run_in_threadpool(end_session, request, read_session(request))
    except SessionStoreUnavailable as error:
        return _unavailable(request, error)
    response = RedirectResponse("/login", status_code=303)
    set_cookie(request, response, None)
    return response


def install_pages(app: FastAPI) -> None:
    """The pages, their static files and the handler that answers a page dependency's refusal."""
    app.add_exception_handler(PageResponse, answer_with_page_response)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
