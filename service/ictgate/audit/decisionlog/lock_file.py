"""Processes appending to one SQLite log take turns at a lock file, not in SQLite's busy handler.

Several worker processes append to the same file. SQLite lets one write at
a time and makes the others retry in its busy handler, which sleeps 1, 2, 5,
10 … up to 100 ms between tries: under load most of a waiting append's time
was spent asleep after the lock had already come free (``docs/performance.md``).
A ``flock`` on ``<log>-append-lock`` lines the processes up instead; the
waiter polls it every 0.1 to 1 ms, so it gets its turn within a millisecond
and still gives up after the log's timeout, as SQLite would have, with a
``DecisionLogUnavailable``. SQLite's own locking stays in force underneath:
the lock file only decides who tries first. The kernel releases a ``flock``
when its process dies, so a killed worker cannot leave it held.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from ictgate.core.errors import DecisionLogUnavailable

__all__ = ["AppendLock"]

_FIRST_WAIT = 0.0001
_LONGEST_WAIT = 0.001


class AppendLock:
    """An exclusive ``flock`` on ``path`` (created on first use): one thread of one process at a time."""

    def __init__(
        self,
        path: Path,
        timeout: float,
        unavailable: Callable[[str, BaseException], DecisionLogUnavailable],
    ) -> None:
        self.path = path
        self.timeout = timeout
        self._unavailable = unavailable
        self._fd: int | None = None
        self._pid = 0
        self._closed = False
        self._guard = threading.Lock()

    def _descriptor(self) -> int:
        # Each process opens its own: a flock belongs to an open file description,
        # which a forked child would otherwise share with its parent.
        if self._closed:
            raise self._unavailable("append", RuntimeError("the log has been closed"))
        if self._fd is None or self._pid != os.getpid():
            try:
                # Read-write for whoever may write the log itself (the umask decides, as for SQLite's files).
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
            except OSError as error:
                raise self._unavailable("open its append lock", error) from error
            self._pid = os.getpid()
        return self._fd

    def __enter__(self) -> None:
        self._guard.acquire()
        try:
            descriptor = self._descriptor()
            deadline = time.monotonic() + self.timeout
            wait = _FIRST_WAIT
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        held = TimeoutError(f"{self.path.name} stayed locked for over {self.timeout} s")
                        raise self._unavailable("append", held) from None
                    time.sleep(wait)
                    wait = min(wait * 2, _LONGEST_WAIT)
                except OSError as error:
                    raise self._unavailable("take its append lock", error) from error
        except BaseException:
            self._guard.release()
            raise

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._guard.release()

    def close(self) -> None:
        with self._guard:
            self._closed = True
            if self._fd is not None and self._pid == os.getpid():
                os.close(self._fd)
            self._fd = None
