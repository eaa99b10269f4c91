"""``make bench``: every figure of issue 18 (and issue 8's CLI figures) in one run, with its target.

    .venv/bin/python bench/run.py            # about 3 minutes; no assertion, exit 0
    OPA_URL=http://127.0.0.1:8181 .venv/bin/python bench/run.py   # and the same HTTP figures on OPA

For both embedded engines, embedded OPA (the default) and regorus:

1. engine only: the verdict of examples/proposals/bangpu-cctv.json, policies
   compiled once, timed in the engine's own thread around the call alone;
2. the engine's capacity on the cores: two processes evaluating back to back
   (bench/capacity.py), verdicts per second; and whether the engine keeps Python's GIL while it
   evaluates (bench/gil.py);
3. growth: engine time against the number of sharing arrangements (1, 10, 50)
   and the committee-order size (10, 50, 200 members), with the least-squares
   slope (bench/growth.py);
4. HTTP: ``ictgate serve --dev --workers 2`` on that engine with the decision
   log on (a temporary SQLite file, fsync); load from bench/loadgen.py in a
   separate process on loopback: one connection sequentially, fixed arrival
   rates (open loop: 200, 500 and 1,000 requests/s) and saturation (32
   connections back to back); the ratio of the saturation throughput to the
   engine's capacity;
5. where a request's time goes: the service's own steps timed in-process
   (bench/inprocess.py), and what HTTP adds (whole request minus their sum);
6. the CLI: ``ictgate check`` on one file and on 1,000 files (bench/cli_bench.py),
   on the default engine;
7. the HTTP figures again on OPA when OPA_URL is set.

Then every target, MET or MISSED. The figures are also written to
bench/results/latest.json (git-ignored); docs/performance.md explains the method
and quotes a run.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ictgate.core.policy import COMMITTEE_QUERY, PRECHECK_QUERY, load_bundle  # noqa: E402
from ictgate.core.settings import Settings  # noqa: E402
from ictgate.core.validation import to_engine_json  # noqa: E402

from bench import cli_bench  # noqa: E402
from bench.capacity import capacity  # noqa: E402
from bench.common import (  # noqa: E402
    OPA_URL,
    RESULTS,
    SAMPLE,
    load_average,
    machine,
    sample_submission,
    served,
    tmpdir,
)
from bench.gil import python_beside_engine  # noqa: E402
from bench.growth import (  # noqa: E402
    LINEAR_TOLERANCE,
    MEMBER_COUNTS,
    ORDER_SAMPLE,
    SHARING_COUNTS,
    curve,
    order_input,
    sample_order,
    with_members,
    with_sharing,
)
from bench.http_load import (  # noqa: E402
    GRACE_SECONDS,
    PHASE_SECONDS,
    RATES,
    SATURATION_CONNECTIONS,
    opa_direct,
    service_suite,
)
from bench.inprocess import ENGINE_LABELS, ENGINES, STEPS, breakdown, engine_only  # noqa: E402

# Issue 18, "Targets" (benchmarks, not tests; same machine, one run), and issue 8's CLI targets.
TARGETS: dict[str, dict[str, Any]] = {
    "engine_median_us": {"text": "engine-only median ≤ 0.5 ms", "op": "<=", "value": 500},
    "engine_p99_over_median": {"text": "engine-only p99 ≤ 3 × median", "op": "<=", "value": 3},
    "saturation_rps": {
        "text": "≥ 1,000 pre-checks/s at saturation (--workers 2, fsync log)",
        "op": ">=",
        "value": 1000,
    },
    "saturation_p99_ms": {"text": "p99 < 100 ms at saturation", "op": "<", "value": 100},
    "p99_at_500_ms": {"text": "p99 < 20 ms in open loop at 500/s", "op": "<", "value": 20},
    "service_over_capacity": {"text": "service ≥ 50 % of the engine's capacity", "op": ">=", "value": 0.5},
    "sharing_growth": {
        "text": f"engine time at most linear in sharing arrangements (bend ≤ {LINEAR_TOLERANCE})",
        "op": "<=",
        "value": LINEAR_TOLERANCE,
    },
    "cli_one_file_s": {"text": "ictgate check, 1 file < 1 s (issue 8)", "op": "<", "value": 1},
    "cli_1000_files_s": {"text": "ictgate check, 1,000 files < 15 s (issue 8)", "op": "<", "value": 15},
}
WORKERS = 2  # what the targets are for
CAPACITY_PROCESSES = int(os.environ.get("BENCH_CAPACITY_PROCESSES", "2"))
CAPACITY_SECONDS = float(os.environ.get("BENCH_CAPACITY_SECONDS", "3"))
ENGINE_SECONDS = float(os.environ.get("BENCH_ENGINE_SECONDS", "3"))
GROWTH_SECONDS = float(os.environ.get("BENCH_GROWTH_SECONDS", "3"))
BREAKDOWN_SECONDS = float(os.environ.get("BENCH_BREAKDOWN_SECONDS", "3"))
CLI_RUNS_ONE = int(os.environ.get("BENCH_CLI_RUNS", "3"))
CLI_RUNS_MANY = int(os.environ.get("BENCH_CLI_MANY_RUNS", "1"))


def judged(name: str, value: float | None, engine: str | None = None) -> dict[str, Any]:
    target = TARGETS[name]
    if value is None:
        met = False
    elif target["op"] == ">=":
        met = value >= target["value"]
    elif target["op"] == "<=":
        met = value <= target["value"]
    else:
        met = value < target["value"]
    check = {"value": value, "target": target["text"], "met": met}
    if engine is not None:
        check["engine"] = engine
    return check


def mark(check: dict[str, Any]) -> str:
    return f"target {check['target']}: {'MET' if check['met'] else 'MISSED'}"


def say(text: str = "") -> None:
    print(text, flush=True)


def latency(run: dict[str, Any], key: str) -> str:
    """A percentile of a load-generator run, or why there is none.

    A percentile that falls on a request without a 2xx answer has no value: in
    the open loop the request waited longer than the phase plus its grace time.
    """
    value = run[key]
    if value is not None:
        return f"{value:8.2f} ms"
    counted = run["planned"] if run["mode"] == "open" else run["sent"]
    bound = f"> {PHASE_SECONDS + GRACE_SECONDS:.0f} s " if run["mode"] == "open" else ""
    return f"{bound}({run['unanswered']} of {counted} without an answer)"


def show_machine(info: dict[str, Any]) -> None:
    usable = "" if info["cpus_usable"] == info["cpus"] else f", {info['cpus_usable']} usable"
    packages = ", ".join(f"{name} {ver}" for name, ver in info["packages"].items())
    uncommitted = info["git_uncommitted"]
    say("ictgate benchmark (make bench)")
    say(f"  machine   {info['cpus']} CPU(s){usable}, {info['cpu_model']}, {info['os']}")
    say(
        f"  software  Python {info['python']}, {info['opa_embedded']} (opa-golib-python-bindings),"
        f" regorus {info['regorus']} (gordon-to-regorus), {packages}"
    )
    say(
        f"  code      git {info['git_commit']}"
        + (f" + uncommitted: {', '.join(uncommitted)}" if uncommitted else "")
    )
    say(f"  policy    revision {info['policy_revision']}, {info['policy_digest'][:19]}…")
    load = info["load_average_1min"]
    busy = " (other processes are using the CPUs: figures will be pessimistic)" if load and load > 0.5 else ""
    say(f"  load      1-minute load average {load:.2f} at start{busy}")


def show_http(
    name: str,
    figures: dict[str, Any],
    engine: str | None,
    capacity_rps: float | None,
    capacity_cpu_ms: float | None = None,
) -> dict[str, Any]:
    """Prints one served configuration's figures; returns the target checks (none without ``engine``)."""
    checks: dict[str, Any] = {}
    say(f"  {name}")
    sequential = figures["sequential"]
    say(
        f"    sequential, 1 connection      p50 {latency(sequential, 'p50_ms')}"
        f"   p99 {latency(sequential, 'p99_ms')}"
        f"   ({sequential['ok']} requests in {sequential['elapsed_s']:.1f} s;"
        f" server CPU {sequential['server_cpu_ms_per_request']:.2f} ms/request)"
    )
    for rate in RATES:
        run = figures[f"rate_{rate}"]
        achieved = run["ok"] / max(run["elapsed_s"], 1e-9)
        run["achieved_rps"] = round(achieved, 1)
        line = (
            f"    open loop {rate:>5}/s             p50 {latency(run, 'p50_ms')}"
            f"   p99 {latency(run, 'p99_ms')}"
            f"   ({run['ok']}/{run['planned']} answered, achieved {achieved:.0f}/s;"
            f" generator lag p99 {run['generator_lag_p99_ms'] or 0:.1f} ms)"
        )
        if rate == 500 and engine is not None:
            check = judged("p99_at_500_ms", run["p99_ms"], engine)
            check["shown"] = latency(run, "p99_ms").strip()
            checks["p99_at_500_ms"] = check
            line += f"\n{'':38}{mark(check)}"
        say(line)
    saturation = figures["saturation"]
    say(
        f"    saturation, {SATURATION_CONNECTIONS} connections   {saturation['throughput_rps']:8.0f} /s"
        f"   p50 {latency(saturation, 'p50_ms')}   p99 {latency(saturation, 'p99_ms')}"
    )
    if engine is not None:
        checks["saturation_rps"] = judged("saturation_rps", saturation["throughput_rps"], engine)
        checks["saturation_rps"]["shown"] = f"{saturation['throughput_rps']:,.0f}/s"
        check = judged("saturation_p99_ms", saturation["p99_ms"], engine)
        check["shown"] = latency(saturation, "p99_ms").strip()
        checks["saturation_p99_ms"] = check
        say(f"{'':38}{mark(checks['saturation_rps'])}")
        say(f"{'':38}{mark(check)}")
    cpus = os.cpu_count() or 1
    per_request = saturation["server_cpu_ms_per_request"] + saturation["generator_cpu_ms_per_request"]
    say(
        f"      CPU per answered request: server {saturation['server_cpu_ms_per_request']:.2f} ms,"
        f" generator {saturation['generator_cpu_ms_per_request']:.2f} ms: {cpus} CPU(s) could answer"
        f" at most {cpus * 1000 / max(per_request, 1e-9):.0f}/s"
    )
    if engine is not None and capacity_rps:
        ratio = saturation["throughput_rps"] / capacity_rps
        check = judged("service_over_capacity", round(ratio, 3), engine)
        check["shown"] = f"{100 * ratio:.0f} % ({saturation['throughput_rps']:.0f} of {capacity_rps:.0f}/s)"
        checks["service_over_capacity"] = check
        say(
            f"    service / engine capacity       {100 * ratio:5.0f} %"
            f"   ({saturation['throughput_rps']:.0f}/s against {capacity_rps:.0f} verdicts/s)   {mark(check)}"
        )
        if capacity_cpu_ms and saturation["server_cpu_ms_per_request"]:
            # The same ratio from CPU time, which load from other processes barely moves.
            by_cpu = capacity_cpu_ms / saturation["server_cpu_ms_per_request"]
            check["by_cpu"] = round(by_cpu, 3)
            say(
                f"      by CPU time: the engine alone {capacity_cpu_ms:.2f} ms per verdict, the service"
                f" {saturation['server_cpu_ms_per_request']:.2f} ms per request: {100 * by_cpu:.0f} %"
                " (the wall-clock ratio above is judged; on a busy machine trust this one)"
            )
    for key, run in figures.items():
        if isinstance(run, dict) and (run["errors"] or set(run["statuses"]) - {"200"}):
            say(f"    ! {key}: answers {run['statuses']}, connection errors {run['errors']}")
    return checks


def show_growth(label: str, unit: str, found: dict[str, Any]) -> None:
    sizes = "".join(f"{point['size']:>7,} → {point['median_us']:>9,.0f}" for point in found["points"])
    say(
        f"    {label:<16}{sizes}   slope {found['slope_us_per_unit']:>7,.1f} µs/{unit}"
        f" (r² {found['r2']:.3f}; bend {found['growth_ratio']:.2f})"
    )


def breakdown_table(steps: dict[str, dict[str, Any]], engines: dict[str, dict[str, Any]]) -> None:
    """The in-process steps of both engines side by side; what HTTP adds, from the sequential phase."""
    header = "".join(f"{ENGINE_LABELS[engine] + ' µs':>18}{'p99':>9}{'%':>6}" for engine in steps)
    say(f"  {'step':<50}{header}")

    def row(label: str, figures: dict[str, dict[str, Any] | None]) -> None:
        cells = ""
        for engine, step in figures.items():
            if step is None:
                cells += f"{'':>33}"
                continue
            whole = engines[engine]["whole_request_us"] or steps[engine]["sum_of_medians_us"]
            share = 100 * step["median_us"] / whole if whole else 0
            p99 = f"{step['p99_us']:>9,.0f}" if "p99_us" in step else f"{'':>9}"
            cells += f"{step['median_us']:>18,.0f}{p99}{share:>5.0f}%"
        say(f"  {label:<50}{cells}")

    for key, label in STEPS:
        row(label, {engine: steps[engine]["steps"][key] for engine in steps})
        if key == "evaluate":
            row("   of which the engine itself (engine only)", {e: engines[e]["engine_only"] for e in steps})
        if key == "log":
            row("   of which log.append (hash, insert, fsync)", {e: steps[e]["log_append"] for e in steps})
    row("sum of the steps", {e: {"median_us": steps[e]["sum_of_medians_us"]} for e in steps})
    row(
        "HTTP/framework (whole request − sum)",
        {
            e: {"median_us": engines[e]["http_overhead_us"]} if engines[e]["whole_request_us"] else None
            for e in steps
        },
    )
    row(
        f"whole request (--workers {WORKERS}, sequential p50)",
        {
            e: {"median_us": engines[e]["whole_request_us"]} if engines[e]["whole_request_us"] else None
            for e in steps
        },
    )


def main() -> int:
    began = time.monotonic()
    settings = Settings()
    bundle = load_bundle(settings.policy_dir)
    submission = sample_submission()
    plain = to_engine_json(submission)
    document = {"submission": plain}
    order = sample_order()
    info = machine(bundle.revision, bundle.digest)
    from ictgate.core.engines.opa_embedded import embedded_opa_version

    info["opa_embedded"] = f"opa {embedded_opa_version() or '?'}"
    results: dict[str, Any] = {"machine": info, "sample": SAMPLE.relative_to(ROOT).as_posix(), "engines": {}}
    per_engine: dict[str, dict[str, Any]] = results["engines"]
    for engine in ENGINES:
        per_engine[engine] = {"label": ENGINE_LABELS[engine]}
    checks: dict[str, Any] = {}
    show_machine(info)
    say(f"  sample    {results['sample']} ({len(SAMPLE.read_bytes()):,} bytes)")
    say(f"  engines   {', '.join(ENGINE_LABELS[engine] for engine in ENGINES)} (the service's default first)")
    say()

    say("1. Engine only: the verdict on the sample, policies compiled once, timed in the engine's thread")
    say("   around the call alone (regorus: set_input_json + eval_rule_as_json; OPA: eval_document)")
    for engine in ENGINES:
        found = engine_only(
            bundle.modules, bundle.data, PRECHECK_QUERY, document, engine=engine, max_seconds=ENGINE_SECONDS
        )
        per_engine[engine]["engine_only"] = found
        ratio = found["p99_us"] / found["median_us"]
        median = judged("engine_median_us", found["median_us"], engine)
        median["shown"] = f"{found['median_us']:,.0f} µs"
        spread = judged("engine_p99_over_median", round(ratio, 2), engine)
        spread["shown"] = f"{ratio:.1f} × (p99 {found['p99_us']:,.0f} µs)"
        checks[f"engine_median_us[{engine}]"] = median
        checks[f"engine_p99_over_median[{engine}]"] = spread
        say(
            f"  {ENGINE_LABELS[engine]:<14}median {found['median_us']:9,.1f} µs"
            f"   p99 {found['p99_us']:9,.1f} µs"
            f" ({ratio:.1f} × median)   (n={found['n']}; compiled in {found['compile_ms']:.0f} ms;"
            f" answer {found['answer_bytes']:,} B)"
        )
        say(f"{'':16}{mark(checks[f'engine_median_us[{engine}]'])}")
        say(f"{'':16}{mark(checks[f'engine_p99_over_median[{engine}]'])}")
    say()

    say(
        f"2. Engine capacity: {CAPACITY_PROCESSES} processes evaluating the verdict back to back"
        f" for {CAPACITY_SECONDS:.0f} s"
    )
    for engine in ENGINES:
        found = capacity(
            engine,
            bundle.modules,
            bundle.data,
            PRECHECK_QUERY,
            document,
            processes=CAPACITY_PROCESSES,
            seconds=CAPACITY_SECONDS,
        )
        per_engine[engine]["capacity"] = found
        shares = ", ".join(f"{item['cpu_share']:.2f}" for item in found["per_process"])
        rates = ", ".join(f"{item['verdicts_per_s']:.0f}/s" for item in found["per_process"])
        say(
            f"  {ENGINE_LABELS[engine]:<14}{found['verdicts_per_s']:8,.0f} verdicts/s"
            f"   (per process: {rates};"
            f" share of a CPU each got: {shares}; per CPU-second: {found['verdicts_per_cpu_s'] or 0:,.0f};"
            f" with a core each: {found['verdicts_per_s_with_a_core_each'] or 0:,.0f}/s)"
        )
        beside = python_beside_engine(engine, bundle.modules, bundle.data, PRECHECK_QUERY, document)
        per_engine[engine]["python_beside_engine"] = beside
        keeps = "keeps the GIL while it evaluates" if beside["keeps_gil"] else "releases the GIL"
        say(
            f"{'':16}a Python thread beside it in the same process keeps {100 * beside['ratio']:.0f} %"
            f" of its pace alone: the engine {keeps}"
        )
    say()

    say("3. Growth of engine time (engine only, medians µs; slope: least-squares line through the points;")
    say(
        "   bend: slope of the last segment / slope of the first, 1 = straight,"
        f" > {LINEAR_TOLERANCE} = worse than linear)"
    )
    sharing_documents = [(count, {"submission": with_sharing(plain, count)}) for count in SHARING_COUNTS]
    member_documents = [(count, order_input(with_members(order, count))) for count in MEMBER_COUNTS]
    for engine in ENGINES:
        sharing = curve(
            engine, bundle.modules, bundle.data, PRECHECK_QUERY, sharing_documents, max_seconds=GROWTH_SECONDS
        )
        committee = curve(
            engine, bundle.modules, bundle.data, COMMITTEE_QUERY, member_documents, max_seconds=GROWTH_SECONDS
        )
        per_engine[engine]["growth"] = {"sharing": sharing, "committee_members": committee}
        check = judged("sharing_growth", sharing["growth_ratio"], engine)
        check["shown"] = (
            f"bend {sharing['growth_ratio']:.2f}, slope {sharing['slope_us_per_unit']:,.1f} µs/arrangement"
        )
        checks[f"sharing_growth[{engine}]"] = check
        say(f"  {ENGINE_LABELS[engine]}")
        show_growth("arrangements", "arrangement", sharing)
        say(f"{'':20}{mark(check)}")
        show_growth("order members", "member", committee)
        say(f"{'':20}(no target; {ORDER_SAMPLE.name} grown with copies of its ordinary members;")
        say(f"{'':20} the schema allows 60 members: 200 measures the engine only)")
    say()

    with tmpdir() as name:
        folder = Path(name)
        say(
            f"4. HTTP: POST /v1/precheck, ictgate serve --dev --workers {WORKERS}, decision log on (temporary"
        )
        say("   SQLite file on the checkout's disk, fsync); load from bench/loadgen.py in its own process on")
        say(f"   loopback, keep-alive connections; each phase {PHASE_SECONDS:.0f} s of sending, then at most")
        say(f"   {GRACE_SECONDS:.0f} s for answers")
        for engine in ENGINES:
            with served(WORKERS, folder, {"ICTGATE_ENGINE": engine}) as server:
                figures = service_suite(server, submission, folder, f"{engine}-w{WORKERS}")
            per_engine[engine]["http"] = figures
            found = show_http(
                f"{ENGINE_LABELS[engine]}: ictgate serve --dev --workers {WORKERS} --engine {engine}",
                figures,
                engine,
                per_engine[engine]["capacity"]["verdicts_per_s"],
                1000 / per_cpu if (per_cpu := per_engine[engine]["capacity"]["verdicts_per_cpu_s"]) else None,
            )
            checks.update({f"{key}[{engine}]": check for key, check in found.items()})
        say()

        say("5. Where a request's time goes (in-process, the service's own functions; bench/inprocess.py;")
        say(f"   % of the whole request, --workers {WORKERS} sequential p50)")
        steps: dict[str, dict[str, Any]] = {}
        for engine in ENGINES:
            steps[engine] = breakdown(submission, folder, engine=engine, max_seconds=BREAKDOWN_SECONDS)
            whole = per_engine[engine]["http"]["sequential"]["p50_ms"]
            whole_us = None if whole is None else whole * 1000
            per_engine[engine]["whole_request_us"] = whole_us
            per_engine[engine]["http_overhead_us"] = (
                None if whole_us is None else round(whole_us - steps[engine]["sum_of_medians_us"], 1)
            )
            steps[engine]["whole_request_us"] = whole_us
            steps[engine]["http_overhead_us"] = per_engine[engine]["http_overhead_us"]
            medians = {key: steps[engine]["steps"][key]["median_us"] for key, _ in STEPS}
            steps[engine]["dominant"] = max(medians, key=lambda key: medians[key])
            per_engine[engine]["breakdown"] = steps[engine]
        breakdown_table(steps, per_engine)
        for engine in ENGINES:
            say(f"  {ENGINE_LABELS[engine]}: dominant step: {dict(STEPS)[steps[engine]['dominant']]}")
        say()

        say("6. The CLI: ictgate check (bench/cli_bench.py), default engine, wall time from start to exit")
        one, one_code = cli_bench.check_one(CLI_RUNS_ONE)
        with tempfile.TemporaryDirectory(prefix="cli-", dir=folder) as many_folder:
            cli_bench.generate(Path(many_folder))
            many, many_code = cli_bench.check_many(Path(many_folder), "text", CLI_RUNS_MANY)
        checks["cli_one_file_s"] = judged("cli_one_file_s", round(one, 3))
        checks["cli_one_file_s"]["shown"] = f"{one:.2f} s"
        checks["cli_1000_files_s"] = judged("cli_1000_files_s", round(many, 3))
        checks["cli_1000_files_s"]["shown"] = f"{many:.2f} s"
        results["cli"] = {
            "one_file_s": round(one, 3),
            "one_file_exit": one_code,
            "one_file_runs": CLI_RUNS_ONE,
            "files_1000_s": round(many, 3),
            "files_1000_exit": many_code,
            "files_1000_runs": CLI_RUNS_MANY,
        }
        say(
            f"  1 file ({cli_bench.SAMPLE.name})".ljust(46)
            + f"{one:7.2f} s   (median of {CLI_RUNS_ONE}, exit {one_code})   {mark(checks['cli_one_file_s'])}"
        )
        say(
            f"  {cli_bench.FILES:,} generated files, --format text".ljust(46)
            + f"{many:7.2f} s   ({many / cli_bench.FILES * 1000:.1f} ms/file, {CLI_RUNS_MANY} run(s),"
            f" exit {many_code})   {mark(checks['cli_1000_files_s'])}"
        )
        say()

        say("7. OPA server")
        if OPA_URL:
            direct = opa_direct(OPA_URL, {"submission": submission}, folder)
            say(f"  OPA alone ({OPA_URL}), sequential")
            say(
                f"    POST /v1/data/…/verdict        p50 {latency(direct, 'p50_ms')}"
                f"   p99 {latency(direct, 'p99_ms')}"
            )
            with served(WORKERS, folder, {"OPA_URL": OPA_URL}) as server:
                figures = service_suite(server, submission, folder, "opa-server")
            results["opa_server"] = {"url": OPA_URL, "direct": direct, "workers_2": figures}
            show_http(f"ictgate serve --dev --workers {WORKERS} with OPA_URL", figures, None, None)
        else:
            results["opa_server"] = {"skipped": "OPA_URL is not set"}
            say("  skipped: OPA_URL is not set (start OPA serving policies/, e.g. `docker compose up opa`,")
            say("  then OPA_URL=http://127.0.0.1:8181 make bench)")
        say()

    results["targets"] = checks
    say(f"Targets (issue 18, and issue 8 for the CLI; HTTP figures: --workers {WORKERS})")
    met = sum(1 for check in checks.values() if check["met"])
    for check in checks.values():
        value = check["value"]
        shown = check.get("shown") or ("—" if value is None else f"{value:,}")
        engine = ENGINE_LABELS.get(check.get("engine", ""), "")
        say(
            f"  {'MET   ' if check['met'] else 'MISSED'}  {engine:<13} {check['target']:<66} measured {shown}"
        )
    say(f"  {met} of {len(checks)} met")
    results["load_average_1min_end"] = load_average()
    results["seconds"] = round(time.monotonic() - began, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    latest = RESULTS / "latest.json"
    latest.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    say(f"\n{results['seconds']:.0f} s; figures written to {latest.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
