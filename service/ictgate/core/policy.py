"""The policy bundle as the engines see it: Rego modules, data, revision, digest.

The layout is OPA's: every ``data.json`` is placed at the path of its folder
relative to ``policies/`` (``policies/rulebook/catalog/data.json`` becomes
``data.rulebook.catalog``), and ``.manifest`` carries the revision, as in an
OPA bundle. The embedded engine is fed from this object; an OPA server loads
the same folder itself (docker-compose.yml).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgate.core.errors import EngineUnavailable

__all__ = ["PolicyBundle", "load_bundle"]

PRECHECK_QUERY = "ictgate/precheck/main/verdict"
COMMITTEE_QUERY = "ictgate/committee/main/verdict"


@dataclass(frozen=True)
class PolicyBundle:
    root: Path
    modules: dict[str, str]  # path relative to root -> Rego source
    data: dict[str, Any]
    revision: str
    digest: str  # sha256 over every file, names included

    def stamp(self) -> dict[str, str]:
        return {"revision": self.revision, "digest": self.digest}


def _policy_files(root: Path) -> list[Path]:
    files = [p for p in root.rglob("*") if p.is_file() and (p.suffix == ".rego" or p.name == "data.json")]
    manifest = root / ".manifest"
    if manifest.is_file():
        files.append(manifest)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _place(tree: dict[str, Any], folder: tuple[str, ...], document: dict[str, Any]) -> None:
    node = tree
    for part in folder:
        node = node.setdefault(part, {})
    node.update(document)


def load_bundle(root: Path) -> PolicyBundle:
    if not root.is_dir():
        raise EngineUnavailable(f"policy folder not found: {root}")
    modules: dict[str, str] = {}
    data: dict[str, Any] = {}
    revision = "unversioned"
    digest = hashlib.sha256()
    for path in _policy_files(root):
        relative = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        digest.update(relative.encode() + b"\0" + raw + b"\0")
        text = raw.decode("utf-8")
        if path.suffix == ".rego":
            modules[relative] = text
        elif path.name == "data.json":
            _place(data, path.parent.relative_to(root).parts, json.loads(text))
        else:
            revision = str(json.loads(text).get("revision", revision))
    if not modules:
        raise EngineUnavailable(f"no Rego policies under {root}")
    return PolicyBundle(root, modules, data, revision, "sha256:" + digest.hexdigest())
