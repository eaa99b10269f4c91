"""Prints what one pre-check costs on this machine (``make bench``).

Figures, each the median and p99 of N runs after a warm-up:
  engine only      regorus evaluating the verdict, in its own thread, no Python around it
  engine call      the same through EmbeddedEngine (thread hand-off, JSON in and out)
  pre-check        Prechecker.precheck: schema validation, engine call, verdict check, stamp
  HTTP (loopback)  POST /v1/precheck to `ictgate serve` on 127.0.0.1, one client, sequential

Numbers only; no assertion. Issue #8 extends this to load at fixed rates.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import regorus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.api.app import build_prechecker  # noqa: E402
from service.policy import PRECHECK_QUERY, load_bundle  # noqa: E402
from service.settings import Settings  # noqa: E402
from service.validation import parse_json  # noqa: E402

SAMPLE = ROOT / "examples" / "proposals" / "bangpu-cctv.json"
RUNS = int(os.environ.get("BENCH_RUNS", "2000"))


def _measure(name: str, action: Callable[[], object], runs: int = RUNS) -> None:
    for _ in range(min(200, runs)):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        action()
        samples.append((time.perf_counter_ns() - started) / 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(f"{name:<34} median {statistics.median(samples):8.1f} µs   p99 {p99:8.1f} µs   (n={runs})")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    raw = SAMPLE.read_bytes()
    submission = parse_json(raw)
    settings = Settings()
    bundle = load_bundle(settings.policy_dir)
    print(
        f"ictgate pre-check benchmark: {SAMPLE.name}, policy {bundle.revision}, "
        f"python {sys.version.split()[0]}"
    )

    engine = regorus.Engine()
    for name, source in bundle.modules.items():
        engine.add_policy(name, source)
    engine.add_data_json(json.dumps(bundle.data))
    input_json = json.dumps({"submission": json.loads(raw)})

    def raw_engine() -> object:
        engine.set_input_json(input_json)
        return engine.eval_rule_as_json("data." + PRECHECK_QUERY.replace("/", "."))

    _measure("engine only (regorus, same thread)", raw_engine)

    checker = build_prechecker(settings)
    document = checker.engine_input(submission, None)
    _measure("engine call (EmbeddedEngine)", lambda: checker.engine.evaluate(PRECHECK_QUERY, document))
    _measure("pre-check (validate+engine+stamp)", lambda: checker.precheck(submission))
    checker.engine.close()

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service.cli",
            "serve",
            "--dev",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for _ in range(100):
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            headers = {"content-type": "application/json"}
            _measure(
                "HTTP request (loopback, sequential)",
                lambda: client.post("/v1/precheck", content=raw, headers=headers).raise_for_status(),
                runs=min(RUNS, 1000),
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
