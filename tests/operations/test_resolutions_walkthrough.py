"""The walkthrough of docs/resolutions.md: a Samut Prakan CCTV proposal above the threshold through
the pre-check, the provincial committee's endorsement, the MOI committee's approval with a
condition, the list of resolutions, the six-monthly report and ``ictgate log verify``, each
command run as the page shows it, its output compared with the page's (ids, hashes, times and
the policy revision normalised)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from ictgate.cli.main import main
from ictgate.core.settings import get_settings

from tests.operations.test_readme import _without_run_values
from tests.support.helpers import ROOT

DOC = (ROOT / "docs" / "resolutions.md").read_text("utf-8")
SHOWN_LOG = "/tmp/spk/decisions.sqlite3"
_STAMP = re.compile(r"policy \S+ · .*$", re.M)


def _session() -> list[tuple[str, list[str]]]:
    """The walkthrough's commands and the lines each prints, in order."""
    marker = "$ export ICTGATE_DECISION_LOG=" + SHOWN_LOG + "\n"
    assert marker in DOC, "the walkthrough no longer sets the decision log"
    block = DOC.split(marker, 1)[1].split("```", 1)[0]
    steps: list[tuple[str, list[str]]] = []
    for line in block.rstrip("\n").splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def _normalised(text: str) -> str:
    return _STAMP.sub("policy …", _without_run_values(text.replace("\ufeff", "")))


@pytest.fixture
def walkthrough_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    log = tmp_path / "decisions.sqlite3"
    monkeypatch.setenv("ICTGATE_DECISION_LOG", str(log))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(ROOT)
    get_settings.cache_clear()
    yield log
    get_settings.cache_clear()


def test_the_walkthrough_prints_what_docs_resolutions_shows(
    walkthrough_log: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = _session()
    assert [command.split()[1:3] for command, _ in steps] == [
        ["check", "examples/resolutions/proposal.json"],
        ["resolution", "add"],
        ["resolution", "add"],
        ["resolution", "list"],
        ["report", "semiannual"],
        ["log", "verify"],
    ]
    shown_decision = ""
    decision = ""
    for command, shown in steps:
        words = shlex.split(command)
        assert words[0] == ".venv/bin/ictgate"
        if shown_decision:
            words = [decision if word == shown_decision else word for word in words]
        assert main(words[1:]) == 0, command
        printed = capsys.readouterr().out.replace(str(walkthrough_log), SHOWN_LOG).rstrip("\n").splitlines()
        if "…" in shown:
            # The check's findings are left out on the page: compare what it shows before and after.
            cut = shown.index("…")
            head, tail = shown[:cut], shown[cut + 1 :]
            printed = printed[: len(head)] + printed[len(printed) - len(tail) :]
            shown = head + tail
            found = re.search(r"decision ([0-9a-f-]{36})", "\n".join(printed))
            assert found, "the check printed no decision id"
            decision = found.group(1)
            page = re.search(r"decision ([0-9a-f-]{36})", "\n".join(shown))
            assert page
            shown_decision = page.group(1)
        assert [_normalised(line) for line in printed] == [_normalised(line) for line in shown], command
    # The example files are the ones the page names, and the approval is the MOI committee's.
    approval = (ROOT / "examples" / "resolutions" / "approval.json").read_text("utf-8")
    assert '"moi_committee"' in approval and '"approved_with_conditions"' in approval
