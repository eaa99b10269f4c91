"""docs/rulebook/ is the auditors' copy of the shared specification; it must not drift."""

from __future__ import annotations

import pytest

from .conftest import ROOT

SHARED = ROOT.parent / "shared"


@pytest.mark.parametrize(
    ("copy", "original"),
    [("RULEBOOK.md", "RULEBOOK.md"), ("committee-letters.th.txt", "sources/committee-letters.th.txt")],
)
def test_docs_copy_matches_the_shared_specification(copy: str, original: str) -> None:
    source = SHARED / original
    if not source.is_file():
        pytest.skip(f"{source} is not beside this checkout")
    assert (ROOT / "docs" / "rulebook" / copy).read_bytes() == source.read_bytes(), (
        "copy it again from shared/"
    )


def test_every_catalog_rule_is_in_the_rulebook() -> None:
    import json

    rulebook = (ROOT / "docs" / "rulebook" / "RULEBOOK.md").read_text("utf-8")
    catalog = json.loads((ROOT / "policies/rulebook/catalog/data.json").read_text("utf-8"))
    missing = [rule for rule in catalog["rules"] if f"**{rule}**" not in rulebook]
    assert missing == []
