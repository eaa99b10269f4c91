"""How engine time grows with the input: sharing arrangements and committee-order size.

Engine only (``bench/inprocess.py`` ``engine_points``), each point on an engine
of its own, the points of a curve measured in turns. A least-squares line
through the medians gives the slope (µs per arrangement or per member) that
``make bench`` reports; ``growth_ratio`` says whether the curve bends upwards.

The pure functions (``least_squares``, ``growth_ratio``, ``with_members``) are
tested in ``tests/operations/test_bench_growth.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import ROOT
from bench.inprocess import engine_points

SHARING_COUNTS = (1, 10, 50)
MEMBER_COUNTS = (10, 50, 200)
ORDER_SAMPLE = ROOT / "schemas" / "examples" / "committee_order" / "valid" / "samut-prakan-2024-amended.json"
ORDER_AS_OF = "2025-02-01"  # a fixed date, so every run asks the same question
# "At most linear": the slope of the curve's last segment may be at most this many times
# the slope of its first (medians on a shared machine move by ±10 % or more).
LINEAR_TOLERANCE = 1.5


@dataclass(frozen=True)
class Fit:
    """A least-squares line ``y = intercept + slope · x`` and its coefficient of determination."""

    slope: float
    intercept: float
    r2: float


def least_squares(xs: Sequence[float], ys: Sequence[float]) -> Fit:
    """The ordinary least-squares line through the points (at least two distinct x)."""
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError("need at least two points, as many x as y")
    n = len(xs)
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        raise ValueError("every x is the same: no slope")
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    total = sum((y - mean_y) ** 2 for y in ys)
    residual = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    r2 = 1.0 if total == 0 else 1 - residual / total
    return Fit(slope, intercept, r2)


def growth_ratio(xs: Sequence[float], ys: Sequence[float]) -> float:
    """The slope of the last segment over the slope of the first (xs ascending, ≥ 2 segments).

    1 for a straight line, above 1 when the curve bends upwards (e.g. quadratic),
    below 1 when it flattens. A first segment that does not rise (noise on a flat
    curve) counts as a slope of 1 % of the average per unit, so a flat curve is ~1.
    """
    if len(xs) < 3 or len(xs) != len(ys):
        raise ValueError("need at least three points, as many x as y")
    first = (ys[1] - ys[0]) / (xs[1] - xs[0])
    last = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    floor = 0.01 * (sum(ys) / len(ys)) / max(xs)
    if first <= floor:
        return max(last, floor) / floor
    return last / first


def with_sharing(submission: dict[str, Any], count: int) -> dict[str, Any]:
    """The sample with ``count`` sharing arrangements, copies of its own (police and private, in turn)."""
    document: dict[str, Any] = json.loads(json.dumps(submission))
    originals = document["cctv"]["sharing"]
    arrangements = []
    for number in range(count):
        share = json.loads(json.dumps(originals[number % len(originals)]))
        share["recipient"] = f"{share['recipient']} {number + 1}"
        if "agreement" in share:
            share["agreement"]["reference"] = f"DSA-2568/{number + 1:03d}"
        arrangements.append(share)
    document["cctv"]["sharing"] = arrangements
    return document


def sample_order(path: Path = ORDER_SAMPLE) -> dict[str, Any]:
    order: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return order


def with_members(order: dict[str, Any], count: int) -> dict[str, Any]:
    """The order with ``count`` members: its own first, then copies of its ordinary members in turn.

    Chair, vice-chair and secretaries are not repeated (an order has one of each);
    ``count`` below the order's own size keeps the first ``count`` members. The
    schema allows 60 members: larger orders only measure the engine.
    """
    document: dict[str, Any] = json.loads(json.dumps(order))
    members = document["members"]
    ordinary = [member for member in members if member.get("role") == "member"]
    if not ordinary:
        raise ValueError("the order has no ordinary members to copy")
    grown = members[:count]
    number = 0
    while len(grown) < count:
        grown.append(json.loads(json.dumps(ordinary[number % len(ordinary)])))
        number += 1
    document["members"] = grown
    return document


def order_input(order: dict[str, Any]) -> dict[str, Any]:
    """The committee-order check's engine input, as ``Prechecker.check_order`` builds it."""
    return {"order": order, "as_of": ORDER_AS_OF}


def curve(
    engine: str,
    modules: dict[str, str],
    data: Any,
    query: str,
    documents: Sequence[tuple[int, Any]],
    *,
    max_seconds: float,
) -> dict[str, Any]:
    """Engine-only medians of ``query`` on each (size, input), the fitted line and the bend."""
    measured = engine_points(
        [(modules, data, query, document) for _, document in documents],
        engine=engine,
        max_seconds=max_seconds,
        batch=1,
    )
    sizes = [float(size) for size, _ in documents]
    medians = [point["median_us"] for point in measured]
    fit = least_squares(sizes, medians)
    return {
        "points": [{"size": size, **point} for (size, _), point in zip(documents, measured, strict=True)],
        "slope_us_per_unit": round(fit.slope, 1),
        "intercept_us": round(fit.intercept, 1),
        "r2": round(fit.r2, 4),
        "growth_ratio": round(growth_ratio(sizes, medians), 2),
        "at_most_linear": growth_ratio(sizes, medians) <= LINEAR_TOLERANCE,
    }
