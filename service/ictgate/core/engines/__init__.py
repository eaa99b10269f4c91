"""Policy engines: embedded regorus (default) or an OPA server (OPA_URL)."""

from __future__ import annotations

from ..policy import PolicyBundle
from ..settings import Settings
from .base import PolicyEngine
from .embedded import EmbeddedEngine
from .opa import OpaEngine

__all__ = ["EmbeddedEngine", "OpaEngine", "PolicyEngine", "build_engine"]


def build_engine(settings: Settings, bundle: PolicyBundle) -> PolicyEngine:
    if settings.opa_url:
        return OpaEngine(
            settings.opa_url, timeout=settings.engine_timeout_seconds, retries=settings.opa_retries
        )
    return EmbeddedEngine(bundle, timeout=settings.engine_timeout_seconds)
