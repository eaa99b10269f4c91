"""What every report needs: options, texts in the chosen language, file names as URIs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ictgate.core.errors import FieldError
from ictgate.core.render import citation_text

__all__ = [
    "ReportOptions",
    "citation_text",
    "error_message",
    "field_error_text",
    "field_where",
    "one_line",
    "relative_path",
    "relative_uri",
    "texts",
]

_ORDER = {"th": ("th",), "en": ("en",), "both": ("th", "en")}


@dataclass(frozen=True)
class ReportOptions:
    lang: str = "both"  # th, en or both (Thai first)
    colour: bool = False  # ANSI colours: only for text on a terminal
    policy_dir: Path | None = None  # where the rule catalog is read for SARIF rule metadata
    cwd: Path = field(default_factory=Path.cwd)


def texts(message: dict[str, str], lang: str) -> list[str]:
    """The message in the chosen language(s), Thai first."""
    return [message[key] for key in _ORDER[lang] if message.get(key)]


def one_line(message: dict[str, str], lang: str) -> str:
    return " / ".join(texts(message, lang))


def field_where(item: FieldError) -> str:
    """The field of a schema error (a JSON Pointer, "/" for the whole document) or its query parameter."""
    return item.parameter or item.pointer or "/"


def field_error_text(item: FieldError) -> str:
    return f"{field_where(item)}: {item.message}"


def error_message(item: FieldError, lang: str) -> str:
    """A field error in the report's language: Thai with ``--lang th``, Thai then English with ``both``."""
    if lang == "th" and item.message_th:
        return item.message_th
    if lang == "both" and item.message_th:
        return f"{item.message_th} / {item.message}"
    return item.message


def relative_path(path: Path, cwd: Path) -> str:
    """The file as written in a repository: relative to cwd, with forward slashes, when it lies there."""
    if path.is_absolute():
        try:
            return path.relative_to(cwd).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def relative_uri(path: Path, cwd: Path) -> tuple[str, bool]:
    """The file as a URI reference: relative to cwd (True) when it lies there, else absolute (False)."""
    if not path.is_absolute():
        return quote(path.as_posix()), True
    try:
        return quote(path.relative_to(cwd).as_posix()), True
    except ValueError:
        return path.as_uri(), False
