"""Anchoring the hash chain outside the database.

The chain (``chain``) shows any record changed on its own, but someone who can
write the database can re-seal every record after an edit with the project's
own sealing code, or remove the last records and roll the head back, and the
chain still verifies. Two anchors live where such a person cannot reach:

1. **The anchor key** (``ICTGATE_ANCHOR_KEY_FILE``): a secret file the service
   reads at start, never stored in the database. Every appended record gets an
   HMAC-SHA256 of its sequence number and hash under that key, stored beside
   it (``ictgate_decisions_anchor``). Without the key nobody can make a valid
   HMAC, so a re-sealed record (its hash no longer the anchored one), a forged
   anchor and records whose anchors were removed are all named by ``verify``.
   An anchor covers its record and, through the hash links, every record
   before it; records stored before the key was set are covered by the first
   anchored record after them.

2. **Published heads**: a checkpoint is the chain head (sequence and hash),
   signed with the anchor key when there is one, appended to a file kept
   apart from the database (``ictgate log checkpoint``, one JSON line each;
   keep it append-only, e.g. ``chattr +a``, or ship it off the machine), and
   printed in every six-monthly report. ``ictgate log verify`` checks the log
   against every checkpoint and every ``--expect-head SEQUENCE:HASH``: a log
   cut back below a published head, or re-sealed, no longer holds the published
   record with the published hash.

What neither covers: records appended after the last published head by
someone who has both the database and the key (the service host itself); a
log rewritten before the key was set, when no head of it was published.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgate.audit.decisionlog.canonical import canonical_json
from ictgate.audit.decisionlog.chain import GENESIS_HASH
from ictgate.audit.decisionlog.verify import ChainEntry, ChainHead, Problem

__all__ = [
    "MIN_KEY_LENGTH",
    "Anchor",
    "AnchorKey",
    "ArchiveMark",
    "Checkpoint",
    "ExpectedHead",
    "anchor_problems",
    "archive_problems",
    "archive_record_problems",
    "expected_head_problems",
    "load_anchor_key",
    "parse_expected_head",
    "read_checkpoints",
    "write_checkpoint",
]

MIN_KEY_LENGTH = 32
CHECKPOINT_FORMAT = "ictgate-checkpoint/1"


@dataclass(frozen=True)
class AnchorKey:
    """The secret of ``ICTGATE_ANCHOR_KEY_FILE``; ``key_id`` names it without revealing it."""

    secret: bytes

    @property
    def key_id(self) -> str:
        return hashlib.sha256(b"ictgate-anchor-key-id\0" + self.secret).hexdigest()[:16]

    def mac(self, purpose: str, *parts: object) -> str:
        message = "\n".join([purpose, *(str(part) for part in parts)]).encode("utf-8")
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def record_mac(self, sequence: int, record_hash: str) -> str:
        return self.mac("ictgate-anchor-v1/record", sequence, record_hash)

    def matches(self, expected_mac: str, purpose: str, *parts: object) -> bool:
        return hmac.compare_digest(self.mac(purpose, *parts), expected_mac)

    def __repr__(self) -> str:  # never the secret, in a log line or a traceback
        return f"AnchorKey(key_id={self.key_id!r})"


def load_anchor_key(path: Path | None) -> AnchorKey | None:
    """The key in ``path`` (None: no anchoring); raises ``ValueError`` naming what is wrong with it."""
    if path is None:
        return None
    try:
        secret = path.read_bytes().strip()
    except OSError as error:
        raise ValueError(f"cannot read the anchor key file {path}: {error.strerror}") from error
    if len(secret) < MIN_KEY_LENGTH:
        raise ValueError(
            f"the anchor key file {path} holds {len(secret)} bytes; at least {MIN_KEY_LENGTH} are needed "
            "(create one with `ictgate log new-anchor-key FILE`)"
        )
    return AnchorKey(secret)


@dataclass(frozen=True)
class Anchor:
    """The HMAC of one record, as stored beside it."""

    sequence: int
    hash: str
    key_id: str
    mac: str


@dataclass(frozen=True)
class ArchiveMark:
    """One run of ``ictgate log archive``: records ``from_sequence``–``through_sequence`` moved to a file."""

    from_sequence: int
    through_sequence: int
    prev_hash: str
    through_hash: str
    digest: str  # sha256: of the archive file
    archived_at: str
    key_id: str | None
    mac: str | None

    def signed_parts(self) -> tuple[object, ...]:
        return (self.from_sequence, self.through_sequence, self.prev_hash, self.through_hash, self.digest)


def _span(first: int, last: int) -> str:
    return f"record {first} has" if first == last else f"records {first}–{last} have"


def anchor_problems(
    entries: Sequence[ChainEntry],
    anchors: Sequence[Anchor],
    key: AnchorKey | None,
) -> tuple[list[Problem], dict[str, Any]]:
    """What the anchors say about the stored records, and a summary of the anchoring.

    Without a key the anchors cannot be checked (the summary says so). With one:
    an anchor whose HMAC is wrong is *anchor_forged*; a record whose hash is not
    the anchored one was *resealed*; and from the first anchored record on,
    every record must be anchored (*unanchored* otherwise: anchors removed, or
    records added by someone without the key). With a key and no anchor at all,
    every record is unanchored.
    """
    by_sequence = {entry.sequence: entry for entry in entries}
    summary: dict[str, Any] = {
        "key": "none" if key is None else key.key_id,
        "anchored_records": len(anchors),
        "first_anchored": min((a.sequence for a in anchors), default=None),
        "last_anchored": max((a.sequence for a in anchors), default=None),
    }
    if key is None:
        summary["state"] = (
            "unanchored: no anchor key is configured (ICTGATE_ANCHOR_KEY_FILE), so the log is only "
            "as trustworthy as the database; published heads (--expect-head, checkpoints) still apply"
            if not anchors
            else "not checked: the log has anchors, but no anchor key is configured to check them"
        )
        return [], summary
    problems: list[Problem] = []
    for anchor in sorted(anchors, key=lambda item: item.sequence):
        entry = by_sequence.get(anchor.sequence)
        named = f"record {anchor.sequence}" + (f" (decision {entry.decision_id})" if entry else "")
        if anchor.key_id != key.key_id:
            problems.append(
                Problem(
                    anchor.sequence,
                    entry.decision_id if entry else None,
                    "anchor_forged",
                    f"{named} is anchored with key {anchor.key_id}, not the configured key {key.key_id}: "
                    "its anchor cannot be checked",
                )
            )
            continue
        if not key.matches(anchor.mac, "ictgate-anchor-v1/record", anchor.sequence, anchor.hash):
            problems.append(
                Problem(
                    anchor.sequence,
                    entry.decision_id if entry else None,
                    "anchor_forged",
                    f"the anchor of {named} was not made with the anchor key: it was forged or altered",
                )
            )
            continue
        if entry is not None and entry.hash != anchor.hash:
            problems.append(
                Problem(
                    entry.sequence,
                    entry.decision_id,
                    "resealed",
                    f"{named} does not have the hash anchored for it when it was stored: it was rewritten "
                    "and sealed again",
                )
            )
    stored = sorted(by_sequence)
    anchored = {anchor.sequence for anchor in anchors}
    first = min(anchored, default=None)
    unanchored = [
        sequence for sequence in stored if (first is None or sequence > first) and sequence not in anchored
    ]
    for run_start, run_end in _runs(unanchored):
        reason = (
            "the anchor key is configured but no record is anchored: anchors were removed, or the log "
            "was never written with the key (the next append anchors it; publish a checkpoint first)"
            if first is None
            else "anchoring began at record "
            f"{first}, so their anchors were removed or they were added by someone without the key"
        )
        problems.append(
            Problem(
                run_start,
                by_sequence[run_start].decision_id,
                "unanchored",
                f"{_span(run_start, run_end)} no anchor: {reason}",
            )
        )
    if first is not None and stored and stored[0] < first:
        summary["state"] = (
            f"anchored from record {first}; records before it were stored before the key was set and "
            "are covered through the hash links"
        )
    else:
        summary["state"] = "anchored" if not problems else "anchoring broken"
    return problems, summary


def _runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for number in sorted(numbers):
        if runs and runs[-1][1] + 1 == number:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def archive_problems(marks: Sequence[ArchiveMark], key: AnchorKey | None) -> list[Problem]:
    """The archive marks must follow one another from the genesis, each signed when a key is set."""
    problems: list[Problem] = []
    previous = ChainHead(0, GENESIS_HASH)
    for mark in sorted(marks, key=lambda item: item.through_sequence):
        if mark.from_sequence != previous.sequence + 1 or mark.prev_hash != previous.hash:
            problems.append(
                Problem(
                    mark.from_sequence,
                    None,
                    "archive_mismatch",
                    f"the archive of records {mark.from_sequence}–{mark.through_sequence} does not follow "
                    f"the one before it (through record {previous.sequence}): a run of archived records "
                    "is unaccounted for",
                )
            )
        if key is not None and mark.key_id == key.key_id:
            if mark.mac is None or not key.matches(
                mark.mac, "ictgate-anchor-v1/archive", *mark.signed_parts()
            ):
                problems.append(
                    Problem(
                        mark.from_sequence,
                        None,
                        "anchor_forged",
                        f"the record of the archive of records {mark.from_sequence}–{mark.through_sequence} "
                        "was not signed with the anchor key: records may have been removed and "
                        "called archived",
                    )
                )
        elif key is not None:
            problems.append(
                Problem(
                    mark.from_sequence,
                    None,
                    "unanchored",
                    f"the archive of records {mark.from_sequence}–{mark.through_sequence} is not signed with "
                    "the configured anchor key",
                )
            )
        previous = ChainHead(mark.through_sequence, mark.through_hash)
    return problems


def archive_record_problems(
    name: str, sequence: int, decision: str | None, record_hash: str, anchor: Any, key: AnchorKey | None
) -> list[Problem]:
    """The anchor of one archived record, checked with the anchor key (none to check without one)."""
    if key is None or not isinstance(anchor, dict):
        return []
    if anchor.get("key_id") != key.key_id:
        message = f"{name}: record {sequence} is anchored with key {anchor.get('key_id')}, not {key.key_id}"
    elif not key.matches(str(anchor.get("mac")), "ictgate-anchor-v1/record", sequence, record_hash):
        message = (
            f"{name}: the anchor of record {sequence} was not made with the anchor key (forged or altered)"
        )
    else:
        return []
    return [Problem(sequence, decision, "anchor_forged", message)]


@dataclass(frozen=True)
class ExpectedHead:
    """A head published outside the log: record ``sequence`` had ``hash``; ``source`` says where from."""

    sequence: int
    hash: str
    source: str


def parse_expected_head(text: str) -> ExpectedHead:
    """``SEQUENCE:HASH`` (as ``ictgate log verify`` and the six-monthly report print it)."""
    sequence, sep, digest = text.strip().partition(":")
    digest = digest.removeprefix("sha256:")
    if (
        not sep
        or not sequence.isdigit()
        or len(digest) != 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise ValueError(f"{text!r} is not SEQUENCE:HASH (e.g. 1234:3f5a…, 64 hex digits)")
    return ExpectedHead(int(sequence), digest, f"--expect-head {sequence}:{digest[:12]}…")


def expected_head_problems(
    entries: Sequence[ChainEntry],
    expected: Sequence[ExpectedHead],
    start: ChainHead,
    archived: Mapping[int, str],
) -> list[Problem]:
    """Each published head must still be in the log (or in its archives) with the published hash.

    ``archived`` maps the last sequence of each archive run to its hash: a head
    published before an archive run is checked against the run's end when they
    fall on the same record, and otherwise left to the archive files.
    """
    by_sequence = {entry.sequence: entry for entry in entries}
    last = max(by_sequence, default=start.sequence)
    problems: list[Problem] = []
    for head in expected:
        if head.sequence <= start.sequence:
            known = archived.get(head.sequence)
            if known is not None and known != head.hash:
                problems.append(
                    Problem(
                        head.sequence,
                        None,
                        "not_as_published",
                        f"record {head.sequence} was archived with hash {known[:12]}…, but {head.source} "
                        f"says {head.hash[:12]}…: the log was rewritten before it was archived",
                    )
                )
            continue
        entry = by_sequence.get(head.sequence)
        if entry is None and head.sequence > last:
            problems.append(
                Problem(
                    last + 1,
                    None,
                    "removed",
                    f"records {last + 1}–{head.sequence} are missing at the end of the log: {head.source} "
                    f"says the log held {head.sequence} records (the tail was cut and the head rolled back)",
                )
            )
        elif entry is not None and entry.hash != head.hash:
            problems.append(
                Problem(
                    entry.sequence,
                    entry.decision_id,
                    "not_as_published",
                    f"record {entry.sequence} (decision {entry.decision_id}) does not have the hash "
                    f"{head.source} published for it: the log was rewritten and sealed again",
                )
            )
    return problems


@dataclass(frozen=True)
class Checkpoint:
    """One line of the checkpoint file: the chain head at a moment, signed when a key is set."""

    sequence: int
    hash: str
    written_at: str
    log: str
    key_id: str | None
    mac: str | None

    def signed(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "sequence": self.sequence,
            "hash": self.hash,
            "written_at": self.written_at,
            "log": self.log,
        }

    def as_line(self) -> str:
        return json.dumps({**self.signed(), "key_id": self.key_id, "mac": self.mac}, ensure_ascii=False)


def _checkpoint_mac(key: AnchorKey, signed: dict[str, Any]) -> str:
    return key.mac("ictgate-anchor-v1/checkpoint", canonical_json(signed).decode("utf-8"))


def write_checkpoint(
    path: Path, head: ChainHead, log: str, key: AnchorKey | None, written_at: str
) -> Checkpoint:
    """Appends one checkpoint line to ``path`` (created if need be) and waits until it is on disk."""
    checkpoint = Checkpoint(head.sequence, head.hash, written_at, log, None, None)
    if key is not None:
        checkpoint = Checkpoint(
            head.sequence, head.hash, written_at, log, key.key_id, _checkpoint_mac(key, checkpoint.signed())
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: each line goes at the end, whoever else writes; never a rewrite of what is there.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        os.write(descriptor, (checkpoint.as_line() + "\n").encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return checkpoint


def read_checkpoints(path: Path, key: AnchorKey | None) -> tuple[list[ExpectedHead], list[Problem]]:
    """The heads a checkpoint file publishes, and a problem for every line that is not a valid one."""
    heads: list[ExpectedHead] = []
    problems: list[Problem] = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as error:
        raise ValueError(f"cannot read the checkpoint file {path}: {error.strerror}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"checkpoint line {number} of {path.name}"
        try:
            data = json.loads(line)
            checkpoint = Checkpoint(
                int(data["sequence"]),
                str(data["hash"]),
                str(data["written_at"]),
                str(data.get("log", "")),
                data.get("key_id"),
                data.get("mac"),
            )
            if data.get("format") != CHECKPOINT_FORMAT:
                raise ValueError(f"format {data.get('format')!r}")
        except (ValueError, KeyError, TypeError) as error:
            problems.append(Problem(0, None, "checkpoint_forged", f"{where} cannot be read: {error}"))
            continue
        if key is not None and checkpoint.key_id == key.key_id:
            if not hmac.compare_digest(_checkpoint_mac(key, checkpoint.signed()), str(checkpoint.mac)):
                problems.append(
                    Problem(
                        checkpoint.sequence,
                        None,
                        "checkpoint_forged",
                        f"{where} (record {checkpoint.sequence}) is not signed with the anchor key: "
                        "it was altered or forged",
                    )
                )
                continue
        heads.append(ExpectedHead(checkpoint.sequence, checkpoint.hash, f"{where} ({checkpoint.written_at})"))
    return heads, problems
