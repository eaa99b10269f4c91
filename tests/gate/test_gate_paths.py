"""Which files `ictgate check` reads: files, directories, globs; and what matched nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from ictgate.gate import expand_paths


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in [
        "proposals/b.yaml",
        "proposals/a.json",
        "proposals/notes.md",
        "proposals/fy2569/c.yml",
        "proposals/fy2569/D.JSON",
        "proposals/.hidden.yaml",
        "proposals/.drafts/e.yaml",
        ".github/workflows/ci.yml",
        "other/x.yaml",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _names(paths: list[Path]) -> list[str]:
    return [path.as_posix() for path in paths]


def test_directories_are_searched_in_name_order_skipping_hidden_entries(tree: Path) -> None:
    expansion = expand_paths(["."])
    assert _names(expansion.files) == [
        "other/x.yaml",
        "proposals/a.json",
        "proposals/b.yaml",
        "proposals/fy2569/D.JSON",
        "proposals/fy2569/c.yml",
    ]
    assert expansion.unmatched == []


def test_a_named_file_is_read_whatever_its_suffix_or_name(tree: Path) -> None:
    expansion = expand_paths(["proposals/notes.md", "proposals/.hidden.yaml"])
    assert _names(expansion.files) == ["proposals/notes.md", "proposals/.hidden.yaml"]


def test_globs_pick_proposal_files_and_search_directories(tree: Path) -> None:
    assert _names(expand_paths(["proposals/**/*.y*ml"]).files) == [
        "proposals/b.yaml",
        "proposals/fy2569/c.yml",
    ]
    # A glob that matches a directory searches it; *.md files are not proposals.
    assert _names(expand_paths(["proposals/fy25*", "proposals/*"]).files) == [
        "proposals/fy2569/D.JSON",
        "proposals/fy2569/c.yml",
        "proposals/a.json",
        "proposals/b.yaml",
    ]


def test_each_file_is_read_once_in_argument_order(tree: Path) -> None:
    expansion = expand_paths(["proposals/b.yaml", "proposals", str(tree / "proposals/a.json")])
    assert _names(expansion.files) == [
        "proposals/b.yaml",
        "proposals/a.json",
        "proposals/fy2569/D.JSON",
        "proposals/fy2569/c.yml",
    ]


def test_paths_and_globs_that_match_nothing_are_reported(tree: Path) -> None:
    expansion = expand_paths(["proposals/a.json", "nope.yaml", "proposals/**/*.toml", "proposals/*.md"])
    assert _names(expansion.files) == ["proposals/a.json"]
    assert expansion.unmatched == [
        ("nope.yaml", "no such file or directory"),
        ("proposals/**/*.toml", "no proposal file matches this pattern"),
        ("proposals/*.md", "no proposal file matches this pattern"),
    ]
