"""What the service asks of a policy engine."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["PolicyEngine", "ReportsRevision"]


class PolicyEngine(Protocol):
    """Evaluates one rule of the loaded policies for one input.

    ``evaluate`` returns the rule's value, or raises an ``EngineError``: it
    never returns a default in place of an answer it did not get.
    """

    @property
    def description(self) -> str:
        """Name and version, e.g. ``regorus 0.13.0``."""
        ...

    def evaluate(self, rule_path: str, input_document: dict[str, Any]) -> Any: ...

    def close(self) -> None: ...


@runtime_checkable
class ReportsRevision(Protocol):
    """An engine that loads its policies itself (an OPA server) and can say which revision it has.

    An in-process engine evaluates the bundle it was made from, so its revision is that
    bundle's; only an engine that loads bundles on its own needs to be asked.
    """

    def policy_revision(self) -> str | None:
        """The revision of the loaded bundle(s), or None when the engine reports none."""
        ...
