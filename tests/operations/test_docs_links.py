"""The documentation holds together: links resolve, the README stays short, nothing points outside.

Every relative Markdown link (and image) in README.md, CONTRIBUTING.md, CHANGELOG.md and
docs/*.md must name a file or folder of the repository, and a ``#fragment`` must name a
heading of the target page, slugged as GitHub does. Links inside code are not links.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.support.helpers import ROOT

PAGES = sorted(
    [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").glob("*.md")]
)

_FENCE = re.compile(r"^(```|~~~)")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # http:, https:, mailto:, …

# Names of files outside the repository that the docs must not lean on, and tracker references.
FORBIDDEN = [
    re.compile(r"CONTRACT\.md"),
    re.compile(r"DESIGN\.md"),
    re.compile(r"STYLE\.md"),
    re.compile(r"\.\./shared"),
    re.compile(r"\bissue\s+#?[0-9]+", re.IGNORECASE),
]


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks, with inline code removed."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, _INLINE_CODE.sub("", line)))
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: link text kept, lower case, punctuation dropped, spaces to hyphens."""
    text = _LINK.sub(lambda match: match.group(1), heading).lower()
    kept = "".join(char for char in text if char in " -_" or unicodedata.category(char)[0] in "LMN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: Counter[str] = Counter()
    found = set()
    fenced = False
    for line in path.read_text("utf-8").splitlines():
        if _FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            base = slug(match.group(2))
            found.add(base if seen[base] == 0 else f"{base}-{seen[base]}")
            seen[base] += 1
    return found


def links(path: Path) -> list[tuple[int, str]]:
    text = path.read_text("utf-8")
    return [(number, match.group(2)) for number, line in _prose_lines(text) for match in _LINK.finditer(line)]


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    problems = []
    for number, target in links(path):
        if _EXTERNAL.match(target):
            continue
        where = f"{path.relative_to(root)}:{number}: {target}"
        file_part, _, fragment = target.partition("#")
        resolved = (path.parent / unquote(file_part)).resolve() if file_part else path
        if not resolved.exists():
            problems.append(f"{where}: no such file")
            continue
        if not resolved.is_relative_to(root.resolve()):
            problems.append(f"{where}: outside the repository")
            continue
        if fragment and resolved.suffix == ".md" and unquote(fragment) not in anchors(resolved):
            problems.append(f"{where}: no heading #{fragment} in {resolved.relative_to(root.resolve())}")
    return problems


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path: Path) -> None:
    assert broken_links(path) == []


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_leans_on_anything_outside_the_repository(path: Path) -> None:
    text = path.read_text("utf-8")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for number, line in enumerate(text.splitlines(), 1)
        for pattern in FORBIDDEN
        for match in pattern.finditer(line)
    ]
    assert found == []


def test_the_readme_fits_on_a_page() -> None:
    assert len((ROOT / "README.md").read_text("utf-8").splitlines()) <= 200


def test_the_readme_links_every_page_of_the_docs() -> None:
    linked = {
        (ROOT / target.partition("#")[0]).resolve()
        for _, target in links(ROOT / "README.md")
        if not _EXTERNAL.match(target)
    }
    missing = [page.name for page in sorted((ROOT / "docs").glob("*.md")) if page.resolve() not in linked]
    assert missing == []


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    assert slug("Where the letters are silent: the product's interpretations") == (
        "where-the-letters-are-silent-the-products-interpretations"
    )
    assert slug("The rule catalog: `GET /v1/rules`") == "the-rule-catalog-get-v1rules"
    assert slug("R-AUTH-1") == "r-auth-1"
    assert slug("Serve the [API](api.md)") == "serve-the-api"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "api.md").write_text("# API\n\n## Errors\n", "utf-8")
    (tmp_path / "outside.md").write_text("# Outside\n", "utf-8")
    page = docs / "probe.md"
    page.write_text(
        "# Probe\n\n## Twice\n\n## Twice\n\n[a](#twice-1) [b](#nowhere) [c](api.md#errors) [d](missing.md)\n"
        "`[e](missing.md)`\n\n```\n[f](missing.md)\n```\n[g](https://example.org/x) [h](api.md#warnings)\n"
        "[i](../outside.md) [j](../../elsewhere.md)\n",
        "utf-8",
    )
    assert broken_links(page, root=tmp_path) == [
        "docs/probe.md:7: #nowhere: no heading #nowhere in docs/probe.md",
        "docs/probe.md:7: missing.md: no such file",
        "docs/probe.md:13: api.md#warnings: no heading #warnings in docs/api.md",
        "docs/probe.md:14: ../../elsewhere.md: no such file",
    ]
