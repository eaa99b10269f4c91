"""The policies' METADATA annotations agree with the rule catalog.

OPA reads a ``# METADATA`` comment block (YAML, every line from column 1) as
the annotations of the statement that follows it; regorus reads it as a
comment. Each package has one (scope: package), each rule group that reports
findings of catalogued rules lists them in ``custom.rule_ids``, and the two
verdict rules are marked ``entrypoint: true``. These tests parse the blocks
from the text of ``policies/**/*.rego`` and check that:

* every package is annotated, with a title and a description;
* the entrypoints are exactly the pre-check and committee-order verdicts;
* every rule of ``policies/rulebook/catalog/data.json`` is claimed by some
  rule group, and no annotation names a rule the catalog does not have;
* every ``custom.sources`` entry is a document of the sources data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
RULEBOOK = POLICIES / "rulebook"

ENTRYPOINTS = {
    "data.ictgate.precheck.main.verdict",
    "data.ictgate.committee.main.verdict",
    "data.ictgate.resolutions.main.verdict",
}

_PACKAGE = re.compile(r"^package\s+([A-Za-z0-9_.]+)")
_RULE = re.compile(r"^(?:default\s+)?([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Annotation:
    path: str
    line: int
    target: str  # "package" or the rule's name
    package: str
    fields: dict[str, Any]

    @property
    def document(self) -> str:
        if self.target == "package":
            return f"data.{self.package}"
        return f"data.{self.package}.{self.target}"


def _uncomment(line: str) -> str:
    return line[2:] if line.startswith("# ") else line[1:]


def parse_annotations(source: str, path: str = "<string>") -> list[Annotation]:
    """The METADATA blocks of a Rego source, each with the statement it annotates."""
    lines = source.split("\n")
    package = next((m.group(1) for line in lines if (m := _PACKAGE.match(line))), "")
    found = []
    row = 0
    while row < len(lines):
        if lines[row].rstrip() != "# METADATA":
            row += 1
            continue
        start = row
        row += 1
        body = []
        while row < len(lines) and lines[row].startswith("#"):
            body.append(_uncomment(lines[row]))
            row += 1
        # The statement that follows; a blank line then prose comments may come between.
        following = row
        while following < len(lines) and (not lines[following].strip() or lines[following].startswith("#")):
            following += 1
        statement = lines[following] if following < len(lines) else ""
        if _PACKAGE.match(statement):
            target = "package"
        else:
            rule = _RULE.match(statement)
            target = rule.group(1) if rule else "<none>"
        fields = yaml.safe_load("\n".join(body)) or {}
        assert isinstance(fields, dict), f"{path}:{start + 1}: METADATA is not a YAML mapping"
        found.append(Annotation(path, start + 1, target, package, fields))
    return found


def _policy_files() -> list[Path]:
    return sorted(POLICIES.rglob("*.rego"))


@pytest.fixture(scope="module")
def all_annotations() -> list[Annotation]:
    return [
        a for p in _policy_files() for a in parse_annotations(p.read_text("utf-8"), str(p.relative_to(ROOT)))
    ]


def _catalog_rule_ids() -> set[str]:
    catalog = json.loads((RULEBOOK / "catalog" / "data.json").read_text("utf-8"))
    return set(catalog["rules"])


# The parser itself.

SAMPLE = """# Prose about the package.

# METADATA
# scope: package
# title: Sample
# description: >-
#   Two lines
#   of text.
package ictgate.sample

# METADATA
# scope: document
# custom:
#   rule_ids: [R-X-1]

# A prose comment between the block and the rule.
findings contains 1 if true

# METADATA
# entrypoint: true
verdict := 1
"""


def test_parses_blocks_and_their_statements() -> None:
    found = parse_annotations(SAMPLE)
    assert [(a.line, a.target, a.document) for a in found] == [
        (3, "package", "data.ictgate.sample"),
        (11, "findings", "data.ictgate.sample.findings"),
        (19, "verdict", "data.ictgate.sample.verdict"),
    ]
    assert found[0].fields == {"scope": "package", "title": "Sample", "description": "Two lines of text."}
    assert found[1].fields["custom"] == {"rule_ids": ["R-X-1"]}
    assert found[2].fields == {"entrypoint": True}


def test_a_file_without_blocks_has_no_annotations() -> None:
    assert parse_annotations("# title: not metadata\npackage x\n\nallow := true\n") == []


# The policies.


def test_every_package_is_annotated(all_annotations: list[Annotation]) -> None:
    for path in _policy_files():
        relative = str(path.relative_to(ROOT))
        packages = [a for a in all_annotations if a.path == relative and a.target == "package"]
        assert len(packages) == 1, f"{relative}: {len(packages)} package annotations"
        fields = packages[0].fields
        assert fields.get("scope") == "package", relative
        assert str(fields.get("title", "")).strip(), relative
        assert str(fields.get("description", "")).strip(), relative


def test_every_block_annotates_a_statement(all_annotations: list[Annotation]) -> None:
    for a in all_annotations:
        assert a.target != "<none>", f"{a.path}:{a.line}"
        assert a.fields.get("scope", "rule") in {"package", "rule", "document", "subpackages"}, (
            f"{a.path}:{a.line}"
        )


def test_the_three_verdicts_are_the_entrypoints(all_annotations: list[Annotation]) -> None:
    marked = {a.document for a in all_annotations if a.fields.get("entrypoint") is True}
    assert marked == ENTRYPOINTS


def test_every_catalog_rule_is_claimed_and_no_unknown_one(all_annotations: list[Annotation]) -> None:
    claimed: set[str] = set()
    for a in all_annotations:
        rule_ids = (a.fields.get("custom") or {}).get("rule_ids", [])
        assert isinstance(rule_ids, list), f"{a.path}:{a.line}"
        assert a.target != "package" or not rule_ids, f"{a.path}:{a.line}: rule_ids belong on rule groups"
        claimed |= set(rule_ids)
    catalog = _catalog_rule_ids()
    assert len(catalog) >= 37
    assert sorted(catalog - claimed) == [], "catalog rules no rule group claims"
    assert sorted(claimed - catalog) == [], "annotations name rules the catalog does not have"


def test_sources_are_known_documents(all_annotations: list[Annotation]) -> None:
    documents = set(json.loads((RULEBOOK / "sources" / "data.json").read_text("utf-8"))["documents"])
    named = {s for a in all_annotations for s in (a.fields.get("custom") or {}).get("sources", [])}
    assert named, "no annotation names its sources"
    assert sorted(named - documents) == []
