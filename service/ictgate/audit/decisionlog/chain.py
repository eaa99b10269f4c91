"""The hash chain: each record's hash covers its content and the hash of the record before it.

    hash = sha256( canonical_json({"prev_hash": prev_hash, "record": content}) )   (hex)

The first record's ``prev_hash`` is 64 zeros. The sequence number is not
hashed: a record's place is fixed by the hash it links to, so a record moved
to another place still verifies on its own and shows up as *reordered*
rather than as *changed*.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields

from ictgate.audit.decisionlog.canonical import canonical_json
from ictgate.audit.decisionlog.record import DecisionRecord, StoredRecord

__all__ = ["GENESIS_HASH", "chain_hash", "seal"]

GENESIS_HASH = "0" * 64


def chain_hash(record: DecisionRecord, prev_hash: str) -> str:
    """The hex SHA-256 that seals ``record`` to the record whose hash is ``prev_hash``."""
    return hashlib.sha256(canonical_json({"prev_hash": prev_hash, "record": record.content()})).hexdigest()


def seal(record: DecisionRecord, sequence: int, prev_hash: str) -> StoredRecord:
    """``record`` placed at ``sequence`` after the record whose hash is ``prev_hash``."""
    values = {field.name: getattr(record, field.name) for field in fields(DecisionRecord)}
    return StoredRecord(**values, sequence=sequence, prev_hash=prev_hash, hash=chain_hash(record, prev_hash))
