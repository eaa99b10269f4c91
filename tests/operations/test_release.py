"""One version everywhere: the package, the changelog, and the tag the example pipelines pin."""

from __future__ import annotations

import re
import subprocess

import pytest
from ictgate import __version__

from tests.support.helpers import ROOT

# How each example and the GitLab template pin ictgate: one pin each, and it is this release.
PINS = {
    "examples/agency-repo/.github/workflows/ictgate.yml": r"uses: ictgate/ictgate@(\S+)",
    "examples/agency-repo/.gitlab-ci.yml": r"remote: https://raw\.githubusercontent\.com/ictgate/ictgate/([^/]+)/",
    "examples/agency-repo/.pre-commit-config.yaml": r"rev: (\S+)",
    "ci/gitlab/ictgate.gitlab-ci.yml": r"ICTGATE_REF: (\S+)",
}


def test_the_changelog_opens_with_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    first = re.search(r"^## \[([0-9]+\.[0-9]+\.[0-9]+)\]", changelog, re.MULTILINE)
    assert first is not None and first.group(1) == __version__


@pytest.mark.parametrize(("path", "pin"), PINS.items(), ids=list(PINS))
def test_the_example_pipelines_pin_this_release(path: str, pin: str) -> None:
    text = (ROOT / path).read_text("utf-8")
    assert re.findall(pin, text) == [f"v{__version__}"]


_VERSION = r"(v[0-9]+\.[0-9]+\.[0-9]+)"
_SHOWN = re.compile(rf"ictgate@{_VERSION}|rev: {_VERSION}|/ictgate/ictgate/{_VERSION}/")


@pytest.mark.parametrize(
    "path",
    [
        "examples/agency-repo/README.md",
        "docs/ci-integrations.md",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "ci/gitlab/ictgate.gitlab-ci.yml",
    ],
)
def test_the_set_ups_shown_pin_this_release(path: str) -> None:
    """The one-line set-ups in the docs and in the files' own comments: bumped with each release."""
    pins = _SHOWN.findall((ROOT / path).read_text("utf-8"))
    assert pins
    assert {next(filter(None, groups)) for groups in pins} == {f"v{__version__}"}


def test_the_release_tag_exists_where_tags_were_fetched() -> None:
    tags = subprocess.run(["git", "tag", "--list"], cwd=ROOT, capture_output=True, text=True)
    if tags.returncode != 0 or not tags.stdout.strip():
        pytest.skip("no git tags in this checkout (a clone without tags): nothing to compare")
    assert f"v{__version__}" in tags.stdout.split()
