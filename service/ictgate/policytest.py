"""Runs the Rego unit tests of ``policy_tests/`` on the embedded engine.

The tests are written for ``opa test policies/ policy_tests/`` (test_ rules,
``with input as``); no OPA binary can be installed on the build machines, so
this runner gives the same verdicts through regorus: a test passes when its
rule is defined and true. It prints one line per test and fails when any test
fails or when no test ran at all.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import regorus

from ictgate.core.policy import load_bundle

__all__ = ["TestResult", "discover", "run_policy_tests"]

_PACKAGE = re.compile(r"^package\s+([A-Za-z0-9_.]+)", re.MULTILINE)
_TEST_RULE = re.compile(r"^((?:todo_)?test_[A-Za-z0-9_]+)\b", re.MULTILINE)
_UNDEFINED = '"<undefined>"'


@dataclass(frozen=True)
class TestResult:
    path: str
    status: str  # PASS, FAIL, ERROR, SKIP
    detail: str = ""
    seconds: float = 0.0


def discover(test_dir: Path) -> Iterator[tuple[Path, str, list[str]]]:
    """(file, package, test rule names) for every test module, in path order."""
    for path in sorted(test_dir.rglob("*.rego")):
        source = path.read_text("utf-8")
        package = _PACKAGE.search(source)
        if package is None:
            continue
        names = list(dict.fromkeys(_TEST_RULE.findall(source)))
        yield path, package.group(1), names


def _engine(policy_dir: Path, test_dir: Path, coverage: bool) -> regorus.Engine:
    bundle = load_bundle(policy_dir)
    engine = regorus.Engine()
    if coverage:
        engine.set_enable_coverage(True)
    for name, source in bundle.modules.items():
        engine.add_policy(str(policy_dir / name), source)
    for path in sorted(test_dir.rglob("*.rego")):
        engine.add_policy(str(path), path.read_text("utf-8"))
    engine.add_data_json(json.dumps(bundle.data))
    return engine


def _run_one(engine: regorus.Engine, rule: str) -> TestResult:
    started = time.perf_counter()
    try:
        value = engine.eval_rule_as_json(rule)
    except RuntimeError as error:
        detail = " ".join(line.strip() for line in str(error).splitlines()[:5] if line.strip())
        return TestResult(rule, "ERROR", detail, time.perf_counter() - started)
    elapsed = time.perf_counter() - started
    if value == _UNDEFINED:
        return TestResult(rule, "FAIL", "undefined", elapsed)
    if json.loads(value) is not True:
        return TestResult(rule, "FAIL", f"value {value}", elapsed)
    return TestResult(rule, "PASS", "", elapsed)


def run_policy_tests(
    policy_dir: Path,
    test_dir: Path,
    out: TextIO = sys.stdout,
    verbose: bool = True,
    coverage: bool = False,
) -> int:
    try:
        engine = _engine(policy_dir, test_dir, coverage)
    except RuntimeError as error:
        print(f"policy-test: the policies or tests do not compile:\n{error}", file=out)
        return 2
    results: list[TestResult] = []
    for _path, package, names in discover(test_dir):
        for name in names:
            rule = f"data.{package}.{name}"
            if name.startswith("todo_"):
                result = TestResult(rule, "SKIP")
            else:
                result = _run_one(engine, rule)
            results.append(result)
            if verbose or result.status in ("FAIL", "ERROR"):
                suffix = f": {result.detail}" if result.detail else ""
                print(f"{result.status:5} {rule} ({result.seconds * 1000:.1f} ms){suffix}", file=out)
    passed = sum(r.status == "PASS" for r in results)
    failed = sum(r.status in ("FAIL", "ERROR") for r in results)
    skipped = sum(r.status == "SKIP" for r in results)
    if coverage:
        print(engine.get_coverage_report_pretty(), file=out)
    if passed + failed == 0:
        print(f"policy-test: no policy tests found under {test_dir}", file=out)
        return 1
    print("-" * 60, file=out)
    print(
        f"policy-tests: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""),
        file=out,
    )
    return 1 if failed else 0
