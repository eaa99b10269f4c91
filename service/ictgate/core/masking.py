"""Masking: configured fields of the input are replaced before anything is hashed or stored.

A mask is a list of JSON Pointers (RFC 6901) into the engine input document,
where a ``*`` segment stands for every item of an array or every member of
an object: ``/order/members/*/name`` masks each committee member's name.
Each value found is replaced by the constant ``"***"``, whatever its type.

Why a constant and not a keyed hash: a keyed hash would let an auditor see
that two records name the same person, but it is a pseudonym, still personal
data under the PDPA, and anyone holding the key can test guesses at a name
against it. The log's purpose (what was decided, under which rules) needs
neither the name nor its pseudonym, so nothing of it is kept.

The masked value is also removed from every string of the verdict, in case a
rule echoes it in a message, so the stored record holds it nowhere. Pointers
that find nothing in a document mask nothing: one mask serves pre-checks and
committee checks alike.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

__all__ = ["MASKED", "Mask"]

MASKED = "***"
_ANY = object()


def _segments(pointer: str) -> tuple[str | object, ...]:
    if not pointer.startswith("/"):
        raise ValueError(f"{pointer!r} is not a JSON Pointer to a field (it must start with '/')")
    parts = pointer[1:].split("/")
    return tuple(_ANY if part == "*" else part.replace("~1", "/").replace("~0", "~") for part in parts)


def _index(part: str, length: int) -> int | None:
    if not part.isdigit() or (len(part) > 1 and part.startswith("0")):
        return None
    index = int(part)
    return index if index < length else None


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


_MIN_SECRET = 3
_HUMAN_TEXT = ("message", "params")


def _scrub_texts(item: Any, secrets: tuple[str, ...]) -> Any:
    if not isinstance(item, dict):
        return item
    return {key: _scrub(value, secrets) if key in _HUMAN_TEXT else value for key, value in item.items()}


def _scrub(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, MASKED)
        return value
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, secrets) for item in value]
    return value


class Mask:
    """The compiled pointers of one configuration; raises ``ValueError`` for a malformed one."""

    def __init__(self, pointers: Iterable[str] = ()) -> None:
        self.pointers = tuple(pointers)
        self._compiled = tuple(_segments(pointer) for pointer in self.pointers)

    def __bool__(self) -> bool:
        return bool(self.pointers)

    def __repr__(self) -> str:
        return f"Mask({list(self.pointers)!r})"

    def apply(self, document: Any) -> tuple[Any, tuple[Any, ...]]:
        """A masked deep copy of ``document``, and the values that were replaced."""
        masked = copy.deepcopy(document)
        removed: list[Any] = []
        for segments in self._compiled:
            self._replace(masked, segments, removed)
        return masked, tuple(removed)

    def scrub(self, value: Any, removed: tuple[Any, ...]) -> Any:
        """A verdict with the removed values' texts replaced by ``***`` in its human texts only.

        Only the messages and message parameters of findings and obligations can
        echo what a person wrote; ids, dates, outcomes and citations are the
        product's own and are never touched (a masked "-" or "pass" must not
        rewrite a decision id or a verdict). Texts shorter than three characters
        identify nobody and are left alone.
        """
        secrets = {
            text for item in removed for text in _strings(item) if len(text) >= _MIN_SECRET and text != MASKED
        }
        if not secrets or not isinstance(value, dict):
            return value
        # Longest first, so that a name is not half-replaced through a shorter one inside it.
        ordered = tuple(sorted(secrets, key=lambda text: (-len(text), text)))
        scrubbed = dict(value)
        for part in ("findings", "obligations"):
            items = value.get(part)
            if isinstance(items, list):
                scrubbed[part] = [_scrub_texts(item, ordered) for item in items]
        return scrubbed

    def _replace(self, node: Any, segments: tuple[str | object, ...], removed: list[Any]) -> None:
        head, rest = segments[0], segments[1:]
        if isinstance(node, dict):
            keys = list(node) if head is _ANY else [head] if head in node else []
        elif isinstance(node, list):
            if head is _ANY:
                keys = list(range(len(node)))
            else:
                found = _index(str(head), len(node))
                keys = [] if found is None else [found]
        else:
            return
        for key in keys:
            if rest:
                self._replace(node[key], rest, removed)
            elif node[key] != MASKED:
                removed.append(node[key])
                node[key] = MASKED
