"""One ``codemods validate`` invocation: copy, migrate, run the gates, report, exit."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from codemods.config import check_target
from codemods.core.results import ExitCode
from codemods.core.settings import ConfigError
from codemods.engine.reporting.terminal import Terminal
from codemods.rules import registry
from codemods.validate import gates, report
from codemods.validate.bundle import default_paths
from codemods.validate.compare import reference_gate
from codemods.validate.hints import hint
from codemods.validate.project import (
    Plan,
    copy_project,
    load_settings,
    plan,
    project_of,
)
from codemods.validate.results import GateResult


def validate(
    path: Path | None,
    overrides: Mapping[str, Any],
    output_format: str,
    terminal: Terminal,
    workdir: Path | None = None,
) -> int:
    """Validate ``path`` (default: each bundled app, the legacy app and herald); 0 if
    every gate passed.

    Each migrated copy is made in a temporary directory, removed afterwards, or in
    ``workdir`` (which must be empty or not exist yet), where it is kept.
    """
    validated: list[tuple[Path, Plan, list[GateResult]]] = []
    try:
        sources = default_paths() if path is None else (path,)
        if workdir is not None:
            _empty(workdir)
        for source in sources:
            validated.append(_validate(source, overrides, workdir))
    except ConfigError as exc:
        terminal.message(f"codemods: error: {exc}", "red")
        return ExitCode.USAGE
    documents = []
    for source, the_plan, results in validated:
        advice = hint(results, bundled=path is None or _is_bundled(source))
        if output_format == "json":
            codes = registry.codes(the_plan.settings)
            documents.append(report.document(source, codes, results, advice))
        else:
            if path is None:
                terminal.data(f"{source}\n")
            report.text(terminal, results, advice)
    if documents:
        report.as_json(terminal, documents, listed=path is None)
    passed = all(report.ok(results) for _, _, results in validated)
    return ExitCode.OK if passed else ExitCode.INCOMPLETE


def _validate(
    source: Path, overrides: Mapping[str, Any], workdir: Path | None
) -> tuple[Path, Plan, list[GateResult]]:
    """Copy, migrate and run the gates on ``source``."""
    settings = load_settings(source)
    project = project_of(source, settings)
    with tempfile.TemporaryDirectory(prefix="codemods-validate-") as scratch:
        workspace = Path(scratch) if workdir is None else _kept(workdir, project)
        root = copy_project(project, workspace)
        the_plan = plan(source, settings, root, overrides)
        check_target(the_plan.settings)
        return source, the_plan, run_gates(the_plan, Path(scratch))


def _is_bundled(source: Path) -> bool:
    """Whether ``source`` is one of the bundled apps (given by its path)."""
    try:
        return source.resolve() in {p.resolve() for p in default_paths()}
    except ConfigError:  # no bundle installed: it cannot be
        return False


def _empty(workdir: Path) -> None:
    if workdir.exists() and (not workdir.is_dir() or any(workdir.iterdir())):
        raise ConfigError(f"--workdir {workdir}: not an empty directory")


def _kept(workdir: Path, project: Path) -> Path:
    if workdir.resolve().is_relative_to(project):
        raise ConfigError(f"--workdir {workdir}: inside the copied tree {project}")
    workdir.mkdir(parents=True, exist_ok=True)
    return workdir


def run_gates(the_plan: Plan, scratch: Path) -> list[GateResult]:
    """Every gate, in order, each whatever the others found: CI sees all failures."""
    first = gates.migrate(the_plan, the_plan.settings, write=True)
    second = gates.migrate(the_plan, the_plan.settings, write=False)
    check = second
    if registry.codes(the_plan.check_settings) != registry.codes(the_plan.settings):
        check = gates.migrate(the_plan, the_plan.check_settings, write=False)
    return [
        gates.parse_gate(the_plan, first, second),
        gates.mypy_gate(the_plan, scratch / "mypy-cache"),
        gates.check_gate(the_plan, check),
        gates.tests_gate(the_plan),
        reference_gate(the_plan),
    ]
