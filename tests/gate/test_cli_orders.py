"""ictgate check on committee-order files: told apart by content, locally and through a server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ictgate.cli.main import main
from ictgate.gate.run import COMMITTEE_ORDER, SUBMISSION, document_kind

from tests.support.helpers import ROOT

ORDERS = ROOT / "schemas/examples/committee_order/valid"
OLD_ORDER = ORDERS / "nakhon-ratchasima-2010.json"
AMENDED_ORDER = ORDERS / "samut-prakan-2024-amended.json"


def test_kind_is_told_by_content() -> None:
    assert document_kind(json.loads(OLD_ORDER.read_text())) == COMMITTEE_ORDER
    assert document_kind(json.loads((ROOT / "examples/proposals/bangpu-cctv.json").read_text())) == SUBMISSION
    assert document_kind({"members": [], "order": {}, "project": {}}) == SUBMISSION
    assert document_kind([]) == SUBMISSION


def test_old_order_passes_with_warnings_for_computer_systems(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(OLD_ORDER), "--as-of", "2025-06-01", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "! R-COMP-13 warn  / (line 1)" in out
    assert "! R-COMP-11 warn  /members (line 8)" in out


def test_old_order_fails_for_cctv_projects(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["check", str(OLD_ORDER), "--as-of", "2025-06-01", "--order-category", "cctv", "--format", "json"]
    )
    assert code == 1
    (item,) = json.loads(capsys.readouterr().out)["files"]
    failing = sorted({f["rule"] for f in item["verdict"]["findings"] if f["outcome"] == "fail"})
    assert failing == ["R-COMP-10", "R-COMP-11", "R-COMP-12", "R-COMP-13"]


def test_old_order_before_the_2024_letter_passes_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["check", str(OLD_ORDER), "--as-of", "2024-05-30", "--order-category", "cctv", "--lang", "en"])
        == 0
    )
    assert "warn" not in capsys.readouterr().out


def test_bad_order_is_invalid_with_its_field_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = json.loads(AMENDED_ORDER.read_text())
    order["members"][2]["expertise"] = ["astrology"]
    path = tmp_path / "order.json"
    path.write_text(json.dumps(order, ensure_ascii=False, indent=2))
    assert main(["check", str(path), "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert "invalid (schema_violation): 1 error against committee_order.schema.json" in out
    assert "/members/2/expertise/0" in out


def test_orders_and_proposals_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(AMENDED_ORDER, tmp_path / "order.json")
    shutil.copy(ROOT / "examples/proposals/bangpu-cctv.json", tmp_path / "proposal.json")
    assert main(["check", str(tmp_path), "--as-of", "2025-02-01", "--format", "json"]) == 0
    files = json.loads(capsys.readouterr().out)["files"]
    assert [(Path(f["file"]).name, f["verdict"]["verdict"], "route" in f["verdict"]) for f in files] == [
        ("order.json", "pass", False),
        ("proposal.json", "pass", True),
    ]


def test_server_gives_the_same_verdict_on_orders(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", str(OLD_ORDER), "--as-of", "2025-06-01", "--order-category", "cctv", "--format", "json"]
    assert main(args) == 1
    local = json.loads(capsys.readouterr().out)["files"][0]["verdict"]
    assert main([*args, "--server", server]) == 1
    remote = json.loads(capsys.readouterr().out)["files"][0]["verdict"]
    stamps = ("decision_id", "evaluated_at", "engine")
    assert {k: v for k, v in remote.items() if k not in stamps} == {
        k: v for k, v in local.items() if k not in stamps
    }
