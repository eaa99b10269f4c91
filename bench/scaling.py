"""``make bench-scaling``: how a pre-check's cost grows, each factor doubled in turn.

    .venv/bin/python bench/scaling.py        # about a minute; no assertion, exit 0

Curves, each point the median of repeated runs (bounded in runs and seconds), the
points of a curve measured in turns so that load from elsewhere touches them alike:

1. submission size: the number of CCTV sharing arrangements (1 … 64; the schema
   allows 100), then the length of the free-text ``project.description``
   (0 … 5,000 characters, the schema's maximum): regorus alone, and the
   service's own steps in-process (bench/inprocess.py ``Instrumented``);
2. rule count: the whole policy set copied k = 1, 2, 4, 8, 16 times under other
   package roots (``ictgate`` → ``ictgate_copyN``; policies/ itself untouched,
   the copies live in memory); measured: a constant rule (the fixed cost of an
   evaluation), the original's verdict alone (the copies loaded, not asked
   for), and one query whose value is every copy's verdict (k × the rules, all
   evaluated on the same input);
3. decision-log history: the same proposal (system and fiscal year) pre-checked
   again and again, as a procurement system saving a draft would; R-AUTH-9 reads
   every earlier record of it (``input.history``), and each record logs them;
4. where the engine's time goes: each rule family's raw findings evaluated on
   its own, beside the whole verdict.

The figures are also written to bench/results/scaling.json.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ictgate.core.policy import PRECHECK_QUERY, PolicyBundle, load_bundle  # noqa: E402
from ictgate.core.settings import Settings  # noqa: E402

from bench.common import (  # noqa: E402
    RESULTS,
    SAMPLE,
    Stats,
    machine,
    sample_submission,
    timed_loop,
    tmpdir,
    unique_bodies,
)
from bench.growth import with_sharing  # noqa: E402
from bench.inprocess import Instrumented, engine_points, summarise  # noqa: E402

SHARING_COUNTS = (1, 2, 4, 8, 16, 32, 64)
DESCRIPTION_LENGTHS = (0, 312, 625, 1250, 2500, 5000)
COPIES = (1, 2, 4, 8, 16)
HISTORY_POINTS = (0, 1, 2, 4, 8, 16, 32, 64, 128)
FAMILIES = (
    "ictgate.authority.scope.findings",
    "ictgate.authority.routing.findings",
    "ictgate.authority.splitting.findings",
    "ictgate.authority.obligations.findings",
    "ictgate.committee.approval.findings",
    "ictgate.cctv.rules.findings",
    "ictgate.datasharing.rules.findings",
)
SECONDS_PER_CURVE = 6.0  # each curve's points share this time, measured in turns
STEP_RUNS = 200  # at most this many in-process pre-checks per point
THAI = "ระบบกล้องโทรทัศน์วงจรปิดเพื่อความปลอดภัยในชุมชน "  # 48 characters of ordinary Thai text


def say(text: str = "") -> None:
    print(text, flush=True)


def with_description(submission: dict[str, Any], length: int) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(json.dumps(submission))
    if length:
        document["project"]["description"] = (THAI * (length // len(THAI) + 1))[:length]
    return document


def copied_bundle(bundle: PolicyBundle, copies: int) -> tuple[dict[str, str], str]:
    """The policy modules ``copies`` times (the first under ``ictgate``), and a query over every verdict."""
    modules = dict(bundle.modules)
    for number in range(1, copies):
        root = f"ictgate_copy{number}"
        for name, source in bundle.modules.items():
            renamed = re.sub(r"^package ictgate\.", f"package {root}.", source, flags=re.M)
            modules[f"{root}/{name}"] = renamed.replace("data.ictgate.", f"data.{root}.")
    roots = ["ictgate"] + [f"ictgate_copy{number}" for number in range(1, copies)]
    verdicts = ", ".join(f"data.{root}.precheck.main.verdict" for root in roots)
    modules["bench_scaling.rego"] = f"package bench_scaling\n\nverdicts := [{verdicts}]\n\nconstant := 1\n"
    return modules, "bench_scaling/verdicts"


def size_curve(
    label: str,
    documents: list[tuple[int, dict[str, Any]]],
    key: str,
    bundle: PolicyBundle,
    folder: Path,
) -> list[dict[str, Any]]:
    """Engine only and the service's steps for each document, measured interleaved."""
    engines = engine_points(
        [
            (bundle.modules, bundle.data, PRECHECK_QUERY, {"submission": document})
            for _, document in documents
        ],
        max_seconds=SECONDS_PER_CURVE,
    )
    bodies = [
        [body.encode("utf-8") for body in unique_bodies(document, STEP_RUNS + 5, f"{key}-{value}")]
        for value, document in documents
    ]
    instrumented = Instrumented(folder, f"scaling-{key}")
    samples: list[list[dict[str, float]]] = [[] for _ in documents]
    facts: list[dict[str, Any]] = [{} for _ in documents]
    try:
        for index, own in enumerate(bodies):  # warm-up
            instrumented.one(own[-1])
            facts[index] = {**instrumented.last, "body_bytes": len(own[-1])}
        deadline = time.perf_counter() + SECONDS_PER_CURVE
        for turn in range(STEP_RUNS):
            if time.perf_counter() > deadline:
                break
            for index, own in enumerate(bodies):
                samples[index].append(instrumented.one(own[turn]))
    finally:
        instrumented.close()
    say(
        f"  {label:>12}{'body B':>9}{'findings':>9}{'engine µs':>11}{'validate':>10}"
        f"{'evaluate':>10}{'stamp':>9}{'log':>9}{'pre-check µs':>14}"
    )
    points = []
    for (value, _), engine, found, fact in zip(documents, engines, samples, facts, strict=True):
        steps = summarise(found)
        points.append({key: value, **fact, "engine_only": engine, "in_process": steps})
        figures = steps["steps"]
        say(
            f"  {value:>12,}{fact['body_bytes']:>9,}{fact['findings']:>9}{engine['median_us']:>11.0f}"
            f"{figures['validate']['median_us']:>10.0f}{figures['evaluate']['median_us']:>10.0f}"
            f"{figures['stamp']['median_us']:>9.0f}{figures['log']['median_us']:>9.0f}"
            f"{steps['total']['median_us']:>14.0f}"
        )
    return points


def sharing_curve(submission: dict[str, Any], bundle: PolicyBundle, folder: Path) -> list[dict[str, Any]]:
    say("1a. Submission size: CCTV sharing arrangements (regorus alone; the service's steps in-process, µs)")
    documents = [(count, with_sharing(submission, count)) for count in SHARING_COUNTS]
    return size_curve("arrangements", documents, "sharing", bundle, folder)


def description_curve(submission: dict[str, Any], bundle: PolicyBundle, folder: Path) -> list[dict[str, Any]]:
    say("1b. Submission size: free text, project.description in Thai (characters; µs)")
    documents = [(length, with_description(submission, length)) for length in DESCRIPTION_LENGTHS]
    return size_curve("characters", documents, "description", bundle, folder)


def rules_curve(submission: dict[str, Any], bundle: PolicyBundle) -> list[dict[str, Any]]:
    say("2. Rule count: the whole policy set loaded k times (k × every rule); regorus alone, µs")
    say("   constant: a rule `constant := 1` beside them, the fixed cost of one evaluation")
    say("   one verdict: the original's verdict evaluated, the copies loaded but not asked for")
    say("   all verdicts: one query whose value is every copy's verdict (k × the work)")
    lines = sum(source.count("\n") for source in bundle.modules.values())
    points: list[tuple[dict[str, str], Any, str, Any]] = []
    document = {"submission": submission}
    sizes = []
    for copies in COPIES:
        modules, query = copied_bundle(bundle, copies)
        sizes.append(len(modules))
        for asked in ("bench_scaling/constant", PRECHECK_QUERY, query):
            points.append((modules, bundle.data, asked, document))
    measured = engine_points(points, max_seconds=SECONDS_PER_CURVE * 1.5, batch=1)
    say(
        f"  {'copies k':>12}{'modules':>9}{'Rego lines':>12}{'compile ms':>12}"
        f"{'constant':>10}{'one verdict':>13}{'all verdicts':>14}{'per verdict':>13}"
    )
    curve = []
    for index, copies in enumerate(COPIES):
        constant, one, every = measured[3 * index : 3 * index + 3]
        module_count = sizes[index]
        curve.append(
            {
                "copies": copies,
                "modules": module_count,
                "rego_lines": lines * copies,
                "compile_ms": one["compile_ms"],
                "constant": constant,
                "one_verdict": one,
                "all_verdicts": every,
            }
        )
        say(
            f"  {copies:>12}{module_count:>9}{lines * copies:>12,}{one['compile_ms']:>12.1f}"
            f"{constant['median_us']:>10.0f}{one['median_us']:>13.0f}"
            f"{every['median_us']:>14.0f}{every['median_us'] / copies:>13.0f}"
        )
    return curve


def history_curve(submission: dict[str, Any], folder: Path) -> list[dict[str, Any]]:
    """The same proposal pre-checked again and again: the history R-AUTH-9 reads grows by one each time.

    Pre-check k runs with exactly k earlier records of the proposal in the log.
    At each point N, before pre-check N: the history lookup and the evaluation
    with N earlier records (read-only, repeated); after it: the size of the
    input it logged and of the log. The pre-check figure is the median of the
    pre-checks with N - 1, N and N + 1 earlier records.
    """
    from ictgate.compose import build_prechecker
    from ictgate.core.validation import to_engine_json

    say("3. Decision-log history: the same proposal pre-checked N times before (a draft saved N times);")
    say("   pre-check: the median of those with N - 1, N and N + 1 earlier records")
    say(
        f"  {'earlier N':>12}{'lookup µs':>11}{'evaluate µs':>13}{'pre-check µs':>14}"
        f"{'record input B':>16}{'log file KB':>13}"
    )
    settings = Settings(decision_log=folder / "history.sqlite3", dev_mode=True)
    checker = build_prechecker(settings)
    assert checker.log is not None
    plain = to_engine_json(submission)
    files = (settings.decision_log, settings.decision_log.with_name(settings.decision_log.name + "-wal"))
    timings: list[float] = []
    measured: dict[int, dict[str, Any]] = {}
    try:
        warm = json.loads(json.dumps(submission))
        warm["project"]["system_id"] = "bench-warm-up"  # another system: not in this one's history
        for _ in range(5):
            checker.precheck(warm)
        for earlier in range(max(HISTORY_POINTS) + 2):
            if earlier in HISTORY_POINTS:
                history = checker.history(plain)
                document: dict[str, Any] = {"submission": plain}
                if history:
                    document["history"] = history
                lookup = timed_loop(lambda: checker.history(plain), max_runs=200, max_seconds=0.5)
                evaluate = timed_loop(
                    partial(checker.engine.evaluate, PRECHECK_QUERY, document),
                    max_runs=200,
                    max_seconds=1.0,
                    warmup=3,
                )
                measured[earlier] = {
                    "history_entries": len(history),
                    "lookup": Stats.of(lookup).as_dict(),
                    "evaluate": Stats.of(evaluate).as_dict(),
                }
            started = time.perf_counter_ns()
            checker.precheck(submission)
            timings.append((time.perf_counter_ns() - started) / 1000)
            if earlier in HISTORY_POINTS:
                stored = checker.log.query(page=1, page_size=1, newest_first=True).records[0]
                measured[earlier]["record_input_bytes"] = len(
                    json.dumps(stored.input, ensure_ascii=False, default=str).encode()
                )
                size = sum(path.stat().st_size for path in files if path.exists())
                measured[earlier]["log_file_kb"] = round(size / 1024, 1)
    finally:
        checker.engine.close()
        checker.log.close()
    points = []
    for earlier in HISTORY_POINTS:
        point = {"earlier": earlier, **measured[earlier]}
        point["precheck"] = Stats.of(timings[max(0, earlier - 1) : earlier + 2]).as_dict()
        points.append(point)
        say(
            f"  {earlier:>12}{point['lookup']['median_us']:>11.0f}{point['evaluate']['median_us']:>13.0f}"
            f"{point['precheck']['median_us']:>14.0f}{point['record_input_bytes']:>16,}"
            f"{point['log_file_kb']:>13,.0f}"
        )
    return points


def families(submission: dict[str, Any], bundle: PolicyBundle) -> list[dict[str, Any]]:
    say("4. Where the engine's time goes: each rule family's raw findings alone, and the verdict (regorus)")
    say("   (families share helper rules, evaluated once per query, so their times do not add up)")
    modules, _ = copied_bundle(bundle, 1)
    document = {"submission": submission}
    paths = ["bench_scaling.constant", *FAMILIES, PRECHECK_QUERY.replace("/", ".")]
    measured = engine_points(
        [(modules, bundle.data, path, document) for path in paths], max_seconds=SECONDS_PER_CURVE
    )
    verdict = measured[-1]["median_us"]
    found = [{"rule": path, **figures} for path, figures in zip(paths, measured, strict=True)]
    for item in found:
        label = "a constant (the floor of one evaluation)" if item["rule"] == paths[0] else item["rule"]
        say(f"  {label:<46}{item['median_us']:>9.0f} µs{100 * item['median_us'] / verdict:>8.0f}%")
    return found


def main() -> int:
    began = time.monotonic()
    settings = Settings()
    bundle = load_bundle(settings.policy_dir)
    submission = sample_submission()
    info = machine(bundle.revision, bundle.digest)
    say("ictgate scaling benchmark (make bench-scaling)")
    say(
        f"  {info['cpus']} CPU(s) {info['cpu_model']}, Python {info['python']}, regorus {info['regorus']},"
        f" git {info['git_commit']}, policy {info['policy_revision']},"
        f" load average {info['load_average_1min']:.2f}"
    )
    say(f"  sample: {SAMPLE.relative_to(ROOT)}; medians")
    say()
    results: dict[str, Any] = {"machine": info}
    steps: list[tuple[str, Callable[[Path], Any]]] = [
        ("sharing", lambda folder: sharing_curve(submission, bundle, folder)),
        ("description", lambda folder: description_curve(submission, bundle, folder)),
        ("rules", lambda folder: rules_curve(submission, bundle)),
        ("history", lambda folder: history_curve(submission, folder)),
        ("families", lambda folder: families(submission, bundle)),
    ]
    with tmpdir() as name:
        for key, step in steps:
            results[key] = step(Path(name))
            say()
    results["seconds"] = round(time.monotonic() - began, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "scaling.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    say(f"{results['seconds']:.0f} s; figures written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
