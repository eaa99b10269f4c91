"""The README's examples show what the product really answers today."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from ictgate.cli.main import main

from tests.support.helpers import ROOT

README = (ROOT / "README.md").read_text("utf-8")
STAMPS = ("decision_id", "evaluated_at", "policy", "engine")


def _unstamped(verdict: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in verdict.items() if key not in STAMPS}


def test_the_curl_example_returns_the_verdict_the_readme_shows(client: TestClient) -> None:
    shown = (
        README.split("<summary>Full verdict (JSON)</summary>", 1)[1]
        .split("```json\n", 1)[1]
        .split("```", 1)[0]
    )
    answer = client.post(
        "/v1/precheck", json=json.loads((ROOT / "examples/proposals/bangpu-cctv.json").read_text("utf-8"))
    ).json()
    assert _unstamped(json.loads(shown)) == _unstamped(answer)


def test_the_cli_example_prints_what_the_readme_shows(capsys: pytest.CaptureFixture[str]) -> None:
    command = "examples/proposals/korat-gis-over-threshold.yaml"
    block = README.split(f"$ .venv/bin/ictgate check {command}\n", 1)[1].split("$ echo $?", 1)[0]
    assert main(["check", str(ROOT / command)]) == 1
    printed = capsys.readouterr().out.replace(str(ROOT) + "/", "")

    def comparable(text: str) -> list[str]:
        return [
            re.sub(r"decision \S+ · policy \S+", "decision … · policy …", line) for line in text.splitlines()
        ]

    assert comparable(printed) == comparable(block)
