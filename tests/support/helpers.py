"""Helpers shared by the test folders: where the repository is, and a live `ictgate serve`."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from ictgate.core.settings import REPO_ROOT

__all__ = ["ROOT", "free_port", "load_json", "serving", "start_server", "triples"]

ROOT = REPO_ROOT


def load_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def triples(verdict: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(f["rule"], f["outcome"], f["field"]) for f in verdict["findings"]}


def report_summary(report: dict[str, Any], section: str) -> list[tuple[Any, ...]]:
    """A six-monthly report's section ("periods" or "pending") as (period, province, count,
    total, project titles) rows, in the report's order."""
    return [
        (
            p["period"],
            q["province"],
            q["count"],
            q["total_budget_thb"],
            [x["project_title"] for x in q["projects"]],
        )
        for p in report[section]
        for q in p["provinces"]
    ]


def one_project_report(**project: Any) -> dict[str, Any]:
    """A six-monthly report with one approved project (FY2568-H1, TH-11), whose fields
    ``project`` sets beside a town municipality's 3,000,000 THB CCTV project."""
    fields = {
        "decision_id": "d-1",
        "agency_kind": "town_municipality",
        "category": "cctv",
        "system_id": "s-1",
        "budget_thb": "3000000.00",
        "verdict": "pass",
        **project,
    }
    province = {"province": "TH-11", "count": 1, "total_budget_thb": "3000000.00", "projects": [fields]}
    return {"periods": [{"period": "FY2568-H1", "provinces": [province]}], "pending": [], "chain_head": None}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], *arguments: str) -> tuple[subprocess.Popen[bytes], str]:
    """`ictgate serve ARGUMENTS` on a free loopback port with exactly ``env``, once it is ready."""
    port = free_port()
    command = ["serve", "--port", str(port), "--log-level", "warning", *arguments]
    process = subprocess.Popen([sys.executable, "-m", "ictgate", *command], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"ictgate serve {' '.join(arguments)} did not become ready")
        time.sleep(0.1)


@contextmanager
def serving(log_dir: Path, **env: str) -> Iterator[str]:
    """A real `ictgate serve` on a free loopback port, with ``env`` added; yields its URL."""
    base = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "ICTGATE_DECISION_LOG": str(log_dir / "decisions.sqlite3"),
    }
    process, url = start_server({**base, **env})
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
