"""Prints what `ictgate check` costs here: wall time from process start to exit (``make bench-cli``).

  python start-up          `python -c pass`: the floor under every figure below
  check, 1 file            `ictgate check FILE` (start-up, imports, policy compile, one pre-check)
  check, 1,000 files       one process over a directory of 1,000 generated proposals, for each --format
  check --server, 1,000    the same files against `ictgate serve` on 127.0.0.1 (one request per file)

Each figure is the median of RUNS runs (BENCH_CLI_RUNS, default 5). The generated
proposals mix budgets, agency kinds, provinces, YAML and JSON, and one in ten
breaks a rule, so every report has something to say. Numbers only; no assertion.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "agency-repo" / "proposals" / "fy2568" / "e-office.yaml"
RUNS = int(os.environ.get("BENCH_CLI_RUNS", "5"))
FILES = 1000

_KINDS = [("pao", "TH-40"), ("sao", "TH-30"), ("town_municipality", "TH-11"), ("city_municipality", "TH-50")]


def _proposal(n: int) -> dict[str, object]:
    kind, province = _KINDS[n % len(_KINDS)]
    budget = 5_200_000 if n % 10 == 0 else 150_000 + (n * 7_919) % 4_000_000
    return {
        "submitted_on": f"2025-0{1 + n % 9}-1{n % 10}",
        "agency": {"name": f"หน่วยงานทดสอบ {n}", "kind": kind, "province": province},
        "project": {
            "title": f"ระบบสารสนเทศ {n}",
            "category": "computer_system",
            "budget_thb": budget,
            "standard_prices": True,
        },
        "requested_body": "provincial_committee",
    }


def _generate(directory: Path) -> None:
    for n in range(FILES):
        document = _proposal(n)
        if n % 2:
            (directory / f"p{n:04d}.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
        else:
            # JSON is a subset of YAML: the YAML reader (and its line map) does the work.
            (directory / f"p{n:04d}.yaml").write_text(
                json.dumps(document, ensure_ascii=False, indent=2), "utf-8"
            )


def _wall(command: Sequence[str]) -> tuple[float, int]:
    samples = []
    code = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        code = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
        ).returncode
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), code


def _show(name: str, command: Sequence[str], per: int = 0) -> None:
    seconds, code = _wall(command)
    each = f"   {seconds / per * 1000:6.2f} ms/file" if per else ""
    print(f"{name:<38} {seconds * 1000:9.1f} ms{each}   (exit {code}, median of {RUNS})")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    ictgate = [sys.executable, "-m", "service.cli", "check"]
    print(f"ictgate check benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)")
    _show("python start-up", [sys.executable, "-c", "pass"])
    _show("check, 1 file (text)", [*ictgate, str(SAMPLE)])
    with tempfile.TemporaryDirectory(prefix="ictgate-bench-") as folder:
        directory = Path(folder)
        _generate(directory)
        for fmt in ("text", "json", "junit", "sarif", "github"):
            _show(f"check, {FILES:,} files (--format {fmt})", [*ictgate, folder, "--format", fmt], FILES)
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
            url = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            _show(
                f"check --server, {FILES:,} files (json)",
                [*ictgate, folder, "--format", "json", "--server", url],
                FILES,
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
