"""Policy engines: embedded regorus (default) or an OPA server (OPA_URL)."""

from __future__ import annotations

from ictgate.core.engines.base import PolicyEngine
from ictgate.core.engines.opa_server import OpaEngine
from ictgate.core.engines.regorus_engine import EmbeddedEngine
from ictgate.core.policy import PolicyBundle
from ictgate.core.settings import Settings

__all__ = ["EmbeddedEngine", "OpaEngine", "PolicyEngine", "build_engine"]


def build_engine(settings: Settings, bundle: PolicyBundle) -> PolicyEngine:
    if settings.opa_url:
        return OpaEngine(
            settings.opa_url, timeout=settings.engine_timeout_seconds, retries=settings.opa_retries
        )
    return EmbeddedEngine(bundle, timeout=settings.engine_timeout_seconds)
