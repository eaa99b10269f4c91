"""Generate the province lists from pycountry's ISO 3166-2:TH data.

Two files come from one maintained source (pycountry, which tracks the
ISO 3166 maintenance agency and carries Thai names from iso-codes):

- ``policies/rulebook/provinces/data.json``: names for the policies' messages;
- ``schemas/province.schema.json``: the enum the submission schema refers to.

Run ``python tools/gen_provinces.py`` after upgrading pycountry; the test
``tests/test_provinces.py`` fails while either file is stale.
"""

from __future__ import annotations

import gettext
import json
import sys
from pathlib import Path
from typing import Any

import pycountry

ROOT = Path(__file__).resolve().parent.parent
POLICY_DATA = ROOT / "policies" / "rulebook" / "provinces" / "data.json"
SCHEMA = ROOT / "schemas" / "province.schema.json"
SCHEMA_ID = "https://ictgate.github.io/schemas/v1/province.schema.json"


# iso-codes has no Thai translation for these two codes (pycountry 26.2.16
# returns the English name). Only gaps are filled here; a name the source
# does translate is never overridden.
THAI_NAME_GAPS = {"TH-10": "กรุงเทพมหานคร", "TH-38": "บึงกาฬ"}


def _thai_name(code: str, english: str, thai: gettext.NullTranslations) -> str:
    translated = thai.gettext(english)
    if translated == english and code in THAI_NAME_GAPS:
        return THAI_NAME_GAPS[code]
    return translated


def _subdivisions() -> list[dict[str, Any]]:
    thai = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["th"])
    rows = []
    for sub in pycountry.subdivisions.get(country_code="TH"):
        rows.append(
            {
                "code": sub.code,
                "type": sub.type,
                "name": {"th": _thai_name(sub.code, sub.name, thai), "en": sub.name},
            }
        )
    return sorted(rows, key=lambda row: row["code"])


def policy_data() -> dict[str, Any]:
    return {
        "source": f"pycountry {pycountry_version()} (ISO 3166-2:TH)",
        "provinces": {row["code"]: {"type": row["type"], "name": row["name"]} for row in _subdivisions()},
    }


def province_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Thai province code (รหัสจังหวัด)",
        "description": (
            "An ISO 3166-2:TH subdivision code: the 76 provinces (จังหวัด), Bangkok "
            "(TH-10, กรุงเทพมหานคร) and Pattaya City (TH-S, เมืองพัทยา). Generated from "
            f"pycountry {pycountry_version()} by tools/gen_provinces.py; do not edit by hand."
        ),
        "type": "string",
        "examples": ["TH-11", "TH-20", "TH-S"],
        "oneOf": [
            {"const": row["code"], "description": f"{row['name']['th']} ({row['name']['en']})"}
            for row in _subdivisions()
        ],
    }


def pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    POLICY_DATA.parent.mkdir(parents=True, exist_ok=True)
    POLICY_DATA.write_text(render(policy_data()), encoding="utf-8")
    SCHEMA.write_text(render(province_schema()), encoding="utf-8")
    print(f"wrote {POLICY_DATA.relative_to(ROOT)} and {SCHEMA.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
