"""The FastAPI application: routes only; the work is in ictgate.prechecker."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp

from ictgate import __version__
from ictgate.api.audit import router as audit_router
from ictgate.api.body import BodyLimit, read_json_body
from ictgate.api.deps import PrecheckerDep, SettingsDep
from ictgate.api.docs import install_docs
from ictgate.api.openapi import install_openapi
from ictgate.api.problems import install_problem_handlers, problem
from ictgate.api.readiness import READINESS_PROBE, Readiness
from ictgate.api.resolutions import router as resolutions_router
from ictgate.api.security import SecurityHeaders, install_security, require
from ictgate.compose import build_prechecker
from ictgate.core.settings import Settings, get_settings
from ictgate.prechecker import Prechecker
from ictgate.web import install_pages

__all__ = ["READINESS_PROBE", "IctgateAPI", "create_app"]

log = logging.getLogger("ictgate.api")

DESCRIPTION = """
Pre-check of Thai provincial computer-system and CCTV project proposals
(ตรวจสอบข้อเสนอโครงการจัดหาระบบคอมพิวเตอร์และกล้องโทรทัศน์วงจรปิดเบื้องต้น).

Send a proposal; get back which body must approve it, whether it is complete
and lawful, and why: every rule evaluated, in Thai and English, with the
letter and clause it rests on. The verdict is computed by the Rego policies
in `policies/`; errors are RFC 9457 problem details.
"""


class IctgateAPI(FastAPI):
    """FastAPI with the security headers and the body limit outside every other layer.

    Starlette puts its server-error handler outermost, so a middleware added
    with ``add_middleware`` never sees the bare 500 it answers, nor a CORS
    preflight; wrapping the whole stack gives every answer the headers. The
    body limit sits just inside them: every request of every route has its
    bytes counted as they arrive (ictgate/core/bodylimit.py).
    """

    def build_middleware_stack(self) -> ASGIApp:
        limited = BodyLimit(super().build_middleware_stack(), int(self.state.settings.max_body_bytes))
        return SecurityHeaders(limited, dev_mode=bool(self.state.dev_mode))


def create_app(settings: Settings | None = None, prechecker: Prechecker | None = None) -> FastAPI:
    settings = settings or get_settings()
    # Built before serving: a policy that does not compile stops start-up.
    checker = prechecker or build_prechecker(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        log.info("policy engine %s, policy revision %s", checker.engine.description, checker.bundle.revision)
        yield
        readiness.close()
        checker.engine.close()
        if checker.log is not None:
            checker.log.close()

    readiness = Readiness(settings.engine_timeout_seconds, settings)
    app = IctgateAPI(
        title="ictgate",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # Served by install_docs from local assets: FastAPI's own pages need a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.prechecker = checker
    install_problem_handlers(app)
    install_security(app, settings)
    submitters = [Depends(require("submitter"))]
    readers = [Depends(require("submitter", "auditor"))]

    @app.post(
        "/v1/precheck", summary="Pre-check a project proposal", tags=["pre-check"], dependencies=submitters
    )
    async def precheck(
        request: Request,
        checker: PrecheckerDep,
        app_settings: SettingsDep,
        as_of: Annotated[
            str | None,
            Query(description="Read the rules as of this date (YYYY-MM-DD); default: submitted_on."),
        ] = None,
    ) -> JSONResponse:
        submission = await read_json_body(request, app_settings.max_body_bytes, app_settings.max_json_depth)
        verdict = await run_in_threadpool(checker.precheck, submission, as_of)
        return JSONResponse(verdict)

    @app.post(
        "/v1/committees/check",
        summary="Check a provincial committee order",
        tags=["committee"],
        dependencies=submitters,
    )
    async def check_committee_order(
        request: Request,
        checker: PrecheckerDep,
        app_settings: SettingsDep,
        as_of: Annotated[
            str | None,
            Query(description="Check against the rules in force on this date (YYYY-MM-DD); default: today."),
        ] = None,
        category: Annotated[
            str | None,
            Query(description="computer_system or cctv: the projects R-COMP-13 judges the order for."),
        ] = None,
    ) -> JSONResponse:
        order = await read_json_body(request, app_settings.max_body_bytes, app_settings.max_json_depth)
        verdict = await run_in_threadpool(checker.check_order, order, as_of, category)
        return JSONResponse(verdict)

    @app.get("/v1/rules", summary="The rule catalog", tags=["rules"], dependencies=readers)
    def list_rules(checker: PrecheckerDep, family: str | None = None) -> JSONResponse:
        entries = [e for e in checker.catalog if family is None or e["family"] == family]
        return JSONResponse({"rules": entries, "policy": checker.bundle.stamp()})

    @app.get("/v1/rules/{rule_id}", summary="One rule of the catalog", tags=["rules"], dependencies=readers)
    def get_rule(rule_id: str, request: Request, checker: PrecheckerDep) -> JSONResponse:
        for entry in checker.catalog:
            if entry["id"] == rule_id:
                return JSONResponse(entry)
        return problem(
            request,
            404,
            "not_found",
            "Unknown rule",
            f"no rule {rule_id!r} in the catalog",
            thai=f"ไม่พบหลักเกณฑ์ {rule_id} ในรายการหลักเกณฑ์",
        )

    @app.get("/healthz", summary="Liveness", tags=["operations"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        summary="Readiness: the policy engine gives a valid verdict and the decision log takes a write",
        tags=["operations"],
    )
    async def readyz(request: Request, checker: PrecheckerDep) -> JSONResponse:
        # Waits in a worker thread, at most the engine deadline: the event loop is never held.
        report = await run_in_threadpool(readiness.check, checker)
        if not report.ready:
            return problem(
                request,
                503,
                "not_ready",
                "Not ready",
                report.problems(),
                headers={"Retry-After": "5"},
            )
        # An OPA server's description asks it for its version: not on the event loop either.
        engine = await run_in_threadpool(lambda: checker.engine.description)
        return JSONResponse(
            {
                "status": "ready",
                "engine": engine,
                "policy": checker.bundle.stamp(),
                # What the engine itself has loaded (an OPA server reports its bundle's revision).
                "engine_revision": report.revision,
                "decision_log": None if checker.log is None else checker.log.description,
                "checks": report.checks,
            }
        )

    app.include_router(audit_router)
    app.include_router(resolutions_router)
    # Pages for officers and auditors, outside the OpenAPI document.
    install_pages(app)
    install_openapi(app, checker.schemas.plain_documents)
    install_docs(app)
    return app
