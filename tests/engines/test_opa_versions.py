"""One OPA version everywhere: the embedded engine, the compose file's OPA server, and the docs."""

from __future__ import annotations

import re

from ictgate.core.engines import embedded_opa_version

from tests.support.helpers import ROOT

IMAGE = re.compile(r"image:\s*openpolicyagent/opa:([0-9]+\.[0-9]+\.[0-9]+)(?:-static)?\s*$", re.MULTILINE)


def test_the_compose_file_runs_the_opa_release_the_embedded_engine_contains() -> None:
    images = IMAGE.findall((ROOT / "docker-compose.yml").read_text("utf-8"))
    assert images == [embedded_opa_version()]


def test_the_docs_name_the_same_opa_release() -> None:
    version = embedded_opa_version()
    engines = (ROOT / "docs" / "engines.md").read_text("utf-8")
    assert f"OPA {version}" in engines
    named = set(re.findall(r"\bOPA (1\.[0-9]+\.[0-9]+)", engines + (ROOT / "README.md").read_text("utf-8")))
    assert named == {version}


def test_the_lock_file_pins_the_bindings_that_embed_it() -> None:
    lock = (ROOT / "requirements" / "opa-engine.lock").read_text("utf-8")
    assert f"(v{embedded_opa_version()})" in lock
    assert "opa-golib-python-bindings==0.4.4" in lock
