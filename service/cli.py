"""The ``ictgate`` command line.

    ictgate check PATH...     pre-check proposal files (JSON/YAML); exit 0/1/2/3
    ictgate serve             serve the HTTP API (embedded engine unless OPA_URL is set)
    ictgate policy-test       run the Rego tests of policy_tests/ on the embedded engine

The check path imports neither FastAPI nor uvicorn, so a CI gate starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .documents import DOCUMENT_SUFFIXES, load_document
from .errors import EngineError, InputError, SchemaViolation
from .settings import REPO_ROOT, get_settings

__all__ = ["main", "EXIT_OK", "EXIT_FAIL", "EXIT_INVALID", "EXIT_REVIEW"]

# CONTRACT.md: the same codes for every output format.
EXIT_OK = 0  # every file pass or not_applicable
EXIT_FAIL = 1  # at least one fail
EXIT_INVALID = 2  # invalid input or usage, or the engine could not answer
EXIT_REVIEW = 3  # needs_review and nothing failed


def _expand(paths: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files to check (directories recursively, in name order) and the paths that do not exist."""
    found: list[Path] = []
    missing: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
            )
        elif path.is_file():
            found.append(path)
        else:
            missing.append(name)
    return found, missing


def _exit_code(verdicts: list[str], invalid: int, review_ok: bool) -> int:
    if invalid:
        return EXIT_INVALID
    if "fail" in verdicts:
        return EXIT_FAIL
    if "needs_review" in verdicts and not review_ok:
        return EXIT_REVIEW
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .engines import build_engine
    from .policy import load_bundle
    from .precheck import Prechecker
    from .render import render_text
    from .validation import SchemaSet

    files, missing = _expand(args.paths)
    for name in missing:
        print(f"ictgate: {name}: no such file or directory", file=sys.stderr)
    if not files:
        print("ictgate: no proposal files to check (looked for *.json, *.yaml, *.yml)", file=sys.stderr)
        return EXIT_INVALID
    settings = get_settings()
    try:
        bundle = load_bundle(settings.policy_dir)
        checker = Prechecker(bundle, build_engine(settings, bundle), SchemaSet(settings.schema_dir))
    except EngineError as error:
        print(f"ictgate: policy engine unavailable: {error.detail}", file=sys.stderr)
        return EXIT_INVALID
    colour = args.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    verdicts: list[str] = []
    invalid = len(missing)
    reports: list[dict[str, Any]] = []
    try:
        for path in files:
            try:
                verdict = checker.precheck(load_document(path), args.as_of)
            except InputError as error:
                invalid += 1
                errors = error.errors if isinstance(error, SchemaViolation) else []
                reports.append(
                    {
                        "file": str(path),
                        "error": {
                            "code": error.code,
                            "detail": error.detail,
                            "errors": [item.as_dict() for item in errors],
                        },
                    }
                )
                if args.format == "text":
                    print(f"{path}: invalid ({error.code}): {error.detail}")
                    for item in errors:
                        where = item.parameter or item.pointer or "/"
                        print(f"  {where}: {item.message}")
                continue
            verdicts.append(verdict["verdict"])
            reports.append({"file": str(path), "verdict": verdict})
            if args.format == "text":
                print(render_text(str(path), verdict, args.lang, colour))
    except EngineError as error:
        print(f"ictgate: policy engine could not answer ({error.code}): {error.detail}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        checker.engine.close()
    if args.format == "json":
        json.dump({"files": reports}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        counts = {name: verdicts.count(name) for name in ("pass", "fail", "needs_review", "not_applicable")}
        summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
        if invalid:
            summary = ", ".join(filter(None, [summary, f"{invalid} invalid"]))
        print(f"{len(files)} file(s) checked: {summary}")
    return _exit_code(verdicts, invalid, args.review_ok)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "service.api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
    )
    return EXIT_OK


def _policy_test(args: argparse.Namespace) -> int:
    from .policy_tests import run_policy_tests

    return run_policy_tests(
        Path(args.policies), Path(args.tests), verbose=not args.quiet, coverage=args.coverage
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ictgate", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="pre-check proposal files (JSON or YAML)")
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or directories (searched recursively)")
    check.add_argument("--as-of", help="read the rules as of this date (YYYY-MM-DD); default: submitted_on")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--lang", choices=["th", "en", "both"], default="both")
    check.add_argument(
        "--review-ok", action="store_true", help="exit 0, not 3, when the worst verdict is needs_review"
    )
    check.set_defaults(run=_check)

    serve = commands.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(run=_serve)

    tests = commands.add_parser(
        "policy-test", help="run the Rego tests (policy_tests/) on the embedded engine"
    )
    tests.add_argument("--policies", default=str(REPO_ROOT / "policies"))
    tests.add_argument("--tests", default=str(REPO_ROOT / "policy_tests"))
    tests.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    tests.add_argument("--coverage", action="store_true", help="print which policy lines the tests reached")
    tests.set_defaults(run=_policy_test)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
