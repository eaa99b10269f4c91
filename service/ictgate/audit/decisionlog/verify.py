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
hash after it; the chain head, kept in the same transaction as each append,
catches that for the last record, and an external copy of the head (for
example in the six-monthly report) catches the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ictgate.audit.decisionlog.chain import GENESIS_HASH, chain_hash
from ictgate.audit.decisionlog.record import StoredRecord

__all__ = ["ChainEntry", "ChainHead", "Problem", "ProblemKind", "VerifyReport", "verify_chain"]

ProblemKind = Literal["changed", "removed", "inserted", "reordered", "forked", "broken_link", "head_missing"]
_KIND_ORDER: tuple[ProblemKind, ...] = (
    "head_missing",
    "removed",
    "inserted",
    "changed",
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

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "head": None if self.head is None else {"sequence": self.head.sequence, "hash": self.head.hash},
            "problems": [problem.as_dict() for problem in self.problems],
        }


def _name(entry: ChainEntry) -> str:
    return f"record {entry.sequence} (decision {entry.decision_id})"


def _span(first: int, last: int) -> str:
    return f"record {first} is" if first == last else f"records {first}–{last} are"


def verify_chain(entries: Iterable[ChainEntry], head: ChainHead | None) -> VerifyReport:
    """Every problem of a stored chain, ordered by sequence number."""
    rows = sorted(entries, key=lambda entry: entry.sequence)
    problems: list[Problem] = []

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
    expected = 1
    previous: ChainEntry | None = None
    for entry in rows:
        if entry.sequence > expected:
            after_gap.add(entry.sequence)
            before = f"after {_name(previous)} " if previous else "at the start of the log, "
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
    problems.extend(_head_problems(rows, head))
    problems.extend(_link_problems(rows, after_gap))
    problems.sort(key=lambda problem: (problem.sequence, _KIND_ORDER.index(problem.kind)))
    return VerifyReport(ok=not problems, records=len(rows), head=head, problems=tuple(problems))


def _head_problems(rows: list[ChainEntry], head: ChainHead | None) -> list[Problem]:
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
    last_sequence = last.sequence if last else 0
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


def _link_problems(rows: list[ChainEntry], after_gap: set[int]) -> list[Problem]:
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

    firsts = children.get(GENESIS_HASH, [])
    for start, place in [*_forks(firsts, problems), *([(firsts[0], 1)] if firsts else [])]:
        walk(start, place)
    for entry in rows:
        if entry.prev_hash != GENESIS_HASH and entry.prev_hash not in known:
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
