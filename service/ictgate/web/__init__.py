"""Web pages for officers and auditors (issue 9), served by the API's own app."""

from __future__ import annotations

from ictgate.web.pages import STATIC_DIR, router

__all__ = ["STATIC_DIR", "router"]
