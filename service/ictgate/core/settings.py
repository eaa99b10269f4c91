"""One settings object, read from the environment when first asked for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ENGINE_NAMES", "Settings", "get_settings", "REPO_ROOT", "PACKAGE_DIR"]

# The in-process engines, by the name ICTGATE_ENGINE and --engine take; the first is the default.
ENGINE_NAMES = ("opa", "regorus")
EngineName = Literal["opa", "regorus"]

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # .../ictgate


def _resource_root() -> Path:
    """Where policies/ and schemas/ are: the checkout, or the copy inside an installed wheel.

    From a checkout (``pip install -e .``) the package is service/ictgate/ and the
    product card's folders sit two levels up; a wheel carries a copy of both in
    ictgate/bundled/ (setup.py puts it there at build time).
    """
    checkout = PACKAGE_DIR.parent.parent
    if (checkout / "policies").is_dir() and (checkout / "schemas").is_dir():
        return checkout
    return PACKAGE_DIR / "bundled"


# policies/, schemas/ (and, in a checkout, policy_tests/) live here.
REPO_ROOT = _resource_root()
# Writable state (the SQLite decision log) beside a checkout, else in the working directory.
_STATE_ROOT = REPO_ROOT if REPO_ROOT != PACKAGE_DIR / "bundled" else Path.cwd()


class ApiKeyEntry(BaseModel):
    """One configured API key: its id (for logs), its role, and the sha256 of the key itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")
    role: str = Field(pattern=r"^(submitter|auditor|secretariat|admin)$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ICTGATE_", extra="forbid")

    engine: EngineName = Field(
        default="opa",
        description="In-process policy engine (ICTGATE_ENGINE): opa, OPA's own Go engine and the "
        "reference, or regorus, a Rust re-implementation. OPA_URL, when set, takes precedence.",
    )
    opa_url: str | None = Field(
        default=None,
        validation_alias="OPA_URL",
        description="Base URL of an OPA server; when set, it replaces the embedded engine.",
    )
    policy_dir: Path = REPO_ROOT / "policies"
    schema_dir: Path = REPO_ROOT / "schemas"
    engine_timeout_seconds: float = Field(default=2.0, gt=0)
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    decision_log: Path = Field(
        default=_STATE_ROOT / "var" / "decisions.sqlite3",
        description="SQLite file of the decision log (ICTGATE_DECISION_LOG), created on first use.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias="DATABASE_URL",
        description="PostgreSQL URL; when set, the decision log lives there instead of in SQLite.",
    )
    decision_log_mask: tuple[str, ...] = Field(
        default=("/order/members/*/name",),
        description=(
            "JSON Pointers into the engine input whose values the decision log replaces with"
            ' "***" before hashing and storage (ICTGATE_DECISION_LOG_MASK, a JSON list);'
            ' "*" stands for every array item or object member.'
        ),
    )

    anchor_key_file: Path | None = Field(
        default=None,
        description="File holding the secret that anchors the decision log's hash chain "
        "(ICTGATE_ANCHOR_KEY_FILE): an HMAC of every record under a key the database does not "
        "hold. Create it with `ictgate log new-anchor-key FILE`; keep it out of the database's "
        "backups. Unset: the log is unanchored (and verify says so).",
    )
    checkpoint_file: Path | None = Field(
        default=None,
        description="Append-only file of signed chain heads written by `ictgate log checkpoint` and "
        "checked by `ictgate log verify` (ICTGATE_CHECKPOINT_FILE); keep it apart from the database.",
    )
    session_store: Path | None = Field(
        default=None,
        description="SQLite file of ended web sessions (ICTGATE_SESSION_STORE), shared by the worker "
        "processes: a session logged out is refused everywhere. Default: sessions.sqlite3 beside "
        "the SQLite decision log file.",
    )

    api_keys: tuple[ApiKeyEntry, ...] = Field(
        default=(),
        description="API keys (ICTGATE_API_KEYS, a JSON list of {id, role, sha256}); "
        "create them with `ictgate keys create`.",
    )
    dev_mode: bool = Field(
        default=False,
        description="Development mode (ICTGATE_DEV_MODE): no authentication; "
        "`ictgate serve` refuses it off loopback.",
    )
    cors_origins: tuple[str, ...] = Field(
        default=(),
        description="Browser origins allowed to call the API (ICTGATE_CORS_ORIGINS, a JSON list); "
        "none by default.",
    )
    session_secret: str | None = Field(
        default=None,
        min_length=32,
        description="Secret that signs the web pages' session cookies (ICTGATE_SESSION_SECRET); "
        "set it when serving with several worker processes. Default: random per process.",
    )
    max_json_depth: int = Field(
        default=32, ge=4, le=256, description="Deepest JSON nesting accepted in a body."
    )
    expected_revision: str | None = Field(
        default=None,
        description="Policy revision the engine must have for /readyz to say ready "
        "(ICTGATE_EXPECTED_REVISION), e.g. during a roll-out; unset: no such check.",
    )
    expected_bundle: Path | None = Field(
        default=None,
        description="An OPA bundle file (.tar.gz, `ictgate bundle build`) whose revision the engine must "
        "have for /readyz to say ready (ICTGATE_EXPECTED_BUNDLE), read at every probe; "
        "ICTGATE_EXPECTED_REVISION wins when both are set.",
    )
    opa_retries: int = Field(
        default=2, ge=0, le=5, description="Retries of an OPA call that could not connect."
    )

    @field_validator("decision_log_mask")
    @classmethod
    def _mask_pointers(cls, pointers: tuple[str, ...]) -> tuple[str, ...]:
        # A typo in a pointer must stop the service at start, not leave a name unmasked.
        from ictgate.core.masking import Mask

        Mask(pointers)
        return pointers


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
