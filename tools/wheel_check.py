"""Build the wheel, install it in a fresh virtual environment, serve from it, get a verdict.

Every other test runs on the editable checkout; this one proves the package a
user or the Docker image installs works on its own: modules, templates and
static files as package data, and the policies and schemas bundled inside.
It runs outside the checkout (a temporary folder), so nothing can be found by
accident beside the source tree. ``make wheel-check`` runs it; CI too.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "proposals" / "bangpu-cctv.json"


def _run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    print("+ " + " ".join(command), flush=True)
    return subprocess.run(command, check=True, text=True, **options)  # type: ignore[call-overload, no-any-return]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read()


def _post_json(url: str, body: bytes) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status), json.loads(response.read())


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"wheel-check: ictgate serve exited with {process.returncode}")
        try:
            if _get(url + "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("wheel-check: ictgate serve did not become ready in 60 s")


def check(work: Path) -> None:
    python = sys.executable
    dist = work / "dist"
    _run(
        [
            python,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(ROOT),
        ]
    )
    [wheel] = sorted(dist.glob("ictgate-*.whl"))
    venv = work / "venv"
    _run([python, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, "--require-hashes", "-r", str(ROOT / "requirements" / "runtime.lock")])
    _run(
        [
            *pip,
            "--require-hashes",
            "--no-deps",
            "--ignore-requires-python",
            "-r",
            str(ROOT / "requirements" / "opa-engine.lock"),
        ]
    )
    _run([*pip, "--no-deps", str(wheel)])

    ictgate = str(venv / "bin" / "ictgate")
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(work),
        "ICTGATE_DECISION_LOG": str(work / "log.db"),
    }
    version = _run([ictgate, "--version"], cwd=work, env=env, capture_output=True).stdout
    print(version, end="")
    if "bundled" not in version or "engine opa 1." not in version:
        raise SystemExit("wheel-check: the installed package does not read its bundled policies with OPA")

    checked = subprocess.run(
        [ictgate, "check", str(SAMPLE), "--format", "json"], cwd=work, env=env, capture_output=True, text=True
    )
    verdict = json.loads(checked.stdout)["files"][0]["verdict"]["verdict"]
    print(f"ictgate check (from the wheel): exit {checked.returncode}, verdict {verdict}")
    if checked.returncode not in (0, 1, 3):
        raise SystemExit(f"wheel-check: ictgate check failed: {checked.stderr}")

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [ictgate, "serve", "--dev", "--port", str(port), "--log-level", "warning"], cwd=work, env=env
    )
    try:
        _wait_ready(url, process)
        status, answer = _post_json(url + "/v1/precheck", SAMPLE.read_bytes())
        print(f"POST /v1/precheck: {status}, verdict {answer['verdict']}, engine {answer['engine']}")
        if status != 200 or answer["verdict"] != verdict or not str(answer["engine"]).startswith("opa "):
            raise SystemExit("wheel-check: the served verdict is not the CLI's, or not from OPA")
        for page in ("/precheck", "/static/app.css"):
            status, _ = _get(url + page)
            print(f"GET {page}: {status}")
            if status != 200:
                raise SystemExit(
                    f"wheel-check: {page} answered {status}: templates or static files are missing"
                )
    finally:
        process.terminate()
        process.wait(timeout=15)
    print("wheel-check: the wheel installs, serves and answers")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="ictgate-wheel-"))
    try:
        check(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(ROOT / "build", ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
