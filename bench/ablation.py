"""What the verdict would cost without each of its parts, and what one evaluation step costs.

Three measurements for ``make bench-profile`` (sections 5 to 7), each on both
embedded engines unless said otherwise:

- **Ablation.** The pre-check verdict gathers the findings of the rule
  families that ``policies/precheck/main.rego`` imports, then explains them
  (``lib.verdicts.assemble``). Generated modules rebuild that verdict with one
  family left out, or with the findings left unexplained; the difference to
  the rebuilt whole is what that family, or explaining, adds. The rebuilt
  whole must give the real verdict's findings (``baseline_matches``), or the
  figures are not of the verdict.
- **One step.** A comprehension of 2,000 turns doing one thing each: nothing,
  a data lookup, a function call, an object, ``sprintf``, ``strings.replace_n``.
  The difference to the empty turn, per turn, is the price of that one step:
  the unit a verdict of some 16,000 steps is paid in.
- **regorus's compiled VM.** regorus 0.13 also offers ``Program``/``Rvm``, a
  compiled form of the same policies: its time for the verdict, and whether
  its answer is the interpreter's (it is the interpreter the service runs).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from ictgate.core.policy import package_of

from bench.common import Stats, in_own_thread, timed_loop
from bench.inprocess import compile_engine, rule_of

ABLATION_PACKAGE = "bench_ablation"
SCOPE_PACKAGE = "ictgate.authority.scope"
PRECHECK_MODULE_PACKAGE = "ictgate.precheck.main"
WHOLE = "all families, explained"
UNEXPLAINED = "all families, not explained"
_IMPORT = re.compile(r"^import\s+data\.([A-Za-z_][A-Za-z0-9_.]*)(?:\s+as\s+\w+)?\s*$", re.M)

STEPS_PACKAGE = "bench_steps"
STEP_TURNS = 2000
STEPS_MODULE = f"""package {STEPS_PACKAGE}

_turns := numbers.range(1, {STEP_TURNS})

_same(x) := x

_pairs := {{"{{": "｛", "}}": "｝"}}

constant := 1

empty := count([i | some i in _turns])

data_lookup := count([x | some i in _turns; x := data.rulebook.parameters.authority.threshold_thb])

function_call := count([x | some i in _turns; x := _same(i)])

object := count([x | some i in _turns; x := {{"rule": i, "outcome": "pass"}}])

with_sprintf := count([x | some i in _turns; x := sprintf("%v", [i])])

with_replace_n := count([x | pairs := _pairs; some i in _turns; x := strings.replace_n(pairs, "ข้อความ")])
"""
# Each step's rule in STEPS_MODULE and what a turn does besides turning.
STEPS = {
    "data_lookup": "a data lookup (data.rulebook…)",
    "function_call": "a function call",
    "object": "an object of two keys",
    "with_sprintf": "sprintf (with its argument array)",
    "with_replace_n": "strings.replace_n",
}


def precheck_families(modules: dict[str, str], findings_packages: list[str]) -> list[str]:
    """The rule families the pre-check verdict gathers: the packages its module imports that define findings.

    The scope package is left out: the verdict reads it whatever the scope, and
    the ablation keeps it in every variant.
    """
    main = [source for source in modules.values() if package_of(source) == PRECHECK_MODULE_PACKAGE]
    if len(main) != 1:
        raise ValueError(f"expected one module of package {PRECHECK_MODULE_PACKAGE}, found {len(main)}")
    imported = _IMPORT.findall(main[0])
    families = [package for package in imported if package in findings_packages and package != SCOPE_PACKAGE]
    if SCOPE_PACKAGE not in imported or not families:
        raise ValueError(f"{PRECHECK_MODULE_PACKAGE} no longer imports {SCOPE_PACKAGE} and rule families")
    return families


def ablation_modules(families: list[str]) -> dict[str, tuple[str, str]]:
    """Variant name to (module name, module source); each module's ``verdict`` is the rebuilt verdict.

    The variants: the whole (every family, explained), each family left out,
    and every family with its findings left unexplained.
    """
    variants: dict[str, tuple[list[str], bool]] = {WHOLE: (families, True)}
    for family in families:
        variants[f"without {family}"] = ([other for other in families if other != family], True)
    variants[UNEXPLAINED] = (families, False)
    built = {}
    for number, (name, (kept, explained)) in enumerate(variants.items()):
        package = f"{ABLATION_PACKAGE}.v{number}"
        # Through imports, as policies/precheck/main.rego reads them (regorus's cost depends on it).
        imports = "".join(f"import data.{family} as family_{i}\n" for i, family in enumerate(kept))
        listed = ", ".join(f"family_{i}.findings" for i in range(len(kept)))
        findings = (
            "verdicts.assemble(_raw, scope.in_scope, true).findings"
            if explained
            else "[raw | some raw in _raw]"
        )
        source = (
            f"package {package}\n\n"
            "import data.ictgate.lib.verdicts\n"
            f"import data.{SCOPE_PACKAGE} as scope\n"
            f"{imports}\n"
            "_raw contains raw if some raw in scope.findings\n\n"
            "_raw contains raw if {\n"
            "\tscope.in_scope\n"
            f"\tsome family in [{listed}]\n"
            "\tsome raw in family\n"
            "}\n\n"
            f'verdict := {{"findings": {findings}}}\n'
        )
        built[name] = (f"{package.replace('.', '_')}.rego", source)
    return built


def ablation_query(module_source: str) -> str:
    package = package_of(module_source)
    if package is None:
        raise ValueError("an ablation module without a package")
    return f"{package}.verdict"


def step_costs(empty: dict[str, Any], measured: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Microseconds per turn that each step adds to an empty turn (medians; noise can make it negative)."""
    return {
        step: (figures["median_us"] - empty["median_us"]) / STEP_TURNS for step, figures in measured.items()
    }


def rvm_check(
    modules: dict[str, str], data: Any, query: str, document: Any, *, max_seconds: float
) -> dict[str, Any]:
    """regorus's compiled VM on ``data.<query>``: compile time, median, p99, and same answer or not."""
    import regorus

    if not (hasattr(regorus, "Program") and hasattr(regorus, "Rvm")):
        return {"available": False}
    rule = rule_of(query)
    data_json = json.dumps(data)
    input_json = json.dumps(document)

    def work() -> dict[str, Any]:
        started = time.perf_counter()
        program = regorus.Program.compile_from_modules(data_json, list(modules.items()), [rule])
        compiled_ms = (time.perf_counter() - started) * 1000
        vm = regorus.Rvm()
        vm.load_program(program)
        vm.set_data_json(data_json)
        interpreter = compile_engine(modules, data)
        interpreter.set_input_json(input_json)
        expected = json.loads(interpreter.eval_rule_as_json(rule))

        def evaluate() -> str:
            vm.set_input_json(input_json)
            answer: str = vm.execute_entry_point(rule)
            return answer

        answer = json.loads(evaluate())
        samples = timed_loop(evaluate, max_runs=2000, max_seconds=max_seconds)
        return {
            "available": True,
            "compiled_ms": round(compiled_ms, 1),
            **Stats.of(samples).as_dict(),
            "same_as_interpreter": answer == expected,
            "differences": differences(expected, answer),
        }

    result: dict[str, Any] = in_own_thread(work)
    return result


def differences(reference: Any, other: Any, limit: int = 5) -> list[str]:
    """Up to ``limit`` places where ``other`` differs: "pointer: other's value instead of reference's"."""
    out: list[str] = []

    def walk(expected: Any, found: Any, at: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(expected, dict) and isinstance(found, dict):
            for key in sorted(set(expected) | set(found)):
                walk(expected.get(key, "(missing)"), found.get(key, "(missing)"), f"{at}/{key}")
        elif isinstance(expected, list) and isinstance(found, list) and len(expected) == len(found):
            for index, (one, two) in enumerate(zip(expected, found, strict=True)):
                walk(one, two, f"{at}/{index}")
        elif expected != found:
            shown, reference = _around_difference(found, expected)
            out.append(f"{at or '/'}: {shown} instead of {reference}")

    walk(reference, other, "")
    return out


def _around_difference(found: Any, expected: Any, width: int = 60) -> tuple[str, str]:
    """Both values as JSON, each cut to ``width`` characters around where they first differ."""
    one, two = json.dumps(found, ensure_ascii=False), json.dumps(expected, ensure_ascii=False)
    first = next(
        (i for i, (a, b) in enumerate(zip(one, two, strict=False)) if a != b), min(len(one), len(two))
    )
    start = max(0, first - width // 3)
    return _cut(one, start, width), _cut(two, start, width)


def _cut(text: str, start: int, width: int) -> str:
    if len(text) <= width:
        return text
    piece = text[start : start + width]
    return ("..." if start > 0 else "") + piece + ("..." if start + width < len(text) else "")
