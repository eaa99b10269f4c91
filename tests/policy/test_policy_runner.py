"""The Rego test runner (ictgate policy-test) itself: it must be able to fail."""

from __future__ import annotations

import io
from pathlib import Path

from ictgate.policytest import run_policy_tests


def _write(folder: Path, name: str, source: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(source)


def _run(tmp_path: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = run_policy_tests(tmp_path / "policies", tmp_path / "tests", out=out)
    return code, out.getvalue()


def test_passing_and_failing_tests_are_reported(tmp_path: Path) -> None:
    _write(tmp_path / "policies", "p.rego", "package p\n\nlimit := 5\n\nbig if input.n > limit\n")
    _write(
        tmp_path / "tests",
        "p_test.rego",
        (
            "package p_test\n\nimport data.p\n\n"
            'test_big if p.big with input as {"n": 6}\n\n'
            'test_wrong if p.big with input as {"n": 1}\n\n'
            "todo_test_later if false\n"
        ),
    )
    code, output = _run(tmp_path)
    assert code == 1
    for engine in ("opa", "regorus"):
        assert f"PASS  data.p_test.test_big [{engine}]" in output
        assert f"FAIL  data.p_test.test_wrong [{engine}]" in output
        assert f"SKIP  data.p_test.todo_test_later [{engine}]" in output
    lines = output.strip().splitlines()
    assert lines[-3:] == [
        "opa 1.20.2 (embedded): 1 passed, 1 failed",
        "regorus 0.13.0: 1 passed, 1 failed",
        "policy-tests: 2 passed, 2 failed, 2 skipped",
    ]


def test_all_passing_exits_zero(tmp_path: Path) -> None:
    _write(tmp_path / "policies", "p.rego", "package p\n\nok := true\n")
    _write(tmp_path / "tests", "p_test.rego", "package p_test\n\nimport data.p\n\ntest_ok if p.ok\n")
    code, output = _run(tmp_path)
    assert code == 0
    assert output.strip().splitlines()[-1] == "policy-tests: 2 passed, 0 failed"


def test_a_test_that_passes_on_one_engine_only_fails_the_run(tmp_path: Path) -> None:
    # OPA reads `not x >= w.until` as `t := w.until; not x >= t`: undefined when `until` is
    # missing, where regorus says true. A policy change counts only when both engines pass.
    _write(tmp_path / "policies", "p.rego", "package p\n\nopen if not input.day >= input.window.until\n")
    _write(
        tmp_path / "tests",
        "p_test.rego",
        "package p_test\n\nimport data.p\n\n"
        'test_open_ended if p.open with input as {"day": 5, "window": {}}\n',
    )
    code, output = _run(tmp_path)
    assert code == 1
    assert "FAIL  data.p_test.test_open_ended [opa]" in output
    assert "PASS  data.p_test.test_open_ended [regorus]" in output
    assert output.strip().splitlines()[-1] == "policy-tests: 1 passed, 1 failed"


def test_one_engine_can_be_chosen(tmp_path: Path) -> None:
    _write(tmp_path / "policies", "p.rego", "package p\n\nok := true\n")
    _write(tmp_path / "tests", "p_test.rego", "package p_test\n\nimport data.p\n\ntest_ok if p.ok\n")
    out = io.StringIO()
    code = run_policy_tests(tmp_path / "policies", tmp_path / "tests", out=out, engines=("regorus",))
    assert code == 0
    assert "[opa]" not in out.getvalue()
    assert out.getvalue().strip().splitlines()[-2:] == [
        "regorus 0.13.0: 1 passed, 0 failed",
        "policy-tests: 1 passed, 0 failed",
    ]


def test_coverage_names_the_policy_files_without_tests(tmp_path: Path) -> None:
    _write(tmp_path / "policies", "p.rego", "package p\n\nok := true\n\nunused := 1\n")
    _write(tmp_path / "policies", "q.rego", "package q\n\nalso := true\n")
    _write(tmp_path / "tests", "p_test.rego", "package p_test\n\nimport data.p\n\ntest_ok if p.ok\n")
    out = io.StringIO()
    code = run_policy_tests(
        tmp_path / "policies", tmp_path / "tests", out=out, coverage=True, engines=("opa",)
    )
    assert code == 0
    text = out.getvalue()
    assert "policy files without a test file: q.rego" in text
    assert "not reached: 5" in text  # `unused := 1` on line 5 of p.rego


def test_no_tests_is_a_failure(tmp_path: Path) -> None:
    _write(tmp_path / "policies", "p.rego", "package p\n\nok := true\n")
    (tmp_path / "tests").mkdir()
    code, output = _run(tmp_path)
    assert code == 1
    assert "no policy tests found" in output


def test_test_that_errors_is_a_failure(tmp_path: Path) -> None:
    _write(tmp_path / "policies", "p.rego", "package p\n\nratio := 1 / input.d\n")
    _write(
        tmp_path / "tests",
        "p_test.rego",
        ('package p_test\n\nimport data.p\n\ntest_divides if p.ratio == 1 with input as {"d": 0}\n'),
    )
    code, output = _run(tmp_path)
    assert code == 1
    assert "data.p_test.test_divides" in output


def test_tests_that_do_not_compile_fail(tmp_path: Path) -> None:
    _write(tmp_path / "policies", "p.rego", "package p\n\nok := true\n")
    _write(tmp_path / "tests", "p_test.rego", "package p_test\n\ntest_x if {\n")
    code, _ = _run(tmp_path)
    assert code == 2
