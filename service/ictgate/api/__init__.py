"""The HTTP API (FastAPI)."""

from ictgate.api.app import create_app

__all__ = ["create_app"]
