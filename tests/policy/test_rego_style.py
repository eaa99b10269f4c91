"""The Rego style the project keeps (docs/rego-style.md): v1 syntax, tabs, lines under 120."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.helpers import ROOT

FILES = sorted([*ROOT.glob("policies/**/*.rego"), *ROOT.glob("policy_tests/**/*.rego")])


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_rego_file_keeps_the_style(path: Path) -> None:
    lines = path.read_text("utf-8").splitlines()
    too_long = [n for n, line in enumerate(lines, 1) if len(line.expandtabs(4)) > 120]
    space_indented = [n for n, line in enumerate(lines, 1) if line.startswith("  ")]
    assert too_long == [], "lines over 120 columns"
    assert space_indented == [], "indent with tabs (opa fmt)"
    assert "import rego.v1" not in lines, "the policies are Rego v1 already"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_directory_is_the_package(path: Path) -> None:
    lines = path.read_text("utf-8").splitlines()
    package = next(line.split()[1] for line in lines if line.startswith("package "))
    folder = path.parent.relative_to(ROOT / path.relative_to(ROOT).parts[0]).as_posix().replace("/", ".")
    expected = f"ictgate.{folder}.{path.stem}"
    assert package == expected
