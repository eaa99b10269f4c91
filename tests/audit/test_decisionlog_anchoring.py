"""Security review, round two, item 6: a log can no longer be quietly rewritten.

Someone who can write the database (triggers dropped, raw SQL) removed the last
records and rolled the head back, or re-sealed every record after an edit with
the project's own sealing code, and ``verify`` said "intact". Now:

- with the anchor key (a file outside the database), every record carries an
  HMAC the tamperer cannot make: a re-seal is *resealed*, a forged anchor
  *anchor_forged*, removed anchors *unanchored*;
- a head published outside the log (a checkpoint, the six-monthly report,
  ``--expect-head``) catches a cut tail and a re-seal, with or without the key;
- a log without a key still opens and verifies, and says it is unanchored.

Each runs on SQLite and on a real PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ictgate.audit.decisionlog import (
    DecisionLog,
    ExpectedHead,
    StoredRecord,
    build_record,
    read_checkpoints,
    seal,
    utc_timestamp,
    write_checkpoint,
)
from ictgate.audit.decisionlog._common import HEAD, record_columns
from ictgate.cli.main import main
from ictgate.core.settings import get_settings

from tests.support.decisionlog_samples import Sample
from tests.support.decisionlog_store import TABLE, Store

ANCHOR = "ictgate_decisions_anchor"


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "secrets" / "anchor.key"
    assert main(["log", "new-anchor-key", str(path)]) == 0
    assert path.stat().st_mode & 0o777 == 0o600
    return path


def fill(store: Store, anchor: Path | None, count: int = 5) -> list[StoredRecord]:
    log = store.open(anchor=anchor)
    try:
        return [log.append(Sample(number).record()) for number in range(1, count + 1)]
    finally:
        log.close()


def verify(store: Store, anchor: Path | None, expected: tuple[ExpectedHead, ...] = ()) -> Any:
    log: DecisionLog = store.open(anchor=anchor)
    try:
        return log.verify(expected)
    finally:
        log.close()


def kinds(report: Any) -> list[tuple[int, str]]:
    return [(problem.sequence, problem.kind) for problem in report.problems]


def cut_tail(store: Store, records: list[StoredRecord], keep: int) -> None:
    """Remove the records after ``keep`` (and their anchors) and roll the head back to it."""
    store.drop_all_protection()
    store.sql(f"DELETE FROM {ANCHOR} WHERE sequence > ?", (keep,))
    store.sql(f"DELETE FROM {TABLE} WHERE sequence > ?", (keep,))
    store.sql(
        f"UPDATE {HEAD} SET last_sequence = ?, last_hash = ? WHERE id = 1", (keep, records[keep - 1].hash)
    )


_UPDATE = ", ".join(f"{name} = ?" for name in ("input", "input_digest", "budget_thb", "prev_hash", "hash"))


def reseal(store: Store, records: list[StoredRecord], edited: int) -> None:
    """Change record ``edited``'s budget, then seal it and every record after it again."""
    store.drop_all_protection()
    prev = records[edited - 2].hash if edited > 1 else "0" * 64
    for record in records[edited - 1 :]:
        plain = record.unsealed()
        if record.sequence == edited:
            changed = json.loads(json.dumps(record.input))
            changed["submission"]["project"]["budget_thb"] = 4_900_000
            plain = build_record(record.kind, changed, record.verdict, recorded_at=record.recorded_at)
        sealed = seal(plain, record.sequence, prev)
        columns = record_columns(sealed)
        store.sql(
            f"UPDATE {TABLE} SET {_UPDATE} WHERE sequence = ?",
            (
                *(columns[name] for name in ("input", "input_digest", "budget_thb", "prev_hash", "hash")),
                record.sequence,
            ),
        )
        prev = sealed.hash
    store.sql(f"UPDATE {HEAD} SET last_hash = ? WHERE id = 1", (prev,))


# --- the two attacks of the review ----------------------------------------------------------------


def test_fixed_a_cut_tail_is_caught_by_a_published_head(store: Store) -> None:
    records = fill(store, anchor=None)
    published = ExpectedHead(5, records[4].hash, "the six-monthly report")
    cut_tail(store, records, keep=3)
    # What the review found: the chain alone cannot tell.
    assert verify(store, None).ok
    report = verify(store, None, (published,))
    assert kinds(report) == [(4, "removed")]
    assert "the six-monthly report says the log held 5 records" in report.problems[0].message


def test_fixed_a_cut_tail_is_caught_by_a_checkpoint(store: Store, key: Path, tmp_path: Path) -> None:
    records = fill(store, anchor=key)
    checkpoints = tmp_path / "elsewhere" / "checkpoints.jsonl"
    log = store.open(anchor=key)
    try:
        write_checkpoint(checkpoints, log.head(), log.description, log.anchor, utc_timestamp())  # type: ignore[attr-defined]
    finally:
        log.close()
    cut_tail(store, records, keep=3)
    from ictgate.audit.decisionlog import load_anchor_key

    heads, problems = read_checkpoints(checkpoints, load_anchor_key(key))
    assert problems == []
    assert kinds(verify(store, key, tuple(heads))) == [(4, "removed")]


def test_fixed_a_full_reseal_is_caught_by_the_anchor_key(store: Store, key: Path) -> None:
    records = fill(store, anchor=key)
    reseal(store, records, edited=2)
    # The project's own sealing code made every hash right: only the anchors can tell.
    assert verify(store, None).ok
    report = verify(store, key)
    assert kinds(report) == [(2, "resealed"), (3, "resealed"), (4, "resealed"), (5, "resealed")]
    assert "was rewritten and sealed again" in report.problems[0].message


def test_fixed_a_full_reseal_is_caught_by_a_published_head_without_a_key(store: Store) -> None:
    records = fill(store, anchor=None)
    published = ExpectedHead(5, records[4].hash, "checkpoint line 1")
    reseal(store, records, edited=2)
    assert kinds(verify(store, None, (published,))) == [(5, "not_as_published")]


# --- what the anchors catch besides ---------------------------------------------------------------


def test_removed_anchors_are_unanchored_records(store: Store, key: Path) -> None:
    fill(store, anchor=key)
    store.drop_all_protection()
    store.sql(f"DELETE FROM {ANCHOR} WHERE sequence >= 4")
    assert kinds(verify(store, key)) == [(4, "unanchored")]


def test_a_forged_anchor_is_named(store: Store, key: Path) -> None:
    fill(store, anchor=key)
    store.drop_all_protection()
    store.sql(f"UPDATE {ANCHOR} SET mac = ? WHERE sequence = 3", ("0" * 64,))
    assert kinds(verify(store, key)) == [(3, "anchor_forged")]


def test_anchors_cannot_be_changed_while_the_triggers_stand(store: Store, key: Path) -> None:
    fill(store, anchor=key)
    with pytest.raises(Exception, match="anchor"):
        store.sql(f"UPDATE {ANCHOR} SET mac = ? WHERE sequence = 3", ("0" * 64,))
    with pytest.raises(Exception, match="(anchor|append-only)"):
        store.sql(f"DELETE FROM {ANCHOR} WHERE sequence = 3")


# --- backward compatibility -----------------------------------------------------------------------


def test_a_log_without_a_key_opens_verifies_and_says_it_is_unanchored(store: Store) -> None:
    fill(store, anchor=None)
    report = verify(store, None)
    assert report.ok
    assert report.anchoring["key"] == "none"
    assert report.anchoring["state"].startswith("unanchored: no anchor key is configured")


def test_a_log_written_before_the_key_is_anchored_by_the_next_append(store: Store, key: Path) -> None:
    fill(store, anchor=None)
    assert kinds(verify(store, key)) == [(1, "unanchored")]  # every record, until the key writes one
    log = store.open(anchor=key)
    try:
        log.append(Sample(6).record())
        report = log.verify()
    finally:
        log.close()
    assert report.ok, report.problems
    assert report.anchoring["state"].startswith("anchored from record 6; records before it")


def test_an_altered_checkpoint_line_is_named(store: Store, key: Path, tmp_path: Path) -> None:
    fill(store, anchor=key)
    checkpoints = tmp_path / "checkpoints.jsonl"
    log = store.open(anchor=key)
    try:
        write_checkpoint(checkpoints, log.head(), log.description, log.anchor, utc_timestamp())  # type: ignore[attr-defined]
    finally:
        log.close()
    line = json.loads(checkpoints.read_text())
    line["sequence"] = 4
    checkpoints.write_text(json.dumps(line) + "\n")
    from ictgate.audit.decisionlog import load_anchor_key

    heads, problems = read_checkpoints(checkpoints, load_anchor_key(key))
    assert heads == [] and [(p.sequence, p.kind) for p in problems] == [(4, "checkpoint_forged")]


# --- the command line -----------------------------------------------------------------------------


@pytest.fixture
def cli_env(store: Store, key: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    checkpoints = tmp_path / "checkpoints.jsonl"
    for name, value in {**store.env(anchor=key), "ICTGATE_CHECKPOINT_FILE": str(checkpoints)}.items():
        monkeypatch.setenv(name, value)
    if store.url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield checkpoints
    get_settings.cache_clear()


def test_cli_checkpoint_then_verify_catches_a_cut_tail(
    store: Store, key: Path, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = fill(store, anchor=key)
    assert main(["log", "checkpoint"]) == 0
    assert "record 5" in capsys.readouterr().out
    assert main(["log", "verify"]) == 0
    out = capsys.readouterr().out
    assert "anchoring: anchored" in out and out.strip().endswith("chain intact")
    cut_tail(store, records, keep=3)
    assert main(["log", "verify", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(p["sequence"], p["kind"]) for p in report["problems"]] == [(4, "removed")]
    assert main(["log", "checkpoint"]) == 1  # a broken log gets no new checkpoint


def test_cli_expect_head_catches_a_reseal(
    store: Store, key: Path, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = fill(store, anchor=key)
    head = f"{records[4].sequence}:{records[4].hash}"
    assert main(["log", "verify", "--expect-head", head]) == 0
    capsys.readouterr()
    reseal(store, records, edited=4)
    assert main(["log", "verify", "--expect-head", head, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert {(p["sequence"], p["kind"]) for p in report["problems"]} == {
        (4, "resealed"),
        (5, "resealed"),
        (5, "not_as_published"),
    }


def test_cli_refuses_a_malformed_expected_head(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["log", "verify", "--expect-head", "5:nothex"])
    assert stopped.value.code == 2
    assert "is not SEQUENCE:HASH" in capsys.readouterr().err


def test_a_new_anchor_key_is_never_overwritten(key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = key.read_bytes()
    assert main(["log", "new-anchor-key", str(key)]) == 2
    assert key.read_bytes() == before
    assert "never overwritten" in capsys.readouterr().err


def test_a_short_anchor_key_stops_the_log_from_opening(store: Store, tmp_path: Path) -> None:
    short = tmp_path / "short.key"
    short.write_text("too short")
    with pytest.raises(ValueError, match="at least 32 are needed"):
        store.open(anchor=short)
