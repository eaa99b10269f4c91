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
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgate.core.errors import EngineUnavailable

_PACKAGE = re.compile(r"^package\s+([A-Za-z_][A-Za-z0-9_.]*)", re.MULTILINE)


def package_of(source: str) -> str | None:
    """The package a Rego module declares (``ictgate.cctv.rules``), or None."""
    found = _PACKAGE.search(source)
    return found.group(1) if found else None


__all__ = ["PolicyBundle", "bundle_from_files", "is_policy_file", "load_bundle", "package_of", "policy_files"]

PRECHECK_QUERY = "ictgate/precheck/main/verdict"
COMMITTEE_QUERY = "ictgate/committee/main/verdict"
RESOLUTION_QUERY = "ictgate/resolutions/main/verdict"


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


def policy_files(root: Path) -> dict[str, bytes]:
    """Every file of the bundle under ``root`` by its path relative to it: what an OPA bundle holds."""
    if not root.is_dir():
        raise EngineUnavailable(f"policy folder not found: {root}")
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in _policy_files(root)}


def is_policy_file(relative: str) -> bool:
    """Whether a path inside a bundle is one the engines read: Rego, a data.json, the manifest."""
    name = relative.rsplit("/", 1)[-1]
    return name.endswith(".rego") or name == "data.json" or relative == ".manifest"


def bundle_from_files(files: dict[str, bytes], root: Path) -> PolicyBundle:
    """The bundle made of ``files`` (relative path -> bytes), from a folder or an OPA bundle archive.

    The digest covers the same names and bytes either way, so a verdict decided from
    ``ictgate bundle build``'s archive carries the digest of the folder it was built from.
    """
    modules: dict[str, str] = {}
    data: dict[str, Any] = {}
    revision = "unversioned"
    digest = hashlib.sha256()
    for relative in sorted(files):
        if not is_policy_file(relative):
            raise EngineUnavailable(f"not a policy, data or manifest file: {relative}")
        raw = files[relative]
        digest.update(relative.encode() + b"\0" + raw + b"\0")
        text = raw.decode("utf-8")
        if relative.endswith(".rego"):
            modules[relative] = text
        elif relative == ".manifest":
            revision = str(json.loads(text).get("revision", revision))
        else:
            _place(data, tuple(relative.split("/")[:-1]), json.loads(text))
    if not modules:
        raise EngineUnavailable(f"no Rego policies under {root}")
    return PolicyBundle(root, modules, data, revision, "sha256:" + digest.hexdigest())


def load_bundle(root: Path) -> PolicyBundle:
    return bundle_from_files(policy_files(root), root)
