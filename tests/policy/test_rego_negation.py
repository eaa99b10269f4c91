"""No negation in the policies whose operand may look up a missing value.

Why: the two engines read such a negation differently. OPA compiles
``not f(x.y)`` as ``t := x.y; not f(t)``: the lookup is done *outside* the
negation, so when ``x.y`` is missing the whole rule body is undefined. Regorus
evaluates the lookup inside the negation, so the same line is true. The same
holds for operators (``not x.y >= z``, ``not x.y in s``) and for an index
(``not a[b.c]``, ``not a[rule]`` with an undefined ``rule``). In this project
that made every R-DATA finding vanish on OPA (``not as_of >= window.until``
for a rule window without ``until``): a fail-open bug that regorus hid.

The fix is to move the lookup into a rule or function of its own, defined for
the missing case (``not _known_kind`` with ``_known_kind if
_terms.agency_kinds[_kind]``), or to give it a default (``object.get``).

The check is a heuristic over the text of ``policies/**/*.rego``. For every
``not`` expression (comments and string literals removed first):

* a bare reference made of names and dots (``not routing.route.province``,
  ``not window.until``) is an existence test: both engines agree, so it passes;
* otherwise function names (``object.get(``, ``_has_purpose(``) and number
  literals are dropped, and the expression fails when what remains still holds
  a ``.`` (attribute access) or an index ``[`` (one right after a name, ``]`` or
  ``)``; a ``[`` after a space, comma or parenthesis starts an array literal).

A line that is safe for a reason the heuristic cannot see can say so with a
trailing ``# negation-safe: <reason>`` comment (the reason is required).

Standard library only; runs without the engines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"

WHITELIST = re.compile(r"#\s*negation-safe:\s*\S")

_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`')
_COMMENT = re.compile(r"#.*")
_NOT = re.compile(r"\bnot\s+")
_BARE_REF = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_FUNCTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\s*\(")
_NUMBER = re.compile(r"\b\d+\.\d+(?:[eE][+-]?\d+)?\b")
_INDEX = re.compile(r"[A-Za-z0-9_\])]\[")

_OPEN = "([{"
_CLOSE = ")]}"


@dataclass(frozen=True)
class Negation:
    path: str
    line: int
    expression: str
    source_line: str


def _blank(match: re.Match[str]) -> str:
    """Replaces a string literal with an empty one of the same kind, keeping newlines."""
    text = match.group(0)
    return text[0] + "\n" * text.count("\n") + text[0]


def _code_lines(source: str) -> list[str]:
    """The source's lines with string literals emptied and comments removed."""
    without_strings = _STRING.sub(_blank, source)
    return [_COMMENT.sub("", line) for line in without_strings.split("\n")]


def _operand(lines: list[str], row: int, column: int) -> str:
    """The text of the negated expression that starts at lines[row][column]."""
    depth = 0
    parts: list[str] = []
    text = lines[row][column:]
    while True:
        for index, char in enumerate(text):
            if char in _OPEN:
                depth += 1
            elif char in _CLOSE:
                depth -= 1
                if depth < 0:  # the end of an enclosing comprehension or call
                    return " ".join(parts + [text[:index]]).strip()
            elif char == ";" and depth == 0:
                return " ".join(parts + [text[:index]]).strip()
        parts.append(text)
        row += 1
        if depth <= 0 or row >= len(lines):
            return " ".join(parts).strip()
        text = lines[row]


def negations(source: str, path: str = "<string>") -> list[Negation]:
    """Every ``not`` expression of a Rego source, with its line number (from 1)."""
    raw_lines = source.split("\n")
    lines = _code_lines(source)
    found = []
    for row, line in enumerate(lines):
        for match in _NOT.finditer(line):
            expression = _operand(lines, row, match.end())
            found.append(Negation(path, row + 1, expression, raw_lines[row]))
    return found


def is_unsafe(expression: str) -> bool:
    """True when a negated expression may look up a value that can be missing."""
    expression = expression.strip()
    if _BARE_REF.fullmatch(expression):
        return False  # an existence test: undefined reads as false on both engines
    rest = _NUMBER.sub("0", expression)
    rest = _FUNCTION_NAME.sub("(", rest)
    return "." in rest or _INDEX.search(rest) is not None


def unsafe_negations(source: str, path: str = "<string>") -> list[Negation]:
    """The negations the heuristic rejects and no negation-safe comment excuses."""
    return [
        n for n in negations(source, path) if is_unsafe(n.expression) and not WHITELIST.search(n.source_line)
    ]


def _policy_files() -> list[Path]:
    return sorted(POLICIES.rglob("*.rego"))


# The detector itself.

OLD_CONTEXT_RULE = """
in_force(rule_id) if {
	window := _rules[rule_id].in_force
	as_of >= window.from
	not as_of >= window.until
}
"""

NEW_CONTEXT_RULE = """
in_force(rule_id) if {
	window := _rules[rule_id].in_force
	as_of >= window.from
	_before_end(window)
}

_before_end(window) if not window.until

_before_end(window) if as_of < window.until
"""


def test_detects_the_old_in_force_window_check() -> None:
    found = unsafe_negations(OLD_CONTEXT_RULE)
    assert [(n.line, n.expression) for n in found] == [(5, "as_of >= window.until")]


def test_accepts_the_rewritten_in_force_window_check() -> None:
    assert unsafe_negations(NEW_CONTEXT_RULE) == []
    assert [n.expression for n in negations(NEW_CONTEXT_RULE)] == ["window.until"]


def test_detects_calls_operators_and_indexes_on_lookups() -> None:
    for line in [
        "\tnot is_boolean(_cctv.public_live_feed)",
        "\tnot share.recipient_type in _recipient_types",
        "\tnot _terms.agency_kinds[_kind]",
        "\tnot _provinces[_province]",
        "\tnot _cctv.notice_posted == true",
        "\tnot _declares_2024_field(order.members[i])",
        "x if not count(input.items) > 0",
        "xs := [i | some i in s; not f(input.a)]",
        "\tnot f(\n\t\tinput.a,\n\t)",
    ]:
        assert len(unsafe_negations(line)) == 1, line


def test_accepts_names_bare_references_and_literals() -> None:
    for line in [
        "\tnot _known_kind",
        "\tnot _has_purpose(share)",
        "\tnot context.as_of",
        "\tnot timeline.has_timeline",
        "route := _authority_route if not timeline.overrides_authority",
        "\tnot routing.route.province",
        '\tnot power in object.get(order, "powers", [])',
        '\tnot object.get(_cctv, ["security", measure], false) == true',
        "\tnot x > 1.5",
        '\tnot contains(text, "a.b[c]")',
        "\t# not as_of >= window.until",
        "\tnote := input.a.b",
        '\tm := "not_applicable"',
    ]:
        assert unsafe_negations(line) == [], line


def test_whitelist_needs_a_reason() -> None:
    assert unsafe_negations("\tnot f(input.a) # negation-safe: input.a is checked above") == []
    assert len(unsafe_negations("\tnot f(input.a) # negation-safe:")) == 1


def test_negation_ends_at_the_end_of_its_comprehension() -> None:
    found = negations("ys := [y | some y in xs; not y in s]")
    assert [n.expression for n in found] == ["y in s"]


# The policies.


def test_policies_are_scanned() -> None:
    files = _policy_files()
    assert len(files) >= 15
    assert sum(len(negations(p.read_text("utf-8"))) for p in files) >= 30


def test_no_policy_negates_a_lookup_that_may_be_missing() -> None:
    found = [
        f"{n.path}:{n.line}: not {n.expression}"
        for p in _policy_files()
        for n in unsafe_negations(p.read_text("utf-8"), str(p.relative_to(ROOT)))
    ]
    assert found == [], "negations OPA and regorus read differently:\n" + "\n".join(found)
