"""Walking the chain: every changed, removed, inserted or reordered record, by name.

The walk trusts nothing but the hashes. A record whose content no longer
matches its hash was *changed*. A sequence number missing between two records,
or at the end below the chain head, was *removed*. A record past the chain
head was *inserted* behind the log's back. The order the links give (genesis,
then the record linking to it, and so on) is compared with the sequence
numbers: a record whose link puts it elsewhere was *reordered*. A record
linking to a hash no record has (*broken_link*), two records linking to the
same one (*forked*) and a missing chain head (*head_missing*) complete the list.

Someone who can write the database can rewrite a record and recompute every
hash after it, or remove the last records and roll the chain head back: the
chain alone cannot tell. What catches them is kept outside the database
(``anchoring``): an HMAC of every record with a key the database does not
hold (*resealed*, *unanchored*, *anchor_forged*), and heads published
elsewhere, as signed checkpoints, in the six-monthly report or given with
``--expect-head`` (*not_as_published*, and *removed* past the log's end).

After ``ictgate log archive`` the log starts past the archived records: the
walk starts at the archived point (its sequence and hash) instead of the genesis.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ictgate.audit.decisionlog.chain import GENESIS_HASH, chain_hash
from ictgate.audit.decisionlog.record import StoredRecord

__all__ = [
    "ChainEntry",
    "ChainHead",
    "Problem",
    "ProblemKind",
    "VerifyReport",
    "sort_problems",
    "verify_chain",
]

ProblemKind = Literal[
    "changed",
    "removed",
    "inserted",
    "reordered",
    "forked",
    "broken_link",
    "head_missing",
    "resealed",
    "unanchored",
    "anchor_forged",
    "not_as_published",
    "checkpoint_forged",
    "archive_mismatch",
]
_KIND_ORDER: tuple[ProblemKind, ...] = (
    "head_missing",
    "checkpoint_forged",
    "archive_mismatch",
    "removed",
    "not_as_published",
    "inserted",
    "changed",
    "resealed",
    "anchor_forged",
    "unanchored",
    "reordered",
    "forked",
    "broken_link",
)


@dataclass(frozen=True)
class ChainEntry:
    """What the walk needs of one stored row; ``intact`` says whether its content matches its hash."""

    sequence: int
    decision_id: str
    prev_hash: str
    hash: str
    intact: bool

    @classmethod
    def of(cls, record: StoredRecord) -> ChainEntry:
        return cls(
            record.sequence,
            record.decision_id,
            record.prev_hash,
            record.hash,
            chain_hash(record, record.prev_hash) == record.hash,
        )


@dataclass(frozen=True)
class ChainHead:
    """The last sequence number and hash, updated in the transaction of every append."""

    sequence: int
    hash: str


@dataclass(frozen=True)
class Problem:
    sequence: int
    decision_id: str | None  # None for a record that is no longer there
    kind: ProblemKind
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sequence": self.sequence,
            "decision_id": self.decision_id,
            "kind": self.kind,
            "message": self.message,
        }


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    records: int
    head: ChainHead | None
    problems: tuple[Problem, ...]
    # What the walk could rely on beyond the database: see ``anchoring.Anchoring``.
    anchoring: dict[str, Any] = field(default_factory=dict)
    # Where the stored chain starts: the last archived record (0 and the genesis when none).
    start: ChainHead = field(default_factory=lambda: ChainHead(0, GENESIS_HASH))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "head": None if self.head is None else {"sequence": self.head.sequence, "hash": self.head.hash},
            "archived_through": {"sequence": self.start.sequence, "hash": self.start.hash},
            "anchoring": self.anchoring,
            "problems": [problem.as_dict() for problem in self.problems],
        }

    def with_problems(self, more: Iterable[Problem], anchoring: dict[str, Any] | None = None) -> VerifyReport:
        """This report with ``more`` problems (found outside the walk), in the walk's order."""
        problems = sort_problems([*self.problems, *more])
        return dataclasses.replace(
            self,
            ok=not problems,
            problems=tuple(problems),
            anchoring=self.anchoring if anchoring is None else anchoring,
        )


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: (problem.sequence, _KIND_ORDER.index(problem.kind)))


def _name(entry: ChainEntry) -> str:
    return f"record {entry.sequence} (decision {entry.decision_id})"


def _span(first: int, last: int) -> str:
    return f"record {first} is" if first == last else f"records {first}–{last} are"


def verify_chain(
    entries: Iterable[ChainEntry], head: ChainHead | None, start: ChainHead | None = None
) -> VerifyReport:
    """Every problem of a stored chain, ordered by sequence number.

    ``start`` is where the stored chain begins: the last archived record, whose
    hash the first stored record links to (the genesis, sequence 0, by default).
    """
    start = start or ChainHead(0, GENESIS_HASH)
    rows = sorted(entries, key=lambda entry: entry.sequence)
    problems: list[Problem] = []
    kept = [entry for entry in rows if entry.sequence > start.sequence]
    for entry in rows:
        if entry.sequence <= start.sequence:
            problems.append(
                Problem(
                    entry.sequence,
                    entry.decision_id,
                    "inserted",
                    f"{_name(entry)} is at or before the archived point (record {start.sequence}): "
                    "archived records are no longer in the log, so it was added outside it",
                )
            )
    rows = kept

    for entry in rows:
        if not entry.intact:
            problems.append(
                Problem(
                    entry.sequence,
                    entry.decision_id,
                    "changed",
                    f"{_name(entry)} was changed after it was stored: its content does not match its hash",
                )
            )

    after_gap: set[int] = set()
    expected = start.sequence + 1
    previous: ChainEntry | None = None
    for entry in rows:
        if entry.sequence > expected:
            after_gap.add(entry.sequence)
            before = (
                f"after {_name(previous)} "
                if previous
                else "at the start of the log, "
                if start.sequence == 0
                else f"after the archived records (through record {start.sequence}), "
            )
            problems.append(
                Problem(
                    expected,
                    None,
                    "removed",
                    f"{_span(expected, entry.sequence - 1)} missing {before}before {_name(entry)}: "
                    "removed from the log",
                )
            )
        expected = entry.sequence + 1
        previous = entry
    problems.extend(_head_problems(rows, head, start))
    problems.extend(_link_problems(rows, after_gap, start))
    problems = sort_problems(problems)
    return VerifyReport(ok=not problems, records=len(rows), head=head, problems=tuple(problems), start=start)


def _head_problems(rows: list[ChainEntry], head: ChainHead | None, start: ChainHead) -> list[Problem]:
    last = rows[-1] if rows else None
    if head is None:
        if last is None:
            return []
        return [
            Problem(
                0,
                None,
                "head_missing",
                "the chain head is missing, so records removed from the end of the log cannot be "
                "detected and nothing more can be appended",
            )
        ]
    last_sequence = last.sequence if last else start.sequence
    if last is None and head.sequence < start.sequence:
        return [
            Problem(
                head.sequence,
                None,
                "removed",
                f"the chain head (record {head.sequence}) is before the archived point "
                f"(record {start.sequence}): it was rolled back",
            )
        ]
    if head.sequence > last_sequence:
        return [
            Problem(
                last_sequence + 1,
                None,
                "removed",
                f"{_span(last_sequence + 1, head.sequence)} missing at the end of the log: "
                f"the chain head says the log holds {head.sequence} records",
            )
        ]
    if last is not None and head.sequence < last_sequence:
        return [
            Problem(
                entry.sequence,
                entry.decision_id,
                "inserted",
                f"{_name(entry)} is past the chain head (record {head.sequence}): "
                "it was added outside the decision log",
            )
            for entry in rows
            if entry.sequence > head.sequence
        ]
    if last is not None and last.intact and head.hash != last.hash:
        return [
            Problem(
                last.sequence,
                last.decision_id,
                "changed",
                f"{_name(last)} does not have the hash the chain head recorded for it: "
                "it was rewritten and its hash recomputed",
            )
        ]
    return []


def _link_problems(rows: list[ChainEntry], after_gap: set[int], start: ChainHead) -> list[Problem]:
    problems: list[Problem] = []
    known = {entry.hash for entry in rows}
    children: dict[str, list[ChainEntry]] = defaultdict(list)
    for entry in rows:
        children[entry.prev_hash].append(entry)
    position: dict[int, int] = {}

    def walk(start: ChainEntry, place: int) -> None:
        stack = [(start, place)]
        while stack:
            node, at = stack.pop()
            if node.sequence in position:
                continue
            position[node.sequence] = at
            followers = children.get(node.hash, [])
            stack.extend(_forks(followers, problems))
            if followers:
                stack.append((followers[0], at + 1))

    firsts = children.get(start.hash, [])
    for first, place in [*_forks(firsts, problems), *([(firsts[0], start.sequence + 1)] if firsts else [])]:
        walk(first, place)
    for entry in rows:
        if entry.prev_hash != start.hash and entry.prev_hash not in known:
            if entry.sequence not in after_gap:
                problems.append(
                    Problem(
                        entry.sequence,
                        entry.decision_id,
                        "broken_link",
                        f"{_name(entry)} links to a record that is not in the log: the record before it "
                        "was rewritten, or removed and the records after it renumbered",
                    )
                )
            walk(entry, entry.sequence)
    for entry in rows:
        at = position.get(entry.sequence)
        if at is None:
            problems.append(
                Problem(
                    entry.sequence,
                    entry.decision_id,
                    "broken_link",
                    f"{_name(entry)} cannot be reached from the start of the chain: its links form a loop",
                )
            )
        elif at != entry.sequence:
            problems.append(
                Problem(
                    entry.sequence,
                    entry.decision_id,
                    "reordered",
                    f"{_name(entry)} is out of place: its link to the record before it puts it at "
                    f"place {at} of the chain",
                )
            )
    return problems


def _forks(followers: list[ChainEntry], problems: list[Problem]) -> list[tuple[ChainEntry, int]]:
    """The records beyond the first that link to one record, each reported and walked from its own place."""
    extra = followers[1:]
    for entry in extra:
        problems.append(
            Problem(
                entry.sequence,
                entry.decision_id,
                "forked",
                f"{_name(entry)} links to the same record as record {followers[0].sequence}: "
                "two records claim one place in the chain",
            )
        )
    return [(entry, entry.sequence) for entry in extra]
