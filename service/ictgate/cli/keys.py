"""``ictgate keys create``: a new API key, shown once, and the line to configure it."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ictgate.core.auth import ROLES, hash_key, new_key

__all__ = ["add_key_commands"]


def _create(args: argparse.Namespace) -> int:
    key = new_key()
    entry = {"id": args.id, "role": args.role, "sha256": hash_key(key)}
    print(f"API key for {args.id} ({args.role}); shown once, give it to the client and keep no copy:")
    print(f"  {key}")
    print("Add this entry to ICTGATE_API_KEYS (a JSON list) on the service:")
    print(f"  {json.dumps(entry)}")
    return 0


def _key_id(text: str) -> str:
    import re

    if not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", text):
        raise argparse.ArgumentTypeError("an id of letters, digits, '.', '_' or '-' (e.g. procurement-th11)")
    return text


def add_key_commands(commands: Any) -> None:
    keys = commands.add_parser("keys", help="API keys for the HTTP service")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="make a new key and print its configuration entry")
    create.add_argument("--id", required=True, type=_key_id, help="who the key is for, e.g. procurement-th11")
    create.add_argument("--role", required=True, choices=ROLES)
    create.set_defaults(run=_create)
