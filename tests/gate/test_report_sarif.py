"""SARIF 2.1.0: valid against the published schema; rule ids, rule metadata and lines exact."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from ictgate.core.settings import REPO_ROOT
from jsonschema import Draft7Validator

from tests.support.agency import (
    FAIL_DATA_CENTRE,
    INVALID_SCHOOL_WIFI,
    PASS_E_OFFICE,
    PASS_WITH_WARNING,
    copy_repo,
    run_check,
)

SCHEMA_FILE = REPO_ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
# tests/data/README.md: where the schema comes from, and this hash.
SCHEMA_SHA256 = "03b3c591cf1a1a87c5e29119785ec9671e07a38f5f5a761d2deeea0e07faa738"


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    raw = SCHEMA_FILE.read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SCHEMA_SHA256
    schema = json.loads(raw)
    assert schema["$id"].endswith("/sarif-schema-2.1.0.json")
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("sarif"))


@pytest.fixture(scope="module")
def log(repo: Path) -> dict[str, Any]:
    outcome = run_check(repo, ["proposals", "--format", "sarif", "--lang", "en"])
    assert outcome.code == 2
    document: dict[str, Any] = json.loads(outcome.stdout)
    return document


def _valid(validator: Draft7Validator, document: dict[str, Any]) -> None:
    problems = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)
    ]
    assert problems == []


def test_the_log_is_valid_sarif(validator: Draft7Validator, log: dict[str, Any]) -> None:
    _valid(validator, log)
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"


def test_each_result_is_on_the_line_of_its_field(log: dict[str, Any]) -> None:
    run = log["runs"][0]
    located = [
        (
            result["ruleId"],
            result["level"],
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        )
        for result in run["results"]
    ]
    assert located == [
        ("R-AUTH-2", "error", FAIL_DATA_CENTRE, 16, "/requested_body"),
        ("R-AUTH-3", "warning", PASS_WITH_WARNING, 12, "/project/standard_prices"),
        ("ictgate/schema_violation", "error", INVALID_SCHOOL_WIFI, 12, "/project/budget_thb"),
        ("ictgate/schema_violation", "error", INVALID_SCHOOL_WIFI, 9, "/project/standard_prices"),
    ]
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert run["artifacts"][location["index"]]["location"]["uri"] == location["uri"]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert (
        run["results"][2]["message"]["text"] == "/project/budget_thb: 1890000.005 has more than two decimals"
    )


def test_results_carry_the_citation(log: dict[str, Any]) -> None:
    result = log["runs"][0]["results"][0]
    assert result["message"]["text"].splitlines() == [
        "Submit to the MOI computer-system management committee, not the Provincial committee for the "
        "administration and procurement of computer systems of MOI agencies: the budget of 7,850,000.00 THB "
        "exceeds 5,000,000.00 THB.",
        "source: MOI-MEMO-2010 ข้อ 3.2 (§3.2), มท 0210.5/231, 2010-02-02",
    ]
    assert result["properties"]["citation"]["source"] == "MOI-MEMO-2010"
    assert result["properties"]["outcome"] == "fail"
    assert len(result["partialFingerprints"]["ictgateFinding/v1"]) == 32


def _evaluated(report: dict[str, Any]) -> list[str]:
    """The rules of the verdicts, in catalog order: the rules a run's SARIF describes."""
    catalog = json.loads((REPO_ROOT / "policies/rulebook/catalog/data.json").read_text("utf-8"))["rules"]
    seen = {f["rule"] for item in report["files"] if "verdict" in item for f in item["verdict"]["findings"]}
    return sorted(seen, key=lambda rule: catalog[rule]["order"])


def test_the_rules_are_those_evaluated_with_catalog_metadata(repo: Path, log: dict[str, Any]) -> None:
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    report = json.loads(run_check(repo, ["proposals", "--format", "json"]).stdout)
    assert [rule["id"] for rule in rules] == [*_evaluated(report), "ictgate/schema_violation"]
    assert {"R-AUTH-1", "R-AUTH-2", "R-AUTH-3", "R-AUTH-6", "R-AUTH-8", "R-AUTH-10"} <= {
        r["id"] for r in rules
    }
    catalog = json.loads((REPO_ROOT / "policies/rulebook/catalog/data.json").read_text("utf-8"))["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    auth2 = by_id["R-AUTH-2"]
    assert auth2["shortDescription"]["text"] == catalog["R-AUTH-2"]["title"]["en"]
    assert auth2["properties"]["title"] == catalog["R-AUTH-2"]["title"]
    assert auth2["defaultConfiguration"]["level"] == "error"
    assert by_id["R-AUTH-3"]["defaultConfiguration"]["level"] == "warning"
    assert auth2["properties"]["citation"] == {
        "source": "MOI-MEMO-2010",
        "clause": "ข้อ 3.2 (§3.2)",
        "reference": "มท 0210.5/231",
        "date": "2010-02-02",
        "title": {
            "th": "บันทึกข้อความ ศทส. สป. ที่ มท 0210.5/231 ลงวันที่ 2 กุมภาพันธ์ 2553",
            "en": "MOI ICT Centre memorandum No. มท 0210.5/231 of 2 February 2010",
        },
        "interpretation": False,
    }
    help_text = auth2["help"]["text"].splitlines()
    assert help_text[0] == "R-AUTH-2: " + catalog["R-AUTH-2"]["title"]["en"]
    assert "source: MOI-MEMO-2010 ข้อ 3.2 (§3.2), มท 0210.5/231, 2010-02-02" in help_text
    assert "MOI ICT Centre memorandum No. มท 0210.5/231 of 2 February 2010" in help_text
    assert auth2["help"]["markdown"].startswith("**R-AUTH-2**: ")
    assert "(interpretation)" in by_id["R-AUTH-3"]["fullDescription"]["text"]


def test_thai_and_english_titles_with_lang_both(repo: Path, validator: Draft7Validator) -> None:
    document = json.loads(run_check(repo, [FAIL_DATA_CENTRE, "--format", "sarif"]).stdout)
    _valid(validator, document)
    [auth2] = [rule for rule in document["runs"][0]["tool"]["driver"]["rules"] if rule["id"] == "R-AUTH-2"]
    assert auth2["shortDescription"]["text"] == (
        "โครงการวงเงินเกินเกณฑ์ ให้เสนอคณะกรรมการระดับกระทรวงมหาดไทย / "
        "Projects above the threshold go to the MOI committee"
    )
    message = document["runs"][0]["results"][0]["message"]["text"].splitlines()
    assert message[0].startswith("ต้องเสนอคณะกรรมการบริหารและจัดการระบบคอมพิวเตอร์ของกระทรวงมหาดไทย")
    assert message[1].startswith("Submit to the MOI computer-system management committee")
    assert message[2] == "อ้างอิง / source: MOI-MEMO-2010 ข้อ 3.2 (§3.2), มท 0210.5/231, 2010-02-02"


def test_every_file_read_is_an_artifact_with_its_state(repo: Path, log: dict[str, Any]) -> None:
    run = log["runs"][0]
    assert [(a["location"]["uri"], a["properties"]["state"]) for a in run["artifacts"]] == [
        (FAIL_DATA_CENTRE, "fail"),
        (PASS_E_OFFICE, "pass"),
        (PASS_WITH_WARNING, "pass"),
        (INVALID_SCHOOL_WIFI, "invalid"),
    ]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == repo.resolve().as_uri() + "/"
    assert urlsplit(base).scheme == "file"
    assert run["invocations"] == [
        {"executionSuccessful": True, "exitCode": 2, "toolExecutionNotifications": []}
    ]
    assert run["properties"]["summary"]["invalid"] == 1


def test_a_clean_run_has_no_results_but_lists_what_it_read(repo: Path, validator: Draft7Validator) -> None:
    outcome = run_check(repo, [PASS_E_OFFICE, "--format", "sarif"])
    assert outcome.code == 0
    document = json.loads(outcome.stdout)
    _valid(validator, document)
    run = document["runs"][0]
    assert run["results"] == []
    assert [a["location"]["uri"] for a in run["artifacts"]] == [PASS_E_OFFICE]
    report = json.loads(run_check(repo, [PASS_E_OFFICE, "--format", "json"]).stdout)
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == _evaluated(report)


def test_paths_that_match_nothing_are_notifications(repo: Path, validator: Draft7Validator) -> None:
    outcome = run_check(repo, [PASS_E_OFFICE, "proposals/fy2570", "--format", "sarif"])
    assert outcome.code == 2
    document = json.loads(outcome.stdout)
    _valid(validator, document)
    [invocation] = document["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == 2
    assert [
        (n["level"], n["message"]["text"], n["descriptor"]["id"])
        for n in invocation["toolExecutionNotifications"]
    ] == [("error", "proposals/fy2570: no such file or directory", "ictgate/unmatched_path")]


def test_a_file_that_is_not_yaml_is_a_result_on_its_line(tmp_path: Path, validator: Draft7Validator) -> None:
    (tmp_path / "broken.yaml").write_text("agency:\n  name: x\n  kind: [pao\nproject: {}\n", "utf-8")
    outcome = run_check(tmp_path, ["broken.yaml", "--format", "sarif"])
    assert outcome.code == 2
    document = json.loads(outcome.stdout)
    _valid(validator, document)
    [result] = document["runs"][0]["results"]
    assert result["ruleId"] == "ictgate/malformed_json"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}
    assert result["message"]["text"].startswith("not valid YAML: ")


def test_file_names_outside_the_working_directory_are_absolute_uris(
    tmp_path: Path, validator: Draft7Validator
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    here = tmp_path / "here"
    here.mkdir()
    path = elsewhere / "ข้อเสนอ โครงการ.yaml"
    path.write_text((copy_repo(tmp_path) / FAIL_DATA_CENTRE).read_text("utf-8"), "utf-8")
    document = json.loads(run_check(here, [str(path), "--format", "sarif"]).stdout)
    _valid(validator, document)
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == path.as_uri()
    assert "uriBaseId" not in location
