"""The README's and the docs' examples show what the product really answers today.

Each runnable snippet is run (in process, on the default engine) and its shown
output compared with what it prints or answers now. Values that differ on every
run (decision ids, times, temporary paths) and the policy revision and digest
are normalised; everything else must match.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from ictgate.cli.main import main
from ictgate.core.settings import get_settings

from tests.support.helpers import ROOT

README = (ROOT / "README.md").read_text("utf-8")
API = (ROOT / "docs" / "api.md").read_text("utf-8")
CLI = (ROOT / "docs" / "cli.md").read_text("utf-8")
CONTRACT = (ROOT / "docs" / "contract.md").read_text("utf-8")
POLICIES = (ROOT / "docs" / "policies.md").read_text("utf-8")
AUDIT = (ROOT / "docs" / "audit-trail.md").read_text("utf-8")
SECURITY = (ROOT / "docs" / "security.md").read_text("utf-8")
AGENCY = ROOT / "examples" / "agency-repo"

STAMPS = ("decision_id", "evaluated_at", "policy", "engine")
BANGPU = ROOT / "examples/proposals/bangpu-cctv.json"


def _unstamped(verdict: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in verdict.items() if key not in STAMPS}


def _block_after(text: str, marker: str, fence: str = "```json\n") -> str:
    """The first fenced block after ``marker``."""
    assert marker in text, f"{marker!r} is no longer in the document"
    return text.split(marker, 1)[1].split(fence, 1)[1].split("```", 1)[0]


def _console(text: str, command: str) -> list[str]:
    """The lines a console block shows after ``$ command``, up to the next prompt or the block's end."""
    marker = f"$ {command}\n"
    assert marker in text, f"the command {command!r} is no longer shown"
    shown = text.split(marker, 1)[1].split("```", 1)[0]
    return shown.split("\n$ ", 1)[0].rstrip("\n").splitlines()


def _is_part_of(shown: Any, actual: Any) -> bool:
    """Whether ``shown`` is an abridged copy of ``actual``: every key it shows has the same value,
    and every list item it shows matches an item of the actual list."""
    if isinstance(shown, dict):
        return isinstance(actual, dict) and all(
            key in actual and _is_part_of(value, actual[key]) for key, value in shown.items()
        )
    if isinstance(shown, list):
        return isinstance(actual, list) and all(any(_is_part_of(item, a) for a in actual) for item in shown)
    return bool(shown == actual)


@pytest.fixture
def decision_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The settings' decision log in a temporary SQLite file, for commands that read or write it."""
    log = tmp_path / "decisions.sqlite3"
    monkeypatch.setenv("ICTGATE_DECISION_LOG", str(log))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield log
    get_settings.cache_clear()


# -- the HTTP examples ------------------------------------------------------------------------


def test_the_curl_example_returns_the_full_verdict_docs_api_shows(client: TestClient) -> None:
    shown = _block_after(API, "<summary>Full verdict (JSON)</summary>")
    answer = client.post("/v1/precheck", json=json.loads(BANGPU.read_text("utf-8"))).json()
    assert _unstamped(json.loads(shown)) == _unstamped(answer)


def test_the_readme_shows_a_true_excerpt_of_the_same_answer(client: TestClient) -> None:
    assert "curl -s -X POST http://127.0.0.1:8000/v1/precheck" in README
    assert "--data @examples/proposals/bangpu-cctv.json" in README
    shown = json.loads(_block_after(README, "The answer, shortened"))
    answer = client.post("/v1/precheck", json=json.loads(BANGPU.read_text("utf-8"))).json()
    assert shown["verdict"] == answer["verdict"]
    assert _is_part_of(shown, answer), "the README's excerpt is not part of the real answer"
    count = re.search(r"the real one has (\d+) findings", README)
    assert count is not None and int(count.group(1)) == len(answer["findings"])


def test_the_problem_example_is_what_the_service_answers(client: TestClient) -> None:
    command = API.split("## Errors", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    body = re.search(r"-d '(.*)'", command)
    assert body is not None
    shown = json.loads(_block_after(API.split("## Errors", 1)[1], command))
    answer = client.post(
        "/v1/precheck", content=body.group(1).encode("utf-8"), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json() == shown


def test_the_readiness_example_names_the_engine_that_answers(client: TestClient) -> None:
    shown = json.loads(_block_after(API, "The answer\nnames the engine, the policies and the decision log:"))
    answer = client.get("/readyz").json()
    assert (shown["status"], shown["engine"]) == (answer["status"], answer["engine"])


def test_the_committee_order_example_fails_as_described(client: TestClient) -> None:
    order = json.loads(
        (ROOT / "schemas/examples/committee_order/valid/nakhon-ratchasima-2010.json").read_text()
    )
    answer = client.post("/v1/committees/check?as_of=2025-06-01&category=cctv", json=order).json()
    assert answer["verdict"] == "fail" and "route" not in answer
    failed = [f["rule"] for f in answer["findings"] if f["outcome"] == "fail"]
    assert failed == ["R-COMP-10", "R-COMP-10", "R-COMP-11", "R-COMP-12", "R-COMP-13"]
    assert {f["rule"] for f in answer["findings"] if f["outcome"] == "pass"} == {
        f"R-COMP-{n}" for n in range(1, 9)
    }


# -- the shapes of docs/contract.md -------------------------------------------------------------


def test_the_contract_shows_the_example_submission() -> None:
    shown = json.loads(_block_after(CONTRACT, "## Submission"))
    assert shown == json.loads(BANGPU.read_text("utf-8"))


def test_the_contract_shows_a_committee_order_that_passes(client: TestClient) -> None:
    order = json.loads(_block_after(CONTRACT, "## Committee order"))
    answer = client.post("/v1/committees/check?as_of=2025-01-01&category=cctv", json=order)
    assert answer.status_code == 200, answer.text
    assert answer.json()["verdict"] == "pass"


def test_the_contract_shows_the_problem_of_docs_api() -> None:
    shown = json.loads(_block_after(CONTRACT, "## Problem details"))
    assert shown == json.loads(_block_after(API.split("## Errors", 1)[1], "```sh\n"))


# -- the command line ---------------------------------------------------------------------------


def test_the_cli_example_prints_what_the_readme_shows(capsys: pytest.CaptureFixture[str]) -> None:
    command = "examples/proposals/korat-gis-over-threshold.yaml"
    block = README.split(f"$ .venv/bin/ictgate check {command}\n", 1)[1].split("$ echo $?", 1)[0]
    assert main(["check", str(ROOT / command)]) == 1
    assert README.split("$ echo $?\n", 1)[1].startswith("1\n")
    printed = capsys.readouterr().out.replace(str(ROOT) + "/", "")

    def comparable(text: str) -> list[str]:
        return [
            re.sub(r"decision \S+ · policy \S+", "decision … · policy …", line) for line in text.splitlines()
        ]

    assert comparable(printed) == comparable(block)


def test_the_cctv_examples_print_what_docs_policies_shows(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _console(POLICIES, ".venv/bin/ictgate check examples/cctv/ --lang en | grep -E '^\\S|✗'")
    monkeypatch.chdir(ROOT)
    assert main(["check", "examples/cctv/", "--lang", "en"]) == 1
    printed = capsys.readouterr().out.splitlines()
    assert [line for line in printed if re.search(r"^\S|✗", line)] == shown


def _agency_table() -> list[tuple[list[str], int]]:
    rows = re.findall(r"^\| `\.\./\.\./\.venv/bin/ictgate (check [^`]+)`[^|]*\| (\d) \|$", CLI, re.MULTILINE)
    return [(shlex.split(command), int(code)) for command, code in rows]


def test_the_agency_repository_commands_exit_as_docs_cli_says(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _agency_table()
    assert len(table) == 9
    monkeypatch.chdir(AGENCY)
    for arguments, code in table:
        assert main(arguments) == code, " ".join(arguments)
    capsys.readouterr()


def test_the_agency_repository_gate_prints_what_docs_cli_shows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    command = next(
        line for line in CLI.splitlines() if line.startswith("$ ../../.venv/bin/ictgate check proposals")
    )
    shown = _console(CLI, command[2:])
    arguments = [part.replace("reports/", f"{tmp_path}/") for part in shlex.split(command[2:])[1:]]
    monkeypatch.chdir(AGENCY)
    assert main(arguments) == 2
    captured = capsys.readouterr()
    printed = captured.out.splitlines() + captured.err.splitlines()
    assert len(printed) == len(shown)
    for line, abridged in zip(printed, shown, strict=True):
        pattern = ".*?".join(re.escape(piece) for piece in abridged.split("[…]"))
        assert re.fullmatch(pattern, line), f"{abridged!r} does not abridge {line!r}"
    assert (tmp_path / "ictgate.sarif").is_file() and (tmp_path / "ictgate-junit.xml").is_file()


def test_the_version_is_what_docs_cli_shows(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _console(CLI, ".venv/bin/ictgate --version")
    with pytest.raises(SystemExit) as leaving:
        main(["--version"])
    assert leaving.value.code == 0

    def comparable(lines: list[str]) -> list[str]:
        return [
            re.sub(r"policy revision \S+ \(sha256:[0-9a-f]+…\) from \S+", "policy …", line) for line in lines
        ]

    assert comparable(capsys.readouterr().out.splitlines()) == comparable(shown)


def test_the_keys_example_prints_what_docs_security_shows(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _console(SECURITY, ".venv/bin/ictgate keys create --id procurement-th11 --role submitter")
    assert main(["keys", "create", "--id", "procurement-th11", "--role", "submitter"]) == 0
    printed = capsys.readouterr().out
    printed = re.sub(r"ictg_[A-Za-z0-9_-]+", "ictg_…", printed)
    printed = re.sub(r'"sha256": "[0-9a-f]{64}"', '"sha256": "…"', printed)
    assert printed.splitlines() == shown


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")
_REVISION = re.compile(r"under policy \S+:")
_HASH = re.compile(r"\b[0-9a-f]{64}\b")


def _without_run_values(text: str) -> str:
    return _REVISION.sub("under policy …:", _TIME.sub("<time>", _HASH.sub("<hash>", _UUID.sub("<id>", text))))


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (
            ".venv/bin/ictgate check examples/proposals/ examples/cctv/samut-prakan-compliant.json"
            " --log --format json > /dev/null",
            1,
        ),
        (".venv/bin/ictgate log verify", 0),
        (".venv/bin/ictgate report semiannual --format csv", 0),
        (".venv/bin/ictgate replay", 0),
    ],
    ids=["check --log", "log verify", "report semiannual", "replay"],
)
def test_the_audit_session_prints_what_docs_audit_trail_shows(
    command: str,
    code: int,
    decision_log: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown_log = "/tmp/demo/decisions.sqlite3"
    assert f"$ export ICTGATE_DECISION_LOG={shown_log}\n" in AUDIT
    monkeypatch.chdir(ROOT)
    # The session's state before this command: the check has logged its three decisions.
    if "--log" not in command:
        assert (
            main(["check", "examples/proposals/", "examples/cctv/samut-prakan-compliant.json", "--log"]) == 1
        )
        capsys.readouterr()
    quiet = command.endswith(" > /dev/null")
    assert main(shlex.split(command.removesuffix(" > /dev/null"))[1:]) == code
    captured = capsys.readouterr()
    printed = (captured.err if quiet else captured.out).replace(str(decision_log), shown_log)
    if "--format csv" in command:
        # The CSV starts with a UTF-8 byte-order mark (for Excel), which the page does not show.
        assert printed.startswith("\ufeffsection,")
        printed = printed.removeprefix("\ufeff")
    shown = _console(AUDIT, command)
    assert _without_run_values(printed).splitlines() == [_without_run_values(line) for line in shown]


def test_the_approval_chain_prints_what_docs_policies_shows(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    command = "examples/cctv/samut-prakan-above-threshold-chain.json"
    shown = _console(POLICIES, f".venv/bin/ictgate check {command} --lang en")
    monkeypatch.chdir(ROOT)
    assert main(["check", command, "--lang", "en"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[: len(shown)] == shown
