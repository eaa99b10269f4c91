"""A child process for the decision log's concurrency and crash tests.

    python -m tests.support.decisionlog_child COUNT

Opens the log its environment names (ICTGATE_DECISION_LOG, DATABASE_URL),
prints ``ready``, waits for a line on standard input, then appends COUNT
records, printing each decision id only once ``append`` has returned: a
printed id is an acknowledged decision. Stops by itself after a minute.
"""

from __future__ import annotations

import sys
import time

from ictgate.audit.decisionlog import open_decision_log
from ictgate.core.settings import Settings

from tests.support.decisionlog_samples import burst_record

TIME_LIMIT_SECONDS = 60


def main(argv: list[str]) -> int:
    count = int(argv[0])
    log = open_decision_log(Settings())
    print("ready", flush=True)
    sys.stdin.readline()
    stop_at = time.monotonic() + TIME_LIMIT_SECONDS
    for _ in range(count):
        if time.monotonic() > stop_at:
            break
        stored = log.append(burst_record())
        print(stored.decision_id, flush=True)
    log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
