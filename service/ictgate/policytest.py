"""Runs the Rego unit tests of ``policy_tests/`` on every in-process engine.

The tests are written for ``opa test policies policy_tests`` (``test_`` rules,
``with input as``). No OPA binary can be installed on the build machines, so
this runner gives the same verdicts through OPA's own Go engine (embedded)
and through regorus: a test passes when its rule is defined and true. The two
engines do not always agree on Rego (a negated expression over a missing
value is the known case), so a policy change counts only when both pass.

It prints one line per test, a summary line per engine, and a closing line
over all engines; it fails when any test fails on any engine or when no test
ran at all. ``--coverage`` adds each engine's coverage report and names the
policy files that have no test file.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol, TextIO

from ictgate.core.engines import ENGINES, embedded_opa_version, regorus_version
from ictgate.core.policy import load_bundle, package_of

__all__ = ["TestResult", "discover", "policy_files_without_tests", "run_policy_tests"]

_TEST_RULE = re.compile(r"^((?:todo_)?test_[A-Za-z0-9_]+)\b", re.MULTILINE)
_REGORUS_UNDEFINED = '"<undefined>"'


class CompileError(Exception):
    """The policies or the tests do not compile on this engine."""


@dataclass(frozen=True)
class TestResult:
    path: str
    status: str  # PASS, FAIL, ERROR, SKIP
    detail: str = ""
    seconds: float = 0.0


@dataclass
class EngineRun:
    engine: str
    results: list[TestResult] = field(default_factory=list)
    coverage_report: str = ""

    def count(self, *statuses: str) -> int:
        return sum(result.status in statuses for result in self.results)


def discover(test_dir: Path) -> Iterator[tuple[Path, str, list[str]]]:
    """(file, package, test rule names) for every test module, in path order."""
    for path in sorted(test_dir.rglob("*.rego")):
        source = path.read_text("utf-8")
        package = package_of(source)
        if package is None:
            continue
        names = list(dict.fromkeys(_TEST_RULE.findall(source)))
        yield path, package, names


def policy_files_without_tests(policy_dir: Path, test_dir: Path) -> list[str]:
    """Policy files with no ``<same path>_test.rego`` under the test folder."""
    missing = []
    for path in sorted(policy_dir.rglob("*.rego")):
        relative = path.relative_to(policy_dir)
        if not (test_dir / relative.with_name(relative.stem + "_test.rego")).is_file():
            missing.append(relative.as_posix())
    return missing


def _modules(policy_dir: Path, test_dir: Path) -> tuple[dict[str, str], dict[str, Any]]:
    bundle = load_bundle(policy_dir)
    modules = {str(policy_dir / name): source for name, source in bundle.modules.items()}
    for path in sorted(test_dir.rglob("*.rego")):
        modules[str(path)] = path.read_text("utf-8")
    return modules, bundle.data


class _TestEngine(Protocol):
    """One engine loaded with the policies and the tests."""

    name: str

    def evaluate(self, rule: str) -> tuple[str, str]:
        """("PASS" | "FAIL" | "ERROR", detail) for one test rule."""
        ...

    def evaluate_package(self, package: str, tests: list[str]) -> dict[str, tuple[str, str]] | None:
        """Every test of one package in one evaluation, or None to ask them one by one."""
        ...

    def coverage_report(self) -> str: ...

    def close(self) -> None: ...


class _Regorus:
    def __init__(self, modules: dict[str, str], data: dict[str, Any], coverage: bool) -> None:
        import regorus

        self.name = f"regorus {regorus_version()}"
        self._engine = regorus.Engine()
        if coverage:
            self._engine.set_enable_coverage(True)
        try:
            for name, source in modules.items():
                self._engine.add_policy(name, source)
            self._engine.add_data_json(json.dumps(data))
        except RuntimeError as error:
            raise CompileError(str(error)) from None

    def evaluate(self, rule: str) -> tuple[str, str]:
        try:
            value = self._engine.eval_rule_as_json(rule)
        except RuntimeError as error:
            return "ERROR", " ".join(line.strip() for line in str(error).splitlines()[:5] if line.strip())
        if value == _REGORUS_UNDEFINED:
            return "FAIL", "undefined"
        if json.loads(value) is not True:
            return "FAIL", f"value {value}"
        return "PASS", ""

    def evaluate_package(self, package: str, tests: list[str]) -> dict[str, tuple[str, str]] | None:
        return None  # regorus answers one rule in a millisecond or two: no need

    def coverage_report(self) -> str:
        return str(self._engine.get_coverage_report_pretty())

    def close(self) -> None:
        self._engine = None


class _Opa:
    def __init__(self, modules: dict[str, str], data: dict[str, Any], coverage: bool) -> None:
        bindings = import_module("opa_bindings")
        self._errors: tuple[type[Exception], type[Exception]] = (
            bindings.OpaUndefinedError,
            bindings.OpaError,
        )
        self.name = f"opa {embedded_opa_version()} (embedded)"
        self._coverage = coverage
        self._covered: dict[str, set[int]] = {}
        self._not_covered: dict[str, set[int]] = {}
        self._engine = bindings.OpaEngine()
        try:
            for name, source in modules.items():
                self._engine.add_policy(name, source)
            self._engine.add_data(data)
            self._engine.eval_query("x := true")  # compiles every module now
        except bindings.OpaError as error:
            self._engine.close()
            raise CompileError(error.message) from None

    def evaluate(self, rule: str) -> tuple[str, str]:
        undefined, failure = self._errors
        try:
            value = self._engine.eval_document(rule.removeprefix("data."), coverage=self._coverage)
        except undefined:
            return "FAIL", "undefined"
        except failure as error:
            return "ERROR", " ".join(str(error).split())[:400]
        finally:
            self._collect()
        if value is not True:
            return "FAIL", f"value {json.dumps(value)}"
        return "PASS", ""

    def evaluate_package(self, package: str, tests: list[str]) -> dict[str, tuple[str, str]] | None:
        # OPA prepares a query per distinct rule (~0.4 s each here); the package document
        # evaluates all its tests in one prepared query. An error anywhere in it (a test
        # that raises) sends the package back to one-by-one, which names the test.
        if self._coverage:
            return None
        undefined, failure = self._errors
        try:
            document = self._engine.eval_document(package)
        except (undefined, failure):
            return None
        if not isinstance(document, dict):
            return None
        results = {}
        for test in tests:
            if test not in document:
                results[test] = ("FAIL", "undefined")
            elif document[test] is not True:
                results[test] = ("FAIL", f"value {json.dumps(document[test])}")
            else:
                results[test] = ("PASS", "")
        return results

    def _collect(self) -> None:
        report = self._engine.last_coverage if self._coverage else None
        for path, lines in ((report or {}).get("files") or {}).items():
            self._covered.setdefault(path, set()).update(_rows(lines.get("covered")))
            self._not_covered.setdefault(path, set()).update(_rows(lines.get("not_covered")))

    def coverage_report(self) -> str:
        lines = ["OPA coverage (lines reached by any test / lines with Rego):"]
        for path in sorted(self._covered.keys() | self._not_covered.keys()):
            if "_test.rego" in path or "/testlib/" in path:
                continue
            covered = self._covered.get(path, set())
            missed = self._not_covered.get(path, set()) - covered
            total = len(covered) + len(missed)
            share = 100.0 * len(covered) / total if total else 100.0
            gaps = f"  not reached: {_ranges(sorted(missed))}" if missed else ""
            lines.append(f"  {share:5.1f}%  {path}{gaps}")
        return "\n".join(lines)

    def close(self) -> None:
        self._engine.close()


def _rows(spans: Any) -> set[int]:
    rows: set[int] = set()
    for span in spans or []:
        rows.update(range(int(span["start"]["row"]), int(span["end"]["row"]) + 1))
    return rows


def _ranges(rows: list[int]) -> str:
    parts: list[str] = []
    start = previous = rows[0]
    for row in rows[1:] + [0]:
        if row != previous + 1:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
            start = row
        previous = row
    return ", ".join(parts)


_RUNNERS: dict[str, Callable[[dict[str, str], dict[str, Any], bool], _TestEngine]] = {
    "opa": _Opa,
    "regorus": _Regorus,
}


def _run_engine(
    name: str,
    modules: dict[str, str],
    data: dict[str, Any],
    tests: list[tuple[str, str]],
    out: TextIO,
    verbose: bool,
    coverage: bool,
) -> EngineRun:
    engine: _TestEngine = _RUNNERS[name](modules, data, coverage)
    run = EngineRun(engine.name)
    try:
        for package, names in _by_package(tests):
            started = time.perf_counter()
            answered = engine.evaluate_package(package, [n for n in names if not n.startswith("todo_")])
            each = (time.perf_counter() - started) / max(1, len(names))
            for test in names:
                rule = f"data.{package}.{test}"
                if test.startswith("todo_"):
                    result = TestResult(rule, "SKIP")
                elif answered is not None:
                    status, detail = answered[test]
                    result = TestResult(rule, status, detail, each)
                else:
                    started = time.perf_counter()
                    status, detail = engine.evaluate(rule)
                    result = TestResult(rule, status, detail, time.perf_counter() - started)
                run.results.append(result)
                if verbose or result.status in ("FAIL", "ERROR"):
                    suffix = f": {result.detail}" if result.detail else ""
                    print(
                        f"{result.status:5} {rule} [{name}] ({result.seconds * 1000:.1f} ms){suffix}",
                        file=out,
                    )
        if coverage:
            run.coverage_report = engine.coverage_report()
    finally:
        engine.close()
    return run


def _by_package(tests: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for package, test in tests:
        grouped.setdefault(package, []).append(test)
    return list(grouped.items())


def run_policy_tests(
    policy_dir: Path,
    test_dir: Path,
    out: TextIO = sys.stdout,
    verbose: bool = True,
    coverage: bool = False,
    engines: Sequence[str] = ENGINES,
) -> int:
    """0 when every test passes on every engine; 1 on a failure or no tests; 2 when nothing compiles."""
    modules, data = _modules(policy_dir, test_dir)
    tests = [(package, name) for _path, package, names in discover(test_dir) for name in names]
    if not tests:
        print(f"policy-test: no policy tests found under {test_dir}", file=out)
        return 1
    runs: list[EngineRun] = []
    for name in engines:
        try:
            runs.append(_run_engine(name, modules, data, tests, out, verbose, coverage))
        except CompileError as error:
            print(f"policy-test: the policies or tests do not compile on {name}:\n{error}", file=out)
            return 2
    print("-" * 60, file=out)
    for run in runs:
        if run.coverage_report:
            print(run.coverage_report, file=out)
    if coverage:
        untested = policy_files_without_tests(policy_dir, test_dir)
        print("policy files without a test file: " + (", ".join(untested) or "none"), file=out)
    for run in runs:
        print(f"{run.engine}: {run.count('PASS')} passed, {run.count('FAIL', 'ERROR')} failed", file=out)
    passed = sum(run.count("PASS") for run in runs)
    failed = sum(run.count("FAIL", "ERROR") for run in runs)
    skipped = sum(run.count("SKIP") for run in runs)
    print(
        f"policy-tests: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""),
        file=out,
    )
    return 1 if failed or not passed else 0
