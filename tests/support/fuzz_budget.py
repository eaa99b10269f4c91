"""How many examples the fuzz and property tests try: a small fixed set in CI, more on demand.

Unset, ``ICTGATE_FUZZ_EXAMPLES`` leaves each test at its own small budget and
derandomizes Hypothesis, so that CI tries the same examples on every run and
its result never depends on luck. ``ICTGATE_FUZZ_EXAMPLES=N`` gives every
schemathesis operation and every property N examples from a fresh random seed:
the longer run (README, "Fuzzing and property tests"). A failure prints the
``@reproduce_failure`` blob that replays it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["VARIABLE", "budget", "examples"]

VARIABLE = "ICTGATE_FUZZ_EXAMPLES"


def examples(ci_default: int) -> int:
    raw = os.environ.get(VARIABLE, "").strip()
    if not raw:
        return ci_default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{VARIABLE} must be a whole number of examples (1 or more), not {raw!r}")
    return int(raw)


def budget(ci_default: int, *suppress: HealthCheck) -> settings:
    """Hypothesis settings: ``ci_default`` examples unless ``ICTGATE_FUZZ_EXAMPLES`` says otherwise.

    No deadline: one example is a policy evaluation (milliseconds, but the
    first one in a process also warms the engine). No example database: the
    checkout stays clean, and a failure is replayed from its printed blob.
    """
    long_run = bool(os.environ.get(VARIABLE, "").strip())
    return settings(
        max_examples=examples(ci_default),
        deadline=None,
        derandomize=not long_run,
        database=None,
        print_blob=True,
        suppress_health_check=list(suppress),
    )
