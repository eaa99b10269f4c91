"""The Dockerfile installs the same wheel `make wheel-check` tests, from files that exist.

No Docker engine runs here, so the file is read: every COPY source must exist
in the repository, the build stage must copy everything the wheel is built
from (pyproject.toml, setup.py, the package and the folders setup.py bundles),
and the image must install the locked dependencies, the embedded OPA engine
and the wheel, and nothing from a source tree.
"""

from __future__ import annotations

import re
import tomllib

from tests.support.helpers import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text("utf-8")
# Continuation lines joined, comments dropped.
INSTRUCTIONS = [
    line.strip()
    for line in re.sub(r"\\\n\s*", " ", DOCKERFILE).splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def _stages() -> list[list[str]]:
    stages: list[list[str]] = []
    for line in INSTRUCTIONS:
        if line.startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def _copied(stage: list[str]) -> set[str]:
    sources: set[str] = set()
    for line in stage:
        if line.startswith("COPY ") and "--from=" not in line:
            sources.update(line.split()[1:-1])
    return sources


def test_every_copied_path_exists() -> None:
    for stage in _stages():
        for source in _copied(stage):
            assert (ROOT / source).exists(), f"Dockerfile copies {source}, which is not in the repository"


def test_the_build_stage_copies_everything_the_wheel_is_built_from() -> None:
    build, _run = _stages()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    package_root = pyproject["tool"]["setuptools"]["package-dir"][""]
    declared = re.search(r"BUNDLED = \(([^)]*)\)", (ROOT / "setup.py").read_text("utf-8"))
    assert declared is not None
    bundled = re.findall(r'"([a-z_]+)"', declared.group(1))
    assert bundled == ["policies", "schemas"]
    project = pyproject["project"]
    needed = {"pyproject.toml", "setup.py", project["readme"], *project["license-files"], package_root}
    assert needed | set(bundled) <= _copied(build)
    assert any(line.startswith("RUN pip wheel") and "--no-deps" in line for line in build)


def test_the_image_installs_the_locks_the_engine_and_the_wheel_only() -> None:
    _build, run = _stages()
    installs = " ".join(" ".join(line.split()) for line in run if line.startswith("RUN "))
    assert "--require-hashes -r requirements/runtime.lock" in installs
    assert "--ignore-requires-python -r requirements/opa-engine.lock" in installs
    assert "pip install --no-cache-dir --no-deps /dist/ictgate-*.whl" in installs
    assert "COPY --from=build /dist/ /dist/" in run
    # Nothing of the source tree in the image: the wheel is the product.
    assert _copied(run) == {"requirements/runtime.lock", "requirements/opa-engine.lock"}
    assert "pip install -e" not in installs and "pip install ." not in installs
