"""Appends from threads and processes at once keep one chain; kill -9 loses no acknowledged decision."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from ictgate.audit.decisionlog import DecisionLog, StoredRecord
from ictgate.audit.decisionlog._common import ThreadConnections
from ictgate.core.errors import DecisionLogUnavailable
from ictgate.core.settings import REPO_ROOT
from psycopg.conninfo import conninfo_to_dict

from tests.support.decisionlog_samples import burst_record
from tests.support.decisionlog_store import Store, postgres_schema

THREADS = 8
PER_THREAD = 25


def logged_ids(store: Store) -> list[str]:
    log = store.open()
    try:
        report = log.verify()
        assert (report.ok, report.problems) == (True, ())
        records = list(log.iter())
        assert [record.sequence for record in records] == list(range(1, len(records) + 1))
        return [record.decision_id for record in records]
    finally:
        log.close()


@pytest.mark.parametrize("sharing", ["one shared log object", "a log object per thread"])
def test_eight_threads_appending_at_once_keep_the_chain(store: Store, sharing: str) -> None:
    shared = store.open() if sharing.startswith("one") else None
    start = threading.Barrier(THREADS)
    results: list[list[StoredRecord]] = [[] for _ in range(THREADS)]
    errors: list[BaseException] = []

    def work(index: int) -> None:
        log: DecisionLog = shared or store.open()
        try:
            start.wait(timeout=30)
            for _ in range(PER_THREAD):
                results[index].append(log.append(burst_record()))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
            start.abort()
        finally:
            if shared is None:
                log.close()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if shared is not None:
        shared.close()

    assert errors == []
    appended = [record for result in results for record in result]
    assert sorted(record.sequence for record in appended) == list(range(1, THREADS * PER_THREAD + 1))
    assert sorted(logged_ids(store)) == sorted(record.decision_id for record in appended)


@contextmanager
def children(store: Store, count: int, processes: int) -> Iterator[list[subprocess.Popen[str]]]:
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.decisionlog_child", str(count)],
            cwd=REPO_ROOT,
            env=store.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    # Nothing here may hang the test run: any child still alive after two minutes is killed.
    watchdogs = [threading.Timer(120, child.kill) for child in started]
    for watchdog in watchdogs:
        watchdog.start()
    try:
        yield started
    finally:
        for child, watchdog in zip(started, watchdogs, strict=True):
            watchdog.cancel()
            if child.poll() is None:
                child.kill()
            child.communicate()


def go(child: subprocess.Popen[str]) -> None:
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline() == "ready\n"
    child.stdin.write("go\n")
    child.stdin.flush()


def test_three_processes_appending_at_once_keep_the_chain(store: Store) -> None:
    with children(store, count=30, processes=3) as started:
        for child in started:
            assert child.stdout is not None
            assert child.stdout.readline() == "ready\n"
        for child in started:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        outputs = [child.communicate(timeout=120) for child in started]
    assert [child.returncode for child in started] == [0, 0, 0], [error for _, error in outputs]
    printed = [line for out, _ in outputs for line in out.splitlines()]
    assert len(printed) == 90
    assert sorted(logged_ids(store)) == sorted(printed)


def test_a_kill_9_mid_burst_loses_no_acknowledged_decision(store: Store) -> None:
    with children(store, count=100_000, processes=1) as (child,):
        go(child)
        assert child.stdout is not None
        acknowledged = [child.stdout.readline().strip() for _ in range(40)]
        child.send_signal(signal.SIGKILL)
        # Through the same reader: lines it has already buffered are part of what was printed.
        rest = child.stdout.read()
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    # Only whole lines count: a line cut by the kill was not fully acknowledged.
    acknowledged += [line for line in rest.split("\n")[:-1] if line]
    logged = logged_ids(store)
    assert set(acknowledged) <= set(logged)
    # At most one more: the record committed just before the kill, whose id was not printed yet.
    assert len(logged) - len(acknowledged) in (0, 1)
    assert logged[: len(acknowledged)] == acknowledged


def run_threads(count: int, target: Callable[[], object]) -> tuple[threading.Event, list[threading.Thread]]:
    """Starts threads that each call ``target``, then wait for the event; returns once all have called it."""
    called = threading.Barrier(count + 1)
    release = threading.Event()

    def work() -> None:
        target()
        called.wait(timeout=30)
        release.wait(timeout=30)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    called.wait(timeout=30)
    return release, threads


def end(release: threading.Event, threads: list[threading.Thread]) -> None:
    release.set()
    for thread in threads:
        thread.join(timeout=30)


def in_thread(target: Callable[[], object]) -> None:
    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=30)


def test_each_thread_has_its_connection_and_those_of_ended_threads_are_closed() -> None:
    opened: list[int] = []
    closed: list[int] = []

    def connect() -> int:
        opened.append(len(opened))
        return opened[-1]

    connections = ThreadConnections(connect, closed.append)
    assert connections.get() == connections.get() == 0
    release, threads = run_threads(3, connections.get)
    assert (sorted(opened), closed) == ([0, 1, 2, 3], [])
    end(release, threads)
    in_thread(connections.get)
    assert (sorted(closed), connections.get()) == ([1, 2, 3], 0)
    connections.close()
    assert sorted(closed) == [0, 1, 2, 3, 4]
    with pytest.raises(DecisionLogUnavailable, match="closed"):
        connections.get()


def eventually(expected: int, count: Callable[[], int]) -> int:
    """``count()`` once it equals ``expected``, or after ten seconds: a server ends a session a moment after
    its client has closed it."""
    deadline = time.monotonic() + 10
    while (found := count()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def test_postgres_sessions_of_ended_threads_are_closed(postgres_url: str, tmp_path: Path) -> None:
    with postgres_schema(postgres_url) as url:
        store = Store("postgres", tmp_path / "unused.sqlite3", url)
        name = conninfo_to_dict(url)["application_name"]
        query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()"

        def sessions() -> int:
            return int(store.sql(query, (name,))[0][0])

        log = store.open()
        release, threads = run_threads(5, log.query)
        try:
            assert eventually(6, sessions) == 6  # the opener's and one per thread
        finally:
            end(release, threads)
        in_thread(log.query)
        assert (
            eventually(2, sessions) == 2
        )  # the ended threads' sessions were closed when the last one opened
        log.close()
        assert eventually(0, sessions) == 0
