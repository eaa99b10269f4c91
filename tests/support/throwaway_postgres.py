"""A throwaway PostgreSQL server in a temporary folder, for tests and benchmarks.

Uses the server binaries of the Debian packages (``/usr/lib/postgresql/N/bin``,
the highest N). It listens only on a Unix socket inside its folder, trusts
local connections, and is removed with its data when stopped. PostgreSQL
refuses to run as root, so as root it runs as the ``postgres`` user (created
by the Debian package), through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ThrowawayPostgres", "find_bindir", "start"]


def find_bindir() -> Path | None:
    """The ``bin`` folder of the newest installed PostgreSQL server, if any."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")

    def version(path: str) -> tuple[int, ...]:
        name = Path(path).parent.parent.name
        return tuple(int(part) for part in name.split(".") if part.isdigit())

    return Path(max(found, key=version)).parent if found else None


@dataclass
class ThrowawayPostgres:
    bindir: Path
    base: Path
    prefix: list[str]

    @property
    def url(self) -> str:
        """A libpq URL for the superuser ``ictgate`` and the ``postgres`` database, over the socket."""
        return f"postgresql://ictgate@/postgres?host={self.base}"

    def stop(self) -> None:
        pg_ctl = str(self.bindir / "pg_ctl")
        subprocess.run(
            [*self.prefix, pg_ctl, "stop", "-D", str(self.base / "data"), "-m", "immediate"],
            check=False,
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.base, ignore_errors=True)


def _prefix(base: Path) -> list[str]:
    if os.geteuid() != 0:
        return []
    user = pwd.getpwnam("postgres")
    os.chown(base, user.pw_uid, user.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


def start(bindir: Path) -> ThrowawayPostgres:
    """Initialises and starts a server; raises ``RuntimeError`` with its log when it does not come up."""
    base = Path(tempfile.mkdtemp(prefix="ictgate-pg-"))
    try:
        prefix = _prefix(base)
        run = [*prefix, str(bindir / "initdb"), "-D", str(base / "data"), "-U", "ictgate"]
        subprocess.run(
            [*run, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-k {base} -c listen_addresses='' -c max_connections=100"
        started = subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "start", "-D", str(base / "data"), "-w", "-t", "60"]
            + ["-l", str(base / "server.log"), "-o", options],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if started.returncode != 0:
            log = (base / "server.log").read_text(errors="replace") if (base / "server.log").exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log}")
    except (OSError, KeyError, subprocess.SubprocessError, RuntimeError) as error:
        shutil.rmtree(base, ignore_errors=True)
        if isinstance(error, subprocess.CalledProcessError):
            raise RuntimeError(f"initdb failed: {error.stderr!r}") from error
        raise
    return ThrowawayPostgres(bindir, base, prefix)
