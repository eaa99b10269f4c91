"""Dependencies of the routes, as Annotated aliases (tests swap them with dependency_overrides)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from ictgate.core.settings import Settings
from ictgate.prechecker import Prechecker

__all__ = ["PrecheckerDep", "SettingsDep", "get_prechecker", "get_app_settings"]


def get_prechecker(request: Request) -> Prechecker:
    return cast(Prechecker, request.app.state.prechecker)


def get_app_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


PrecheckerDep = Annotated[Prechecker, Depends(get_prechecker)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
