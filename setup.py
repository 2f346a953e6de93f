"""Build hook; everything else about the package is in pyproject.toml.

``codemods validate`` needs the bundled legacy app, the reference application and its
conformance suite. They live outside the ``codemods`` package in this repository, so
the wheel gets a copy of them under ``codemods/_bundled/``, keeping the repository's
layout (``codemods/validate/bundle.py`` looks there first, then in the checkout).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = (
    "fixtures/legacy_app",
    "fixtures/realistic_app",
    "target_reference",
    "tests/conftest.py",  # declares --impl-root, which the conformance suite reads
    "tests/conformance",
    "tests/realistic_app",  # herald's behaviour tests (they use the conformance's support)
)
NOT_BUNDLED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*_cache")


class BuildPyWithBundle(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the checkout itself
        target = Path(self.build_lib) / "codemods" / "_bundled"
        for relative in BUNDLED:
            source, copy = ROOT / relative, target / relative
            if source.is_dir():
                shutil.copytree(source, copy, ignore=NOT_BUNDLED, dirs_exist_ok=True)
            else:
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)


setup(cmdclass={"build_py": BuildPyWithBundle})
