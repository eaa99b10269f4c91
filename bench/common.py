"""What the benchmarks share: sample statistics, the machine's description, a served ictgate."""

from __future__ import annotations

import json
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "proposals" / "bangpu-cctv.json"
RESULTS = ROOT / "bench" / "results"

# Read once, then removed from this process's environment: the in-process figures
# use the embedded engine and a temporary SQLite log whatever the shell says.
OPA_URL = os.environ.pop("OPA_URL", None) or None
os.environ.pop("DATABASE_URL", None)


@dataclass(frozen=True)
class Stats:
    """Median and p99 (nearest rank) of samples in microseconds."""

    median: float
    p99: float
    n: int

    @classmethod
    def of(cls, samples_us: Sequence[float]) -> Stats:
        if not samples_us:
            return cls(math.nan, math.nan, 0)
        ordered = sorted(samples_us)
        rank = max(1, math.ceil(0.99 * len(ordered)))
        return cls(statistics.median(ordered), ordered[rank - 1], len(ordered))

    def as_dict(self) -> dict[str, float | int]:
        return {"median_us": round(self.median, 1), "p99_us": round(self.p99, 1), "n": self.n}


def timed_loop(
    action: Callable[[], object], *, max_runs: int, max_seconds: float, warmup: int = 20
) -> list[float]:
    """Microseconds per call of ``action`` after ``warmup`` calls; at most ``max_runs`` or ``max_seconds``."""
    for _ in range(warmup):
        action()
    samples: list[float] = []
    deadline = time.perf_counter() + max_seconds
    while len(samples) < max_runs and time.perf_counter() < deadline:
        started = time.perf_counter_ns()
        action()
        samples.append((time.perf_counter_ns() - started) / 1000)
    return samples


def in_own_thread(work: Callable[[], Any]) -> Any:
    """``work()`` run in a new thread (a regorus engine must live and die in one thread)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="bench-engine")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def machine(policy_revision: str, policy_digest: str) -> dict[str, Any]:
    """The machine, the software and the code the figures were measured with."""
    changed = _git("status", "--porcelain", "--", "service", "policies", "schemas", "bench")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpus": os.cpu_count(),
        "cpus_usable": usable,
        "cpu_model": _cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "regorus": package_version("gordon-to-regorus"),
        "packages": {
            name: package_version(name)
            for name in ("fastapi", "starlette", "uvicorn", "jsonschema", "jsonschema-rs", "httpx")
        },
        "policy_revision": policy_revision,
        "policy_digest": policy_digest,
        "git_commit": _git("rev-parse", "--short=12", "HEAD").strip() or "unknown",
        "git_uncommitted": sorted({line[3:] for line in changed.splitlines() if line.strip()}),
        "load_average_1min": load_average(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sample_submission() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SAMPLE.read_text("utf-8"))
    return document


def unique_bodies(submission: Mapping[str, Any], count: int, tag: str) -> list[str]:
    """``count`` copies of ``submission`` as JSON, each with its own ``project.system_id``.

    Every pre-check reads the agency's logged proposals of the same system and
    fiscal year (R-AUTH-9) and logs its input with them; the same document sent
    thousands of times would measure an ever longer history, not one pre-check.
    """
    bodies = []
    document = json.loads(json.dumps(submission))
    for number in range(count):
        document["project"]["system_id"] = f"bench-{tag}-{number:06d}"
        bodies.append(json.dumps(document, ensure_ascii=False))
    return bodies


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    output: Path


@contextmanager
def served(workers: int, folder: Path, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """``ictgate serve --dev --workers N`` on a free loopback port, its decision log in ``folder``."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in ("OPA_URL", "DATABASE_URL")}
    environment["ICTGATE_DECISION_LOG"] = str(folder / f"decisions-{port}.sqlite3")
    environment.update(env or {})
    output = folder / f"serve-{port}.log"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "ictgate", "serve", "--dev", "--port", str(port)]
            + ["--workers", str(workers), "--log-level", "warning"],
            cwd=ROOT,
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, output)
    try:
        wait_ready(server, 60.0)
        yield server
    finally:
        stop(process)


def wait_ready(server: Server, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    tail = server.output.read_text("utf-8", "replace")[-2000:]
    raise RuntimeError(f"ictgate serve did not become ready at {server.url}:\n{tail}")


def settle(server: Server, seconds: float = 10.0) -> float:
    """Waits until a readiness probe (one engine evaluation) answers within 50 ms: no backlog left.

    Returns the seconds waited.
    """
    started = time.monotonic()
    with httpx.Client(base_url=server.url, timeout=seconds) as client:
        while time.monotonic() - started < seconds:
            probe = time.perf_counter()
            try:
                client.get("/readyz")
            except httpx.TransportError:
                pass
            if time.perf_counter() - probe < 0.05:
                break
            time.sleep(0.05)
    return time.monotonic() - started


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stops a process this module started (and its workers, in the session it leads)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    try:  # uvicorn's workers, should the supervisor have left any behind
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def group_cpu_seconds(group: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of process group ``group``.

    Read from /proc (Linux); 0.0 where there is none. A served ictgate leads its
    own session, so its group is its supervisor and every uvicorn worker.
    """
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = entry.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        # fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def tmpdir() -> tempfile.TemporaryDirectory[str]:
    """A temporary folder on the checkout's disk (git-ignored), where the service's log would live.

    Not /tmp: that may be a tmpfs, where the log's fsyncs would cost nothing.
    """
    RESULTS.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix="tmp-", dir=RESULTS)
