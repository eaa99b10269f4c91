"""Writes docs/rules.md from the rule catalog and the policy tests.

Run after changing policies/rulebook/catalog/data.json or policy_tests/;
tests/test_rules_doc.py fails while docs/rules.md is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))

from ictgate.core.catalog import catalog_entries, policy_tests_by_rule, render_markdown  # noqa: E402
from ictgate.core.policy import load_bundle  # noqa: E402

TARGET = ROOT / "docs" / "rules.md"


def document() -> str:
    bundle = load_bundle(ROOT / "policies")
    return render_markdown(
        catalog_entries(bundle), policy_tests_by_rule(ROOT / "policy_tests"), bundle.revision
    )


def main() -> int:
    TARGET.write_text(document(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
