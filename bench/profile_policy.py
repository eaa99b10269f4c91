"""``make bench-profile``: where the policy's time goes, package by package and rule by rule.

    .venv/bin/python bench/profile_policy.py            # about two minutes; no assertion, exit 0
    .venv/bin/python bench/profile_policy.py --seconds 2 --top 2   # shorter

On the sample (examples/proposals/bangpu-cctv.json), on both embedded engines:

1. each policy package's ``findings`` alone (every package under policies/ that
   defines ``findings``, found by reading the modules), beside the whole
   verdict and a constant rule (the floor of one evaluation), sorted by cost;
   each query on an engine of its own, measured in turns;
2. rule by rule in the costliest packages: every rule of the package that is
   not a function, queried alone (``data.<package>.<rule>``). Inclusive: a
   rule's time includes the rules and functions it calls, and rules shared
   by several are computed again for each query;
3. embedded OPA's evaluation trace of the verdict, counted per rule and
   function: the evaluation steps (trace events) spent in each one's own body
   (exclusive), how often its body was entered, and an estimate of its time
   (its share of the steps × the verdict's median). The bindings
   (opa-golib-python-bindings 0.4.4) expose OPA's trace and coverage, not its
   metrics or its profiler (``opa eval --profile``), so steps stand in for time;
4. coverage of the sample: the lines each engine did not reach, per file
   (regorus: ``get_coverage_report_as_json``; OPA: ``eval_document(coverage=True)``);
5. what each part adds (bench/ablation.py): the verdict's findings rebuilt
   without one rule family, or unexplained, beside the rebuilt whole (checked
   to give the verdict's findings on both engines) and the verdict itself;
6. the price of one evaluation step on each engine (a data lookup, a function
   call, an object, ``sprintf``, ``strings.replace_n``);
7. regorus's compiled VM on the verdict, and whether it answers as the
   interpreter the service runs.

Figures are medians in µs. The figures are also written to bench/results/profile.json.
docs/performance.md ("Where the policy time goes", "What is left of the policy time")
quotes runs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ictgate.core.policy import PRECHECK_QUERY, load_bundle, package_of  # noqa: E402
from ictgate.core.settings import Settings  # noqa: E402
from ictgate.core.validation import to_engine_json  # noqa: E402

from bench.ablation import (  # noqa: E402
    STEP_TURNS,
    STEPS,
    STEPS_MODULE,
    STEPS_PACKAGE,
    WHOLE,
    ablation_modules,
    ablation_query,
    precheck_families,
    rvm_check,
    step_costs,
)
from bench.common import RESULTS, SAMPLE, Stats, in_own_thread, machine  # noqa: E402
from bench.inprocess import ENGINE_LABELS, ENGINES, UNDEFINED, RawEngine, engine_points  # noqa: E402

FLOOR_MODULE = "bench_profile.rego"
FLOOR_QUERY = "bench_profile.constant"
VERDICT = PRECHECK_QUERY.replace("/", ".")
_FINDINGS = re.compile(r"^findings\b", re.M)
_HEAD = re.compile(r"^(?:default\s+)?([A-Za-z_][A-Za-z0-9_]*)(\s*\()?")
_NOT_RULES = {"package", "import", "default", "else", "not", "some", "every", "with", "as"}
_LOCATION = re.compile(r"^(?P<file>.+\.rego):(?P<row>[0-9]+)$")


@dataclass(frozen=True)
class Definition:
    """A top-level definition of a module: where it starts, its name, whether it is a function."""

    row: int
    name: str
    function: bool


def is_test_module(name: str) -> bool:
    return name.endswith("_test.rego")


def findings_packages(modules: dict[str, str]) -> list[str]:
    """The packages (``ictgate.cctv.rules``, …) whose modules define ``findings``, tests left out, sorted."""
    found = set()
    for name, source in modules.items():
        package = package_of(source)
        if package and not is_test_module(name) and _FINDINGS.search(source):
            found.add(package)
    return sorted(found)


def definitions(source: str) -> list[Definition]:
    """Each top-level rule or function definition's first line (1-based), in the order written.

    A definition starts at column 0 with its name (``default`` aside); comments,
    ``package``, ``import`` and lines that close or continue a body do not start one.
    """
    found = []
    for row, line in enumerate(source.splitlines(), start=1):
        head = _HEAD.match(line)
        if head is None or head.group(1) in _NOT_RULES:
            continue
        found.append(Definition(row, head.group(1), head.group(2) is not None))
    return found


def definition_at(found: list[Definition], row: int) -> Definition | None:
    """The definition whose text holds line ``row``: the last that starts at or before it."""
    owner = None
    for definition in found:
        if definition.row > row:
            break
        owner = definition
    return owner


def queryable_rules(source: str) -> list[str]:
    """The names of a module's rules that can be queried alone (not functions), first definition first."""
    names: list[str] = []
    functions = {item.name for item in definitions(source) if item.function}
    for item in definitions(source):
        if item.name not in functions and item.name not in names:
            names.append(item.name)
    return names


def trace_by_rule(trace: list[dict[str, Any]], modules: dict[str, str]) -> dict[str, dict[str, Any]]:
    """OPA trace events counted per rule or function: ``{"pkg.name": {"steps", "entered", "function"}}``.

    An event is charged to the definition whose text holds its location, so the
    count is the work done in that definition's own body (exclusive). "entered"
    counts the ``Enter`` events at the definition: how often one of its bodies
    was tried (for a function: calls × the definitions tried).
    """
    layout = {name: (package_of(source) or "?", definitions(source)) for name, source in modules.items()}
    steps: Counter[str] = Counter()
    entered: Counter[str] = Counter()
    functions: dict[str, bool] = {}
    for event in trace:
        located = _LOCATION.match(str(event.get("location") or ""))
        if located is None:
            key = "(the query itself)"
            functions[key] = False
        else:
            package, found = layout.get(located["file"], ("?", []))
            owner = definition_at(found, int(located["row"]))
            key = f"{package}.{owner.name}" if owner else f"{located['file']} (outside a rule)"
            functions[key] = bool(owner and owner.function)
        steps[key] += 1
        if event.get("op") == "Enter":
            entered[key] += 1
    return {
        key: {"steps": count, "entered": entered[key], "function": functions[key]}
        for key, count in steps.most_common()
    }


def coverage_gaps(engine: RawEngine, document: dict[str, Any], modules: dict[str, str]) -> dict[str, Any]:
    """Per module: lines covered and not covered by the verdict on ``document``."""
    native = engine.native
    files: dict[str, dict[str, Any]] = {}
    if engine.name == "regorus":
        native.set_enable_coverage(True)
        native.clear_coverage_data()
        native.set_input_json(json.dumps(document))
        native.eval_rule_as_json("data." + VERDICT)
        report = json.loads(native.get_coverage_report_as_json())
        native.set_enable_coverage(False)
        for item in report["files"]:
            files[item["path"]] = {
                "covered": sorted(item["covered"]),
                "not_covered": sorted(item["not_covered"]),
            }
    else:
        native.eval_document(VERDICT, document, coverage=True)
        report = native.last_coverage or {"files": {}}
        for path, item in report["files"].items():

            def rows(spans: list[dict[str, Any]]) -> list[int]:
                return sorted(
                    {row for span in spans for row in range(span["start"]["row"], span["end"]["row"] + 1)}
                )

            covered = rows(item.get("covered") or [])
            files[path] = {
                "covered": covered,
                "not_covered": [row for row in rows(item.get("not_covered") or []) if row not in covered],
            }
    return {name: files[name] for name in sorted(files) if name in modules and not is_test_module(name)}


def say(text: str = "") -> None:
    print(text, flush=True)


def shared_engine_points(
    engine: str, modules: dict[str, str], data: Any, queries: list[str], document: Any, *, max_seconds: float
) -> list[dict[str, Any]]:
    """Engine-only statistics of several queries on one engine, measured in turns (one evaluation each)."""

    def work() -> list[dict[str, Any]]:
        raw = RawEngine(engine, modules, data)
        try:
            calls = [raw.prepared(query, document) for query in queries]
            undefined = [call() is UNDEFINED for call in calls]
            samples: list[list[float]] = [[] for _ in queries]
            deadline = time.perf_counter() + max_seconds
            while time.perf_counter() < deadline and min(len(found) for found in samples) < 500:
                for call, found in zip(calls, samples, strict=True):
                    started = time.perf_counter_ns()
                    call()
                    found.append((time.perf_counter_ns() - started) / 1000)
        finally:
            raw.close()
        return [
            {**Stats.of(found).as_dict(), **({"undefined": True} if gap else {})}
            for found, gap in zip(samples, undefined, strict=True)
        ]

    measured: list[dict[str, Any]] = in_own_thread(work)
    return measured


def rebuilt_findings_match(policy: dict[str, str], data: Any, document: Any, module: tuple[str, str]) -> bool:
    """Whether the ablation's rebuilt whole gives the real verdict's findings, on both engines.

    An undefined answer (of either) counts as a mismatch.
    """
    name, source = module
    modules = {**policy, name: source}

    def work() -> bool:
        for engine in ENGINES:
            raw = RawEngine(engine, modules, data)
            try:
                answers = [raw.prepared(query, document)() for query in (VERDICT, ablation_query(source))]
            finally:
                raw.close()
            if any(answer is UNDEFINED for answer in answers):
                return False
            real, rebuilt = (json.loads(item) if isinstance(item, str) else item for item in answers)
            if real.get("findings") != rebuilt.get("findings"):
                return False
        return True

    matched: bool = in_own_thread(work)
    return matched


def profile_ablation(
    policy: dict[str, str], data: Any, document: Any, packages: list[str], seconds: float
) -> dict[str, Any]:
    """Section 5: the verdict's findings rebuilt without each family, and without explaining."""
    families = precheck_families(policy, packages)
    variants = ablation_modules(families)
    say("5. What each part adds: the verdict's findings rebuilt without one rule family, or unexplained")
    say("   (the findings only: the verdict's route and obligations aside; medians in µs, n evaluations)")
    matches = rebuilt_findings_match(policy, data, document, variants[WHOLE])
    say(f"  the rebuilt whole gives the verdict's findings on both engines: {'yes' if matches else 'NO'}")
    points = [(policy, data, VERDICT, document)] + [
        ({**policy, name: source}, data, ablation_query(source), document)
        for name, source in variants.values()
    ]
    # All points in turns, so that load from elsewhere touches each alike; three times the
    # section's seconds, since the points share them.
    measured = {
        engine: engine_points(points, engine=engine, max_seconds=3 * seconds, batch=1) for engine in ENGINES
    }
    names = ["the verdict itself (route and obligations too)", *variants]
    whole = {engine: measured[engine][1]["median_us"] for engine in ENGINES}
    header = "".join(f"{ENGINE_LABELS[engine] + ' med':>18}{'n':>5}{'saves':>8}" for engine in ENGINES)
    say(f"    {'variant':<48}{header}")
    rows = []
    for index, name in enumerate(names):
        row: dict[str, Any] = {"variant": name}
        cells = ""
        for engine in ENGINES:
            figures = measured[engine][index]
            saved = whole[engine] - figures["median_us"]
            row[engine] = {**figures, "saves_us": saved}
            shown = "" if index < 2 else f"{saved:,.0f}"
            cells += f"{figures['median_us']:>18,.0f}{figures['n']:>5}{shown:>8}"
        rows.append(row)
        say(f"    {name:<48}{cells}")
    say("  savings near 1 ms or less are within what one run differs from the next on this machine")
    if not matches:
        say("  (the rebuilt whole differs from the verdict: these figures are not the verdict's)")
    say()
    return {"families": families, "baseline_matches": matches, "variants": rows}


def profile_steps(data: Any, seconds: float) -> dict[str, Any]:
    """Section 6: what one evaluation step costs on each engine."""
    say(f"6. One evaluation step: {STEP_TURNS:,} turns of a comprehension, each doing one thing (µs/turn)")
    modules = {f"{STEPS_PACKAGE}.rego": STEPS_MODULE}
    queries = ["constant", "empty", *STEPS]
    points = [(modules, data, f"{STEPS_PACKAGE}.{query}", None) for query in queries]
    results: dict[str, Any] = {}
    for engine in ENGINES:
        measured = engine_points(points, engine=engine, max_seconds=seconds, batch=1)
        constant, empty = measured[0], measured[1]
        turn = (empty["median_us"] - constant["median_us"]) / STEP_TURNS
        costs = step_costs(empty, dict(zip(STEPS, measured[2:], strict=True)))
        results[engine] = {"empty_turn_us": turn, "added_us": costs}
    say(f"    {'step':<48}" + "".join(f"{ENGINE_LABELS[engine]:>18}" for engine in ENGINES))
    say(f"    {'an empty turn':<48}" + "".join(f"{results[e]['empty_turn_us']:>18.2f}" for e in ENGINES))
    for step, label in STEPS.items():
        cells = "".join(f"{results[engine]['added_us'][step]:>18.2f}" for engine in ENGINES)
        say(f"    {'+ ' + label:<48}{cells}")
    say()
    return results


def profile_rvm(policy: dict[str, str], data: Any, document: Any, seconds: float) -> dict[str, Any]:
    """Section 7: regorus's compiled VM on the verdict, and whether it answers as the interpreter."""
    say("7. regorus's compiled VM (regorus.Program / Rvm) on the verdict; the service runs the interpreter")
    found = rvm_check(policy, data, VERDICT, document, max_seconds=seconds / 2)
    if not found["available"]:
        say("  not in this regorus build")
    else:
        same = "yes" if found["same_as_interpreter"] else "NO"
        say(
            f"  compiled in {found['compiled_ms']:,.0f} ms; median {found['median_us']:,.0f} µs,"
            f" p99 {found['p99_us']:,.0f} µs; same answer as the interpreter: {same}"
        )
        for difference in found["differences"]:
            say(f"    {difference}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=6.0, help="seconds per engine and section (6)")
    parser.add_argument("--top", type=int, default=3, help="packages profiled rule by rule (3)")
    parser.add_argument("--trace-rows", type=int, default=30, help="rules shown from the OPA trace (30)")
    options = parser.parse_args(argv)
    began = time.monotonic()
    bundle = load_bundle(Settings().policy_dir)
    modules = {**bundle.modules, FLOOR_MODULE: "package bench_profile\n\nconstant := 1\n"}
    policy = {name: source for name, source in bundle.modules.items() if not is_test_module(name)}
    document = {"submission": to_engine_json(json.loads(SAMPLE.read_text("utf-8")))}
    packages = findings_packages(policy)
    info = machine(bundle.revision, bundle.digest)
    say("ictgate policy profile (make bench-profile)")
    say(
        f"  {info['cpus']} CPU(s) {info['cpu_model']}, git {info['git_commit']},"
        f" policy {info['policy_revision']}, load average {info['load_average_1min']:.2f} at start"
    )
    say(f"  sample {SAMPLE.relative_to(ROOT)}; medians in µs; each engine compiled once per query")
    say(f"  packages defining findings (read from policies/): {len(packages)}")
    say()
    results: dict[str, Any] = {
        "machine": info,
        "sample": SAMPLE.relative_to(ROOT).as_posix(),
        "packages": packages,
    }

    say("1. Each package's findings alone, the verdict and the floor (a constant rule), sorted by cost")
    queries = [FLOOR_QUERY, *(f"{package}.findings" for package in packages), VERDICT]
    by_engine: dict[str, list[dict[str, Any]]] = {}
    for engine in ENGINES:
        by_engine[engine] = engine_points(
            [(modules, bundle.data, query, document) for query in queries],
            engine=engine,
            max_seconds=options.seconds,
            batch=1,
            allow_undefined=True,
        )
    rows = []
    for index, query in enumerate(queries):
        row: dict[str, Any] = {"query": query}
        for engine in ENGINES:
            row[engine] = by_engine[engine][index]
        rows.append(row)
    rows.sort(key=lambda row: -row["opa"]["median_us"])
    verdict_row = next(row for row in rows if row["query"] == VERDICT)
    header = "".join(f"{ENGINE_LABELS[engine] + ' med':>18}{'p99':>9}{'% verdict':>10}" for engine in ENGINES)
    say(f"  {'query':<46}{header}")
    for row in rows:
        label = "a constant (the floor of one evaluation)" if row["query"] == FLOOR_QUERY else row["query"]
        cells = ""
        for engine in ENGINES:
            figures = row[engine]
            share = 100 * figures["median_us"] / verdict_row[engine]["median_us"]
            cells += f"{figures['median_us']:>18,.0f}{figures['p99_us']:>9,.0f}{share:>9.0f}%"
        say(f"  {label:<46}{cells}")
    families = [row for row in rows if row["query"].endswith(".findings")]
    for engine in ENGINES:
        total = sum(row[engine]["median_us"] for row in families)
        say(
            f"  sum of the packages' findings on {ENGINE_LABELS[engine]}: {total:,.0f} µs"
            f" ({100 * total / verdict_row[engine]['median_us']:.0f} % of the verdict; helpers shared"
            " between packages are counted in each)"
        )
    results["packages_alone"] = rows
    say()

    top = [row["query"].removesuffix(".findings") for row in families[: options.top]]
    say(f"2. Rule by rule in the {len(top)} costliest packages (each rule alone: inclusive of what it calls)")
    results["rules"] = {}
    for package in top:
        sources = [source for source in policy.values() if package_of(source) == package]
        names = [name for source in sources for name in queryable_rules(source)]
        rule_queries = [f"{package}.{name}" for name in dict.fromkeys(names)]
        measured = {
            engine: shared_engine_points(
                engine, modules, bundle.data, rule_queries, document, max_seconds=options.seconds / 2
            )
            for engine in ENGINES
        }
        entries: list[dict[str, Any]] = [
            {"rule": query, **{engine: measured[engine][index] for engine in ENGINES}}
            for index, query in enumerate(rule_queries)
        ]
        entries.sort(key=lambda entry: -entry["opa"]["median_us"])
        results["rules"][package] = entries
        say(f"  {package}")
        say(
            f"    {'rule':<44}"
            + "".join(f"{ENGINE_LABELS[engine] + ' med':>18}{'p99':>9}" for engine in ENGINES)
        )
        for entry in entries:
            cells = "".join(
                f"{entry[engine]['median_us']:>18,.0f}{entry[engine]['p99_us']:>9,.0f}" for engine in ENGINES
            )
            note = "   (undefined)" if entry["opa"].get("undefined") else ""
            say(f"    {entry['rule'].removeprefix(package + '.'):<44}{cells}{note}")
    say()

    say("3. Embedded OPA's trace of the verdict: evaluation steps per rule or function (exclusive)")

    def traced() -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
        raw = RawEngine("opa", modules, bundle.data)
        try:
            raw.native.eval_document(VERDICT, document, trace=True)
            events = list(raw.native.last_trace or [])
            opa_coverage = coverage_gaps(raw, document, policy)
        finally:
            raw.close()
        regorus_raw = RawEngine("regorus", modules, bundle.data)
        try:
            regorus_coverage = coverage_gaps(regorus_raw, document, policy)
        finally:
            regorus_raw.close()
        return events, opa_coverage, regorus_coverage

    events, opa_coverage, regorus_coverage = in_own_thread(traced)
    per_rule = trace_by_rule(events, policy)
    total_steps = sum(item["steps"] for item in per_rule.values())
    verdict_us = verdict_row["opa"]["median_us"]
    say(
        f"  {len(events):,} trace events; est. µs = share of the events × the verdict's median on"
        f" embedded OPA ({verdict_us:,.0f} µs)"
    )
    say(f"    {'rule or function':<52}{'steps':>8}{'% steps':>9}{'entered':>9}{'est. µs':>9}")
    for key, item in list(per_rule.items())[: options.trace_rows]:
        label = key + ("()" if item["function"] else "")
        share = item["steps"] / total_steps
        estimate = share * verdict_us
        say(f"    {label:<52}{item['steps']:>8,}{100 * share:>8.1f}%{item['entered']:>9,}{estimate:>9,.0f}")
    by_package: Counter[str] = Counter()
    for key, item in per_rule.items():
        by_package[key.rsplit(".", 1)[0]] += item["steps"]
    say("  steps per package (exclusive: each helper counted where it is written)")
    for package, steps in by_package.most_common():
        say(f"    {package:<52}{steps:>8,}{100 * steps / total_steps:>8.1f}%")
    results["opa_trace"] = {"events": len(events), "by_rule": per_rule, "by_package": dict(by_package)}
    say()

    say("4. Coverage of the verdict on the sample: lines not reached (lines with code only)")
    say(f"    {'module':<40}{'OPA reached':>12}{'not':>6}{'regorus reached':>17}{'not':>6}")
    for name in sorted(set(opa_coverage) | set(regorus_coverage)):
        opa = opa_coverage.get(name, {"covered": [], "not_covered": []})
        reg = regorus_coverage.get(name, {"covered": [], "not_covered": []})
        say(
            f"    {name:<40}{len(opa['covered']):>12}{len(opa['not_covered']):>6}"
            f"{len(reg['covered']):>17}{len(reg['not_covered']):>6}"
        )
    results["coverage"] = {"opa": opa_coverage, "regorus": regorus_coverage}
    say()

    results["ablation"] = profile_ablation(policy, bundle.data, document, packages, options.seconds)
    results["steps"] = profile_steps(bundle.data, options.seconds)
    results["rvm"] = profile_rvm(policy, bundle.data, document, options.seconds)
    results["seconds"] = round(time.monotonic() - began, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "profile.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    say()
    say(f"{results['seconds']:.0f} s; figures written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
