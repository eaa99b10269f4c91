"""``ictgate serve --workers N``: N worker processes, each serving on a listener of its own.

Why not uvicorn's own supervisor: its workers share one listening socket, and
whichever worker is idle when a client connects accepts the connection. A
client that opens its keep-alive connections all at once (a procurement
system, the benchmark's 32 connections) may then find most of them on one
worker, which does most of the work on one core while the other core idles:
in three runs of the same load, the two workers used 313 and 249, 97 and 349,
and 354 and 271 CPU ticks, and the throughput followed (243, 177 and 212
pre-checks/s; docs/performance.md).

Here each worker binds its own socket to the same port with ``SO_REUSEPORT``,
and the kernel spreads new connections over the workers' sockets by their
addresses. The socket is created with ``IPPROTO_TCP`` so that asyncio turns
``TCP_NODELAY`` on (uvicorn#3149). A worker's socket lives and dies with the
worker, so the kernel never sends a connection to a worker that is gone.

The supervisor starts the workers, starts a new one in place of a worker that
dies while serving, stops them all on SIGINT or SIGTERM, and gives up (exit 1)
when a worker ends before it has started serving (a policy that does not
compile, a port that is taken), since every new one would fail alike. A
worker whose supervisor is killed outright shuts itself down within a second.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event
from types import FrameType

__all__ = ["serve_workers", "tcp_listener"]

log = logging.getLogger("ictgate.workers")


def tcp_listener(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A bound TCP socket whose protocol says TCP, so asyncio turns TCP_NODELAY on for its connections."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host.strip("[]"), port))
    sock.set_inheritable(True)
    return sock


def _leave_with_supervisor(supervisor: int) -> None:
    """Shuts this worker down (as SIGTERM would) once its supervisor is gone."""
    while os.getppid() == supervisor:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def _worker(host: str, port: int, log_level: str, supervisor: int, serving: Event) -> None:
    import uvicorn

    class Worker(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                serving.set()

    threading.Thread(target=_leave_with_supervisor, args=(supervisor,), daemon=True).start()
    config = uvicorn.Config("service.api.app:create_app", factory=True, log_level=log_level)
    Worker(config).run(sockets=[tcp_listener(host, port, reuse_port=True)])


class _Supervisor:
    def __init__(self, host: str, port: int, workers: int, log_level: str) -> None:
        self._arguments = (host, port, log_level, os.getpid())
        self._count = workers
        self._context = multiprocessing.get_context("spawn")
        self._stop = threading.Event()
        self._workers: list[tuple[BaseProcess, Event]] = []

    def _start_one(self) -> tuple[BaseProcess, Event]:
        serving = self._context.Event()
        arguments = (*self._arguments, serving)
        process = self._context.Process(target=_worker, args=arguments, name="ictgate-worker")
        process.start()
        return process, serving

    def _on_signal(self, number: int, frame: FrameType | None) -> None:
        self._stop.set()

    def run(self) -> int:
        stopping = (signal.SIGINT, signal.SIGTERM)
        previous = {number: signal.signal(number, self._on_signal) for number in stopping}
        failed = False
        try:
            self._workers = [self._start_one() for _ in range(self._count)]
            while not self._stop.wait(0.5):
                failed = self._replace_the_dead()
                if failed:
                    break
        finally:
            self._stop_all()
            for number, handler in previous.items():
                signal.signal(number, handler)
        return 1 if failed else 0

    def _replace_the_dead(self) -> bool:
        """Starts a worker in place of each that died serving; True when one failed to start."""
        for index, (process, serving) in enumerate(self._workers):
            if process.is_alive():
                continue
            if not serving.is_set():
                log.error("worker %s ended before serving (exit %s); stopping", process.pid, process.exitcode)
                return True
            log.warning("worker %s died (exit %s); starting another", process.pid, process.exitcode)
            self._workers[index] = self._start_one()
        return False

    def _stop_all(self) -> None:
        for process, _ in self._workers:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        deadline = time.monotonic() + 30
        for process, _ in self._workers:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()


def serve_workers(host: str, port: int, workers: int, log_level: str) -> int:
    """Serves the API with ``workers`` processes until SIGINT or SIGTERM; the exit status.

    Raises ``OSError`` when the port is taken, by any program: the check binds
    without ``SO_REUSEPORT``, so that a second ictgate on the same port is
    refused instead of silently sharing its connections.
    """
    tcp_listener(host, port).close()
    return _Supervisor(host, port, workers, log_level).run()
