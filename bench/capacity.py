"""The engine's own capacity: N processes (one per core) evaluating the verdict back to back.

Each process (started with ``spawn``: a Go runtime does not survive ``fork``)
compiles its own engine, warms it up and reports ready; all then start at
once and evaluate the same input for the same number of seconds. The capacity
is the sum of their rates: the verdicts per second the cores give with nothing
around the engine, the bound the service's throughput is set against.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from typing import Any

from bench.inprocess import warmed_up

START_TIMEOUT_SECONDS = 120.0


def _worker(
    engine: str,
    modules: dict[str, str],
    data: Any,
    query: str,
    document: Any,
    seconds: float,
    ready: Any,
    go: Any,
    results: Any,
) -> None:
    try:
        raw, evaluate = warmed_up(engine, modules, data, query, document)
    except BaseException as error:  # reported to the parent, which raises it
        results.put({"error": repr(error)})
        ready.release()
        return
    ready.release()
    go.wait()
    cpu = time.process_time()
    started = time.perf_counter()
    deadline = started + seconds
    count = 0
    while time.perf_counter() < deadline:
        evaluate()
        count += 1
    elapsed = time.perf_counter() - started
    results.put(
        {"count": count, "elapsed_s": elapsed, "cpu_s": time.process_time() - cpu, "pid": os.getpid()}
    )
    raw.close()


def capacity(
    engine: str,
    modules: dict[str, str],
    data: Any,
    query: str,
    document: Any,
    *,
    processes: int = 2,
    seconds: float = 3.0,
) -> dict[str, Any]:
    """Verdicts per second of ``processes`` processes evaluating back to back, and each one's figures."""
    context = multiprocessing.get_context("spawn")
    ready = context.Semaphore(0)
    go = context.Event()
    results = context.Queue()
    workers = [
        context.Process(
            target=_worker,
            args=(engine, modules, data, query, document, seconds, ready, go, results),
            name=f"bench-capacity-{engine}-{number}",
        )
        for number in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        started = 0
        while started < len(workers):
            if ready.acquire(timeout=0.2):
                started += 1
            elif any(worker.exitcode not in (None, 0) for worker in workers):
                raise RuntimeError("an engine process died while starting")
            elif time.monotonic() > deadline:
                raise RuntimeError("an engine process did not start in time")
        go.set()
        found = [results.get(timeout=seconds + START_TIMEOUT_SECONDS) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=seconds + 30)
            if worker.is_alive():
                worker.terminate()
                worker.join()
    failures = [item["error"] for item in found if "error" in item]
    if failures:
        raise RuntimeError(f"engine process failed: {failures[0]}")
    return summarise(engine, processes, seconds, found)


def summarise(engine: str, processes: int, seconds: float, found: list[dict[str, Any]]) -> dict[str, Any]:
    """The capacity figures from each process's count, wall time and CPU time."""
    rates = [item["count"] / item["elapsed_s"] for item in found]
    per_cpu = [item["count"] / item["cpu_s"] for item in found if item["cpu_s"] > 0]
    per_cpu_second = sum(per_cpu) / len(per_cpu) if per_cpu else None
    return {
        "engine": engine,
        "processes": processes,
        "seconds": seconds,
        "verdicts_per_s": round(sum(rates), 1),
        # Verdicts per CPU-second of one process (1000 / this = the engine's CPU ms per verdict),
        # and what the processes would give with a core each to themselves. Below 1, cpu_share
        # says other processes on the machine took part of the cores.
        "verdicts_per_cpu_s": round(per_cpu_second, 1) if per_cpu_second else None,
        "verdicts_per_s_with_a_core_each": round(processes * per_cpu_second, 1) if per_cpu_second else None,
        "per_process": [
            {
                "verdicts_per_s": round(rate, 1),
                "mean_us": round(1e6 / rate, 1) if rate else None,
                "cpu_share": round(item["cpu_s"] / item["elapsed_s"], 2),
            }
            for rate, item in zip(rates, found, strict=True)
        ],
    }
