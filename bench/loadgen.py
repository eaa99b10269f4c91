"""A small HTTP/1.1 load generator on raw asyncio sockets (keep-alive, no client library).

    python bench/loadgen.py --url http://127.0.0.1:8000/v1/precheck --bodies bodies.jsonl \\
        (--rate 500 | --concurrency 32) [--duration 3] [--max-requests 1500] [--warmup 1]

Prints one JSON object: requests sent, completed, ok (2xx), errors by kind, latency
percentiles in milliseconds, throughput, and how far the sender fell behind its schedule.

Two models:

- **open loop** (``--rate R``): request *i* is due at ``start + i / R`` whatever happened
  to the earlier ones; its latency runs from when it was *due*, not from when a
  connection became free, so queueing (in the client or the server) shows in the
  latency instead of silently lowering the rate (no "coordinated omission").
  Connections come from a pool that grows up to ``--max-connections``.
- **closed loop** (``--concurrency C``): C connections, each sending its next request as
  soon as the previous answer arrived: the throughput at saturation. ``C = 1`` is one
  client sending requests one after another (unloaded latency).

Every run is bounded twice: by ``--duration`` (plus ``--grace`` for answers still on
their way; later ones count as unfinished) and by ``--max-requests``. The request
bodies (one JSON document per line of ``--bodies``) are sent in turn.

Built on the standard library alone, so it runs as a separate process at little cost
in CPU: on a 2-core machine the generator competes with the server for the cores,
and an HTTP client library would take a larger share of them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import sys
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Result", "Target", "closed_loop", "open_loop", "percentile", "summary"]


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of an already sorted sequence (nan when empty)."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    bodies: tuple[bytes, ...]
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_url(cls, url: str, bodies: Sequence[bytes], headers: Sequence[tuple[str, str]] = ()) -> Target:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"{url!r}: only http:// URLs")
        return cls(parts.hostname, parts.port or 80, parts.path or "/", tuple(bodies), tuple(headers))

    def requests(self) -> list[bytes]:
        """The complete request bytes, one per body, built once."""
        extra = "".join(f"{name}: {value}\r\n" for name, value in self.headers)
        built = []
        for body in self.bodies:
            head = (
                f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
            )
            built.append(head.encode("latin-1") + body)
        return built


@dataclass
class Result:
    mode: str
    planned: int = 0
    sent: int = 0
    completed: int = 0
    ok: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)  # seconds, 2xx answers only
    # Open loop: how late the generator itself started each request (not waits for a connection).
    lags: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    connections: int = 0
    unfinished: int = 0


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    async def exchange(self, request: bytes) -> tuple[int, bytes, bool]:
        """Send one request, read one response: (status, body, keep-alive)."""
        self.writer.write(request)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("the server closed the connection")
        status = int(status_line.split(b" ", 2)[1])
        length = -1
        chunked = False
        keep = True
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                keep = False
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(parts)
        elif length >= 0:
            body = await self.reader.readexactly(length)
        else:
            body = await self.reader.read()
            keep = False
        return status, body, keep

    def close(self) -> None:
        self.writer.close()


async def _connect(target: Target) -> _Connection:
    reader, writer = await asyncio.open_connection(target.host, target.port)
    return _Connection(reader, writer)


class _Pool:
    """Idle keep-alive connections; a new one is opened while fewer than ``limit`` exist."""

    def __init__(self, target: Target, limit: int) -> None:
        self.target = target
        self.limit = limit
        self.idle: deque[_Connection] = deque()
        self.opened = 0
        self.live = 0
        self.freed = asyncio.Condition()

    async def fill(self, count: int) -> None:
        for _ in range(min(count, self.limit)):
            self.idle.append(await _connect(self.target))
            self.opened += 1
            self.live += 1

    async def acquire(self) -> _Connection:
        async with self.freed:
            while not self.idle and self.live >= self.limit:
                await self.freed.wait()
            if self.idle:
                return self.idle.popleft()
            self.live += 1
        try:
            connection = await _connect(self.target)
        except BaseException:
            await self.discard(None)
            raise
        self.opened += 1
        return connection

    async def release(self, connection: _Connection) -> None:
        async with self.freed:
            self.idle.append(connection)
            self.freed.notify()

    async def discard(self, connection: _Connection | None) -> None:
        if connection is not None:
            connection.close()
        async with self.freed:
            self.live -= 1
            self.freed.notify()

    def close(self) -> None:
        while self.idle:
            self.idle.popleft().close()


def _record(result: Result, status: int, started: float) -> None:
    result.completed += 1
    result.statuses[status] += 1
    if 200 <= status < 300:
        result.ok += 1
        result.latencies.append(time.perf_counter() - started)


async def _one(pool: _Pool, request: bytes, due: float, result: Result) -> None:
    connection: _Connection | None = None
    try:
        connection = await pool.acquire()
        result.sent += 1
        status, _, keep = await connection.exchange(request)
        _record(result, status, due)
        if keep:
            await pool.release(connection)
        else:
            await pool.discard(connection)
    except asyncio.CancelledError:
        if connection is not None:
            await pool.discard(connection)
        raise
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as error:
        result.errors[type(error).__name__] += 1
        await pool.discard(connection)


async def open_loop(
    target: Target,
    rate: float,
    duration: float,
    max_requests: int,
    *,
    max_connections: int = 256,
    preopen: int = 16,
    grace: float = 5.0,
) -> Result:
    """Requests due at a fixed rate for ``duration`` seconds (at most ``max_requests``)."""
    requests = target.requests()
    planned = max(1, min(max_requests, int(rate * duration)))
    result = Result("open", planned=planned)
    pool = _Pool(target, max_connections)
    await pool.fill(preopen)
    tasks: list[asyncio.Task[None]] = []
    start = time.perf_counter() + 0.01
    try:
        for index in range(planned):
            due = start + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            result.lags.append(max(0.0, time.perf_counter() - due))
            tasks.append(asyncio.create_task(_one(pool, requests[index % len(requests)], due, result)))
        deadline = start + planned / rate + grace
        remaining = max(0.0, deadline - time.perf_counter())
        _, pending = await asyncio.wait(tasks, timeout=remaining) if tasks else (set(), set())
        result.unfinished = len(pending)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        result.elapsed = time.perf_counter() - start
    finally:
        result.connections = pool.opened
        pool.close()
    return result


async def closed_loop(
    target: Target, concurrency: int, duration: float, max_requests: int, *, grace: float = 5.0
) -> Result:
    """``concurrency`` connections sending back to back for ``duration`` s (at most ``max_requests``)."""
    requests = target.requests()
    result = Result("closed", planned=max_requests)
    budget = [max_requests]
    connections = [await _connect(target) for _ in range(concurrency)]
    result.connections = len(connections)
    start = time.perf_counter()
    stop_at = start + duration
    last_answer = [start]

    async def worker(connection: _Connection | None, offset: int) -> None:
        index = offset
        while time.perf_counter() < stop_at and budget[0] > 0:
            budget[0] -= 1
            due = time.perf_counter()
            result.sent += 1
            try:
                if connection is None:
                    connection = await _connect(target)
                    result.connections += 1
                status, _, keep = await connection.exchange(requests[index % len(requests)])
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as error:
                result.errors[type(error).__name__] += 1
                if connection is not None:
                    connection.close()
                connection = None
                continue
            _record(result, status, due)
            last_answer[0] = time.perf_counter()
            if not keep:
                connection.close()
                connection = None
            index += concurrency
        if connection is not None:
            connection.close()

    tasks = [asyncio.create_task(worker(conn, n)) for n, conn in enumerate(connections)]
    _, pending = await asyncio.wait(tasks, timeout=duration + grace)
    result.unfinished = len(pending)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    result.elapsed = max(last_answer[0] - start, 1e-9)
    return result


def summary(result: Result) -> dict[str, Any]:
    """The figures of a run (latencies in milliseconds), JSON-ready.

    A request without a 2xx answer (an error status, a broken connection, no
    answer within the grace time, or in the open loop never sent) has no
    latency to report, but it is not left out: the percentiles count it as
    slower than every answer, and are ``None`` when they fall on such a request.
    """
    unanswered = (result.planned if result.mode == "open" else result.sent) - result.ok
    ordered: list[float] = sorted(result.latencies) + [math.inf] * max(0, unanswered)
    lags = sorted(result.lags)

    def ms(value: float) -> float | None:
        return None if math.isnan(value) or math.isinf(value) else round(value * 1000, 3)

    return {
        "mode": result.mode,
        "planned": result.planned,
        "sent": result.sent,
        "completed": result.completed,
        "ok": result.ok,
        "unanswered": max(0, unanswered),
        "statuses": {str(code): count for code, count in sorted(result.statuses.items())},
        "errors": dict(result.errors),
        "unfinished": result.unfinished,
        "connections": result.connections,
        "elapsed_s": round(result.elapsed, 4),
        "throughput_rps": round(result.ok / result.elapsed, 1) if result.elapsed > 0 else 0.0,
        "p50_ms": ms(percentile(ordered, 0.50)),
        "p90_ms": ms(percentile(ordered, 0.90)),
        "p99_ms": ms(percentile(ordered, 0.99)),
        "max_ms": ms(ordered[-1] if ordered else math.nan),
        "generator_lag_p99_ms": ms(percentile(lags, 0.99)) if lags else 0.0,
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="http://HOST:PORT/PATH to POST to")
    parser.add_argument("--bodies", type=Path, required=True, help="JSON lines: one request body per line")
    how = parser.add_mutually_exclusive_group(required=True)
    how.add_argument("--rate", type=float, help="open loop: requests per second")
    how.add_argument("--concurrency", type=int, help="closed loop: connections sending back to back")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds of sending (default 3)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="at most this many requests")
    parser.add_argument("--max-connections", type=int, default=256, help="open loop: pool limit")
    parser.add_argument("--grace", type=float, default=5.0, help="seconds to wait for late answers")
    parser.add_argument(
        "--warmup", type=float, default=0.0, help="first send this many seconds of unrecorded requests"
    )
    parser.add_argument("--header", action="append", default=[], metavar="NAME:VALUE")
    return parser


async def _main(args: argparse.Namespace) -> dict[str, Any]:
    bodies = [line.encode("utf-8") for line in args.bodies.read_text("utf-8").splitlines() if line.strip()]
    headers = [tuple(part.strip() for part in item.split(":", 1)) for item in args.header]
    target = Target.from_url(args.url, bodies, [(name, value) for name, value in headers])
    if args.warmup > 0:
        await closed_loop(target, 4, args.warmup, 100_000)
    before = resource.getrusage(resource.RUSAGE_SELF)
    if args.rate is not None:
        result = await open_loop(
            target,
            args.rate,
            args.duration,
            args.max_requests,
            max_connections=args.max_connections,
            grace=args.grace,
        )
    else:
        result = await closed_loop(
            target, args.concurrency, args.duration, args.max_requests, grace=args.grace
        )
    after = resource.getrusage(resource.RUSAGE_SELF)
    figures = summary(result)
    figures["cpu_s"] = round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 4)
    figures["rate"] = args.rate
    figures["concurrency"] = args.concurrency
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    json.dump(asyncio.run(_main(args)), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
