"""Prints what one decision-log append costs here, on SQLite and on PostgreSQL. No assertions.

    .venv/bin/python bench/decisionlog_bench.py [N]

Figures, each the median and p99 of N appends after a warm-up, one writer:
  sqlite       a file in a temporary folder beside the repository (WAL, synchronous=FULL)
  postgresql   DATABASE_URL if set, else a throwaway server from the Debian binaries
               (default settings: fsync on, synchronous_commit on)
Then the same N appends from 8 threads at once (appends per second), and one
verify() over the whole log. Every append is a committed, durable transaction.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ictgate.audit.decisionlog import DecisionLog, VerifyReport, build_record  # noqa: E402
from ictgate.audit.decisionlog.postgres import PostgresDecisionLog  # noqa: E402
from ictgate.audit.decisionlog.sqlite import SQLiteDecisionLog  # noqa: E402

from tests.support.throwaway_postgres import find_bindir, start  # noqa: E402

SUBMISSION = {
    "submission": {
        "submitted_on": "2025-02-01",
        "agency": {"name": "เทศบาลเมืองบางปู", "kind": "town_municipality", "province": "TH-11"},
        "project": {
            "title": "ติดตั้งกล้องโทรทัศน์วงจรปิดถนนสุขุมวิท",
            "category": "cctv",
            "budget_thb": 3000000,
            "standard_prices": True,
            "fiscal_year": 2568,
            "system_id": "bangpu-cctv-phase-2",
        },
    }
}


def verdict() -> dict[str, object]:
    finding = {
        "outcome": "pass",
        "severity": "info",
        "field": "",
        "message": {"th": "ผ่าน " * 40, "en": "ok " * 40},
    }
    return {
        "decision_id": str(uuid.uuid4()),
        "verdict": "pass",
        "as_of": "2025-02-01",
        "route": {
            "body": "provincial_committee",
            "province": "TH-11",
            "name": {"th": "จังหวัด", "en": "Province"},
        },
        "findings": [{"rule": f"R-AUTH-{n}", **finding} for n in (1, 2, 6, 7, 8, 10)],
        "obligations": [],
        "policy": {"revision": "bench", "digest": "sha256:" + "0" * 64},
        "engine": "regorus 0.13.0",
        "evaluated_at": "2025-02-01T00:00:00.000Z",
    }


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000


def report(name: str, log: DecisionLog, count: int) -> None:
    for _ in range(20):
        log.append(build_record("precheck", SUBMISSION, verdict()))
    records = [build_record("precheck", SUBMISSION, verdict()) for _ in range(count)]
    times = sorted(timed(partial(log.append, record)) for record in records)
    p99 = times[min(len(times) - 1, round(len(times) * 0.99))]
    print(f"{name:<11} append, one writer   median {statistics.median(times):6.2f} ms   p99 {p99:6.2f} ms")

    batches = [[build_record("precheck", SUBMISSION, verdict()) for _ in range(count // 8)] for _ in range(8)]
    threads = [
        threading.Thread(target=lambda batch=batch: [log.append(r) for r in batch]) for batch in batches
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    print(f"{name:<11} append, 8 threads    {8 * (count // 8) / elapsed:6.0f} appends/s")

    result: dict[str, VerifyReport] = {}
    ms = timed(lambda: result.update(report=log.verify()))
    checked = result["report"]
    print(f"{name:<11} verify               {ms:6.0f} ms for {checked.records} records, ok={checked.ok}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory(dir=ROOT) as folder:
        with SQLiteDecisionLog(Path(folder) / "decisions.sqlite3") as log:
            report("sqlite", log, count)
    url = os.environ.get("DATABASE_URL")
    server = None
    if not url:
        bindir = find_bindir()
        if bindir is None:
            print("postgresql  skipped: no DATABASE_URL and no PostgreSQL binaries")
            return
        server = start(bindir)
        url = server.url
    try:
        with PostgresDecisionLog(url) as log:
            report("postgresql", log, count)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
