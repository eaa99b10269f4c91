"""The ``ictgate`` command line.

    ictgate check PATH...     pre-check proposal files (JSON/YAML); exit 0/1/2/3
    ictgate serve             serve the HTTP API (embedded engine unless OPA_URL is set)
    ictgate policy-test       run the Rego tests of policy_tests/ on embedded OPA and regorus

The check path imports neither FastAPI nor uvicorn, so a CI gate starts fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from ictgate.cli.audit import add_audit_commands
from ictgate.cli.bundle import add_bundle_commands
from ictgate.cli.keys import add_key_commands
from ictgate.cli.resolutions import add_resolution_commands
from ictgate.core.errors import DecisionLogUnavailable, EngineError
from ictgate.core.settings import ENGINE_NAMES, REPO_ROOT, get_settings
from ictgate.core.thai_errors import be_year_hint, be_year_of_date, detail_th
from ictgate.gate import (
    EXIT_FAIL,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_REVIEW,
    Evaluator,
    FileResult,
    GateRun,
    LocalEvaluator,
    Problem,
    ServerEvaluator,
    check_files,
    expand_paths,
)
from ictgate.gate import exit_code as _exit_code
from ictgate.gate.reports import FORMATS, ReportOptions, render

__all__ = ["main", "EXIT_OK", "EXIT_FAIL", "EXIT_INVALID", "EXIT_REVIEW", "_exit_code"]

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _date(text: str) -> str:
    year = be_year_of_date(text)
    if year is not None:
        english, thai = be_year_hint(year)
        raise argparse.ArgumentTypeError(f"as_of: {english} ({thai})")
    try:
        if not _DATE.match(text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"as_of: {text!r} is not a date (YYYY-MM-DD) "
            "(ไม่ใช่วันที่ กรุณาระบุแบบปีคริสต์ศักราช ปี-เดือน-วัน เช่น 2025-02-01)"
        ) from None
    return text


def _output(text: str) -> tuple[str, Path]:
    name, sep, path = text.partition("=")
    if not sep or not path or name not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"{text!r}: write FORMAT=FILE, with FORMAT one of {', '.join(FORMATS)} (e.g. sarif=ictgate.sarif)"
        )
    return name, Path(path)


def _server(text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"{text!r} is not an http:// or https:// URL")
    return text


def _say(message: str, thai: str = "", lang: str = "both") -> None:
    """An error on stderr in the run's language (--lang): Thai, English, or a Thai then an English line."""
    if thai and lang in ("th", "both"):
        print(f"ictgate: {thai}", file=sys.stderr)
    if not thai or lang != "th":
        print(f"ictgate: {message}", file=sys.stderr)


# gate/paths.py's reasons for an argument that names nothing to check, in Thai.
_UNMATCHED_TH = {
    "no such file or directory": "ไม่พบไฟล์หรือโฟลเดอร์นี้",
    "no proposal file matches this pattern": "ไม่มีไฟล์ข้อเสนอโครงการที่ตรงกับรูปแบบนี้",
}


def _choose_engine(args: argparse.Namespace) -> None:
    """--engine, through the environment: `serve` builds its app (in each worker) from there."""
    if getattr(args, "engine", None):
        os.environ["ICTGATE_ENGINE"] = args.engine
        get_settings.cache_clear()


def _add_engine_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--engine",
        choices=ENGINE_NAMES,
        default=None,
        help="in-process policy engine: opa (OPA's own, the default) or regorus; "
        "same as ICTGATE_ENGINE. OPA_URL, when set, sends every query to that OPA server instead.",
    )


def _evaluate(args: argparse.Namespace, files: list[Path]) -> tuple[list[FileResult], str]:
    """Every file's result, and what answered."""
    evaluator: Evaluator
    try:
        if args.server:
            evaluator = ServerEvaluator(
                args.server,
                timeout=args.timeout,
                order_category=args.order_category,
                api_key=os.environ.get("ICTGATE_API_KEY"),
            )
        else:
            # Imported here so that `ictgate check --server` never loads a policy engine.
            from ictgate.compose import build_prechecker

            _choose_engine(args)
            checker = build_prechecker(get_settings(), with_log=args.log)
            evaluator = LocalEvaluator(checker, order_category=args.order_category)
    except (EngineError, DecisionLogUnavailable) as error:
        thai = detail_th(error)
        _say(f"cannot start: {error.detail}", f"เริ่มตรวจไม่ได้: {thai}", args.lang)
        return [
            FileResult(path, problem=Problem("error", error.code, error.detail, detail_th=thai))
            for path in files
        ], ""
    try:
        results = check_files(files, evaluator, args.as_of)
    finally:
        evaluator.close()
    failed = next((r.problem for r in results if r.problem and r.problem.state == "error"), None)
    if failed is not None:
        _say(
            f"policy engine could not answer ({failed.code}): {failed.detail}",
            f"ระบบประมวลผลหลักเกณฑ์ตอบไม่ได้ ({failed.code}): {failed.detail_th or failed.detail}",
            args.lang,
        )
    return results, evaluator.description


def _check(args: argparse.Namespace) -> int:
    expansion = expand_paths(args.paths)
    for argument, reason in expansion.unmatched:
        _say(f"{argument}: {reason}", f"{argument}: {_UNMATCHED_TH.get(reason, reason)}", args.lang)
    if not expansion.files:
        _say(
            "no proposal files to check (looked for *.json, *.yaml, *.yml)",
            "ไม่มีไฟล์ข้อเสนอโครงการให้ตรวจ (ค้นหาไฟล์ *.json, *.yaml, *.yml)",
            args.lang,
        )
        results: list[FileResult] = []
        evaluator = ""
    else:
        results, evaluator = _evaluate(args, expansion.files)
    run = GateRun(results, expansion.unmatched, args.as_of, args.review_ok, evaluator)
    policy_dir = get_settings().policy_dir
    for name, path in args.outputs:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(name, run, ReportOptions(args.lang, False, policy_dir)), "utf-8")
        except OSError as error:
            _say(
                f"cannot write the {name} report to {path}: {error.strerror}",
                f"เขียนรายงาน {name} ลงไฟล์ {path} ไม่ได้ ({error.strerror})",
                args.lang,
            )
            return EXIT_INVALID
    colour = args.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(render(args.format, run, ReportOptions(args.lang, colour, policy_dir)))
    sys.stdout.flush()
    if args.format != "text":
        _say(f"{run.summary()}; exit {run.exit_code}")
    return run.exit_code


def _is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address, decided on the parsed address, never on a prefix.

    127.0.0.0/8 and ::1 (bracketed or not), and the name localhost itself; not
    127.attacker.example, localhost.attacker.example nor ::1234.
    """
    import ipaddress

    name = host.strip().lower()
    if name in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(name.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    if args.dev:
        # The app is built by uvicorn (in each worker) from the environment.
        os.environ["ICTGATE_DEV_MODE"] = "true"
        get_settings.cache_clear()
    _choose_engine(args)
    settings = get_settings()
    if settings.dev_mode and not _is_loopback(args.host):
        _say(
            f"refusing to serve without authentication on {args.host}: development mode is for loopback only",
            f"ไม่เปิดบริการแบบไม่ต้องยืนยันตัวตนที่ {args.host}: โหมดพัฒนาใช้ได้เฉพาะเครื่องนี้ (loopback)",
        )
        return EXIT_INVALID
    if not settings.dev_mode and not settings.api_keys:
        _say(
            "no API keys configured: set ICTGATE_API_KEYS (see `ictgate keys create`), "
            "or use --dev on loopback",
            "ยังไม่ได้ตั้งกุญแจ API: กำหนด ICTGATE_API_KEYS (ดู ictgate keys create) หรือใช้ --dev บนเครื่องนี้",
        )
        return EXIT_INVALID
    if args.workers > 1:
        # Each worker on a listener of its own (SO_REUSEPORT, TCP_NODELAY): see ictgate.cli.workers.
        from ictgate.cli.workers import PortTaken, serve_workers

        try:
            return serve_workers(args.host, args.port, args.workers, args.log_level)
        except PortTaken as error:
            _say(
                f"cannot listen on {args.host}:{args.port}: {error.strerror or error}",
                f"เปิดรับการเชื่อมต่อที่ {args.host}:{args.port} ไม่ได้ ({error.strerror or error})",
            )
            return EXIT_INVALID
    uvicorn.run(
        "ictgate.api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
    )
    return EXIT_OK


def _policy_test(args: argparse.Namespace) -> int:
    from ictgate.policytest import run_policy_tests

    engines = ENGINE_NAMES if args.engine == "all" else (args.engine,)
    return run_policy_tests(
        Path(args.policies), Path(args.tests), verbose=not args.quiet, coverage=args.coverage, engines=engines
    )


def version_text() -> str:
    """What ``ictgate --version`` prints: the package, the policies and each engine."""
    from ictgate import __version__
    from ictgate.core.engines import embedded_opa_available, embedded_opa_version, regorus_version
    from ictgate.core.errors import EngineUnavailable
    from ictgate.core.policy import load_bundle

    settings = get_settings()
    try:
        bundle = load_bundle(settings.policy_dir)
        policy = f"{bundle.revision} ({bundle.digest[:19]}…) from {settings.policy_dir}"
    except EngineUnavailable as error:
        policy = f"not loaded: {error.detail}"
    opa = f"{embedded_opa_version()} (embedded)" if embedded_opa_available() else "not installed"
    lines = [
        f"ictgate {__version__}",
        f"policy revision {policy}",
        f"engine opa {opa}{'  [default]' if settings.engine == 'opa' else ''}",
        f"engine regorus {regorus_version()}{'  [default]' if settings.engine == 'regorus' else ''}",
    ]
    if settings.opa_url:
        lines.append(f"OPA server (OPA_URL) {settings.opa_url}: used instead of the engines above")
    return "\n".join(lines)


class _VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(version_text())
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ictgate", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="print the package version, the policy revision and the engine versions, then exit",
    )
    check = commands.add_parser(
        "check",
        help="pre-check proposal files (JSON or YAML)",
        description="Pre-check proposal files and committee orders (told apart by content: a document "
        "with members and order is a committee order). Exit 0 all pass or not applicable, 1 a fail, "
        "2 invalid input or usage (or no file to check, or no engine answer), 3 needs review.",
    )
    _add_engine_option(check)
    check.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files, directories (searched recursively) or quoted globs ('proposals/**/*.yaml')",
    )
    check.add_argument(
        "--as-of", type=_date, help="read the rules as of this date (YYYY-MM-DD); default: submitted_on"
    )
    check.add_argument("--format", choices=list(FORMATS), default="text", help="the report on stdout")
    check.add_argument(
        "--output",
        "-o",
        dest="outputs",
        metavar="FORMAT=FILE",
        type=_output,
        action="append",
        default=[],
        help="also write a report to FILE (repeatable): -o sarif=ictgate.sarif -o junit=junit.xml",
    )
    check.add_argument("--lang", choices=["th", "en", "both"], default="both")
    check.add_argument(
        "--review-ok", action="store_true", help="exit 0, not 3, when the worst verdict is needs_review"
    )
    check.add_argument(
        "--server",
        metavar="URL",
        type=_server,
        help="ask a running ictgate service (POST URL/v1/precheck) instead of the embedded engine; "
        "its API key is read from ICTGATE_API_KEY",
    )
    check.add_argument(
        "--log",
        action="store_true",
        help="append every verdict to the decision log (ICTGATE_DECISION_LOG or DATABASE_URL); "
        "a verdict that cannot be logged stops the run (exit 2)",
    )
    check.add_argument(
        "--order-category",
        choices=["computer_system", "cctv"],
        help="committee-order files: judge an order not amended after 2024-05-31 for these projects "
        "(R-COMP-13: a warning for computer_system, the default; a failure for cctv)",
    )
    check.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="longest wait for --server (default 10)",
    )
    check.set_defaults(run=_check)

    add_audit_commands(commands)
    add_resolution_commands(commands)
    add_key_commands(commands)
    add_bundle_commands(commands)

    serve = commands.add_parser("serve", help="serve the HTTP API")
    _add_engine_option(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes, e.g. one per core (each on its own listener; one that dies is replaced)",
    )
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--dev",
        action="store_true",
        help="development mode: no authentication (loopback only; loudly logged)",
    )
    serve.set_defaults(run=_serve)

    tests = commands.add_parser(
        "policy-test", help="run the Rego tests (policy_tests/) on embedded OPA and on regorus"
    )
    tests.add_argument(
        "--engine",
        choices=(*ENGINE_NAMES, "all"),
        default="all",
        help="the engine(s) to run the tests on (default: all; a policy change must pass on all)",
    )
    tests.add_argument("--policies", default=str(REPO_ROOT / "policies"))
    tests.add_argument("--tests", default=str(REPO_ROOT / "policy_tests"))
    tests.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    tests.add_argument(
        "--coverage",
        action="store_true",
        help="print which policy lines the tests reached, per engine, and the policy files without tests",
    )
    tests.set_defaults(run=_policy_test)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
