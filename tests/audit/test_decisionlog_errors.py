"""Storage failures raise DecisionLogUnavailable (503) and leave every stored record as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from ictgate.audit.decisionlog import DecisionLog, StoredRecord, open_decision_log
from ictgate.audit.decisionlog.sqlite import SQLiteDecisionLog
from ictgate.core.errors import DecisionLogUnavailable, IctgateError
from ictgate.core.settings import Settings
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tests.support.decisionlog_samples import Sample
from tests.support.decisionlog_store import Store, postgres_schema


def test_the_error_is_a_503_with_a_stable_code() -> None:
    assert issubclass(DecisionLogUnavailable, IctgateError)
    assert (DecisionLogUnavailable.status, DecisionLogUnavailable.code) == (503, "decision_log_unavailable")


def sqlite_settings(path: Path) -> Settings:
    return Settings(decision_log=path, DATABASE_URL=None, decision_log_mask=())


def test_a_log_path_that_cannot_be_created_is_unavailable(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(DecisionLogUnavailable, match="could not open"):
        open_decision_log(sqlite_settings(tmp_path / "file" / "decisions.sqlite3"))


def test_a_file_that_is_not_a_log_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "decisions.sqlite3"
    path.write_bytes(b"these are somebody's notes, not a database\n" * 200)
    before = path.read_bytes()
    with pytest.raises(DecisionLogUnavailable, match="file is not a database"):
        open_decision_log(sqlite_settings(path))
    assert path.read_bytes() == before


@pytest.fixture
def sqlite_log(tmp_path: Path) -> Iterator[tuple[SQLiteDecisionLog, list[StoredRecord]]]:
    log = SQLiteDecisionLog(tmp_path / "decisions.sqlite3", timeout=0.2)
    stored = [log.append(Sample(number).record()) for number in (1, 2)]
    yield log, stored
    log.close()


def assert_kept(log: DecisionLog, stored: list[StoredRecord]) -> None:
    assert list(log.iter()) == stored
    assert log.verify().ok


def test_a_locked_sqlite_log_times_out_and_recovers(
    sqlite_log: tuple[SQLiteDecisionLog, list[StoredRecord]],
) -> None:
    log, stored = sqlite_log
    with closing(sqlite3.connect(log.path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(DecisionLogUnavailable, match="could not append: database is locked"):
            log.append(Sample(3).record())
        other.execute("ROLLBACK")
    stored.append(log.append(Sample(3).record()))
    assert stored[-1].sequence == 3
    assert_kept(log, stored)


def test_a_full_disk_fails_the_append_and_keeps_the_rest(
    sqlite_log: tuple[SQLiteDecisionLog, list[StoredRecord]],
) -> None:
    log, stored = sqlite_log
    # The log's own connection, capped at its present size: SQLite answers as on a full disk.
    connection = log._connections.get()
    (pages,) = connection.execute("PRAGMA page_count").fetchone()
    connection.execute(f"PRAGMA max_page_count = {pages}")
    big = Sample(3, extra_agency={"note": "x" * 20_000})
    with pytest.raises(DecisionLogUnavailable, match="could not append: database or disk is full"):
        log.append(big.record())
    assert_kept(log, stored)
    connection.execute("PRAGMA max_page_count = 1073741823")
    stored.append(log.append(big.record()))
    assert_kept(log, stored)


def test_a_closed_log_is_unavailable(sqlite_log: tuple[SQLiteDecisionLog, list[StoredRecord]]) -> None:
    log, _ = sqlite_log
    log.close()
    with pytest.raises(DecisionLogUnavailable, match="closed"):
        log.get(Sample(1).decision_id)


def test_an_unreachable_database_is_unavailable_and_its_password_is_not_shown(tmp_path: Path) -> None:
    url = f"postgresql://ictgate:s3cret@/postgres?host={tmp_path}/no-server&connect_timeout=2"
    with pytest.raises(DecisionLogUnavailable, match="could not connect") as raised:
        open_decision_log(Settings(DATABASE_URL=url, decision_log_mask=()))
    assert "s3cret" not in str(raised.value)
    assert f"postgresql {tmp_path}/no-server/postgres" in str(raised.value)


def test_a_database_url_of_another_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="postgresql://"):
        open_decision_log(Settings(DATABASE_URL="mysql://db/ictgate", decision_log_mask=()))


@pytest.fixture
def pg_store(postgres_url: str, tmp_path: Path) -> Iterator[Store]:
    with postgres_schema(postgres_url) as url:
        yield Store("postgres", tmp_path / "unused.sqlite3", url)


def test_a_lost_connection_fails_one_append_and_the_next_reconnects(pg_store: Store) -> None:
    log = pg_store.open()
    try:
        stored = [log.append(Sample(number).record()) for number in (1, 2)]
        name = conninfo_to_dict(pg_store.url or "")["application_name"]
        with psycopg.connect(pg_store.url or "", autocommit=True) as admin:
            ended = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
        assert ended == [(True,)]
        with pytest.raises(DecisionLogUnavailable, match="could not append"):
            log.append(Sample(3).record())
        stored.append(log.append(Sample(3).record()))
        assert stored[-1].sequence == 3
        assert_kept(log, stored)
    finally:
        log.close()


def test_a_read_only_database_serves_reads_and_refuses_appends(pg_store: Store) -> None:
    writer = pg_store.open()
    stored = [writer.append(Sample(number).record()) for number in (1, 2)]
    writer.close()
    options = conninfo_to_dict(pg_store.url or "")["options"]
    read_only = make_conninfo(pg_store.url or "", options=f"{options} -c default_transaction_read_only=on")
    log = open_decision_log(Settings(DATABASE_URL=read_only, decision_log_mask=()))
    try:
        assert_kept(log, stored)
        with pytest.raises(DecisionLogUnavailable, match="read-only transaction"):
            log.append(Sample(3).record())
        assert_kept(log, stored)
    finally:
        log.close()


def test_an_append_waits_its_turn_at_the_lock_file_and_gives_up_after_the_timeout(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "decisions.sqlite3"
    log = SQLiteDecisionLog(path, timeout=0.3)
    first = log.append(Sample(1).record())
    # Another process holds the append lock (as a worker in the middle of its append would).
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(path) + '-append-lock'!r}, os.O_RDWR)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "sys.stdin.readline()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        held = "could not append: decisions.sqlite3-append-lock stayed locked for over 0.3 s"
        with pytest.raises(DecisionLogUnavailable, match=held):
            log.append(Sample(2).record())
        assert [record.decision_id for record in log.iter()] == [first.decision_id]
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
        assert holder.stdout is not None
        holder.stdout.close()
    # Released (here by the holder's exit, as the kernel does for a killed worker): appends go on.
    second = log.append(Sample(2).record())
    assert second.sequence == 2 and log.verify().ok
    log.close()
