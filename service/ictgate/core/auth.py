"""API keys and roles.

Each client (a province's procurement system, an auditor's tool) gets its own
key with one role:

    submitter    pre-checks and committee-order checks
    auditor      logged decisions, their resolutions and reports
    secretariat  a committee's secretariat: records committee resolutions on logged
                 pre-checks, and reads decisions, resolutions and reports
    admin        everything

The configuration holds only the key's sha256 (keys are random 256-bit
tokens, so a fast hash is enough; nothing to brute-force), and the presented
key is compared with every configured digest in constant time. Keys never
appear in logs or problem details; the key's id does.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

__all__ = ["ROLES", "ApiKey", "KeyRing", "hash_key", "new_key"]

ROLES = ("submitter", "auditor", "secretariat", "admin")
_PREFIX = "ictg_"


def new_key() -> str:
    """A fresh key: 256 random bits, URL-safe, with a prefix that secret scanners can spot."""
    return _PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    id: str
    role: str
    sha256: str


class KeyRing:
    def __init__(self, keys: tuple[ApiKey, ...]) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    def identify(self, presented: str) -> ApiKey | None:
        """The key whose digest matches, comparing with every key so timing tells nothing."""
        digest = hash_key(presented).encode("ascii")
        found: ApiKey | None = None
        for key in self._keys:
            if hmac.compare_digest(digest, key.sha256.encode("ascii")):
                found = key
        return found
