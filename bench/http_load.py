"""HTTP figures: a served ictgate (or OPA) under load from bench/loadgen.py, run as a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import ROOT, Server, group_cpu_seconds, settle, unique_bodies

LOADGEN = ROOT / "bench" / "loadgen.py"

# Every phase is bounded in time (seconds of sending, then at most GRACE more for
# answers still on their way) and in requests.
SEQUENTIAL_SECONDS = float(os.environ.get("BENCH_SEQUENTIAL_SECONDS", "2"))
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE_SECONDS", "3"))
GRACE_SECONDS = float(os.environ.get("BENCH_GRACE_SECONDS", "2"))
RATES = tuple(int(rate) for rate in os.environ.get("BENCH_RATES", "200,500,1000").split(","))
SATURATION_CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SATURATION_MAX_REQUESTS = 10_000
SEQUENTIAL_MAX_REQUESTS = 2_000


def loadgen(
    url: str,
    bodies: Path,
    mode: Sequence[str],
    *,
    seconds: float,
    max_requests: int,
    server: Server | None = None,
) -> dict[str, Any]:
    """One run of the load generator in its own process; its JSON summary.

    With ``server``, also the CPU time the server's processes used during the
    run, and the generator's, per answered request: what a request costs in CPU
    whatever else the machine was doing, and so how many per second its cores
    could answer at best.
    """
    server_cpu = group_cpu_seconds(server.process.pid) if server is not None else 0.0
    command = [
        sys.executable,
        str(LOADGEN),
        "--url",
        url,
        "--bodies",
        str(bodies),
        *mode,
        "--duration",
        str(seconds),
        "--max-requests",
        str(max_requests),
        "--grace",
        str(GRACE_SECONDS),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + GRACE_SECONDS + 60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    generator = float(result["cpu_s"])  # the generator's own count, start-up and warm-up left out
    if server is not None:
        used = group_cpu_seconds(server.process.pid) - server_cpu
        result["server_cpu_s"] = round(used, 3)
        answered = max(result["ok"], 1)
        result["server_cpu_ms_per_request"] = round(used * 1000 / answered, 3)
        result["generator_cpu_ms_per_request"] = round(generator * 1000 / answered, 3)
    return result


def _bodies(folder: Path, name: str, documents: list[str]) -> Path:
    path = folder / f"bodies-{name}.jsonl"
    path.write_text("\n".join(documents) + "\n", "utf-8")
    return path


def service_suite(server: Server, submission: dict[str, Any], folder: Path, tag: str) -> dict[str, Any]:
    """Sequential, fixed-rate and saturation runs of POST /v1/precheck against one served ictgate.

    Each run sends bodies of its own (a distinct ``system_id`` per request), so no
    pre-check finds an earlier one of the same system in the decision log.
    """
    url = f"{server.url}/v1/precheck"

    def bodies(name: str, count: int) -> Path:
        return _bodies(folder, f"{tag}-{name}", unique_bodies(submission, count, f"{tag}-{name}"))

    # Warm-up, not recorded: connections, thread pools, the first appends to the log.
    loadgen(url, bodies("warmup", 2000), ["--concurrency", "4"], seconds=1.0, max_requests=2000)
    figures: dict[str, Any] = {}
    settle(server)
    figures["sequential"] = loadgen(
        url,
        bodies("sequential", SEQUENTIAL_MAX_REQUESTS),
        ["--concurrency", "1"],
        seconds=SEQUENTIAL_SECONDS,
        max_requests=SEQUENTIAL_MAX_REQUESTS,
        server=server,
    )
    for rate in RATES:
        settle(server)
        count = int(rate * PHASE_SECONDS)
        figures[f"rate_{rate}"] = loadgen(
            url,
            bodies(f"rate{rate}", count),
            ["--rate", str(rate)],
            seconds=PHASE_SECONDS,
            max_requests=count,
            server=server,
        )
    settle(server)
    figures["saturation"] = loadgen(
        url,
        bodies("saturation", SATURATION_MAX_REQUESTS),
        ["--concurrency", str(SATURATION_CONNECTIONS)],
        seconds=PHASE_SECONDS,
        max_requests=SATURATION_MAX_REQUESTS,
        server=server,
    )
    figures["settled_after_s"] = round(settle(server), 2)
    return figures


def opa_direct(opa_url: str, document: dict[str, Any], folder: Path) -> dict[str, Any]:
    """OPA alone: POST /v1/data/ictgate/precheck/main/verdict, one connection, sequential."""
    path = _bodies(folder, "opa-direct", [json.dumps({"input": document}, ensure_ascii=False)])
    return loadgen(
        opa_url.rstrip("/") + "/v1/data/ictgate/precheck/main/verdict",
        path,
        ["--concurrency", "1"],
        seconds=SEQUENTIAL_SECONDS,
        max_requests=SEQUENTIAL_MAX_REQUESTS,
    )
