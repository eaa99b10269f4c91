"""``ictgate serve --workers N``: N worker processes, each serving on a listener of its own.

Why not uvicorn's own supervisor: its workers share one listening socket, and
whichever worker is idle when a client connects accepts the connection. A
client that opens its keep-alive connections all at once (a procurement
system, the benchmark's 32 connections) may then find most of them on one
worker, which does most of the work on one core while the other core idles:
in three runs of the same load, the two workers used 313 and 249, 97 and 349,
and 354 and 271 CPU ticks, and the throughput followed (243, 177 and 212
pre-checks/s; docs/performance.md).

Here each worker gets a socket of its own, bound to the same port with
``SO_REUSEPORT``, and the kernel spreads new connections over the workers'
sockets by their addresses. The supervisor binds every socket itself before
it starts any worker, right after checking (without ``SO_REUSEPORT``) that no
other program holds the port, so that a second ictgate started at the same
moment cannot slip in beside this one. It keeps its copy of a worker's socket
only until that worker serves, so that a socket dies with its worker and the
kernel never sends a connection to a worker that is gone. The sockets are
created with ``IPPROTO_TCP``, so that asyncio turns ``TCP_NODELAY`` on
(uvicorn#3149).

The supervisor stops when a worker of the first set ends before serving (a
policy that does not compile: every new one would fail alike). A worker that
dies later is replaced, and a replacement that dies before serving (an OOM
kill, a database briefly down) is tried again after a growing pause while the
others go on serving. SIGINT, SIGTERM and SIGHUP stop every worker (uvicorn
lets the requests under way finish), then the supervisor. A worker whose
supervisor is killed outright shuts itself down within a second.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import FrameType

__all__ = ["PortTaken", "serve_workers", "tcp_listener"]

log = logging.getLogger("ictgate.workers")

_STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_BACKLOG = 2048  # uvicorn's default
_FIRST_PAUSE = 1.0  # seconds before trying again a replacement that died before serving
_LONGEST_PAUSE = 30.0


class PortTaken(OSError):
    """The address could not be bound before any worker started (another program holds it)."""


def tcp_listener(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A bound TCP socket whose protocol says TCP, so asyncio turns TCP_NODELAY on for its connections."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host.strip("[]"), port))
    except BaseException:
        sock.close()
        raise
    return sock


def _leave_with_supervisor(supervisor: int) -> None:
    """Shuts this worker down (as SIGTERM would) once its supervisor is gone."""
    while os.getppid() == supervisor:
        time.sleep(1.0)
    os.kill(os.getpid(), signal.SIGTERM)


def _worker(sock: socket.socket, log_level: str, supervisor: int, serving: Connection) -> None:
    import uvicorn

    class Worker(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                serving.send(True)
                serving.close()

    threading.Thread(target=_leave_with_supervisor, args=(supervisor,), daemon=True).start()
    config = uvicorn.Config("ictgate.api.app:create_app", factory=True, log_level=log_level)
    Worker(config).run(sockets=[sock])


@dataclass
class _Slot:
    """One worker's place: its process and how it is doing."""

    sock: socket.socket | None = None  # bound, until its worker has started with a copy of it
    process: BaseProcess | None = None
    serving: Connection | None = None  # the worker writes once to it when it serves
    started: bool = False
    first: bool = True  # of the first set of workers
    pause: float = 0.0  # before trying again a replacement that ended before serving
    next_try: float = 0.0


class _Supervisor:
    def __init__(self, host: str, port: int, workers: int, log_level: str) -> None:
        self.host = host
        self.port = port
        self.log_level = log_level
        self._context = multiprocessing.get_context("spawn")
        self._slots = [_Slot() for _ in range(workers)]
        self._stopping = False  # set by the signal handler: a plain flag, never a lock

    def bind(self) -> None:
        """Binds every worker's socket; raises PortTaken when the address cannot be bound (keeping none)."""
        try:
            check = tcp_listener(self.host, self.port)  # without SO_REUSEPORT: nobody else may hold it
            self.port = check.getsockname()[1]  # --port 0: the port the system chose, for every worker
            check.close()
            for slot in self._slots:
                slot.sock = self._listener()
        except OSError as error:
            self._close_sockets()
            raise PortTaken(error.errno, error.strerror or str(error)) from error

    def _listener(self) -> socket.socket:
        # Listening at once, not when its worker is up: a bound socket that does not listen
        # yet would let another program's SO_REUSEADDR bind (the port check) succeed.
        sock = tcp_listener(self.host, self.port, reuse_port=True)
        sock.listen(_BACKLOG)
        return sock

    def _close_sockets(self) -> None:
        for slot in self._slots:
            if slot.sock is not None:
                slot.sock.close()
                slot.sock = None

    def _start(self, slot: _Slot) -> None:
        sock = slot.sock or self._listener()
        reader, writer = self._context.Pipe(duplex=False)
        try:
            process = self._context.Process(
                target=_worker, args=(sock, self.log_level, os.getpid(), writer), name="ictgate-worker"
            )
            process.start()
        finally:
            # The worker got its own copies when it started; the socket now lives and dies with it.
            writer.close()
            sock.close()
            slot.sock = None
        slot.process, slot.serving, slot.started = process, reader, False

    def _on_signal(self, number: int, frame: FrameType | None) -> None:
        self._stopping = True

    def run(self) -> int:
        previous = {number: signal.signal(number, self._on_signal) for number in _STOPPING}
        failed = False
        try:
            for slot in self._slots:
                self._start(slot)
            shown = f"[{self.host.strip('[]')}]" if ":" in self.host else self.host
            log.info("serving on http://%s:%d with %d workers", shown, self.port, len(self._slots))
            while not self._stopping and not failed:
                time.sleep(0.2)
                failed = self._look_after_workers()
            if self._stopping:
                log.info("stopping the workers")
        finally:
            self._stop_all()
            self._close_sockets()
            for number, handler in previous.items():
                signal.signal(number, handler)
        return 1 if failed else 0

    def _look_after_workers(self) -> bool:
        """Notes the workers that serve and replaces those that ended; True when the first set failed."""
        now = time.monotonic()
        for slot in self._slots:
            process = slot.process
            if process is None:
                if now >= slot.next_try:
                    try:
                        self._start(slot)
                    except OSError as error:  # the port taken meanwhile, out of processes, …
                        slot.pause = min(max(slot.pause * 2, _FIRST_PAUSE), _LONGEST_PAUSE)
                        slot.next_try = now + slot.pause
                        log.warning("cannot start a worker (%s); trying again in %.0f s", error, slot.pause)
                continue
            if not slot.started and _says_serving(slot.serving):
                slot.started, slot.first, slot.pause = True, False, 0.0
                log.info("worker %s serves", process.pid)
            if process.is_alive():
                continue
            process.join()
            if slot.serving is not None:
                slot.serving.close()
            if slot.started:
                log.warning("worker %s died (exit %s); starting another", process.pid, process.exitcode)
                slot.next_try = now
            elif slot.first:
                log.error("worker %s ended before serving (exit %s); stopping", process.pid, process.exitcode)
                return True
            else:
                slot.pause = min(max(slot.pause * 2, _FIRST_PAUSE), _LONGEST_PAUSE)
                log.warning(
                    "worker %s ended before serving (exit %s); trying again in %.0f s",
                    process.pid,
                    process.exitcode,
                    slot.pause,
                )
                slot.next_try = now + slot.pause
            slot.process, slot.serving, slot.started, slot.first = None, None, False, False
        return False

    def _stop_all(self) -> None:
        running = [slot.process for slot in self._slots if slot.process is not None]
        for process in running:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        deadline = time.monotonic() + 30
        for process in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                log.warning("worker %s did not stop within 30 s; killing it", process.pid)
                process.kill()
                process.join()


def _says_serving(serving: Connection | None) -> bool:
    """Whether the worker wrote that it serves (a worker that ended without writing has not)."""
    try:
        return serving is not None and serving.poll() and bool(serving.recv())
    except (EOFError, OSError):
        return False


def serve_workers(host: str, port: int, workers: int, log_level: str) -> int:
    """Serves the API with ``workers`` processes until SIGINT, SIGTERM or SIGHUP; the exit status.

    Raises ``PortTaken`` when the address cannot be bound, by any program (a
    second ictgate included): nothing has started then.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s ictgate supervisor: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if log_level == "trace" else log_level.upper())
    log.propagate = False
    supervisor = _Supervisor(host, port, workers, log_level)
    supervisor.bind()
    return supervisor.run()
