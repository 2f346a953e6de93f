"""The ``codemods`` command: click declarations only; the work is in the engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from codemods import __version__, session
from codemods.core.results import ExitCode
from codemods.engine.reporting.terminal import Terminal
from codemods.exits import Main

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = click.Choice(["text", "json", "sarif", "github"])


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select TG001,TG002 --select TG003`` -> ("TG001", "TG002", "TG003")."""
    return tuple(
        part.strip() for value in values for part in value.split(",") if part.strip()
    )


def discovery_options(command: F) -> F:
    """The files and the configuration: options of ``run``, ``check`` and ``index``."""
    decorators = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option(
            "--config",
            "config_file",
            type=click.Path(path_type=Path),
            help="Read [tool.codemods] from this file, not the nearest pyproject.toml.",
        ),
        click.option(
            "--select",
            multiple=True,
            help="Codemods to run (codes or names, comma-separated).",
        ),
        click.option("--ignore", multiple=True, help="Codemods not to run."),
        click.option(
            "--exclude", multiple=True, help="Glob of paths to skip (repeatable)."
        ),
        click.option(
            "--include",
            multiple=True,
            help="Glob of extra files to take, e.g. '*.pyi'.",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=0),
            help="Worker processes (0: all cores).",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def run_options(command: F) -> F:
    """Options shared by ``run`` and ``check``."""
    decorators = [
        discovery_options,
        click.option(
            "--format", "output_format", type=FORMATS, default="text", show_default=True
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            envvar="CODEMODS_NO_CACHE",
            help="Neither read nor write the results cache.",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False, path_type=Path),
            envvar="CODEMODS_CACHE_DIR",
            help="Results cache directory [default: .codemods_cache in the project].",
        ),
        click.option(
            "--shard",
            metavar="K/N",
            help="Process only shard K of N (a CI matrix; see merge-reports).",
        ),
        click.option(
            "--index",
            "index_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Take the other shards' facts from this `codemods index` file.",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _invocation(**options: Any) -> session.Invocation:
    overrides = {
        "select": _codes(options["select"]) or None,
        "ignore": _codes(options["ignore"]),
        "exclude": options["exclude"],
        "include": options["include"],
    }
    return session.Invocation(
        paths=options["paths"] or (Path("."),),
        config_file=options["config_file"],
        overrides=overrides,
        output_format=options.get("output_format", "text"),
        jobs=options["jobs"],
        cache=_cache(options),
        shard=options.get("shard"),
        index=options.get("index_file"),
    )


def _cache(options: dict[str, Any]) -> Path | None:
    if options.get("no_cache", True):
        return None
    cache_dir: Path | None = options["cache_dir"]
    return cache_dir or session.DEFAULT


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="codemods")
def main() -> None:
    """Migrate asyncio code from fire-and-forget tasks to asyncio.TaskGroup."""


@main.command()
@run_options
@click.option(
    "--write", is_flag=True, help="Apply the changes (atomically, file by file)."
)
@click.option("--safe-only", is_flag=True, help="Apply only fixes marked safe.")
@click.option(
    "-i",
    "--interactive",
    is_flag=True,
    help="Ask about each hunk (y/n/a/d/q/?), then write the accepted ones.",
)
@click.option(
    "--patch",
    "patch_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the changes as one patch for `git apply` (from the repo root).",
)
def run(
    write: bool,
    safe_only: bool,
    interactive: bool,
    patch_file: Path | None,
    **options: Any,
) -> None:
    """Show the migration as a diff (a dry run), or apply it with --write."""
    review = session.Review(interactive=interactive, patch=patch_file)
    code = session.execute(
        _invocation(**options),
        Terminal(),
        mode="run",
        write=write,
        safe_only=safe_only,
        review=review,
    )
    raise SystemExit(code)


@main.command()
@run_options
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Write `# noqa: CODE` on the line of every finding that is not fixable.",
)
def check(add_noqa: bool, **options: Any) -> None:
    """Exit 1 while a codemod would change something or a finding remains (CI gate)."""
    review = session.Review(add_noqa=add_noqa)
    raise SystemExit(
        session.execute(_invocation(**options), Terminal(), mode="check", review=review)
    )


@main.command(name="index")
@discovery_options
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the index file here (replaced as a whole).",
)
def index(out: Path, **options: Any) -> None:
    """Scan the whole tree once for the project index (TG002, TG005) and write it to
    --out, for the `--shard K/N --index FILE` runs of a CI matrix."""
    raise SystemExit(session.write_index(_invocation(**options), Terminal(), out))


@main.command(name="merge-reports")
@click.argument(
    "reports",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--with-patch",
    "patches",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A shard's --patch file (repeatable), merged into --patch.",
)
@click.option(
    "--patch",
    "patch_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the shards' patches here as one patch.",
)
def merge_reports(
    reports: tuple[Path, ...], patches: tuple[Path, ...], patch_file: Path | None
) -> None:
    """Merge the `--format json` reports of `--shard K/N` runs: one report on stdout,
    the exit code of the whole run, and with --patch one patch."""
    # Each command imports what it alone needs: a `check` loads no other's code.
    from codemods.engine.reporting.merge import merge_command

    raise SystemExit(merge_command(reports, patches, patch_file, Terminal()))


@main.command(name="list")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text"
)
def list_codemods(output_format: str) -> None:
    """List the codemods in the order they run."""
    # Imported on use: listing loads every codemod's class, and LibCST with it.
    from codemods.explain import list_codemods as render

    render(Terminal(), output_format)


@main.command()
@click.argument("codemod")
def explain(codemod: str) -> None:
    """Explain a codemod: what it does, why, an example, and its fix safety."""
    # Imported on use: a page loads its codemod's class, and LibCST with it.
    from codemods.explain import explain as render

    if not render(Terminal(), codemod):
        raise SystemExit(ExitCode.USAGE)


@main.command()
@click.argument(
    "path",
    required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--select", multiple=True, help="Codemods to apply (codes or names).")
@click.option("--ignore", multiple=True, help="Codemods not to apply.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Make the migrated copy in this empty directory and keep it.",
)
def validate(
    path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    workdir: Path | None,
) -> None:
    """Migrate a temporary copy of PATH (default: the bundled legacy app) and run the
    gates of its [tool.codemods.validate]: parse and idempotency, mypy --strict,
    codemods check, its tests, the reference. Exit 1 if a gate fails."""
    # Imported on use: validating runs mypy and the tests, none of which a `check` needs.
    from codemods.validate.command import validate as run_validation

    overrides = {"select": _codes(select) or None, "ignore": _codes(ignore)}
    code = run_validation(path, overrides, output_format, Terminal(), workdir)
    raise SystemExit(code)
