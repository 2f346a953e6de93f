"""The tree ``codemods validate`` checks: its settings, and its temporary copy.

The copied tree is the *project*: the directory of the ``pyproject.toml`` whose
``[tool.codemods]`` applies to PATH (PATH itself when there is none), so that the
configured files and the test command find the migrated copy laid out as the original.
Paths in ``[tool.codemods.validate]`` are relative to that configuration file: in the
copy for what belongs to the migrated tree (``mypy-files``, ``retired``, the test
command's working directory), next to the original for ``reference``.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from codemods import config
from codemods.core.settings import ConfigError, Settings
from codemods.engine.paths import ALWAYS_SKIPPED
from codemods.validate.bundle import expand, placeholders

DEFAULT_TEST_TIMEOUT = config.DEFAULT_TEST_TIMEOUT


@dataclass(frozen=True)
class Plan:
    """Everything the gates need, with every path resolved."""

    source: Path  # the validated directory, as given
    root: Path  # the migrated copy of the project
    target: Path  # the copy of `source` inside `root`: what the codemods run on
    settings: Settings  # the codemods applied (CLI overrides too), in the copy
    check_settings: Settings  # what `codemods check` on the tree would use
    mypy_files: tuple[Path, ...] | None
    test_command: tuple[str, ...] | None
    test_timeout: int
    reference: Path | None
    retired: tuple[str, ...]


def load_settings(source: Path) -> Settings:
    """The ``[tool.codemods]`` settings of the validated tree."""
    if not source.is_dir():
        raise ConfigError(f"{source}: not a directory")
    return config.load([source])


def project_of(source: Path, settings: Settings) -> Path:
    """The directory that is copied: the configuration's, or ``source`` itself."""
    source = source.resolve()
    if settings.config_path is None:
        return source
    return Path(settings.config_path).resolve().parent


def copy_project(project: Path, workspace: Path) -> Path:
    """Copy ``project`` into ``workspace``, leaving out caches, VCS data, venvs."""
    root = workspace / project.name
    shutil.copytree(
        project, root, symlinks=True, ignore=shutil.ignore_patterns(*ALWAYS_SKIPPED)
    )
    return root


def plan(
    source: Path,
    settings: Settings,
    root: Path,
    overrides: Mapping[str, Any] | None = None,
) -> Plan:
    """Resolve the ``[tool.codemods.validate]`` table for a copy at ``root``.

    The command line's ``--select``/``--ignore`` choose the codemods applied; gate (c)
    checks with the tree's own configuration, as its CI would, so a codemod left out
    shows there as work left.
    """
    project = project_of(source, settings)
    table = settings.validate
    values = placeholders(root)

    def in_copy(value: str) -> Path:
        return root / expand(value, values)

    reference = None
    if "reference" in table:
        reference = (project / expand(table["reference"], values)).resolve()
    copied_config = None
    if settings.config_path is not None:
        copied_config = str(root / Path(settings.config_path).name)
    in_root = replace(settings, root=str(root), config_path=copied_config)
    mypy_files = table.get("mypy-files")
    command = table.get("test-command")
    return Plan(
        source=source,
        root=root,
        target=root / source.resolve().relative_to(project),
        settings=config.apply_overrides(in_root, overrides or {}),
        check_settings=in_root,
        mypy_files=None if mypy_files is None else tuple(map(in_copy, mypy_files)),
        test_command=(
            None if command is None else tuple(expand(a, values) for a in command)
        ),
        test_timeout=table.get("test-timeout", DEFAULT_TEST_TIMEOUT),
        reference=reference,
        retired=tuple(table.get("retired", ())),
    )
