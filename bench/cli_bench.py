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
ICTGATE = [sys.executable, "-m", "ictgate", "check"]

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


def generate(directory: Path) -> None:
    """FILES proposals in ``directory``, half JSON and half YAML."""
    for n in range(FILES):
        document = _proposal(n)
        if n % 2:
            (directory / f"p{n:04d}.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
        else:
            # JSON is a subset of YAML: the YAML reader (and its line map) does the work.
            (directory / f"p{n:04d}.yaml").write_text(
                json.dumps(document, ensure_ascii=False, indent=2), "utf-8"
            )


def wall(command: Sequence[str], runs: int = RUNS) -> tuple[float, int]:
    """Median wall time in seconds of ``runs`` runs of ``command`` from the checkout, and its exit code."""
    samples = []
    code = 0
    for _ in range(runs):
        started = time.perf_counter()
        code = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
        ).returncode
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), code


def check_one(runs: int = RUNS) -> tuple[float, int]:
    """`ictgate check` on one proposal file: median seconds and exit code."""
    return wall([*ICTGATE, str(SAMPLE)], runs)


def check_many(folder: Path, fmt: str = "text", runs: int = RUNS) -> tuple[float, int]:
    """`ictgate check` on a folder of generated proposals (see generate): median seconds and exit code."""
    return wall([*ICTGATE, str(folder), "--format", fmt], runs)


def _show(name: str, measured: tuple[float, int], per: int = 0, runs: int = RUNS) -> None:
    seconds, code = measured
    each = f"   {seconds / per * 1000:6.2f} ms/file" if per else ""
    print(f"{name:<38} {seconds * 1000:9.1f} ms{each}   (exit {code}, median of {runs})")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    print(f"ictgate check benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)")
    _show("python start-up", wall([sys.executable, "-c", "pass"]))
    _show("check, 1 file (text)", check_one())
    with tempfile.TemporaryDirectory(prefix="ictgate-bench-") as folder:
        directory = Path(folder)
        generate(directory)
        for fmt in ("text", "json", "junit", "sarif", "github"):
            _show(f"check, {FILES:,} files (--format {fmt})", check_many(directory, fmt), FILES)
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ictgate",
                "serve",
                "--dev",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            # The served verdicts are logged: into the temporary folder, never the checkout's var/.
            env={**os.environ, "ICTGATE_DECISION_LOG": str(directory / "decisions.sqlite3")},
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
                wall([*ICTGATE, folder, "--format", "json", "--server", url]),
                FILES,
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
