"""``ictgate resolution add`` and ``ictgate resolution list``: committee resolutions on the command line.

They use the decision log of the settings (SQLite at ICTGATE_DECISION_LOG, or
PostgreSQL at DATABASE_URL), as ``ictgate log verify`` does. ``add`` asks the
policies whether the resolution may be recorded (R-RES-1…7) and appends it to the
log only if it may; it exits 1 with the findings when it may not. Records are never
edited: a correction is a new resolution whose ``supersedes`` names the earlier one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ictgate.core.errors import IctgateError, InadmissibleResolution, InputError, SchemaViolation

__all__ = ["add_resolution_commands"]

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def _print_findings(findings: list[dict[str, Any]]) -> None:
    for finding in findings:
        mark = "✗" if finding.get("outcome") == "fail" else "?"
        print(f"  {mark} {finding.get('rule')} {finding.get('outcome')}  {finding.get('field') or '/'}")
        message = finding.get("message") or {}
        print(f"      {message.get('th', '')}")
        print(f"      {message.get('en', '')}")


def _add(args: argparse.Namespace) -> int:
    from ictgate.compose import build_prechecker
    from ictgate.core.settings import get_settings
    from ictgate.gate.documents import load_document

    try:
        resolution = load_document(args.file)
        checker = build_prechecker(get_settings())
        try:
            verdict = checker.resolve(args.decision_id, resolution, args.as_of)
        finally:
            checker.engine.close()
            if checker.log is not None:
                checker.log.close()
    except InadmissibleResolution as error:
        if args.format == "json":
            print(
                json.dumps({"detail": error.detail, "verdict": error.verdict}, ensure_ascii=False, indent=2)
            )
        else:
            print(f"บันทึกมติไม่ได้ / the resolution cannot be recorded: {error.detail}")
            _print_findings(error.findings)
        return EXIT_REFUSED
    except SchemaViolation as error:
        print(f"ictgate: {args.file}: {error.detail}", file=sys.stderr)
        for item in error.errors:
            print(f"  {item.pointer or item.parameter or '/'}: {item.message}", file=sys.stderr)
        return EXIT_USAGE
    except (InputError, IctgateError) as error:
        print(f"ictgate: {error.code}: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(verdict, ensure_ascii=False, indent=2))
    else:
        print(f"บันทึกมติแล้ว / resolution recorded: {verdict['decision_id']}")
        print(f"  ผลการตรวจ / verdict: {verdict['verdict']} · step {verdict.get('step', '-')}")
        _print_findings([f for f in verdict.get("findings", []) if f.get("outcome") != "pass"])
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from ictgate.audit.resolutions import resolution_views
    from ictgate.compose import build_prechecker
    from ictgate.core.settings import get_settings
    from ictgate.core.thai_format import thai_date

    try:
        checker = build_prechecker(get_settings())
        try:
            views = resolution_views(checker.resolutions(args.decision_id))
        finally:
            checker.engine.close()
            if checker.log is not None:
                checker.log.close()
    except IctgateError as error:
        print(f"ictgate: {error.code}: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(
            json.dumps({"decision_id": args.decision_id, "resolutions": views}, ensure_ascii=False, indent=2)
        )
        return EXIT_OK
    print(f"มติคณะกรรมการ / resolutions of decision {args.decision_id}: {len(views)}")
    for view in views:
        content = view["resolution"]
        meeting = content.get("meeting", {})
        where = content["body"] + (f" {content['province']}" if content.get("province") else "")
        print(
            f"  {view['resolution_id']}  {content['outcome']}  {where}  "
            f"ครั้งที่ {meeting.get('number')} {thai_date(str(meeting.get('date')))} ({meeting.get('date')})"
        )
        print(f"      {content.get('reference', '')}")
        for condition in content.get("conditions", []):
            print(f"      เงื่อนไข / condition: {condition}")
        for acceptance in content.get("acceptances", []):
            print(
                f"      ยอมรับ / accepted: {acceptance['rule']} {acceptance['field']}: {acceptance['reason']}"
            )
        if view["superseded_by"]:
            print(f"      แก้ไขโดย / superseded by {view['superseded_by']}")
    return EXIT_OK


def _as_of(text: str) -> str:
    from ictgate.prechecker import check_as_of

    try:
        check_as_of(text)
    except SchemaViolation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    return text


def add_resolution_commands(commands: Any) -> None:
    resolution = commands.add_parser("resolution", help="committee resolutions on logged pre-checks")
    sub = resolution.add_subparsers(dest="resolution_command", required=True)
    add = sub.add_parser(
        "add",
        help="record a committee's resolution on a logged pre-check, if the policies admit it "
        "(exit 1 with the findings if not)",
    )
    add.add_argument("decision_id", help="the logged pre-check the committee resolved")
    add.add_argument("--file", "-f", type=Path, required=True, help="the resolution (JSON or YAML)")
    add.add_argument(
        "--as-of", dest="as_of", type=_as_of, help="judge at this date (default: today in Thailand)"
    )
    add.add_argument("--format", choices=["text", "json"], default="text")
    add.set_defaults(run=_add)
    listing = sub.add_parser("list", help="the resolutions recorded on a logged pre-check")
    listing.add_argument("decision_id")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(run=_list)
