"""Security review, round two, items 2, 4 and 10: documents and the command line are bounded.

A 477-byte "billion laughs" YAML made ``ictgate check`` run past 90 s and grow
without bound; it is refused at its first alias, naming the file. Every YAML
the command line and the pages read goes through the same loader. A file is
never read past the size limit, and ``serve --dev`` decides loopback on the
parsed address.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ictgate.cli.main import _is_loopback, main
from ictgate.gate.documents import (
    MAX_DOCUMENT_BYTES,
    MAX_YAML_NODES,
    DocumentSyntaxError,
    DocumentTooLarge,
    parse_document,
    read_source,
)

from tests.support.helpers import ROOT

LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]"
            for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


def test_the_reproduction_is_the_reviewers_size() -> None:
    assert 400 < len(LAUGHS.encode()) < 600


def test_fixed_a_billion_laughs_is_refused_at_its_first_alias(tmp_path: Path) -> None:
    bomb = tmp_path / "order.yaml"
    bomb.write_text(LAUGHS)
    started = time.process_time()
    with pytest.raises(DocumentSyntaxError) as refused:
        read_source(bomb)
    assert time.process_time() - started < 0.1
    assert refused.value.line == 2
    assert refused.value.detail.startswith("order.yaml, line 2: YAML aliases (*a) are not accepted")


def test_fixed_ictgate_check_on_a_billion_laughs_exits_2_at_once(tmp_path: Path) -> None:
    """Was: past 90 s of CPU and growing without bound."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(LAUGHS)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "ictgate", "check", str(bomb), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert done.returncode == 2, done.stderr
    assert cpu < 30, f"{cpu:.1f} s of CPU"
    assert after.ru_maxrss < 1_500_000  # KiB: no unbounded growth
    (result,) = json.loads(done.stdout)["files"]
    assert "YAML aliases (*a) are not accepted" in json.dumps(result, ensure_ascii=False)


def test_a_merge_key_is_an_alias_too() -> None:
    text = b"base: &base {name: x}\norder:\n  <<: *base\n"
    with pytest.raises(DocumentSyntaxError, match=r"order\.yaml, line 3: YAML aliases \(\*base\)"):
        parse_document(text, "order.yaml")


def test_anchors_without_aliases_are_fine() -> None:
    assert parse_document(b"province: &p TH-30\n", "order.yaml") == {"province": "TH-30"}


def test_too_many_values_and_too_deep_are_refused_naming_the_file() -> None:
    many = ("items:\n" + "".join(f"  - {n}\n" for n in range(MAX_YAML_NODES + 1))).encode()
    started = time.process_time()
    with pytest.raises(DocumentTooLarge, match=r"^many\.yaml: more than 20,000 values"):
        parse_document(many, "many.yaml")
    assert time.process_time() - started < 2.0
    with pytest.raises(DocumentSyntaxError, match=r"^deep\.yaml, line 1: nested more than 32 levels"):
        parse_document(b"[" * 40 + b"]" * 40, "deep.yaml")


def test_a_file_is_never_read_past_the_limit(tmp_path: Path) -> None:
    with pytest.raises(DocumentTooLarge, match=r"^zero is larger than the limit"):
        read_source(Path("/dev/zero"))  # endless: read to the limit and one byte, no further
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(DocumentTooLarge) as refused:
        read_source(big)
    assert refused.value.code == "payload_too_large"


def test_an_integer_python_cannot_read_is_a_syntax_error_not_a_crash() -> None:
    with pytest.raises(DocumentSyntaxError, match=r"^big\.yaml: not a usable document"):
        parse_document(("budget: " + "9" * 5000).encode(), "big.yaml")


def test_fixed_the_48_kb_stall_in_a_json_file_is_a_quick_syntax_error(tmp_path: Path) -> None:
    stall = tmp_path / "stall.json"
    stall.write_text('"' + '\\"' * 24_000)
    started = time.process_time()
    assert main(["check", str(stall), "--format", "json"]) == 2
    assert time.process_time() - started < 10  # the engine starts in here too


# --- item 10: loopback on the parsed address --------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST", "0:0:0:0:0:0:0:1"]
)
def test_loopback_addresses_are_loopback(host: str) -> None:
    assert _is_loopback(host)


@pytest.mark.parametrize(
    "host",
    [
        "127.attacker.example",
        "localhost.attacker.example",
        "::1234",
        "[::1]:80",
        "0.0.0.0",
        "::",
        "128.0.0.1",
        "1270.0.0.1",
        "127.0.0.1.nip.io",
        "",
    ],
)
def test_fixed_names_that_begin_like_loopback_are_not(host: str) -> None:
    """Was: a prefix check, so 127.attacker.example, localhost.attacker.example and ::1234 passed."""
    assert not _is_loopback(host)


def test_fixed_serve_dev_refuses_a_name_that_only_begins_like_loopback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ICTGATE_DEV_MODE", raising=False)
    try:
        assert main(["serve", "--dev", "--host", "localhost.attacker.example"]) == 2
    finally:
        from ictgate.core.settings import get_settings

        monkeypatch.delenv("ICTGATE_DEV_MODE", raising=False)
        get_settings.cache_clear()
    assert "refusing to serve without authentication on localhost.attacker.example" in capsys.readouterr().err


def test_a_yaml_key_that_is_a_list_is_a_syntax_error_not_a_crash(tmp_path: Path) -> None:
    from ictgate.gate.documents import DocumentSyntaxError, parse_document

    with pytest.raises(DocumentSyntaxError, match="line 1: a key must be text"):
        parse_document(b"? [a]\n: b\n", "order.yaml")
