"""What the service asks of a policy engine."""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["PolicyEngine"]


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
