"""What a query asks for, and the page it gets back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ictgate.audit.decisionlog.record import KINDS, OUTCOMES, Kind, StoredRecord

__all__ = ["MAX_PAGE_SIZE", "Clause", "DecisionFilter", "Page", "check_paging"]

MAX_PAGE_SIZE = 1000
_FINDING_OUTCOMES = ("pass", "fail", "warn", "review")


@dataclass(frozen=True)
class Clause:
    """One condition on a column: ``column op value``."""

    column: str
    op: str
    value: Any


@dataclass(frozen=True)
class DecisionFilter:
    """Conditions that all hold for a record (an empty filter matches every record).

    Date ranges are inclusive on both ends; ``recorded_*`` are UTC dates.
    ``rule_outcome`` narrows ``rule`` to the records where that rule had that
    outcome (``fail`` for the records a rule failed). ``decision_ids`` keeps only the
    records with one of those ids, ``excluded_ids`` drops those (the resolution filters of
    ictgate/audit/resolutions.py select pre-checks by their logged resolutions this way).
    """

    kind: Kind | None = None
    province: str | None = None
    agency_name: str | None = None
    outcome: str | None = None
    rule: str | None = None
    rule_outcome: str | None = None
    system_id: str | None = None
    fiscal_year: int | None = None
    recorded_from: dt.date | None = None
    recorded_to: dt.date | None = None
    as_of_from: dt.date | None = None
    as_of_to: dt.date | None = None
    decision_ids: tuple[str, ...] | None = None
    excluded_ids: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of: {', '.join(KINDS)}")
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise ValueError(f"outcome {self.outcome!r} is not one of: {', '.join(OUTCOMES)}")
        if self.rule_outcome is not None:
            if self.rule is None:
                raise ValueError("rule_outcome needs a rule")
            if self.rule_outcome not in _FINDING_OUTCOMES:
                raise ValueError(
                    f"rule_outcome {self.rule_outcome!r} is not one of: {', '.join(_FINDING_OUTCOMES)}"
                )
        for start, end, what in (
            (self.recorded_from, self.recorded_to, "recorded"),
            (self.as_of_from, self.as_of_to, "as_of"),
        ):
            if start is not None and end is not None and start > end:
                raise ValueError(f"{what} range ends ({end}) before it starts ({start})")

    def clauses(self) -> list[Clause]:
        """The column conditions (the rule condition aside), with dates as ``datetime.date``.

        ``recorded_at`` is compared with the start of a UTC day: from the
        first day's start, up to (not including) the start of the day after the last.
        """
        found = [
            Clause(column, "=", value)
            for column, value in (
                ("kind", self.kind),
                ("province", self.province),
                ("agency_name", self.agency_name),
                ("outcome", self.outcome),
                ("system_id", self.system_id),
                ("fiscal_year", self.fiscal_year),
            )
            if value is not None
        ]
        if self.recorded_from is not None:
            found.append(Clause("recorded_at", ">=", self.recorded_from))
        if self.recorded_to is not None:
            found.append(Clause("recorded_at", "<", self.recorded_to + dt.timedelta(days=1)))
        if self.as_of_from is not None:
            found.append(Clause("as_of", ">=", self.as_of_from))
        if self.as_of_to is not None:
            found.append(Clause("as_of", "<=", self.as_of_to))
        return found


@dataclass(frozen=True)
class Page:
    """One page of a query, in sequence order; ``total`` counts every matching record."""

    records: tuple[StoredRecord, ...]
    total: int
    page: int
    page_size: int


def check_paging(page: int, page_size: int) -> None:
    if page < 1:
        raise ValueError(f"page {page} is not 1 or more")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size {page_size} is not between 1 and {MAX_PAGE_SIZE}")
