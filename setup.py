"""Build hook: a wheel carries a copy of policies/ and schemas/ as ictgate/bundled/.

The product card keeps policies/ and schemas/ at the top of the repository, where
auditors and `opa test` read them; an installed wheel must still serve without a
checkout, so they are copied into the package at build time (not for an editable
install, which reads the checkout itself). Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
BUNDLED = ("policies", "schemas")


class BuildPyWithBundle(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "ictgate" / "bundled"
        for name in BUNDLED:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(HERE / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildPyWithBundle})
