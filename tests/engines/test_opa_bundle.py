"""Issue 20, part 2: ``ictgate bundle build`` / ``verify``, the policies as an OPA bundle.

The archive's files load through the embedded OPA engine and give the same verdicts
as ``policies/``; it is deterministic; a signed bundle verifies with the public key
(and OPA's own ``io.jwt.verify_*`` accepts its JWT) and fails with a wrong key or a
file changed, added or removed after signing.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from ictgate.cli.main import main
from ictgate.core.engines import OpaEmbeddedEngine
from ictgate.core.opa_bundle import (
    SIGNATURES_FILE,
    BundleError,
    build_archive,
    file_hash,
    load_archive,
    read_archive,
    verify,
)
from ictgate.core.policy import PRECHECK_QUERY, PolicyBundle, policy_files
from ictgate.core.validation import SchemaSet
from ictgate.prechecker import Prechecker

from tests.support.helpers import ROOT

POLICIES = ROOT / "policies"
EXAMPLES = sorted((ROOT / "examples" / "proposals").glob("*.json")) + sorted(
    (ROOT / "examples" / "cctv").glob("*.json")
)


def _pem(key: Any) -> tuple[bytes, bytes]:
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


@pytest.fixture(scope="module")
def rsa_keys() -> tuple[bytes, bytes]:
    return _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture(scope="module")
def ec_keys() -> tuple[bytes, bytes]:
    return _pem(ec.generate_private_key(ec.SECP256R1()))


def _repack(archive: bytes, change: dict[str, bytes | None]) -> bytes:
    """The archive with files replaced, added (bytes) or removed (None)."""
    files = {**read_archive(archive), **{k: v for k, v in change.items() if v is not None}}
    files = {k: v for k, v in files.items() if change.get(k, b"") is not None}
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue())


def test_the_bundle_is_deterministic_and_holds_exactly_the_policy_files(tmp_path: Path) -> None:
    first, second = build_archive(POLICIES), build_archive(POLICIES)
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    with tarfile.open(fileobj=io.BytesIO(first), mode="r:gz") as tar:
        members = tar.getmembers()
    names = [member.name for member in members]
    assert names == sorted(names) == sorted(policy_files(POLICIES))
    assert {(m.mtime, m.uid, m.gid, m.mode, m.uname) for m in members} == {(0, 0, 0, 0o644, "")}
    assert ".manifest" in names and "rulebook/catalog/data.json" in names
    assert first[4:8] == b"\0\0\0\0"  # no time in the gzip header either
    manifest = json.loads(read_archive(first)[".manifest"])
    assert manifest["revision"] and manifest["roots"] == ["ictgate", "rulebook"]


def test_the_archive_gives_the_same_bundle_as_the_folder(bundle: PolicyBundle) -> None:
    from_archive = load_archive(build_archive(POLICIES))
    assert from_archive.modules == bundle.modules
    assert from_archive.data == bundle.data
    assert from_archive.stamp() == bundle.stamp()  # revision and digest: the verdict says which bundle


@pytest.fixture(scope="module")
def from_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prechecker]:
    output = tmp_path_factory.mktemp("bundle") / "bundle.tar.gz"
    assert main(["bundle", "build", "--output", str(output)]) == 0
    bundle = load_archive(output.read_bytes(), output.name)
    engine = OpaEmbeddedEngine(bundle)
    yield Prechecker(bundle, engine, SchemaSet(ROOT / "schemas"))
    engine.close()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_the_bundle_on_embedded_opa_gives_the_verdicts_of_the_folder(
    example: Path, from_archive: Prechecker, prechecker: Prechecker
) -> None:
    submission = json.loads(example.read_text("utf-8"))
    # The engines' answers themselves (schema checks are the folder's business, not the bundle's).
    answers = [
        checker.engine.evaluate(PRECHECK_QUERY, checker.engine_input(submission, None))
        for checker in (from_archive, prechecker)
    ]
    assert answers[0] == answers[1]
    assert answers[0]["verdict"] in ("pass", "fail", "needs_review", "not_applicable")
    assert from_archive.bundle.stamp() == prechecker.bundle.stamp()


def test_a_signed_bundle_verifies_with_its_public_key(
    rsa_keys: tuple[bytes, bytes], ec_keys: tuple[bytes, bytes]
) -> None:
    for (private, public), algorithm in ((rsa_keys, "RS256"), (ec_keys, "ES256")):
        archive = build_archive(POLICIES, private, "ictgate-2026")
        checked = verify(archive, public)
        assert (checked.algorithm, checked.key_id) == (algorithm, "ictgate-2026")
        assert checked.files == len(policy_files(POLICIES))
        # The signature file is not part of what the engines load.
        assert load_archive(archive).stamp() == load_archive(build_archive(POLICIES)).stamp()
    # RS256 is deterministic, so a signed bundle is too.
    assert build_archive(POLICIES, rsa_keys[0], "k") == build_archive(POLICIES, rsa_keys[0], "k")


def test_the_signature_fails_with_a_wrong_key_or_a_changed_bundle(
    rsa_keys: tuple[bytes, bytes], ec_keys: tuple[bytes, bytes]
) -> None:
    signed = build_archive(POLICIES, rsa_keys[0], "ictgate-2026")
    other = _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))[1]
    with pytest.raises(BundleError, match="does not verify"):
        verify(signed, other)
    with pytest.raises(BundleError, match="signed with RS256, but this public key is for ES256"):
        verify(signed, ec_keys[1])
    rego = "lib/money.rego"
    tampered = _repack(signed, {rego: read_archive(signed)[rego] + b"\n# changed\n"})
    with pytest.raises(BundleError, match=f"{rego}: digest mismatch"):
        verify(tampered, rsa_keys[1])
    data = "rulebook/parameters/data.json"
    value = json.loads(read_archive(signed)[data])
    value["changed"] = True
    with pytest.raises(BundleError, match=f"{data}: digest mismatch"):
        verify(_repack(signed, {data: json.dumps(value).encode()}), rsa_keys[1])
    with pytest.raises(BundleError, match="extra/data.json is not included"):
        verify(_repack(signed, {"extra/data.json": b"{}"}), rsa_keys[1])
    with pytest.raises(BundleError, match="signed but not in the bundle: lib/money.rego"):
        verify(_repack(signed, {rego: None}), rsa_keys[1])
    with pytest.raises(BundleError, match="not signed"):
        verify(build_archive(POLICIES), rsa_keys[1])


def test_opa_itself_accepts_the_jwt(rsa_keys: tuple[bytes, bytes], ec_keys: tuple[bytes, bytes]) -> None:
    """OPA's own io.jwt.verify_rs256 / verify_es256 (the embedded OPA) accept the token we sign."""
    from importlib import import_module

    bindings = import_module("opa_bindings")
    engine = bindings.OpaEngine()
    try:
        for (private, public), builtin in ((rsa_keys, "verify_rs256"), (ec_keys, "verify_es256")):
            token = json.loads(read_archive(build_archive(POLICIES, private, "k"))[SIGNATURES_FILE])[
                "signatures"
            ][0]
            query = f"ok := io.jwt.{builtin}(input.token, input.key)"
            rows = engine.eval_query(query, {"token": token, "key": public.decode()})
            assert rows[0]["ok"] is True
            wrong = _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))[1]
            if builtin == "verify_rs256":
                assert engine.eval_query(query, {"token": token, "key": wrong.decode()})[0]["ok"] is False
    finally:
        engine.close()


def test_structured_files_are_hashed_as_opa_hashes_them() -> None:
    """OPA hashes data.json and .manifest as JSON values.

    Keys sorted, compact, numbers as written, strings without HTML escaping.
    """
    spaced = b'{\n  "b": "<&>\xe0\xb8\x81\\u2028\\n\\u0001",\n  "a": [1.50, 2e3, true, null]\n}\n'
    canonical = '{"a":[1.50,2e3,true,null],"b":"<&>\u0e01\\u2028\\n\\u0001"}'.encode()
    assert file_hash("x/data.json", spaced) == hashlib.sha256(canonical).hexdigest()
    assert file_hash(".manifest", spaced) == file_hash("data.json", canonical)
    # Any other file: its bytes.
    assert file_hash("a.rego", spaced) == hashlib.sha256(spaced).hexdigest()


def test_the_command_line(
    tmp_path: Path, rsa_keys: tuple[bytes, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = tmp_path / "key.pem", tmp_path / "key.pub"
    private.write_bytes(rsa_keys[0])
    public.write_bytes(rsa_keys[1])
    out = tmp_path / "signed.tar.gz"
    assert main(["bundle", "build", "-o", str(out), "--signing-key", str(private), "--key-id", "k1"]) == 0
    assert "signed (k1)" in capsys.readouterr().out
    assert main(["bundle", "verify", str(out), "--public-key", str(public)]) == 0
    assert "verified: revision" in capsys.readouterr().out
    out.write_bytes(_repack(out.read_bytes(), {"lib/money.rego": b"package ictgate.lib.money\n"}))
    assert main(["bundle", "verify", str(out), "--public-key", str(public)]) == 1
    assert "NOT VERIFIED: lib/money.rego: digest mismatch" in capsys.readouterr().out
    assert main(["bundle", "build", "-o", str(out), "--signing-key", str(private)]) == 2
