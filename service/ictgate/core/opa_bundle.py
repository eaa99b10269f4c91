"""OPA bundles as files: build one from ``policies/``, sign it, verify it, read it back.

The archive is what ``opa build`` writes and what OPA's bundle service downloads: a
gzipped tar of the Rego modules, every ``data.json`` at the path of its folder (so
``rulebook/catalog/data.json`` is ``data.rulebook.catalog``, as ``core/policy.py``
places it), and ``.manifest`` with the revision and the roots.

It is deterministic: entries sorted by name, every mtime, owner and mode fixed, no
name or time in the gzip header. The same policies give the same bytes, so the
same sha-256.

Signing follows OPA's bundle signature format: ``.signatures.json`` holds
``{"signatures": [JWT]}``; the JWT (RS256 or ES256, ``kid`` in its header) carries
``{"files": [{"name", "hash", "algorithm": "SHA-256"}, ...]}``, one entry for every
other file of the archive. OPA hashes a plain file's bytes, but a *structured*
file (``data.json``, ``.manifest``) as its JSON value: compact, object keys sorted,
numbers as written, strings as Go's encoder writes them without HTML escaping, so
that whitespace does not change the hash. Verification (``verify``) does what OPA
does: the JWT's signature under the public key, then every file's hash, with no
file missing from the list and no listed file missing from the archive.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictgate.core.policy import PolicyBundle, bundle_from_files, is_policy_file, package_of, policy_files

__all__ = [
    "SIGNATURES_FILE",
    "BundleError",
    "VerifiedBundle",
    "build_archive",
    "file_hash",
    "load_archive",
    "read_archive",
    "verify",
]

SIGNATURES_FILE = ".signatures.json"
_MTIME = 0  # 1970-01-01: no build time in the archive
_STRUCTURED = ("data.json", "data.yaml", ".manifest", SIGNATURES_FILE)
_ALGORITHMS = ("RS256", "ES256")


class BundleError(Exception):
    """A bundle that cannot be built, read or verified; the message says why."""


@dataclass(frozen=True)
class VerifiedBundle:
    revision: str
    key_id: str
    algorithm: str
    files: int


# -- OPA's hash of a structured file -------------------------------------------------


class _Number(str):
    """A JSON number kept as written (OPA decodes numbers as json.Number and hashes the text)."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _go_string(text: str) -> str:
    # Go's encoding/json with SetEscapeHTML(false): quote and backslash, \b \f \n \r \t,
    # other control characters as \u00xx, and U+2028 / U+2029 escaped; the rest as is.
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[char])
        elif code < 0x20 or code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _canonical(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append("{")
        for index, key in enumerate(sorted(value)):
            if index:
                out.append(",")
            out.append(_go_string(key) + ":")
            _canonical(value[key], out)
        out.append("}")
    elif isinstance(value, list):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _canonical(item, out)
        out.append("]")
    elif isinstance(value, _Number):
        out.append(str.__str__(value))
    elif isinstance(value, str):
        out.append(_go_string(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    else:  # pragma: no cover - json.loads gives nothing else here
        raise BundleError(f"cannot hash a {type(value).__name__}")


def file_hash(name: str, raw: bytes) -> str:
    """The SHA-256 hex digest OPA expects for the file ``name`` of a bundle."""
    if name.rsplit("/", 1)[-1] not in _STRUCTURED:
        return hashlib.sha256(raw).hexdigest()
    text = raw.decode("utf-8-sig")
    try:
        value = json.loads(text, parse_float=_Number, parse_int=_Number, parse_constant=_reject_constant)
    except ValueError as error:
        raise BundleError(f"{name}: not JSON ({error})") from None
    out: list[str] = []
    _canonical(value, out)
    return hashlib.sha256("".join(out).encode("utf-8")).hexdigest()


# -- build --------------------------------------------------------------------------


def _check_manifest(files: dict[str, bytes]) -> dict[str, Any]:
    if ".manifest" not in files:
        raise BundleError("policies/.manifest is missing: a bundle needs its revision and roots")
    manifest = json.loads(files[".manifest"])
    if not isinstance(manifest, dict) or not manifest.get("revision") or not manifest.get("roots"):
        raise BundleError(".manifest must name a revision and the roots")
    roots = [str(root).strip("/").split("/") for root in manifest["roots"]]

    def inside(path: list[str]) -> bool:
        return any(path[: len(root)] == root for root in roots)

    for name, raw in files.items():
        if name.endswith(".rego"):
            package = package_of(raw.decode("utf-8"))
            if package is None or not inside(package.split(".")):
                raise BundleError(f"{name}: its package is outside the manifest's roots {manifest['roots']}")
        elif name.endswith("data.json"):
            folder = name.split("/")[:-1]
            keys = [[*folder, key] for key in json.loads(raw)] if not folder else [folder]
            if not all(inside(key) for key in keys):
                raise BundleError(f"{name}: its data is outside the manifest's roots {manifest['roots']}")
    return manifest


def _signing_algorithm(key: Any) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) and isinstance(
        key.curve, ec.SECP256R1
    ):
        return "ES256"
    raise BundleError("the key must be RSA (RS256) or ECDSA on P-256 (ES256)")


def _sign(files: dict[str, bytes], private_key_pem: bytes, key_id: str) -> bytes:
    import jwt
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(private_key_pem, password=None)
    except (ValueError, TypeError) as error:
        raise BundleError(f"the signing key is not an unencrypted PEM private key: {error}") from None
    algorithm = _signing_algorithm(key)
    payload = {
        "files": [
            {"name": name, "hash": file_hash(name, raw), "algorithm": "SHA-256"}
            for name, raw in sorted(files.items())
        ]
    }
    token = jwt.encode(payload, key, algorithm=algorithm, headers={"kid": key_id})  # type: ignore[arg-type]
    return (json.dumps({"signatures": [token]}, indent=1) + "\n").encode()


def _tar(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mtime = _MTIME
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            archive.addfile(info, io.BytesIO(files[name]))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=_MTIME, compresslevel=9) as zipped:
        zipped.write(raw.getvalue())
    return packed.getvalue()


def build_archive(policy_dir: Path, signing_key_pem: bytes | None = None, key_id: str | None = None) -> bytes:
    """The bundle of ``policy_dir`` as .tar.gz bytes, signed when a private key is given."""
    files = policy_files(policy_dir)
    _check_manifest(files)
    if signing_key_pem is not None:
        if not key_id:
            raise BundleError("a signed bundle needs a key id (--key-id): OPA finds the public key by it")
        files = {**files, SIGNATURES_FILE: _sign(files, signing_key_pem, key_id)}
    return _tar(files)


# -- read and verify ----------------------------------------------------------------


def read_archive(archive: bytes) -> dict[str, bytes]:
    """The files of a bundle archive by name (no leading ``/``), regular files only."""
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                name = member.name.lstrip("/")
                if not member.isreg() or ".." in name.split("/") or not name:
                    raise BundleError(f"{member.name}: not a plain file of a bundle")
                if name in files:
                    raise BundleError(f"{name}: twice in the archive")
                extracted = tar.extractfile(member)
                files[name] = extracted.read() if extracted is not None else b""
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BundleError(f"not a bundle archive (.tar.gz): {error}") from None
    return files


def load_archive(archive: bytes, name: str = "bundle") -> PolicyBundle:
    """The policy bundle the engines load, from an archive's files (its signature is not checked here)."""
    files = {path: raw for path, raw in read_archive(archive).items() if path != SIGNATURES_FILE}
    unknown = sorted(path for path in files if not is_policy_file(path))
    if unknown:
        raise BundleError(f"files the engines would not read: {', '.join(unknown)}")
    return bundle_from_files(files, Path(name))


def verify(archive: bytes, public_key_pem: bytes) -> VerifiedBundle:
    """Checks a signed bundle as OPA does; raises ``BundleError`` saying what is wrong."""
    import jwt
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    files = read_archive(archive)
    if SIGNATURES_FILE not in files:
        raise BundleError("the bundle is not signed: no .signatures.json")
    try:
        signatures = json.loads(files.pop(SIGNATURES_FILE)).get("signatures") or []
    except (ValueError, AttributeError):
        raise BundleError(".signatures.json is not a JSON object with a list of signatures") from None
    if len(signatures) != 1 or not isinstance(signatures[0], str):
        raise BundleError(".signatures.json must hold exactly one JWT")
    token = signatures[0]
    try:
        key = load_pem_public_key(public_key_pem)
    except (ValueError, TypeError) as error:
        raise BundleError(f"the public key is not a PEM public key: {error}") from None
    algorithm = _signing_algorithm(key)
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != algorithm:
            raise BundleError(f"signed with {header.get('alg')}, but this public key is for {algorithm}")
        payload = jwt.decode(token, key, algorithms=[algorithm], options={"verify_aud": False})  # type: ignore[arg-type]
    except jwt.PyJWTError as error:
        raise BundleError(f"the signature does not verify with this public key: {error}") from None
    listed: dict[str, dict[str, Any]] = {}
    for entry in payload.get("files") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise BundleError("the signature's file list is malformed")
        listed[entry["name"].lstrip("/")] = entry
    for name, raw in sorted(files.items()):
        entry = listed.pop(name, None)
        if entry is None:
            raise BundleError(f"{name} is not included in the bundle signature")
        if entry.get("algorithm") != "SHA-256":
            raise BundleError(
                f"{name}: hashing algorithm {entry.get('algorithm')!r}; this check knows SHA-256"
            )
        if entry.get("hash") != file_hash(name, raw):
            raise BundleError(f"{name}: digest mismatch: the file is not the one that was signed")
    if listed:
        raise BundleError(f"signed but not in the bundle: {', '.join(sorted(listed))}")
    revision = str(json.loads(files[".manifest"]).get("revision", "")) if ".manifest" in files else ""
    return VerifiedBundle(revision, str(header.get("kid", "")), algorithm, len(files))
