"""``make bench``: every figure of issue 8 in one run, on this machine, with its target.

    .venv/bin/python bench/run.py            # about 1.5 minutes; no assertion, exit 0
    OPA_URL=http://127.0.0.1:8181 .venv/bin/python bench/run.py   # and the same HTTP figures on OPA

1. engine only: regorus evaluating the verdict of examples/proposals/bangpu-cctv.json,
   policies compiled once, timed in the engine's own thread around the call alone;
2. HTTP: ``ictgate serve --dev --workers 2`` (and ``--workers 1``) with the decision
   log on, in a temporary SQLite file; load from bench/loadgen.py in a separate
   process on loopback: one connection sequentially, fixed arrival rates (open
   loop: 200 and 500 requests/s) and saturation (32 connections back to back);
3. where a request's time goes: the service's own steps timed in-process
   (bench/inprocess.py), and what HTTP adds (whole request minus their sum);
4. the CLI: ``ictgate check`` on one file and on 1,000 files (bench/cli_bench.py);
5. the HTTP figures again on OPA when OPA_URL is set.

The figures are also written to bench/results/latest.json (git-ignored);
docs/performance.md explains the method and quotes a run.
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

from ictgate.core.policy import PRECHECK_QUERY, load_bundle  # noqa: E402
from ictgate.core.settings import Settings  # noqa: E402

from bench import cli_bench  # noqa: E402
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
from bench.http_load import (  # noqa: E402
    GRACE_SECONDS,
    PHASE_SECONDS,
    RATES,
    SATURATION_CONNECTIONS,
    opa_direct,
    service_suite,
)
from bench.inprocess import STEPS, breakdown, engine_only  # noqa: E402

# Issue 8, "Targets", measured on the 2-core machine with the load generator on it.
TARGETS: dict[str, dict[str, Any]] = {
    "saturation_rps": {"text": "≥ 1,000 pre-checks/s", "op": ">=", "value": 1000},
    "p99_at_500_ms": {"text": "p99 < 10 ms at 500/s", "op": "<", "value": 10},
    "request_over_engine": {"text": "whole-request median ≤ 10 × engine only", "op": "<=", "value": 10},
    "cli_one_file_s": {"text": "< 1 s", "op": "<", "value": 1},
    "cli_1000_files_s": {"text": "< 15 s", "op": "<", "value": 15},
}
SERVED_WORKERS = (2, 1)  # 2 is what the targets are for; 1 for comparison
CLI_RUNS_ONE = int(os.environ.get("BENCH_CLI_RUNS", "3"))
CLI_RUNS_MANY = int(os.environ.get("BENCH_CLI_MANY_RUNS", "1"))


def judged(name: str, value: float | None) -> dict[str, Any]:
    target = TARGETS[name]
    if value is None:
        met = False
    elif target["op"] == ">=":
        met = value >= target["value"]
    elif target["op"] == "<=":
        met = value <= target["value"]
    else:
        met = value < target["value"]
    return {"value": value, "target": target["text"], "met": met}


def mark(check: dict[str, Any]) -> str:
    return f"target {check['target']}: {'met' if check['met'] else 'MISSED'}"


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
    say(f"  software  Python {info['python']}, regorus {info['regorus']} (gordon-to-regorus), {packages}")
    say(
        f"  code      git {info['git_commit']}"
        + (f" + uncommitted: {', '.join(uncommitted)}" if uncommitted else "")
    )
    say(f"  policy    revision {info['policy_revision']}, {info['policy_digest'][:19]}…")
    load = info["load_average_1min"]
    busy = " (other processes are using the CPUs: figures will be pessimistic)" if load and load > 0.5 else ""
    say(f"  load      1-minute load average {load:.2f} at start{busy}")


def show_http(name: str, figures: dict[str, Any], targeted: bool) -> dict[str, Any]:
    """Prints one served configuration's figures; returns the target checks."""
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
        line = (
            f"    open loop {rate:>4}/s               p50 {latency(run, 'p50_ms')}"
            f"   p99 {latency(run, 'p99_ms')}"
            f"   ({run['ok']}/{run['planned']} answered, {achieved:.0f}/s;"
            f" generator lag p99 {run['generator_lag_p99_ms'] or 0:.1f} ms)"
        )
        if rate == 500:
            check = judged("p99_at_500_ms", run["p99_ms"])
            check["shown"] = latency(run, "p99_ms").strip()
            checks["p99_at_500_ms"] = check
            line += f"\n{'':38}{mark(check)}"
        say(line)
    saturation = figures["saturation"]
    check = judged("saturation_rps", saturation["throughput_rps"])
    checks["saturation_rps"] = check
    say(
        f"    saturation, {SATURATION_CONNECTIONS} connections   {saturation['throughput_rps']:8.0f} /s"
        f"   p50 {latency(saturation, 'p50_ms')}   p99 {latency(saturation, 'p99_ms')}   {mark(check)}"
    )
    cpus = os.cpu_count() or 1
    per_request = saturation["server_cpu_ms_per_request"] + saturation["generator_cpu_ms_per_request"]
    say(
        f"      CPU per answered request: server {saturation['server_cpu_ms_per_request']:.2f} ms,"
        f" generator {saturation['generator_cpu_ms_per_request']:.2f} ms: {cpus} CPU(s) could answer"
        f" at most {cpus * 1000 / per_request:.0f}/s"
    )
    for key, run in figures.items():
        if isinstance(run, dict) and (run["errors"] or set(run["statuses"]) - {"200"}):
            say(f"    ! {key}: answers {run['statuses']}, connection errors {run['errors']}")
    if not targeted:
        for check in checks.values():
            check["comparison_only"] = True
    return checks


def main() -> int:
    began = time.monotonic()
    settings = Settings()
    bundle = load_bundle(settings.policy_dir)
    submission = sample_submission()
    info = machine(bundle.revision, bundle.digest)
    results: dict[str, Any] = {"machine": info, "sample": SAMPLE.relative_to(ROOT).as_posix()}
    show_machine(info)
    say(f"  sample    {results['sample']} ({len(SAMPLE.read_bytes()):,} bytes)")
    say()

    say("1. Engine only: regorus, policies compiled once, in its own thread, timed around the call")
    engine = engine_only(bundle.modules, bundle.data, PRECHECK_QUERY, {"submission": submission})
    results["engine_only"] = engine
    say(
        f"  verdict evaluation            median {engine['median_us']:8.1f} µs"
        f"   p99 {engine['p99_us']:8.1f} µs   (n={engine['n']}; compiled once in"
        f" {engine['compile_ms']:.0f} ms; answer {engine['answer_bytes']:,} B)"
    )
    say()

    with tmpdir() as name:
        folder = Path(name)
        steps = breakdown(submission, folder)
        results["breakdown"] = steps

        say("2. HTTP: POST /v1/precheck, embedded engine, decision log on (temporary SQLite file);")
        say("   load from bench/loadgen.py in its own process on loopback, keep-alive connections;")
        say(f"   each phase {PHASE_SECONDS:.0f} s of sending, then at most {GRACE_SECONDS:.0f} s for answers")
        results["http"] = {}
        checks: dict[str, Any] = {}
        for workers in SERVED_WORKERS:
            with served(workers, folder) as server:
                figures = service_suite(server, submission, folder, f"w{workers}")
            results["http"][f"workers_{workers}"] = figures
            found = show_http(f"ictgate serve --dev --workers {workers}", figures, targeted=workers == 2)
            if workers == 2:
                checks.update(found)
        say()

        say("3. Where a request's time goes (in-process, the service's own functions; bench/inprocess.py)")
        w1 = results["http"]["workers_1"]["sequential"]["p50_ms"]
        w2 = results["http"]["workers_2"]["sequential"]["p50_ms"]
        whole_us = (w1 or 0) * 1000
        total = steps["sum_of_medians_us"]
        say(f"  {'step':<44}{'median µs':>10}{'p99 µs':>10}{'% of steps':>12}{'% of request':>14}")
        parts = {
            "evaluate": ("   of which regorus itself (engine only)", engine),
            "log": ("   of which log.append (hash, insert, fsync)", steps["log_append"]),
        }

        def row(label: str, step: dict[str, Any]) -> None:
            share = 100 * step["median_us"] / total if total else 0
            of_request = 100 * step["median_us"] / whole_us if whole_us else 0
            figures = f"{step['median_us']:10.1f}{step['p99_us']:10.1f}{share:11.1f}%{of_request:13.1f}%"
            say(f"  {label:<44}{figures}")

        for key, label in STEPS:
            row(label, steps["steps"][key])
            if key in parts:
                row(*parts[key])
        say(f"  {'sum of the steps':<44}{total:10.1f}{'':10}{100.0:11.1f}%{100 * total / whole_us:13.1f}%")
        overhead = whole_us - total
        say(
            f"  {'HTTP/framework overhead (request − sum)':<44}{overhead:10.1f}{'':22}"
            f"{100 * overhead / whole_us:13.1f}%"
        )
        say(f"  {'whole request (--workers 1, sequential p50)':<44}{whole_us:10.1f}{'':22}{100.0:13.1f}%")
        if w2 is not None and w1 is not None:
            extra = (w2 - w1) * 1000
            say(f"  {'--workers 2, sequential p50 (same request)':<44}{w2 * 1000:10.1f}   ({extra:+.0f} µs)")
        dominant = max((key for key, _ in STEPS), key=lambda key: steps["steps"][key]["median_us"])
        say(f"  dominant step: {dict(STEPS)[dominant]}")
        ratio = (w2 * 1000 / engine["median_us"]) if w2 is not None else None
        check = judged("request_over_engine", None if ratio is None else round(ratio, 2))
        checks["request_over_engine"] = check
        ratio1 = whole_us / engine["median_us"]
        say(
            f"  whole-request median / engine-only median: {ratio or 0:.1f} × with --workers 2"
            f" ({ratio1:.1f} × with --workers 1)   {mark(check)}"
        )
        results["breakdown"]["whole_request_workers_1_us"] = round(whole_us, 1)
        results["breakdown"]["http_overhead_us"] = round(overhead, 1)
        results["breakdown"]["dominant"] = dominant
        say()

        say("4. The CLI: ictgate check (bench/cli_bench.py), wall time from process start to exit")
        one, one_code = cli_bench.check_one(CLI_RUNS_ONE)
        with tempfile.TemporaryDirectory(prefix="cli-", dir=folder) as many_folder:
            cli_bench.generate(Path(many_folder))
            many, many_code = cli_bench.check_many(Path(many_folder), "text", CLI_RUNS_MANY)
        checks["cli_one_file_s"] = judged("cli_one_file_s", round(one, 3))
        checks["cli_1000_files_s"] = judged("cli_1000_files_s", round(many, 3))
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

        say("5. OPA")
        if OPA_URL:
            direct = opa_direct(OPA_URL, {"submission": submission}, folder)
            say(f"  OPA alone ({OPA_URL}), sequential")
            say(
                f"    POST /v1/data/…/verdict        p50 {latency(direct, 'p50_ms')}"
                f"   p99 {latency(direct, 'p99_ms')}"
            )
            with served(2, folder, {"OPA_URL": OPA_URL}) as server:
                figures = service_suite(server, submission, folder, "opa")
            results["opa"] = {"url": OPA_URL, "direct": direct, "workers_2": figures}
            show_http("ictgate serve --dev --workers 2 with OPA_URL", figures, targeted=False)
        else:
            results["opa"] = {"skipped": "OPA_URL is not set"}
            say("  skipped: OPA_URL is not set (start OPA serving policies/, e.g. `docker compose up opa`,")
            say("  then OPA_URL=http://127.0.0.1:8181 make bench)")
        say()

    results["targets"] = checks
    say("Targets (issue 8; HTTP figures: --workers 2)")
    for check in checks.values():
        value = check["value"]
        shown = check.get("shown") or ("—" if value is None else f"{value:,}")
        say(f"  {'met   ' if check['met'] else 'MISSED'}  {check['target']:<44} measured {shown}")
    results["load_average_1min_end"] = load_average()
    results["seconds"] = round(time.monotonic() - began, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    latest = RESULTS / "latest.json"
    latest.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    say(f"\n{results['seconds']:.0f} s; figures written to {latest.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
