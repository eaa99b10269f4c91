"""Which files a ``check`` run reads: files, directories (recursively) and globs.

- A file named on the command line is read whatever its suffix.
- A directory is searched recursively for ``*.json``, ``*.yaml`` and ``*.yml``,
  in name order, skipping hidden files and directories (``.git``, ``.github``,
  ``.gitlab-ci.yml``): those are never proposals.
- A glob (``proposals/**/*.yaml``; quote it so the shell leaves it alone) picks
  the proposal files it matches, and searches the directories it matches.
- A path that does not exist, or a glob that matches no proposal file, is an
  error of the run (exit 2): a typo must not turn the gate into a silent pass.

Each file is read once, in the order of the arguments.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ictgate.gate.documents import DOCUMENT_SUFFIXES

__all__ = ["Expansion", "expand_paths"]

_MAGIC = frozenset("*?[")


@dataclass(frozen=True)
class Expansion:
    files: list[Path]
    # (argument, reason) for each argument that named nothing to check
    unmatched: list[tuple[str, str]]


def _is_document(name: str) -> bool:
    return name.lower().endswith(DOCUMENT_SUFFIXES)


def _search(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and _is_document(name):
                yield Path(root) / name


def _glob(pattern: str) -> Iterator[Path]:
    for match in sorted(glob.glob(pattern, recursive=True)):
        path = Path(match)
        if path.is_dir():
            yield from _search(path)
        elif path.is_file() and _is_document(path.name):
            yield path


def expand_paths(arguments: Iterable[str]) -> Expansion:
    files: list[Path] = []
    unmatched: list[tuple[str, str]] = []
    seen: set[Path] = set()
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = list(_search(path))
        elif path.is_file():
            found = [path]
        elif _MAGIC & set(argument):
            found = list(_glob(argument))
            if not found:
                unmatched.append((argument, "no proposal file matches this pattern"))
        else:
            unmatched.append((argument, "no such file or directory"))
            found = []
        for item in found:
            key = item.resolve()
            if key not in seen:
                seen.add(key)
                files.append(item)
    return Expansion(files, unmatched)
