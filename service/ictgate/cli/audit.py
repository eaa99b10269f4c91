"""The auditors' commands: ``ictgate log verify``, ``ictgate replay``, ``ictgate report semiannual``,
and the log's upkeep: ``ictgate log checkpoint``, ``ictgate log archive``, ``ictgate log new-anchor-key``.

They open the decision log of the settings (SQLite at ICTGATE_DECISION_LOG, or
PostgreSQL at DATABASE_URL). ``verify``, ``replay`` and ``report`` never write to it;
``checkpoint`` appends a line to the checkpoint file, and ``archive`` moves old
records to an archive file (docs/security-anchoring.md, "Retention").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ictgate.core.errors import DecisionLogUnavailable, EngineError

__all__ = ["add_audit_commands"]

EXIT_OK, EXIT_FINDING, EXIT_USAGE = 0, 1, 2


def _open_log() -> Any:
    from ictgate.audit.decisionlog import open_decision_log
    from ictgate.core.settings import get_settings

    return open_decision_log(get_settings())


@contextmanager
def _opened_log() -> Iterator[Any]:
    """The decision log of the settings, closed however the command ends."""
    log = _open_log()
    try:
        yield log
    finally:
        log.close()


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def _checkpoint_file(args: argparse.Namespace) -> Path | None:
    from ictgate.core.settings import get_settings

    chosen: Path | None = getattr(args, "checkpoints", None) or get_settings().checkpoint_file
    return chosen


def _published_heads(args: argparse.Namespace, log: Any) -> tuple[list[Any], list[Any]]:
    """The heads published outside the log (--expect-head, the checkpoint file), and the problems
    of the checkpoint file itself (lines altered or forged)."""
    from ictgate.audit.decisionlog import parse_expected_head, read_checkpoints

    expected = [parse_expected_head(text) for text in args.expect_head]
    problems: list[Any] = []
    checkpoints = _checkpoint_file(args)
    # A file named with --checkpoints must be there; the configured one may not exist yet.
    named = args.run is _verify and args.checkpoints is not None
    if checkpoints is not None and (checkpoints.exists() or named):
        heads, problems = read_checkpoints(checkpoints, log.anchor)
        expected.extend(heads)
    return expected, problems


def _run_verify(args: argparse.Namespace, log: Any) -> Any:
    from ictgate.audit.decisionlog import check_archive

    expected, checkpoint_problems = _published_heads(args, log)
    report = log.verify(expected)
    extra = list(checkpoint_problems)
    if args.archive:
        marks = log.archive_marks()
        for path in args.archive:
            extra.extend(check_archive(path, marks, log.anchor))
    return report.with_problems(extra) if extra else report


def _verify(args: argparse.Namespace) -> int:
    try:
        with _opened_log() as log:
            report = _run_verify(args, log)
            where = log.description
    except DecisionLogUnavailable as error:
        print(f"ictgate: decision log unavailable: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as error:
        print(f"ictgate: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        _write(json.dumps({"log": where, **report.as_dict()}, ensure_ascii=False, indent=2), None)
    else:
        head = report.head
        print(f"{where}: {report.records} record(s)")
        if head is not None:
            print(
                f"head: record {head.sequence}, hash {head.hash} (--expect-head {head.sequence}:{head.hash})"
            )
        if report.start.sequence:
            print(f"archived: records 1–{report.start.sequence} (hash {report.start.hash})")
        print(f"anchoring: {report.anchoring.get('state', 'unknown')}")
        for problem in report.problems:
            named = problem.decision_id or "missing"
            print(f"  record {problem.sequence} ({named}): {problem.kind}: {problem.message}")
        print("chain intact" if report.ok else f"chain BROKEN: {len(report.problems)} problem(s)")
    return EXIT_OK if report.ok else EXIT_FINDING


def _checkpoint(args: argparse.Namespace) -> int:
    from ictgate.audit.decisionlog import utc_timestamp, write_checkpoint

    target = _checkpoint_file(args)
    if target is None:
        print("ictgate: name the checkpoint file: --file FILE or ICTGATE_CHECKPOINT_FILE", file=sys.stderr)
        return EXIT_USAGE
    try:
        with _opened_log() as log:
            report = _run_verify(args, log)
            if not report.ok:
                print(
                    f"ictgate: the log does not verify ({len(report.problems)} problem(s); "
                    "`ictgate log verify` names them): no checkpoint written",
                    file=sys.stderr,
                )
                return EXIT_FINDING
            head = log.head()
            checkpoint = write_checkpoint(target, head, log.description, log.anchor, utc_timestamp())
    except DecisionLogUnavailable as error:
        print(f"ictgate: decision log unavailable: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, OSError) as error:
        print(f"ictgate: {error}", file=sys.stderr)
        return EXIT_USAGE
    signed = "signed with key " + str(checkpoint.key_id) if checkpoint.key_id else "unsigned (no anchor key)"
    print(f"checkpoint: record {checkpoint.sequence}, hash {checkpoint.hash}, {signed}, appended to {target}")
    return EXIT_OK


def _archive(args: argparse.Namespace) -> int:
    from ictgate.audit.decisionlog import ArchiveRefused

    try:
        with _opened_log() as log:
            mark = log.archive(args.before, args.output)
    except DecisionLogUnavailable as error:
        print(f"ictgate: decision log unavailable: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    except ArchiveRefused as error:
        print(f"ictgate: archive refused: {error}", file=sys.stderr)
        return EXIT_FINDING
    except (ValueError, OSError) as error:
        print(f"ictgate: {error}", file=sys.stderr)
        return EXIT_USAGE
    if mark is None:
        print(f"nothing to archive: no record was logged before {args.before.isoformat()}")
        return EXIT_OK
    print(
        f"archived records {mark.from_sequence}–{mark.through_sequence} to {args.output} ({mark.digest}); "
        f"the log now starts after record {mark.through_sequence} (hash {mark.through_hash}). "
        f"Keep the file: `ictgate log verify --archive {args.output}` checks it."
    )
    return EXIT_OK


def _new_anchor_key(args: argparse.Namespace) -> int:
    import os
    import secrets

    path: Path = args.file
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: never overwrite a key (the log's anchors would no longer verify).
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        print(f"ictgate: {path} exists; an anchor key is never overwritten", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"ictgate: cannot create {path}: {error.strerror}", file=sys.stderr)
        return EXIT_USAGE
    try:
        os.write(descriptor, (secrets.token_hex(32) + "\n").encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    print(f"anchor key written to {path} (mode 600); set ICTGATE_ANCHOR_KEY_FILE={path}")
    return EXIT_OK


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
        try:
            with _opened_log() as log:
                report = replay(checker, log.iter(filters))
        finally:
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
        with _opened_log() as log:
            report = semiannual_report(log, args.province, args.period)
    except DecisionLogUnavailable as error:
        print(f"ictgate: decision log unavailable: {error.detail}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "xlsx":
        from ictgate.audit.spreadsheet import report_as_xlsx

        if args.output is None:
            print("ictgate: --format xlsx writes a file: give --output FILE.xlsx", file=sys.stderr)
            print("ictgate: --format xlsx เขียนเป็นไฟล์: กรุณาระบุ --output ชื่อไฟล์.xlsx", file=sys.stderr)
            return EXIT_USAGE
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(report_as_xlsx(report))
        return EXIT_OK
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


def _expect_head(text: str) -> str:
    from ictgate.audit.decisionlog import parse_expected_head

    try:
        parse_expected_head(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _add_published(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expect-head",
        type=_expect_head,
        action="append",
        default=[],
        metavar="SEQUENCE:HASH",
        help="a head published earlier (a checkpoint, the six-monthly report): the log must still hold "
        "that record with that hash (repeatable); catches a cut tail and a re-sealed log",
    )
    parser.add_argument(
        "--checkpoints",
        type=Path,
        metavar="FILE",
        help="checkpoint file to check against (default ICTGATE_CHECKPOINT_FILE, when it exists)",
    )


def add_audit_commands(commands: Any) -> None:
    log = commands.add_parser("log", help="the decision log")
    log_commands = log.add_subparsers(dest="log_command", required=True)
    verify = log_commands.add_parser(
        "verify",
        help="walk the hash chain: exit 0 intact, 1 a record changed, removed or reordered (named)",
    )
    verify.add_argument("--format", choices=["text", "json"], default="text")
    _add_published(verify)
    verify.add_argument(
        "--archive",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="also check an archive file written by `ictgate log archive` (repeatable)",
    )
    verify.set_defaults(run=_verify)

    checkpoint = log_commands.add_parser(
        "checkpoint",
        help="append the chain head, signed with the anchor key, to the checkpoint file "
        "(after verifying the log); keep that file apart from the database",
    )
    checkpoint.add_argument(
        "--file", dest="checkpoints", type=Path, help="checkpoint file (default ICTGATE_CHECKPOINT_FILE)"
    )
    checkpoint.set_defaults(run=_checkpoint, expect_head=[], archive=[])

    archive = log_commands.add_parser(
        "archive",
        help="move the records logged before a date to an archive file; what stays still verifies",
    )
    archive.add_argument(
        "--before", type=_date, required=True, help="archive records logged before this UTC date"
    )
    archive.add_argument("--output", "-o", type=Path, required=True, help="the archive file to write (new)")
    archive.set_defaults(run=_archive)

    new_key = log_commands.add_parser(
        "new-anchor-key", help="write a new random anchor key to FILE (mode 600; never overwrites)"
    )
    new_key.add_argument("file", type=Path, metavar="FILE")
    new_key.set_defaults(run=_new_anchor_key)

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
    semiannual.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    semiannual.add_argument("--output", "-o", type=Path, help="write the report to this file")
    semiannual.set_defaults(run=_semiannual)
