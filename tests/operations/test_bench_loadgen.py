"""bench/loadgen.py counts what it sends and what comes back (correctness only: no timing is asserted)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bench.loadgen import Target, closed_loop, open_loop, percentile, summary
from tests.support.helpers import ROOT


@dataclass
class Counts:
    requests: int = 0
    bodies: list[bytes] = field(default_factory=list)


async def _serve_one_connection(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    counts: Counts,
    fail_every: int,
    close_every: int,
) -> None:
    """A tiny HTTP/1.1 server: reads each request whole, answers 200 (or 503), keeps the connection."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            counts.bodies.append(await reader.readexactly(length))
            counts.requests += 1
            failing = bool(fail_every) and counts.requests % fail_every == 0
            status = b"503 Service Unavailable" if failing else b"200 OK"
            closing = bool(close_every) and counts.requests % close_every == 0
            body = b'{"verdict":"pass"}'
            writer.write(
                b"HTTP/1.1 " + status + b"\r\ncontent-type: application/json\r\n"
                b"content-length: "
                + str(len(body)).encode()
                + b"\r\n"
                + (b"connection: close\r\n" if closing else b"")
                + b"\r\n"
                + body
            )
            await writer.drain()
            if closing:
                break
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except ConnectionError:
            pass


async def _with_server(run, *, fail_every: int = 0, close_every: int = 0):  # type: ignore[no-untyped-def]
    counts = Counts()
    server = await asyncio.start_server(
        lambda r, w: _serve_one_connection(r, w, counts, fail_every, close_every), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    target = Target.from_url(f"http://127.0.0.1:{port}/v1/precheck", [b'{"n":1}', b'{"n":2}'])
    try:
        result = await run(target)
    finally:
        server.close()
        await server.wait_closed()
    return result, counts


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile([7.0], 0.99) == 7


def test_the_open_loop_sends_exactly_what_the_rate_and_duration_plan() -> None:
    result, counts = asyncio.run(_with_server(lambda target: open_loop(target, 100, 1.0, 10_000, preopen=2)))
    figures = summary(result)
    assert figures["planned"] == figures["sent"] == figures["completed"] == figures["ok"] == 100
    assert counts.requests == 100
    assert figures["statuses"] == {"200": 100}
    assert figures["unanswered"] == 0 and figures["unfinished"] == 0 and figures["errors"] == {}
    assert figures["p50_ms"] is not None and figures["p99_ms"] is not None
    # The bodies are sent in turn.
    assert counts.bodies[:4] == [b'{"n":1}', b'{"n":2}', b'{"n":1}', b'{"n":2}']


def test_the_open_loop_stops_at_max_requests() -> None:
    result, counts = asyncio.run(_with_server(lambda target: open_loop(target, 200, 1.0, 30, preopen=1)))
    assert result.planned == result.ok == counts.requests == 30


def test_the_closed_loop_counts_what_the_server_received() -> None:
    result, counts = asyncio.run(_with_server(lambda target: closed_loop(target, 4, 0.3, 100_000)))
    figures = summary(result)
    assert counts.requests == figures["sent"] == figures["completed"] == figures["ok"] > 0
    assert figures["connections"] == 4
    assert figures["throughput_rps"] > 0


def test_the_closed_loop_stops_at_max_requests() -> None:
    result, counts = asyncio.run(_with_server(lambda target: closed_loop(target, 3, 10.0, 25)))
    assert result.sent == result.ok == counts.requests == 25


def test_error_answers_are_counted_and_count_as_unanswered_in_percentiles() -> None:
    result, counts = asyncio.run(
        _with_server(lambda target: open_loop(target, 100, 0.5, 1000, preopen=1), fail_every=2)
    )
    figures = summary(result)
    assert counts.requests == figures["completed"] == 50
    assert figures["statuses"] == {"200": 25, "503": 25}
    assert figures["ok"] == 25 and figures["unanswered"] == 25
    # Half the requests have no successful answer: the median and p99 fall on them.
    assert figures["p99_ms"] is None


def test_connections_the_server_closes_are_replaced() -> None:
    result, counts = asyncio.run(_with_server(lambda target: closed_loop(target, 2, 10.0, 40), close_every=5))
    assert result.ok == counts.requests == 40
    assert result.connections > 2


@pytest.fixture
def threaded_server() -> Iterator[tuple[int, Counts]]:
    counts = Counts()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, asyncio.Server] = {}

    async def start() -> None:
        holder["server"] = await asyncio.start_server(
            lambda r, w: _serve_one_connection(r, w, counts, 0, 0), "127.0.0.1", 0
        )
        ready.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop)
    assert ready.wait(5)
    port = holder["server"].sockets[0].getsockname()[1]
    try:
        yield port, counts
    finally:

        async def stop() -> None:
            holder["server"].close()
            await holder["server"].wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def test_the_command_line_runs_as_its_own_process_and_prints_json(
    threaded_server: tuple[int, Counts], tmp_path: Path
) -> None:
    port, counts = threaded_server
    bodies = tmp_path / "bodies.jsonl"
    bodies.write_text('{"a": 1}\n{"b": 2}\n', "utf-8")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "loadgen.py"),
            "--url",
            f"http://127.0.0.1:{port}/v1/precheck",
            "--bodies",
            str(bodies),
            "--rate",
            "50",
            "--duration",
            "0.5",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    figures = json.loads(done.stdout)
    assert figures["planned"] == figures["ok"] == counts.requests == 25
    assert counts.bodies[:2] == [b'{"a": 1}', b'{"b": 2}']
