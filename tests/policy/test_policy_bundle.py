from __future__ import annotations

from pathlib import Path

from ictgate.core.policy import PolicyBundle, load_bundle


def test_data_sits_at_its_folder_path_as_opa_loads_it(bundle: PolicyBundle) -> None:
    assert bundle.data["rulebook"]["parameters"]["authority"]["threshold_thb"] == 5000000
    assert "R-AUTH-1" in bundle.data["rulebook"]["catalog"]["rules"]
    assert "precheck/main.rego" in bundle.modules


def test_revision_comes_from_the_manifest(bundle: PolicyBundle) -> None:
    assert bundle.revision.startswith("2026.")
    assert bundle.digest.startswith("sha256:") and len(bundle.digest) == 71


def _copy(tmp_path: Path, source: str) -> Path:
    (tmp_path / "p.rego").write_text(source)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "data.json").write_text('{"x": 1}')
    return tmp_path


def test_digest_changes_with_any_policy_or_data_change(tmp_path: Path) -> None:
    root = _copy(tmp_path, "package p\n")
    first = load_bundle(root).digest
    assert load_bundle(root).digest == first
    (root / "d" / "data.json").write_text('{"x": 2}')
    second = load_bundle(root).digest
    (root / "p.rego").write_text("package p\n\n# comment\n")
    third = load_bundle(root).digest
    assert len({first, second, third}) == 3
    assert load_bundle(root).data == {"d": {"x": 2}}
    assert load_bundle(root).revision == "unversioned"
