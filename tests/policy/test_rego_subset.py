"""The policies keep to built-ins that both OPA and regorus implement.

regorus lacks some of OPA's built-ins (rego.metadata.*, http.send, opa.runtime
and others), and where an engine lacks one the same input would get different
verdicts. Each built-in below was checked on regorus 0.13.0; adding one to the
policies means checking it there too and adding it here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.helpers import ROOT

BOTH_ENGINES = {
    "array.concat", "array.slice", "concat", "contains", "count", "format_int", "is_boolean",
    "is_number", "is_object", "is_string", "json.patch", "json.remove", "lower", "max", "min",
    "numbers.range", "object.get", "sum", "object.keys", "object.union", "regex.match", "round", "set",
    "sort", "sprintf", "startswith", "strings.replace_n", "substring", "to_number", "trim_left",
    "trim_space",
}  # fmt: skip

NEVER = {"rego.metadata.rule", "rego.metadata.chain", "http.send", "opa.runtime", "time.now_ns", "rand.intn"}

_CALL = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\(")
_IMPORT = re.compile(r"^import\s+data\.([\w.]+?)(?:\s+as\s+(\w+))?\s*$", re.MULTILINE)
_DEFINED = re.compile(r"^(_?\w+)\(", re.MULTILINE)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`')

FILES = sorted([*ROOT.glob("policies/**/*.rego"), *ROOT.glob("policy_tests/**/*.rego")])


def _builtins(path: Path) -> set[str]:
    source = "\n".join(
        line.split("#", 1)[0] for line in _STRING.sub('""', path.read_text("utf-8")).splitlines()
    )
    aliases = {alias or target.rsplit(".", 1)[-1] for target, alias in _IMPORT.findall(source)}
    defined = set(_DEFINED.findall(source))
    calls = set(_CALL.findall(source))
    return {call for call in calls if call.split(".", 1)[0] not in aliases | {"data"} and call not in defined}


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_policy_uses_only_builtins_both_engines_have(path: Path) -> None:
    used = _builtins(path)
    assert used & NEVER == set()
    assert used - BOTH_ENGINES == set(), "check these on regorus, then add them to BOTH_ENGINES"


def test_the_guard_sees_builtins(tmp_path: Path) -> None:
    sample = tmp_path / "x.rego"
    sample.write_text(
        "package x\n\nimport data.lib.money\n\nf(a) := 1\n\nv := rego.metadata.rule() if { f(1); "
        'money.format_thb(2); sprintf("a(b)", []) }\n'
    )
    assert _builtins(sample) == {"rego.metadata.rule", "sprintf"}
