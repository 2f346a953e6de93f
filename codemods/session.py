"""One command-line invocation of ``run`` or ``check``: settings, run, report, exit.

Kept out of ``cli.py`` so that the click commands stay declarations.
"""

from __future__ import annotations

import site
import sys
import sysconfig
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemods import config
from codemods.core.results import ExitCode, Summary
from codemods.core.settings import ConfigError, Settings
from codemods.engine.parent import runner
from codemods.engine.paths import check_output, check_paths
from codemods.engine.reporting import github, json_report, progress, sarif, text
from codemods.engine.reporting.terminal import Terminal, printable
from codemods.engine.reporting.words import plural
from codemods.rules import registry

if TYPE_CHECKING:  # the scan machinery, ~40 ms: imported when `--index` is given
    from codemods.engine.parent.shared_index import SharedIndex
    from codemods.engine.shard import Shard  # imported when `--shard` is given

# The cache directory the configuration names (``cache-dir``, by default
# ``.codemods_cache`` next to the configuration, else in the working directory).
DEFAULT = Path("<configured>")


@dataclass(frozen=True)
class Invocation:
    """What one command line asks for (a docstring of its own: without one,
    ``dataclass`` renders the signature for it, a warm run's time)."""

    paths: tuple[Path, ...]
    config_file: Path | None
    overrides: Mapping[str, Any]
    output_format: str
    jobs: int | None
    # The results cache: a directory, DEFAULT, or None (``--no-cache``).
    cache: Path | None = None
    # ``--shard K/N`` as given.
    shard: str | None = None
    # ``--index FILE``: the other shards' facts, from ``codemods index``.
    index: Path | None = None
    # ``--stdin-filename``: the name of the text read from stdin (the path ``-``).
    stdin_filename: str | None = None
    # ``--exit-zero``: exit 0 where only findings or changes are left (not on errors).
    exit_zero: bool = False
    # ``-q``: no progress on stderr.
    quiet: bool = False

    @property
    def reads_stdin(self) -> bool:
        """Whether the one path is ``-`` (checked by ``load_settings``)."""
        return Path("-") in self.paths


@dataclass(frozen=True)
class Review:
    """How a person reviews the run beyond the plain report (``docs/review.md``)."""

    interactive: bool = False
    patch: Path | None = None
    add_noqa: bool = False

    def check(self, invocation: Invocation, *, write: bool) -> None:
        """Refuse combinations that cannot work, before anything runs."""
        if self.interactive and write:
            raise ConfigError("--write and --interactive are mutually exclusive")
        if self.interactive and (sys.stdin is None or not sys.stdin.isatty()):
            raise ConfigError(
                "--interactive asks about each change, but stdin is not a terminal"
            )
        if (self.interactive or self.add_noqa) and invocation.output_format != "text":
            raise ConfigError(
                "--interactive and --add-noqa report as text: drop --format"
            )
        if self.active and invocation.reads_stdin:
            raise ConfigError(
                "--interactive, --patch and --add-noqa work on files, not on stdin"
            )
        if self.patch is not None and write:
            raise ConfigError(
                "--patch records a dry run (or, with --interactive, what was applied): "
                "drop --write"
            )

    @property
    def active(self) -> bool:
        return self.interactive or self.patch is not None or self.add_noqa


def codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select TG001,TG002 --select TG003`` -> ("TG001", "TG002", "TG003")."""
    return tuple(
        part.strip() for value in values for part in value.split(",") if part.strip()
    )


def invocation_of(options: Mapping[str, Any]) -> Invocation:
    """The invocation the parameters of ``run``, ``check`` or ``index`` make (as
    click gives them, or the entry's own parse of a ``check``: ``entry.py``)."""
    overrides = {
        "select": codes(options["select"]) or None,
        "extend_select": codes(options["extend_select"]),
        "ignore": codes(options["ignore"]),
        "exclude": options["exclude"],
        "include": options["include"],
    }
    if options["target_version"] is not None:
        overrides["target_version"] = options["target_version"]
        overrides["target_source"] = "--target-version"
    return Invocation(
        # As in Ruff, --stdin-filename alone means the path `-`.
        paths=options["paths"] or (Path("-" if options["stdin_filename"] else "."),),
        config_file=options["config_file"],
        overrides=overrides,
        output_format=options.get("output_format", "text"),
        jobs=options["jobs"],
        cache=_cache(options),
        shard=options.get("shard"),
        index=options.get("index_file"),
        stdin_filename=options["stdin_filename"],
        exit_zero=options.get("exit_zero", False),
        quiet=options.get("quiet", False),
    )


def _cache(options: Mapping[str, Any]) -> Path | None:
    if options.get("no_cache", True):
        return None
    cache_dir: Path | None = options["cache_dir"]
    return cache_dir or DEFAULT


def terminal(color: str | None) -> Terminal:
    """The terminal ``--color`` asks for (None: not given, ``auto``)."""
    return Terminal(color={"always": True, "never": False}.get(color or "auto"))


def check(options: Mapping[str, Any], color: str | None) -> int:
    """``codemods check`` with these parameters: its exit code."""
    parameters = dict(options)
    review = Review(add_noqa=parameters.pop("add_noqa"))
    return execute(
        invocation_of(parameters), terminal(color), mode="check", review=review
    )


def cache_dir(invocation: Invocation, settings: Settings) -> Path | None:
    """Where the results cache lives for this run (None: no cache)."""
    if invocation.cache is not DEFAULT:
        return invocation.cache
    configured = Path(settings.cache_dir)
    if configured.is_absolute():
        return configured
    base = Path.cwd() if settings.config_path is None else Path(settings.root)
    if _installed(base):
        return None  # the bundled app of a wheel: no cache inside site-packages
    return base / configured


def _installed(path: Path) -> bool:
    """Whether ``path`` lies in installed packages (site-packages, or this package's own
    directory wherever it is installed), where a run must never write."""
    roots = {Path(__file__).parent, *map(Path, site.getsitepackages())}
    roots |= {Path(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")}
    resolved = path.resolve()
    return any(resolved.is_relative_to(root.resolve()) for root in roots)


def shard(invocation: Invocation) -> Shard | None:
    if invocation.shard is None:
        return None
    from codemods.engine.shard import Shard  # a run without --shard: no import

    try:
        return Shard.parse(invocation.shard)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def shared_index(invocation: Invocation, settings: Settings) -> SharedIndex | None:
    if invocation.index is None:
        return None
    from codemods.engine.parent.shared_index import SharedIndex  # see above

    return SharedIndex.read(invocation.index, settings)


def write_index(invocation: Invocation, terminal: Terminal, out: Path) -> int:
    """``codemods index``: gather every file's facts and write them to ``out``."""
    from codemods.engine.parent.gather import gather  # the scan machinery, as above

    try:
        if invocation.reads_stdin:
            raise ConfigError("index reads the whole tree, not stdin")
        settings = load_settings(invocation)
        check_output(out, "--out", settings)
        request = runner.Request(invocation.paths, settings, jobs=invocation.jobs)
        shared = gather(request)
        shared.write(out)
    except ConfigError as exc:
        terminal.message(f"codemods: error: {exc}", "red")
        return ExitCode.USAGE
    files = plural(len(shared.entries), "file")
    terminal.message(f"codemods: wrote {out}: {files} read, {shared.parsed} parsed")
    return ExitCode.OK


def load_settings(invocation: Invocation) -> Settings:
    paths = list(invocation.paths)
    if invocation.reads_stdin:
        if len(paths) > 1:
            raise ConfigError("the path '-' (stdin) cannot be mixed with other paths")
        # The configuration is the one the named file would have.
        paths = [Path(invocation.stdin_filename or ".")]
    elif invocation.stdin_filename is not None:
        raise ConfigError("--stdin-filename goes with the path '-' (read stdin)")
    else:
        check_paths(paths)
    settings = config.load(
        paths,
        config_file=invocation.config_file,
        overrides=invocation.overrides,
    )
    config.check_target(settings)
    return settings


def execute(
    invocation: Invocation,
    terminal: Terminal,
    *,
    mode: runner.Mode,
    write: bool = False,
    safe_only: bool = False,
    review: Review | None = None,
) -> int:
    """Run, report in the chosen format (or review), and return the exit code."""
    review = review or Review()
    try:
        review.check(invocation, write=write)
        settings = load_settings(invocation)
        if invocation.reads_stdin:
            return _stdin(invocation, settings, terminal, mode, write, safe_only)
        if review.patch is not None:
            check_output(review.patch, "--patch", settings)
        request = runner.Request(
            paths=invocation.paths,
            settings=settings,
            mode=mode,
            write=write,
            want_diff=mode == "run",
            safe_only=safe_only,
            jobs=invocation.jobs,
            # Reviews work on fresh results (texts, hunks), never on cached ones.
            cache_dir=None if review.active else cache_dir(invocation, settings),
            shard=shard(invocation),
            shared=shared_index(invocation, settings),
        )
        shown = progress.for_stderr(
            terminal.stderr, color=terminal.color, quiet=invocation.quiet
        )
        try:
            summary = runner.run(request, progress=shown)
        finally:
            shown.close()
    except ConfigError as exc:
        terminal.message(f"codemods: error: {exc}", "red")
        return ExitCode.USAGE
    if review.active:
        return _exit(
            invocation, _review(summary, review, invocation.output_format, terminal)
        )
    report(summary, invocation.output_format, terminal)
    return _exit(invocation, summary.return_code)


def _exit(invocation: Invocation, code: int) -> int:
    if invocation.exit_zero and code == ExitCode.INCOMPLETE:
        return ExitCode.OK
    return int(code)


def _stdin(
    invocation: Invocation,
    settings: Settings,
    terminal: Terminal,
    mode: runner.Mode,
    write: bool,
    safe_only: bool,
) -> int:
    """``-``: the text on stdin; with ``run --write`` its new text on stdout (the text
    unchanged when nothing applies or it has errors), else the usual report."""
    from codemods.engine.stdin import process  # LibCST, in this process

    raw = sys.stdin.buffer.read()
    summary, new_text = process(
        raw, invocation.stdin_filename, settings, mode=mode, safe_only=safe_only
    )
    if write:
        if new_text is None or not summary.files_changed:
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()
        else:
            terminal.data(new_text)
        for result in summary.results:
            text.error(terminal, result)
        return _exit(invocation, summary.return_code)
    report(summary, invocation.output_format, terminal)
    return _exit(invocation, summary.return_code)


def _review(
    summary: Summary, review: Review, output_format: str, terminal: Terminal
) -> int:
    from codemods.review import steps  # only a review needs it

    if review.add_noqa:
        return steps.add_noqa_step(summary, terminal)
    if review.interactive:
        return steps.interactive(summary, terminal, _names(), review.patch)
    assert review.patch is not None
    report(summary, output_format, terminal)
    return steps.worst(
        summary.return_code, steps.dry_run_patch(summary, terminal, review.patch)
    )


def _names() -> dict[str, str]:
    return {spec.code: spec.name for spec in registry.CODEMODS}


def report(summary: Summary, output_format: str, terminal: Terminal) -> None:
    names = _names()
    if output_format == "json":
        terminal.data(json_report.render(summary))
    elif output_format == "sarif":
        # The rules' docs load every codemod's class, and LibCST with it.
        from codemods.rules.docs import all_docs

        terminal.data(sarif.render(summary, all_docs()))
    elif output_format == "github":
        terminal.data(github.render(summary, names))
    else:
        _report_text(summary, terminal, names)


def _report_text(summary: Summary, terminal: Terminal, names: dict[str, str]) -> None:
    for result in summary.results:
        if summary.mode == "run":
            text.diff(terminal, result)
        elif result.changed:
            terminal.data(
                f"{printable(result.path)}: would be changed by "
                f"{', '.join(result.changed_by)}\n"
            )
        text.findings(terminal, result, include_fixable=summary.mode == "check")
    for result in summary.results:
        text.error(terminal, result)
    text.summary(terminal, summary, names)
