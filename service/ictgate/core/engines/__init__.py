"""Policy engines: embedded OPA (default), embedded regorus, or an OPA server (OPA_URL).

Each evaluates the same ``policies/`` and answers the same verdict; the
differential test (tests/engines/test_differential.py) holds them to that.
"""

from __future__ import annotations

from ictgate.core.engines.base import PolicyEngine, ReportsRevision
from ictgate.core.engines.opa_embedded import OpaEmbeddedEngine, embedded_opa_available, embedded_opa_version
from ictgate.core.engines.opa_server import OpaServerEngine
from ictgate.core.engines.regorus_engine import RegorusEngine, regorus_version
from ictgate.core.policy import PolicyBundle
from ictgate.core.settings import ENGINE_NAMES, Settings

__all__ = [
    "ENGINES",
    "OpaEmbeddedEngine",
    "OpaServerEngine",
    "PolicyEngine",
    "RegorusEngine",
    "ReportsRevision",
    "build_engine",
    "embedded_engine",
    "embedded_opa_available",
    "embedded_opa_version",
    "regorus_version",
]

ENGINES = ENGINE_NAMES


def embedded_engine(name: str, bundle: PolicyBundle, timeout: float = 2.0) -> PolicyEngine:
    """An in-process engine by name: ``opa`` (the reference) or ``regorus``."""
    if name == "regorus":
        return RegorusEngine(bundle, timeout=timeout)
    if name == "opa":
        return OpaEmbeddedEngine(bundle, timeout=timeout)
    raise ValueError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")


def build_engine(settings: Settings, bundle: PolicyBundle) -> PolicyEngine:
    """The engine the settings ask for: an OPA server when OPA_URL is set, else ICTGATE_ENGINE."""
    if settings.opa_url:
        return OpaServerEngine(
            settings.opa_url, timeout=settings.engine_timeout_seconds, retries=settings.opa_retries
        )
    return embedded_engine(settings.engine, bundle, settings.engine_timeout_seconds)
