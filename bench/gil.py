"""Whether an engine keeps Python's global interpreter lock (GIL) while it evaluates.

A service worker evaluates in one thread while its event loop, in another,
reads requests and writes answers. An engine whose call keeps the GIL stops
every other thread of the worker for the whole evaluation, so the worker
cannot overlap its HTTP work with the engine's, and its throughput falls
further below the engine's own capacity than the CPU time alone explains.

The measurement: a thread that only counts in pure Python runs for a while
alone, then as long again while another thread of the same process
evaluates the verdict back to back. The share it keeps is close to 1 when
the engine lets go of the GIL (on a machine with a core to spare), and well
below 1 when it does not. Each thread makes and closes its own engine.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from bench.inprocess import warmed_up

# A Python thread beside an engine that releases the GIL keeps most of its pace;
# beside one that keeps it, it gets the lock only between evaluations.
KEEPS_GIL_BELOW = 0.7
READY_TIMEOUT_SECONDS = 120.0


def python_beside_engine(
    engine: str, modules: dict[str, str], data: Any, query: str, document: Any, *, seconds: float = 1.0
) -> dict[str, Any]:
    """A counting Python thread's pace beside an evaluating engine thread, against alone."""
    alone = _count_for(seconds)
    ready = threading.Event()
    stop = threading.Event()
    outcome: dict[str, Any] = {"evaluations": 0}

    def evaluate_until_stopped() -> None:
        raw = None
        try:
            raw, evaluate = warmed_up(engine, modules, data, query, document)
            ready.set()
            evaluations = 0
            while True:
                evaluate()
                evaluations += 1
                if stop.is_set():
                    break
            outcome["evaluations"] = evaluations
        except BaseException as error:  # re-raised by the caller, as text: no frame keeps the engine
            outcome["error"] = repr(error)
        finally:
            if raw is not None:
                raw.close()  # in this thread, where the engine was made
            ready.set()

    evaluator = threading.Thread(target=evaluate_until_stopped, name=f"bench-gil-{engine}")
    evaluator.start()
    try:
        if not ready.wait(READY_TIMEOUT_SECONDS):
            raise RuntimeError(f"the {engine} engine did not start in time")
        beside = _count_for(seconds) if "error" not in outcome else 0
    finally:
        stop.set()
        evaluator.join()
    if "error" in outcome:
        raise RuntimeError(f"engine thread failed: {outcome['error']}")
    ratio = beside / alone if alone else 0.0
    return {
        "engine": engine,
        "seconds": seconds,
        "python_alone": alone,
        "python_beside": beside,
        "ratio": round(ratio, 2),
        "evaluations": outcome["evaluations"],
        "keeps_gil": ratio < KEEPS_GIL_BELOW,
    }


def _count_for(seconds: float) -> int:
    """How far a thread counting in pure Python gets in ``seconds``."""
    stop = threading.Event()
    counted: list[int] = []

    def count() -> None:
        number = 0
        while not stop.is_set():
            number += 1
        counted.append(number)

    counter = threading.Thread(target=count, name="bench-gil-counter")
    counter.start()
    time.sleep(seconds)
    stop.set()
    counter.join()
    return counted[0]
