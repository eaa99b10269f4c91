"""`ictgate serve --workers N`: each worker on its own listener, replaced when it dies, stopped together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from ictgate.cli.workers import tcp_listener

from tests.support.helpers import ROOT, free_port

Served = tuple[subprocess.Popen[bytes], str, int]

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == pid and b"resource_tracker" not in command:
                found.append(int(entry.name))
    return sorted(found)


def listening_inodes(port: int) -> set[str]:
    """Inodes of the sockets listening on ``port`` (IPv4), from /proc/net/tcp."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and int(local.split(":")[1], 16) == port:
            inodes.add(inode)
    return inodes


def sockets_of(pid: int) -> set[str]:
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            held.add(target[len("socket:[") : -1])
    return held


def wait_until(condition: object, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def serve_in_background(tmp_path: Path, port: int, name: str) -> tuple[subprocess.Popen[bytes], Path]:
    """`ictgate serve --dev --workers 2` on ``port`` without waiting for it; its stderr in a file."""
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "ICTGATE_DECISION_LOG": str(tmp_path / f"{name}.sqlite3"),
    }
    errors = tmp_path / f"{name}.err"
    with errors.open("wb") as sink:
        command = ["serve", "--dev", "--workers", "2", "--port", str(port), "--log-level", "info"]
        process = subprocess.Popen(
            [sys.executable, "-m", "ictgate", *command], cwd=ROOT, env=env, stderr=sink
        )
    return process, errors


def ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[Served]:
    """A supervisor whose two workers both serve (each says so in the supervisor's log)."""
    port = free_port()
    process, errors = serve_in_background(tmp_path, port, "served")
    try:
        assert wait_until(lambda: errors.read_text().count(" serves") == 2, seconds=60)
        assert len(children(process.pid)) == 2
        yield process, f"http://127.0.0.1:{port}", port
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_each_worker_listens_on_a_socket_of_its_own(
    two_workers: Served,
) -> None:
    process, _, port = two_workers
    workers = children(process.pid)
    listeners = listening_inodes(port)
    held = [sockets_of(worker) & listeners for worker in workers]
    # Two listeners, one in each worker: the kernel spreads connections over them (SO_REUSEPORT),
    # instead of both workers racing to accept from one shared socket.
    assert len(listeners) == 2
    assert all(len(mine) == 1 for mine in held) and held[0] != held[1]
    assert not sockets_of(process.pid) & listeners  # the supervisor holds none


def test_a_worker_that_dies_is_replaced_and_the_service_goes_on(
    two_workers: Served,
) -> None:
    process, url, port = two_workers
    victim = children(process.pid)[0]
    os.kill(victim, signal.SIGKILL)
    assert wait_until(lambda: victim not in children(process.pid) and len(children(process.pid)) == 2)
    assert wait_until(lambda: len(listening_inodes(port)) == 2)
    for _ in range(10):  # fresh connections, spread over both workers
        with httpx.Client(base_url=url, timeout=10) as client:
            assert client.get("/readyz").status_code == 200


def test_sigterm_stops_the_workers_with_the_supervisor(
    two_workers: Served,
) -> None:
    process, _, port = two_workers
    workers = children(process.pid)
    process.terminate()
    assert process.wait(timeout=30) == 0
    assert wait_until(lambda: not any(Path(f"/proc/{worker}").exists() for worker in workers), seconds=10)
    assert listening_inodes(port) == set()


def test_a_port_already_taken_is_refused_before_any_worker_starts() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "ictgate",
                "serve",
                "--dev",
                "--workers",
                "2",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        taken.close()
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr


def test_workers_that_cannot_start_stop_the_supervisor(tmp_path: Path) -> None:
    broken = tmp_path / "policies"
    broken.mkdir()
    (broken / "broken.rego").write_text("package ictgate.broken\n\nthis is not rego\n")
    env = {
        **os.environ,
        "ICTGATE_POLICY_DIR": str(broken),
        "ICTGATE_DECISION_LOG": str(tmp_path / "d.sqlite3"),
    }
    port = free_port()
    result = subprocess.run(
        [sys.executable, "-m", "ictgate", "serve", "--dev", "--workers", "2", "--port", str(port)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "ended before serving" in result.stderr and "stopping" in result.stderr


def test_the_listener_is_a_tcp_socket_sharing_its_port() -> None:
    """asyncio sets TCP_NODELAY only on sockets whose protocol is TCP (uvicorn#3149)."""
    sock = tcp_listener("127.0.0.1", 0, reuse_port=True)
    try:
        assert (sock.family, sock.type, sock.proto) == (
            socket.AF_INET,
            socket.SOCK_STREAM,
            socket.IPPROTO_TCP,
        )
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
        assert sock.getsockname()[0] == "127.0.0.1"
    finally:
        sock.close()


def test_workers_leave_when_their_supervisor_is_killed(two_workers: Served) -> None:
    process, _, port = two_workers
    workers = children(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    # Each notices within a second that its parent is gone, and shuts down as on SIGTERM.
    assert wait_until(lambda: not any(Path(f"/proc/{worker}").exists() for worker in workers), seconds=30)
    assert listening_inodes(port) == set()


def test_two_services_started_at_once_on_one_port_cannot_share_it(tmp_path: Path) -> None:
    port = free_port()
    first = serve_in_background(tmp_path, port, "first")
    time.sleep(0.05)
    second = serve_in_background(tmp_path, port, "second")
    both = (first, second)
    try:
        # Whichever binds first serves; the other is refused, whatever the order they start in.
        assert wait_until(lambda: any(process.poll() is not None for process, _ in both), seconds=60)
        refused = [(process, errors) for process, errors in both if process.poll() is not None]
        serving = [process for process, _ in both if process.poll() is None]
        assert len(refused) == 1 and len(serving) == 1
        assert refused[0][0].returncode == 2
        assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in refused[0][1].read_text()
        assert wait_until(lambda: ready(f"http://127.0.0.1:{port}"))
        assert len(listening_inodes(port)) == 2  # the one service's two workers, nobody else
    finally:
        for process, _ in both:
            process.terminate()
            process.wait(timeout=30)


def test_port_0_serves_every_worker_on_the_one_port_it_names(tmp_path: Path) -> None:
    process, errors = serve_in_background(tmp_path, 0, "zero")
    try:
        assert wait_until(lambda: "with 2 workers" in errors.read_text())
        line = next(line for line in errors.read_text().splitlines() if "with 2 workers" in line)
        port = int(line.split("http://127.0.0.1:")[1].split()[0])
        assert wait_until(lambda: ready(f"http://127.0.0.1:{port}") and len(listening_inodes(port)) == 2)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_replacement_that_dies_before_serving_is_tried_again_while_the_other_serves(
    two_workers: Served, tmp_path: Path
) -> None:
    process, url, port = two_workers
    survivor, victim = children(process.pid)
    os.kill(victim, signal.SIGKILL)
    # Kill its replacement too, before it has compiled the policies and started serving.
    assert wait_until(lambda: any(pid not in (survivor, victim) for pid in children(process.pid)), seconds=10)
    replacement = next(pid for pid in children(process.pid) if pid not in (survivor, victim))
    os.kill(replacement, signal.SIGKILL)
    # The service goes on: the survivor answers, and a later replacement starts serving.
    assert ready(url)
    assert process.poll() is None
    assert wait_until(lambda: len(listening_inodes(port)) == 2 and len(children(process.pid)) == 2)
    assert survivor in children(process.pid)


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_each_stopping_signal_stops_workers_and_supervisor(two_workers: Served, signal_number: int) -> None:
    process, _, port = two_workers
    workers = children(process.pid)
    os.kill(process.pid, signal_number)
    assert process.wait(timeout=30) == 0
    assert not any(Path(f"/proc/{worker}").exists() for worker in workers)
    assert listening_inodes(port) == set()
