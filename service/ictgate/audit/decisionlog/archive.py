"""Retention: old records moved to an archive file that keeps the chain verifiable.

``ictgate log archive --before DATE --output FILE`` moves the records logged
before DATE out of the database into FILE (JSON lines). The file holds each
record as the chain hash covers it, with its place (sequence, the hash it
links to, its hash) and its anchor, so the archived run can be walked again
on its own; its first line names the run:

    {"format": "ictgate-decision-archive/1", "from_sequence": 1, "through_sequence": 5000,
     "prev_hash": "000…", "through_hash": "3f5a…", "records": 5000, ...}

The log keeps one row per run (range, end hash, the file's sha256, signed with
the anchor key), and the records left in it link to the run's end hash, so
``ictgate log verify`` walks them from there, and ``ictgate log verify
--archive FILE`` checks a file against its run: every hash recomputed, every
link followed, every anchor checked, and the file's digest the one noted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgate.audit.decisionlog.anchoring import Anchor, AnchorKey, ArchiveMark, archive_record_problems
from ictgate.audit.decisionlog.canonical import canonical_json
from ictgate.audit.decisionlog.record import StoredRecord
from ictgate.audit.decisionlog.verify import ChainHead, Problem

__all__ = ["ARCHIVE_FORMAT", "ArchiveRefused", "WrittenArchive", "check_archive", "write_archive"]

ARCHIVE_FORMAT = "ictgate-decision-archive/1"


class ArchiveRefused(ValueError):
    """Nothing was archived, and why (a log that does not verify, a file already there)."""


@dataclass(frozen=True)
class WrittenArchive:
    through_hash: str
    digest: str  # sha256: of the whole file
    records: int


def _line(value: Any) -> bytes:
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8") + b"\n"
    )


def write_archive(
    destination: Path,
    records: Iterable[StoredRecord],
    anchors: Mapping[int, Anchor],
    start: ChainHead,
    through: int,
    log: str,
    before: dt.date,
) -> WrittenArchive:
    """Writes records ``start.sequence + 1`` … ``through`` to ``destination`` and waits until it is on disk.

    The records stream through a temporary file (never all in memory); the file
    appears under its name only once complete and on disk.
    """
    if destination.exists():
        raise ArchiveRefused(f"{destination} already exists: choose a new file for each archive run")
    destination.parent.mkdir(parents=True, exist_ok=True)
    body_path = destination.with_name(destination.name + ".body")
    partial = destination.with_name(destination.name + ".partial")
    body = hashlib.sha256()
    expected = start.sequence + 1
    last_hash = start.hash
    try:
        with body_path.open("wb") as out:
            for record in records:
                if record.sequence != expected or record.prev_hash != last_hash:
                    raise ArchiveRefused(
                        f"record {expected} is not where the chain says it is; nothing was archived"
                    )
                anchor = anchors.get(record.sequence)
                line = _line(
                    {
                        "sequence": record.sequence,
                        "prev_hash": record.prev_hash,
                        "hash": record.hash,
                        "anchor": None if anchor is None else {"key_id": anchor.key_id, "mac": anchor.mac},
                        "record": record.content(),
                    }
                )
                body.update(line)
                out.write(line)
                last_hash = record.hash
                expected += 1
        if expected - 1 != through:
            raise ArchiveRefused(f"records {expected}–{through} could not be read; nothing was archived")
        header = _line(
            {
                "format": ARCHIVE_FORMAT,
                "log": log,
                "before": before.isoformat(),
                "from_sequence": start.sequence + 1,
                "through_sequence": through,
                "prev_hash": start.hash,
                "through_hash": last_hash,
                "records": through - start.sequence,
                "body_sha256": body.hexdigest(),
            }
        )
        whole = hashlib.sha256(header)
        with partial.open("wb") as out, body_path.open("rb") as source:
            out.write(header)
            for block in iter(lambda: source.read(1 << 20), b""):
                out.write(block)
                whole.update(block)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, destination)
    finally:
        body_path.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    directory = os.open(destination.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return WrittenArchive(last_hash, "sha256:" + whole.hexdigest(), through - start.sequence)


def check_archive(path: Path, marks: Sequence[ArchiveMark], key: AnchorKey | None) -> list[Problem]:
    """Every problem of one archive file: its records walked again, and the file compared with its run."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [Problem(0, None, "archive_mismatch", f"cannot read the archive {name}: {error.strerror}")]
    digest = "sha256:" + hashlib.sha256(raw).hexdigest()
    lines = raw.splitlines()
    try:
        header = json.loads(lines[0]) if lines else {}
        if header.get("format") != ARCHIVE_FORMAT:
            raise ValueError(f"format {header.get('format')!r}")
        first, through = int(header["from_sequence"]), int(header["through_sequence"])
        prev_hash, through_hash = str(header["prev_hash"]), str(header["through_hash"])
    except (ValueError, KeyError, TypeError) as error:
        return [Problem(0, None, "archive_mismatch", f"{name} is not an ictgate archive: {error}")]
    problems: list[Problem] = []
    mark = next((m for m in marks if m.from_sequence == first and m.through_sequence == through), None)
    if mark is None:
        problems.append(
            Problem(
                first,
                None,
                "archive_mismatch",
                f"{name} holds records {first}–{through}, but the log noted no archive run of them",
            )
        )
    elif mark.digest != digest or mark.through_hash != through_hash or mark.prev_hash != prev_hash:
        problems.append(
            Problem(
                first,
                None,
                "archive_mismatch",
                f"{name} is not the file the log noted for records {first}–{through}: it was changed "
                "after it was written",
            )
        )
    expected, link = first, prev_hash
    for number, line in enumerate(lines[1:], start=2):
        try:
            item = json.loads(line)
            sequence, stored_prev, stored_hash = (
                int(item["sequence"]),
                str(item["prev_hash"]),
                str(item["hash"]),
            )
            content = item["record"]
        except (ValueError, KeyError, TypeError) as error:
            problems.append(Problem(expected, None, "archive_mismatch", f"{name} line {number}: {error}"))
            break
        decision = str(content.get("decision_id")) if isinstance(content, dict) else None
        if sequence != expected or stored_prev != link:
            problems.append(
                Problem(
                    sequence,
                    decision,
                    "archive_mismatch",
                    f"{name}: record {sequence} is out of place (expected record {expected}, linking to "
                    f"{link[:12]}…)",
                )
            )
        recomputed = hashlib.sha256(canonical_json({"prev_hash": stored_prev, "record": content})).hexdigest()
        if recomputed != stored_hash:
            problems.append(
                Problem(
                    sequence,
                    decision,
                    "changed",
                    f"{name}: record {sequence} (decision {decision}) was changed after it was archived: "
                    "its content does not match its hash",
                )
            )
        problems.extend(
            archive_record_problems(name, sequence, decision, stored_hash, item.get("anchor"), key)
        )
        expected, link = sequence + 1, stored_hash
    if expected - 1 != through or link != through_hash:
        problems.append(
            Problem(
                expected,
                None,
                "archive_mismatch",
                f"{name} ends at record {expected - 1}, but its header says it holds records "
                f"through {through}",
            )
        )
    return problems
