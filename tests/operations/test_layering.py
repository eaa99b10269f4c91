"""Imports flow down: interfaces -> composition root -> pre-checker -> audit and gate -> core.

Each module of the ``ictgate`` package belongs to one layer (by its folder);
an import of another ``ictgate`` module must not reach a higher layer, and
the two middle concerns (the audit trail and the CI gate) do not import each
other. Read from the source with ``ast``; nothing is imported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.helpers import ROOT

PACKAGE = ROOT / "service" / "ictgate"
# Lower numbers are lower layers.
LAYERS = {
    "ictgate": 0,
    "ictgate.core": 0,
    "ictgate.audit": 1,
    "ictgate.gate": 1,
    "ictgate.prechecker": 2,
    "ictgate.compose": 3,
    "ictgate.policytest": 3,
    "ictgate.web": 4,
    "ictgate.api": 5,
    "ictgate.cli": 6,
    "ictgate.__main__": 6,
}
SIBLINGS_APART = {("ictgate.audit", "ictgate.gate"), ("ictgate.gate", "ictgate.audit")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _concern(module: str) -> str:
    parts = module.split(".")
    for size in (2, 1):
        candidate = ".".join(parts[:size])
        if candidate in LAYERS and (size == 1 or len(parts) >= 2):
            return candidate
    raise AssertionError(f"{module} is in no layer: add its folder to LAYERS")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name == "ictgate" or name.startswith("ictgate.")]


def upward_imports(files: list[Path]) -> list[str]:
    problems = []
    for path in files:
        source = _concern(_module_name(path))
        for line, target in _imports(path):
            target_concern = _concern(target)
            where = f"{path.relative_to(ROOT)}:{line}"
            if LAYERS[target_concern] > LAYERS[source]:
                problems.append(f"{where}: {source} imports {target} from a higher layer")
            elif (source, target_concern) in SIBLINGS_APART:
                problems.append(f"{where}: {source} imports {target}; audit and gate stay apart")
    return problems


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    assert len(MODULES) > 50
    for path in MODULES:
        _concern(_module_name(path))


def test_no_import_runs_upward() -> None:
    assert upward_imports(MODULES) == []


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    fake = PACKAGE / "core" / "_layering_probe.py"
    assert not fake.exists()
    fake.write_text("from ictgate.api.app import create_app\nfrom ictgate.core import errors\n")
    try:
        problems = upward_imports([fake])
    finally:
        fake.unlink()
    assert problems == [
        "service/ictgate/core/_layering_probe.py:1: ictgate.core imports ictgate.api.app from a higher layer"
    ]


@pytest.mark.parametrize("folder", ["core", "audit", "gate", "api", "web", "cli"])
def test_each_concern_has_its_folder(folder: str) -> None:
    assert (PACKAGE / folder / "__init__.py").is_file()
