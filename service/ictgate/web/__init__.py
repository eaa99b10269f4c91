"""Web pages for officers and auditors, served by the API's own app."""

from __future__ import annotations

from ictgate.web.pages import STATIC_DIR, install_pages, router

__all__ = ["STATIC_DIR", "install_pages", "router"]
