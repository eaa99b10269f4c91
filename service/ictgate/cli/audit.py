"""The auditors' commands: ``ictgate log verify``, ``ictgate replay``, ``ictgate report semiannual``.

They open the decision log of the settings (SQLite at ICTGATE_DECISION_LOG, or
PostgreSQL at DATABASE_URL) and never write to it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from ictgate.core.errors import DecisionLogUnavailable, EngineError

__all__ = ["add_audit_commands"]

EXIT_OK, EXIT_FINDING, EXIT_USAGE = 0, 1, 2


def _open_log() -> Any:
    from ictgate.audit.decisionlog import open_decision_log
    from ictgate.core.settings import get_settings

    return open_decision_log(get_settings())


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def _verify(args: argparse.Namespace) -> int:
    try:
        log = _open_log()
        try:
            report = log.verify()
            where = log.description
        finally:
            log.close()
    except DecisionLogUnavailable as error:
        print(f"ictgate: decision log unavailable: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        _write(json.dumps({"log": where, **report.as_dict()}, ensure_ascii=False, indent=2), None)
    else:
        print(f"{where}: {report.records} record(s)")
        for problem in report.problems:
            named = problem.decision_id or "missing"
            print(f"  record {problem.sequence} ({named}): {problem.kind}: {problem.message}")
        print("chain intact" if report.ok else f"chain BROKEN: {len(report.problems)} problem(s)")
    return EXIT_OK if report.ok else EXIT_FINDING


def _filters(args: argparse.Namespace) -> Any:
    from ictgate.audit.decisionlog import DecisionFilter

    return DecisionFilter(
        kind=args.kind,
        province=args.province,
        agency_name=args.agency,
        outcome=args.verdict,
        rule=args.rule,
        recorded_from=args.recorded_from,
        recorded_to=args.recorded_to,
    )


def _replay(args: argparse.Namespace) -> int:
    from ictgate.audit.replay import replay
    from ictgate.compose import build_prechecker
    from ictgate.core.settings import get_settings

    try:
        filters = _filters(args)
        checker = build_prechecker(get_settings(), with_log=False)
        log = _open_log()
        try:
            report = replay(checker, log.iter(filters))
        finally:
            log.close()
            checker.engine.close()
    except ValueError as error:
        print(f"ictgate: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (DecisionLogUnavailable, EngineError) as error:
        print(f"ictgate: {error.code}: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    text = (
        json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
        if args.format == "json"
        else report.as_table()
    )
    _write(text, args.output)
    return EXIT_FINDING if (report.changes and args.fail_on_change) else EXIT_OK


def _semiannual(args: argparse.Namespace) -> int:
    from ictgate.audit.semiannual import report_as_csv, semiannual_report

    try:
        log = _open_log()
        try:
            report = semiannual_report(log, args.province, args.period)
        finally:
            log.close()
    except DecisionLogUnavailable as error:
        print(f"ictgate: decision log unavailable: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    text = report_as_csv(report) if args.format == "csv" else json.dumps(report, ensure_ascii=False, indent=2)
    _write(text, args.output)
    return EXIT_OK


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _period(text: str) -> str:
    import re

    if not re.fullmatch(r"FY[0-9]{4}-H[12]", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a fiscal half-year such as FY2568-H1")
    return text


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--province", help="agency province (ISO 3166-2:TH)")
    parser.add_argument("--agency", help="agency name, exactly as submitted")
    parser.add_argument("--verdict", choices=["pass", "fail", "needs_review", "not_applicable"])
    parser.add_argument("--rule", help="a rule id the logged verdict evaluated, e.g. R-DATA-3")
    parser.add_argument("--kind", choices=["precheck", "committee_check"])
    parser.add_argument("--from", dest="recorded_from", type=_date, help="logged on or after (UTC date)")
    parser.add_argument("--to", dest="recorded_to", type=_date, help="logged on or before (UTC date)")


def add_audit_commands(commands: Any) -> None:
    log = commands.add_parser("log", help="the decision log")
    log_commands = log.add_subparsers(dest="log_command", required=True)
    verify = log_commands.add_parser(
        "verify",
        help="walk the hash chain: exit 0 intact, 1 a record changed, removed or reordered (named)",
    )
    verify.add_argument("--format", choices=["text", "json"], default="text")
    verify.set_defaults(run=_verify)

    replay = commands.add_parser(
        "replay",
        help="re-evaluate logged decisions with the current policies and list what would change",
    )
    _add_filters(replay)
    replay.add_argument("--format", choices=["table", "json"], default="table")
    replay.add_argument("--output", "-o", type=Path, help="write the report to this file")
    replay.add_argument("--fail-on-change", action="store_true", help="exit 1 when any decision would change")
    replay.set_defaults(run=_replay)

    report = commands.add_parser("report", help="reports from the decision log")
    report_commands = report.add_subparsers(dest="report_command", required=True)
    semiannual = report_commands.add_parser(
        "semiannual", help="six-monthly report of provincial approvals to the MOI committee (R-AUTH-6)"
    )
    semiannual.add_argument("--province", help="committee province, e.g. TH-11")
    semiannual.add_argument("--period", type=_period, help="fiscal half-year, e.g. FY2568-H1")
    semiannual.add_argument("--format", choices=["json", "csv"], default="json")
    semiannual.add_argument("--output", "-o", type=Path, help="write the report to this file")
    semiannual.set_defaults(run=_semiannual)
