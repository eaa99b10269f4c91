"""What every decision log backend offers, and what it needs from the settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from ictgate.audit.decisionlog.anchoring import ArchiveMark, ExpectedHead
from ictgate.audit.decisionlog.filters import DecisionFilter, Page
from ictgate.audit.decisionlog.record import DecisionRecord, ProposalSeen, StoredRecord
from ictgate.audit.decisionlog.verify import ChainHead, VerifyReport

__all__ = ["DecisionLog", "DecisionLogSettings", "DuplicateDecision"]


class DuplicateDecision(ValueError):
    """A record with this decision id is already in the log (nothing was appended)."""


class DecisionLogSettings(Protocol):
    """The part of ``ictgate.core.settings.Settings`` that chooses and configures the log."""

    @property
    def decision_log(self) -> Path: ...

    @property
    def database_url(self) -> str | None: ...

    @property
    def decision_log_mask(self) -> Sequence[str]: ...

    @property
    def anchor_key_file(self) -> Path | None: ...


class DecisionLog(Protocol):
    """An append-only, hash-chained log of decisions.

    Every method raises ``ictgate.core.errors.DecisionLogUnavailable`` when the
    storage fails (disk full, read-only, database unreachable); a failed
    append stores nothing and leaves every earlier record as it was. The
    object may be shared by threads; each process opens its own.
    """

    @property
    def description(self) -> str:
        """Where the log lives, without credentials: ``sqlite /path`` or ``postgresql host/db``."""
        ...

    def append(self, record: DecisionRecord) -> StoredRecord:
        """Masks ``record`` with the configured mask, seals it to the chain head and commits it.

        Returns only once the record is durably committed. Raises
        ``DuplicateDecision`` when its decision id is already logged.
        """
        ...

    def get(self, decision_id: str) -> StoredRecord | None: ...

    def query(
        self,
        filters: DecisionFilter | None = None,
        *,
        page: int = 1,
        page_size: int = 50,
        newest_first: bool = False,
    ) -> Page:
        """One page of matching records ordered by sequence number, and how many match in all."""
        ...

    def iter(self, filters: DecisionFilter | None = None) -> Iterator[StoredRecord]:
        """Every matching record in sequence order, read in batches (for replay and reports)."""
        ...

    def resolutions(self, decision_id: str) -> list[StoredRecord]:
        """The committee resolutions recorded on the pre-check ``decision_id`` (records of kind
        ``resolution`` whose ``resolves`` is that id), in the order they were logged."""
        ...

    def latest_proposals(
        self, agency_name: str, province: str, system_id: str | None = None, fiscal_year: int | None = None
    ) -> list[ProposalSeen]:
        """The latest pre-check of each project title logged for one agency (R-AUTH-9), in the
        order they were logged: of one system in every fiscal year (system_id), of every system
        and of none in one fiscal year (fiscal_year), or of one system in one year (both)."""
        ...

    def verify(self, expected: Sequence[ExpectedHead] = ()) -> VerifyReport:
        """Walks the whole chain in one consistent snapshot and reports every problem.

        With the anchor key, the anchors are checked too; every head in ``expected``
        (published elsewhere: checkpoints, ``--expect-head``) must still be in the log.
        """
        ...

    def head(self) -> ChainHead:
        """The chain head: the last sequence number and its hash."""
        ...

    def published_head(self) -> dict[str, Any]:
        """The head as the six-monthly report prints it, signed with the anchor key when there is one."""
        ...

    def check_writable(self) -> None:
        """Commits one small write beside the records (``/readyz``); raises DecisionLogUnavailable."""
        ...

    def archive(self, before: dt.date, destination: Path) -> ArchiveMark | None:
        """Moves the records logged before ``before`` to ``destination`` (``ictgate log archive``)."""
        ...

    def archive_marks(self) -> list[ArchiveMark]:
        """The archive runs so far, oldest first."""
        ...

    def close(self) -> None: ...
