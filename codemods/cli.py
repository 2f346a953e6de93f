"""The ``codemods`` command: click declarations only; the work is in the engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from codemods import __version__, session
from codemods.core.declared import parse_version
from codemods.core.results import ExitCode
from codemods.engine.reporting.terminal import Terminal
from codemods.exits import ended
from codemods.options import COLORS, ENVIRONMENT, FORMATS, names

F = TypeVar("F", bound=Callable[..., Any])


def discovery_options(command: F) -> F:
    """The files and the configuration: options of ``run``, ``check`` and ``index``."""
    decorators = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option(
            *names("config_file"),
            "config_file",
            type=click.Path(path_type=Path),
            help="Read [tool.codemods] from this file, not the nearest pyproject.toml.",
        ),
        click.option(
            *names("select"),
            multiple=True,
            help="Codemods to run (codes or names, comma-separated).",
        ),
        click.option(
            *names("extend_select"),
            multiple=True,
            help="Codemods to run besides the selected ones.",
        ),
        click.option(*names("ignore"), multiple=True, help="Codemods not to run."),
        click.option(
            *names("exclude"), multiple=True, help="Glob of paths to skip (repeatable)."
        ),
        click.option(
            *names("include"),
            multiple=True,
            help="Glob of extra files to take, e.g. '*.pyi'.",
        ),
        click.option(
            *names("stdin_filename"),
            help="With the path '-': the name of the file read from stdin.",
        ),
        click.option(
            *names("jobs"),
            "jobs",
            type=click.IntRange(min=0),
            help="Worker processes (0: all cores).",
        ),
        click.option(
            *names("target_version"),
            metavar="X.Y",
            callback=_python_version,
            help="The oldest Python the project supports [default: as it declares].",
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _python_version(
    _context: click.Context, _parameter: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    version = parse_version(value)
    if version is None:
        raise click.BadParameter(f"{value!r} is not a Python version such as 3.11")
    return version


def run_options(command: F) -> F:
    """Options shared by ``run`` and ``check``."""
    decorators = [
        discovery_options,
        click.option(
            *names("output_format"),
            "output_format",
            type=click.Choice(FORMATS),
            default="text",
            show_default=True,
        ),
        click.option(
            *names("exit_zero"),
            is_flag=True,
            help="Exit 0 even when something is left to migrate (errors still fail).",
        ),
        color_option,
        click.option(
            *names("no_cache"),
            is_flag=True,
            envvar=ENVIRONMENT["no_cache"],
            help="Neither read nor write the results cache.",
        ),
        click.option(
            *names("cache_dir"),
            type=click.Path(file_okay=False, path_type=Path),
            envvar=ENVIRONMENT["cache_dir"],
            help="Results cache directory [default: .codemods_cache in the project].",
        ),
        click.option(
            *names("shard"),
            metavar="K/N",
            help="Process only shard K of N (a CI matrix; see merge-reports).",
        ),
        click.option(
            *names("index_file"),
            "index_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Take the other shards' facts from this `codemods index` file.",
        ),
        click.option(*names("quiet"), is_flag=True, help="Show no progress on stderr."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def color_option(command: F) -> F:
    """``--color auto|always|never``, accepted before or after the command name."""

    def remember(ctx: click.Context, _: click.Parameter, value: str | None) -> None:
        if value is not None:
            ctx.meta["codemods.color"] = value

    return click.option(
        *names("color"),
        type=click.Choice(COLORS),
        expose_value=False,
        callback=remember,
        help="Colour output: auto (a terminal; NO_COLOR, FORCE_COLOR), always, never.",
    )(command)


def _terminal() -> Terminal:
    return session.terminal(click.get_current_context().meta.get("codemods.color"))


def _invocation(**options: Any) -> session.Invocation:
    return session.invocation_of(options)


class Main(click.Group):
    """The ``codemods`` group, with the endings of ``exits.ended`` for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        return ended(lambda: super(Main, self).invoke(ctx))


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="codemods")
@color_option
def main() -> None:
    """Migrate asyncio code from fire-and-forget tasks to asyncio.TaskGroup."""


@main.command(short_help="Show the migration as a diff, or apply it with --write.")
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
        _terminal(),
        mode="run",
        write=write,
        safe_only=safe_only,
        review=review,
    )
    raise SystemExit(code)


@main.command(short_help="Exit 1 while anything is left to migrate (CI gate).")
@run_options
@click.option(
    *names("add_noqa"),
    is_flag=True,
    help="Write `# noqa: CODE` on the line of every finding, so that check passes.",
)
def check(add_noqa: bool, **options: Any) -> None:
    """Exit 1 while a codemod would change something or a finding remains (CI gate)."""
    color = click.get_current_context().meta.get("codemods.color")
    raise SystemExit(session.check({**options, "add_noqa": add_noqa}, color))


@main.command(name="index", short_help="Write the project index for sharded runs.")
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
    raise SystemExit(session.write_index(_invocation(**options), _terminal(), out))


@main.command(name="merge-reports", short_help="Merge the reports of sharded runs.")
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

    raise SystemExit(merge_command(reports, patches, patch_file, _terminal()))


@main.command(name="list")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text"
)
def list_codemods(output_format: str) -> None:
    """List the codemods in the order they run."""
    # Imported on use: listing loads every codemod's class, and LibCST with it.
    from codemods.explain import list_codemods as render

    render(_terminal(), output_format)


@main.command(short_help="Explain a codemod: what, why, example, fix safety.")
@click.argument("codemod")
def explain(codemod: str) -> None:
    """Explain a codemod: what it does, why, an example, and its fix safety."""
    # Imported on use: a page loads its codemod's class, and LibCST with it.
    from codemods.explain import explain as render

    if not render(_terminal(), codemod):
        raise SystemExit(ExitCode.USAGE)


@main.command(short_help="Show the bundled legacy app's migration, on a copy.")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Show no progress on stderr.")
def demo(directory: Path | None, quiet: bool) -> None:
    """Copy the bundled legacy app to DIRECTORY (default: a new temporary directory)
    and show its migration as a diff (a dry run of the copy)."""
    # Imported on use, like every command's own code.
    from codemods.demo import demo as show

    raise SystemExit(show(directory, _terminal(), quiet=quiet))


@main.command(short_help="Migrate a copy and run its gates (mypy, tests, ...).")
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
    """Migrate a temporary copy of PATH (default: each bundled app, the legacy app and
    herald) and run the gates of its [tool.codemods.validate]: parse and idempotency,
    mypy --strict, codemods check, its tests, the reference. Exit 1 if a gate fails."""
    # Imported on use: validating runs mypy and the tests, none of which a `check` needs.
    from codemods.validate.command import validate as run_validation

    overrides = {
        "select": session.codes(select) or None,
        "ignore": session.codes(ignore),
    }
    code = run_validation(path, overrides, output_format, _terminal(), workdir)
    raise SystemExit(code)
