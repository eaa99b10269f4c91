"""The rule catalog for people: GET /v1/rules and docs/rules.md.

The catalog is policy data (policies/rulebook/catalog/data.json); this module
only joins it with the source documents and with the policy tests that name
each rule, and renders it. Nothing here decides a verdict.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from ictgate.core.policy import PolicyBundle, package_of

__all__ = ["catalog_entries", "policy_tests_by_rule", "render_markdown"]

_RULE_ID = re.compile(r"R-(?:AUTH|COMP|CCTV|DATA|RES)-\d+")
_TEST_START = re.compile(r"^((?:todo_)?test_\w+)\b", re.MULTILINE)


def catalog_entries(bundle: PolicyBundle) -> list[dict[str, Any]]:
    """Every rule of the catalog with its citation resolved to the source document."""
    rulebook = bundle.data["rulebook"]
    documents = rulebook["sources"]["documents"]
    entries = []
    for rule_id, rule in rulebook["catalog"]["rules"].items():
        source = rule["citation"]["source"]
        document = documents.get(source, {})
        entries.append(
            {
                "id": rule_id,
                "family": rule["family"],
                "title": rule["title"],
                "severity": rule["severity"],
                "in_force": rule["in_force"],
                "interpretation": rule["interpretation"],
                "citation": {
                    "source": source,
                    "clause": rule["citation"]["clause"],
                    "date": document.get("date", ""),
                    "reference": document.get("reference", ""),
                    "title": document.get("title", {"th": "", "en": ""}),
                },
                "citations_by_case": rule.get("citation_by_message", {}),
                "messages": rule["messages"],
                "order": rule["order"],
                # Why a product default is one (a province can change it), where the catalog says.
                **(
                    {"interpretation_note": rule["interpretation_note"]}
                    if "interpretation_note" in rule
                    else {}
                ),
            }
        )
    return sorted(entries, key=lambda entry: entry["order"])


def policy_tests_by_rule(test_dir: Path) -> dict[str, list[str]]:
    """Rule id -> the Rego tests (data.<package>.<test>) whose body names it."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(test_dir.rglob("*.rego")):
        source = path.read_text("utf-8")
        package = package_of(source)
        if package is None:
            continue
        starts = list(_TEST_START.finditer(source))
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(source)
            for rule_id in sorted(set(_RULE_ID.findall(source[match.start() : end]))):
                found[rule_id].append(f"data.{package}.{match.group(1)}")
    return dict(found)


def _in_force(window: dict[str, str]) -> str:
    return f"from {window['from']}" + (f" until {window['until']}" if window.get("until") else "")


def render_markdown(entries: list[dict[str, Any]], tests: dict[str, list[str]], revision: str) -> str:
    lines = [
        "# Rule catalog (แค็ตตาล็อกกฎ)",
        "",
        "Generated from `policies/rulebook/catalog/data.json` and `policy_tests/` by",
        "`python tools/gen_rules_doc.py`; a test fails when this file is stale. Do not edit by hand.",
        f"Policy revision: `{revision}`.",
        "",
        "| rule | title | severity when broken | in force | source |",
        "|---|---|---|---|---|",
    ]
    for entry in entries:
        citation = entry["citation"]
        marker = " (interpretation)" if entry["interpretation"] else ""
        lines.append(
            f"| [{entry['id']}](#{entry['id'].lower()}) | {entry['title']['en']} | {entry['severity']} | "
            f"{_in_force(entry['in_force'])} | {citation['source']} {citation['clause']}{marker} |"
        )
    for entry in entries:
        citation = entry["citation"]
        lines += [
            "",
            f"## {entry['id']}",
            "",
            f"**{entry['title']['th']}**  ",
            f"{entry['title']['en']}",
            "",
            f"- Source: {citation['source']}, {citation['clause']}: {citation['title']['th']} "
            f"({citation['title']['en']}), {citation['date']}",
            f"- In force: {_in_force(entry['in_force'])}; severity when broken: {entry['severity']}"
            + (
                "; **the product's interpretation** where the letters are silent"
                if entry["interpretation"]
                else ""
            ),
        ]
        if "interpretation_note" in entry:
            note = entry["interpretation_note"]
            lines.append(f"- Why it is an interpretation: {note['th']} ({note['en']})")
        for case, reference in sorted(entry["citations_by_case"].items()):
            lines.append(f"- Case `{case}` cites {reference['source']}, {reference['clause']}")
        lines += ["", "| case | ภาษาไทย | English |", "|---|---|---|"]
        for case, message in entry["messages"].items():
            thai = message["th"].replace("|", "\\|")
            english = message["en"].replace("|", "\\|")
            lines.append(f"| `{case}` | {thai} | {english} |")
        named = tests.get(entry["id"], [])
        lines += ["", f"Policy tests that name this rule ({len(named)}):", ""]
        lines += [f"- `{name}`" for name in named] or [
            "- (none name it directly; see the tests of its package)"
        ]
    return "\n".join(lines) + "\n"
