"""Group commit: appends that arrive together are written together, in one transaction.

Every pre-check waits until its record is durably in the log before it answers
(docs/design.md), and a durable commit waits for the disk. Under load, requests
arrive while another append is committing; rather than each then taking the
write lock and waiting for the disk in turn (and, in SQLite, sleeping in its
busy handler between tries), the thread that next finds no batch being written
writes every record waiting, its own included, in one transaction: one lock,
one wait for the disk, for the whole batch (docs/performance.md). Alone, an append is
written at once, as before. Each caller returns as soon as its own record is
committed, with its own record or its own error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from ictgate.audit.decisionlog.record import DecisionRecord, StoredRecord
from ictgate.core.errors import DecisionLogUnavailable

__all__ = ["GroupCommit"]

WriteBatch = Callable[[Sequence[DecisionRecord]], list[StoredRecord]]


class _Ticket:
    __slots__ = ("record", "stored", "error", "done")

    def __init__(self, record: DecisionRecord) -> None:
        self.record = record
        self.stored: StoredRecord | None = None
        self.error: BaseException | None = None
        self.done = False


class GroupCommit:
    """Writes appends with ``write_batch``, up to ``max_batch`` records at a time, in arrival order.

    ``write_batch`` writes the records it is given in one transaction, in
    order, and returns them as stored; when it raises, nothing of the batch
    is stored. How a failed batch is answered depends on what failed:

    - the storage (``DecisionLogUnavailable``: a lock not given within the
      timeout, a full or read-only disk, a lost connection): every append of
      the batch fails with that error at once, so a caller waits at most one
      timeout, not one per record ahead of it;
    - one record (``DuplicateDecision``, a record that cannot be stored): the
      batch is written again one record at a time, so that only that append
      fails.
    """

    def __init__(self, write_batch: WriteBatch, max_batch: int = 64) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, not {max_batch}")
        self._write_batch = write_batch
        self._max_batch = max_batch
        self._waiting: list[_Ticket] = []
        self._writing = False
        self._changed = threading.Condition()

    def append(self, record: DecisionRecord) -> StoredRecord:
        ticket = _Ticket(record)
        with self._changed:
            self._waiting.append(ticket)
        while not ticket.done:
            self._write_or_wait(ticket)
        if ticket.error is not None:
            raise ticket.error
        assert ticket.stored is not None
        return ticket.stored

    def _write_or_wait(self, ticket: _Ticket) -> None:
        """Waits until ``ticket`` is written or nobody is writing; in the second case writes a batch."""
        batch: list[_Ticket] = []
        with self._changed:
            while self._writing and not ticket.done:
                self._changed.wait()
            if ticket.done:
                return
            self._writing = True
        try:
            with self._changed:
                batch, self._waiting = self._waiting[: self._max_batch], self._waiting[self._max_batch :]
            self._write(batch)
        finally:
            with self._changed:
                for taken in batch:
                    if not taken.done:
                        # Interrupted (KeyboardInterrupt) mid-write: no caller is left waiting.
                        taken.error = DecisionLogUnavailable(
                            "the append was interrupted before its outcome was known; "
                            "`ictgate log verify` and the decision's id tell whether it was stored"
                        )
                        taken.done = True
                self._writing = False
                self._changed.notify_all()

    def _write(self, batch: list[_Ticket]) -> None:
        try:
            stored = self._write_batch([ticket.record for ticket in batch])
        except DecisionLogUnavailable as error:
            for ticket in batch:
                # Each caller raises its own exception object (tracebacks are per raise).
                ticket.error = error if ticket is batch[0] else DecisionLogUnavailable(error.detail)
                ticket.done = True
        except Exception as error:
            if len(batch) == 1:
                batch[0].error = error
                batch[0].done = True
            else:
                self._write_one_by_one(batch)
        else:
            for ticket, record in zip(batch, stored, strict=True):
                ticket.stored = record
                ticket.done = True

    def _write_one_by_one(self, batch: list[_Ticket]) -> None:
        for ticket in batch:
            try:
                ticket.stored = self._write_batch([ticket.record])[0]
            except Exception as error:
                ticket.error = error
            ticket.done = True
