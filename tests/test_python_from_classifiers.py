"""A project that declares its Pythons only in trove classifiers (real-world harness,
hbmqtt 0.9.6: no ``requires-python``, classifiers 3.4 to 3.6).

The tool finds no declared Python there and writes as for 3.11: TG003's strong-reference
keeper, a module-level ``_background_tasks: set[asyncio.Future[Any]] = set()``, is
evaluated at import, so the module fails with a TypeError on Python 3.8 and older (a
SyntaxError on 3.4 and 3.5). The safe output is the refusal a ``requires-python``
below 3.11 gets (issue 20, item 5): exit 2, naming the classifiers, nothing written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.core import declared
from tests.support.cli import invoke, write

DANGLING = """
import asyncio


async def deliver() -> None:
    await asyncio.sleep(0)


def on_packet() -> None:
    asyncio.ensure_future(deliver())
"""

OLD = (
    "Programming Language :: Python :: 3.4",
    "Programming Language :: Python :: 3.6",
    "Programming Language :: Python :: 3.5",
)

METADATA = {
    "setup.py": (
        "from setuptools import setup\n\n"
        "setup(\n    name='oldlib',\n    classifiers=[\n"
        + "".join(f"        {c!r},\n" for c in ("Topic :: Internet", *OLD))
        + "    ],\n)\n"
    ),
    "setup.cfg": (
        "[metadata]\nname = oldlib\nclassifiers =\n"
        + "".join(f"    {c}\n" for c in ("Topic :: Internet", *OLD))
    ),
    "pyproject.toml": (
        '[project]\nname = "oldlib"\nversion = "1.0"\nclassifiers = [\n'
        + "".join(f'  "{c}",\n' for c in ("Topic :: Internet", *OLD))
        + "]\n"
    ),
}

# The change item 5 needs is in ``codemods/core/declared.py`` (engineer C's file).
NOT_READ = pytest.mark.xfail(
    strict=True,
    reason="declared.target_version() does not read trove classifiers yet: it should "
    "fall back to the lowest 'Programming Language :: Python :: X.Y' one",
)


def _project(root: Path, metadata: str) -> Path:
    (root / metadata).write_text(METADATA[metadata])
    write(root, "oldlib/handlers.py", DANGLING)
    return root


@NOT_READ
@pytest.mark.parametrize("metadata", sorted(METADATA))
def test_the_lowest_classifier_is_the_declared_python(
    tmp_path: Path, metadata: str
) -> None:
    found = declared.target_version(_project(tmp_path, metadata))
    assert found is not None
    assert found.value == (3, 4)
    assert metadata in found.source
    assert "Programming Language :: Python :: 3.4" in found.source


@NOT_READ
@pytest.mark.parametrize("metadata", sorted(METADATA))
def test_the_taskgroup_codemods_refuse_it_and_write_nothing(
    tmp_path: Path, metadata: str
) -> None:
    root = _project(tmp_path, metadata)
    module = root / "oldlib" / "handlers.py"
    before = module.read_bytes()
    for command in (("check",), ("run", "--write")):
        result = invoke(*command, root)
        assert result.exit_code == 2, (command, result.stdout)
        assert "write code that needs Python 3.11" in result.stderr
        assert "supports Python 3.4" in result.stderr
        assert "Programming Language :: Python :: 3.4" in result.stderr
        assert "--target-version 3.11" in result.stderr
    assert module.read_bytes() == before


def test_a_classifier_without_a_minor_version_declares_nothing(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text(
        "[metadata]\nname = lib\nclassifiers =\n"
        "    Programming Language :: Python :: 3\n"
        "    Programming Language :: Python :: 3 :: Only\n"
    )
    write(tmp_path, "lib/handlers.py", DANGLING)
    assert declared.target_version(tmp_path) is None
    result = invoke("check", tmp_path)
    assert result.exit_code == 1
    assert "handlers.py:9:5: TG003 " in result.stdout


def test_requires_python_wins_over_classifiers(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "lib"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
        'classifiers = ["Programming Language :: Python :: 3.4"]\n'
    )
    write(tmp_path, "lib/handlers.py", DANGLING)
    found = declared.target_version(tmp_path)
    assert found is not None and found.value == (3, 11)
    result = invoke("check", tmp_path)
    assert result.exit_code == 1
    assert "handlers.py:9:5: TG003 " in result.stdout
