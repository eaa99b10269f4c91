"""Running `ictgate check` on a copy of examples/agency-repo, as its CI would."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ictgate.cli.main import main
from ictgate.core.settings import REPO_ROOT

AGENCY_REPO = REPO_ROOT / "examples" / "agency-repo"

# The proposals as committed, and what each one is (examples/agency-repo/README.md).
PASS_E_OFFICE = "proposals/fy2568/e-office.yaml"
PASS_WITH_WARNING = "proposals/fy2568/health-centres.json"
FAIL_DATA_CENTRE = "proposals/fy2568/data-centre.yaml"
INVALID_SCHOOL_WIFI = "proposals/fy2569/school-wifi.yaml"


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    cwd: Path

    def read(self, name: str) -> str:
        return (self.cwd / name).read_text("utf-8")


def copy_repo(target: Path) -> Path:
    destination = target / "agency-repo"
    shutil.copytree(AGENCY_REPO, destination)
    return destination


def run_check(cwd: Path, arguments: Sequence[str]) -> Outcome:
    """main(["check", *arguments]) with cwd as the working directory."""
    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", *arguments])
    finally:
        os.chdir(before)
    return Outcome(code, out.getvalue(), err.getvalue(), cwd)
