"""``ictgate bundle build`` and ``ictgate bundle verify``: the policies as an OPA bundle.

    ictgate bundle build [--policies DIR] [--output FILE] [--signing-key PEM --key-id ID]
    ictgate bundle verify FILE --public-key PEM

``build`` writes a deterministic .tar.gz (the same policies give the same sha-256)
that OPA's bundle service loads; with a private key it adds ``.signatures.json``
as OPA verifies it. ``verify`` checks that signature and every file's hash with
the public key, and exits 1 when anything does not match (docs/deployment.md).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_bundle_commands"]

EXIT_OK, EXIT_BAD, EXIT_USAGE = 0, 1, 2


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SystemExit(f"ictgate: cannot read the {what} {path}: {error.strerror}") from None


def _build(args: argparse.Namespace) -> int:
    from ictgate.core.errors import EngineUnavailable
    from ictgate.core.opa_bundle import BundleError, build_archive, load_archive

    if (args.signing_key is None) != (args.key_id is None):
        print("ictgate: --signing-key and --key-id go together", file=sys.stderr)
        return EXIT_USAGE
    key = _read(args.signing_key, "signing key") if args.signing_key else None
    try:
        archive = build_archive(args.policies, key, args.key_id)
        bundle = load_archive(archive, args.output.name)
    except (BundleError, EngineUnavailable) as error:
        print(f"ictgate: bundle not built: {error}", file=sys.stderr)
        return EXIT_BAD
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(archive)
    signed = f", signed ({args.key_id})" if key else ", unsigned"
    print(
        f"{args.output}: revision {bundle.revision}, {len(bundle.modules)} policies{signed}, "
        f"sha256 {hashlib.sha256(archive).hexdigest()}, policy digest {bundle.digest}"
    )
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from ictgate.core.opa_bundle import BundleError, verify

    archive = _read(args.file, "bundle")
    key = _read(args.public_key, "public key")
    try:
        checked = verify(archive, key)
    except BundleError as error:
        print(f"{args.file}: NOT VERIFIED: {error}")
        return EXIT_BAD
    print(
        f"{args.file}: verified: revision {checked.revision}, {checked.files} files signed with "
        f"{checked.algorithm}, key id {checked.key_id or '(none)'}"
    )
    return EXIT_OK


def add_bundle_commands(commands: Any) -> None:
    from ictgate.core.settings import REPO_ROOT

    bundle = commands.add_parser("bundle", help="the policies as an OPA bundle: build, verify")
    bundle_commands = bundle.add_subparsers(dest="bundle_command", required=True)
    build = bundle_commands.add_parser(
        "build",
        help="write an OPA bundle (.tar.gz) of the policies, optionally signed",
        description="Write policies/ as an OPA bundle: Rego modules, data.json files at their data "
        "paths and .manifest (revision, roots), deterministic (the same policies give the same "
        "sha-256). With --signing-key and --key-id, add .signatures.json as OPA verifies it.",
    )
    build.add_argument("--policies", type=Path, default=REPO_ROOT / "policies", help="the policy folder")
    build.add_argument(
        "--output", "-o", type=Path, default=Path("bundle.tar.gz"), help="default: bundle.tar.gz"
    )
    build.add_argument(
        "--signing-key",
        type=Path,
        metavar="PEM",
        help="unencrypted PEM private key: RSA (RS256) or P-256 (ES256)",
    )
    build.add_argument("--key-id", metavar="ID", help="the key's id in OPA's keys configuration")
    build.set_defaults(run=_build)
    check = bundle_commands.add_parser(
        "verify",
        help="check a signed bundle's signature and file hashes with the public key; exit 1 if not",
    )
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument("--public-key", type=Path, required=True, metavar="PEM")
    check.set_defaults(run=_verify)
