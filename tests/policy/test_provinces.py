"""The province lists come from pycountry (ISO 3166-2:TH) and must not go stale."""

from __future__ import annotations

import json

from tests.support.helpers import ROOT
from tools import gen_provinces


def test_policy_province_data_is_generated_from_pycountry() -> None:
    on_disk = json.loads((ROOT / "policies/rulebook/provinces/data.json").read_text("utf-8"))
    assert on_disk == gen_provinces.policy_data(), "run: python tools/gen_provinces.py"


def test_province_schema_is_generated_from_pycountry() -> None:
    on_disk = json.loads((ROOT / "schemas/province.schema.json").read_text("utf-8"))
    assert on_disk == gen_provinces.province_schema(), "run: python tools/gen_provinces.py"


def test_all_76_provinces_bangkok_and_pattaya() -> None:
    provinces = gen_provinces.policy_data()["provinces"]
    assert len(provinces) == 78
    assert provinces["TH-10"]["name"] == {"th": "กรุงเทพมหานคร", "en": "Krung Thep Maha Nakhon"}
    assert provinces["TH-S"]["type"] == "Special administrative city"
    assert provinces["TH-11"]["name"]["th"] == "สมุทรปราการ"
    assert all(row["name"]["th"] != row["name"]["en"] for row in provinces.values())
