"""Group commit: appends that arrive together are written together, in one transaction.

Every pre-check waits until its record is durably in the log before it answers
(DESIGN.md), and a durable commit waits for the disk. Under load, requests
arrive while another append is committing; rather than each then taking the
write lock and waiting for the disk in turn (and, in SQLite, sleeping in its
busy handler between tries), the thread that next takes the writer's place
writes every record waiting, its own included, in one transaction: one lock,
one wait for the disk, for the whole batch (issue 8). Alone, an append is
written at once, as before. Each caller still returns only once its own record
is committed, and gets its own record or its own error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from ..errors import DecisionLogUnavailable
from .record import DecisionRecord, StoredRecord

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
    is stored. A batch that fails is then written again one record at a
    time, so that one refused record (a duplicate decision id) fails only
    its own append, and a failing disk fails each append with its own error.
    """

    def __init__(self, write_batch: WriteBatch, max_batch: int = 64) -> None:
        self._write_batch = write_batch
        self._max_batch = max_batch
        self._waiting: list[_Ticket] = []
        self._waiting_lock = threading.Lock()
        self._writer = threading.Lock()

    def append(self, record: DecisionRecord) -> StoredRecord:
        ticket = _Ticket(record)
        with self._waiting_lock:
            self._waiting.append(ticket)
        while not ticket.done:
            with self._writer:
                if ticket.done:
                    break
                with self._waiting_lock:
                    batch = self._waiting[: self._max_batch]
                    del self._waiting[: self._max_batch]
                self._write(batch)
        if ticket.error is not None:
            raise ticket.error
        assert ticket.stored is not None
        return ticket.stored

    def _write(self, batch: list[_Ticket]) -> None:
        try:
            try:
                stored = self._write_batch([ticket.record for ticket in batch])
            except Exception as error:
                if len(batch) == 1:
                    batch[0].error = error
                else:
                    self._write_one_by_one(batch)
            else:
                for ticket, record in zip(batch, stored, strict=True):
                    ticket.stored = record
        finally:
            # Even when interrupted (KeyboardInterrupt), no waiting caller is left waiting.
            for ticket in batch:
                if ticket.stored is None and ticket.error is None:
                    ticket.error = DecisionLogUnavailable("the append was interrupted; nothing was stored")
                ticket.done = True

    def _write_one_by_one(self, batch: list[_Ticket]) -> None:
        for ticket in batch:
            try:
                ticket.stored = self._write_batch([ticket.record])[0]
            except Exception as error:
                ticket.error = error
