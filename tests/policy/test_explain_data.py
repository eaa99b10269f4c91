"""What explaining a finding needs in advance (policies/rulebook/explain) must not go stale."""

from __future__ import annotations

import json

from tests.support.helpers import ROOT
from tools import gen_explain

ON_DISK = ROOT / "policies/rulebook/explain/data.json"


def test_explain_data_is_generated_from_the_catalog_and_sources() -> None:
    on_disk = json.loads(ON_DISK.read_text("utf-8"))
    assert on_disk == gen_explain.policy_data(), "run: python tools/gen_explain.py"


def test_explain_data_is_written_as_the_tool_writes_it() -> None:
    assert ON_DISK.read_text("utf-8") == gen_explain.render(gen_explain.policy_data()), (
        "run: python tools/gen_explain.py"
    )


def test_date_params_are_read_from_the_thai_module() -> None:
    assert {"as_of", "signed_on", "meeting_date"} <= gen_explain.date_params()
    assert gen_explain.date_params('date_params := {\n\t"a", "b",\n}\n') == {"a", "b"}


def test_placeholders_of_a_message() -> None:
    found = gen_explain.placeholders(
        {"th": "{as_of_th} {body_th} {rule}", "en": "{as_of} {body_en} ｛x｝ {a{b} {}"}, frozenset({"as_of"})
    )
    assert found["shown"] == {
        "": "{}",
        "as_of": "{as_of}",
        "as_of_th": "{as_of_th}",
        "b": "{b}",
        "body_en": "{body_en}",
        "body_th": "{body_th}",
        "rule": "{rule}",
    }
    assert found["fixed"] == {"rule": "{rule}"}
    assert found["dates"] == {"as_of_th": "as_of"}


def test_every_message_of_the_catalog_is_listed() -> None:
    catalog = json.loads((ROOT / "policies/rulebook/catalog/data.json").read_text("utf-8"))["rules"]
    listed = gen_explain.policy_data()["messages"]
    assert {(r, k) for r, rule in catalog.items() for k in rule["messages"]} == {
        (r, k) for r, messages in listed.items() for k in messages
    }
