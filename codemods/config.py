"""``[tool.codemods]`` configuration: finding it, validating it, merging CLI overrides.

Every key is checked: an unknown key or a value of the wrong type is a
:class:`~codemods.core.settings.ConfigError` naming the key and the file (exit 2),
never silently ignored. What is read becomes :class:`~codemods.core.settings.Settings`,
each codemod's options filled in at their defaults.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from codemods.core import declared
from codemods.core.distribution import is_distribution
from codemods.core.settings import ConfigError, Settings
from codemods.rules import registry
from codemods.rules.specs import CodemodSpec

CONFIG_FILE = "pyproject.toml"


# key -> (Settings field, accepted types, description of the type for messages)
_TOP_LEVEL: dict[str, tuple[str, type | tuple[type, ...], str]] = {
    "select": ("select", list, "a list of codes or names"),
    "extend-select": ("extend_select", list, "a list of codes or names"),
    "ignore": ("ignore", list, "a list of codes or names"),
    "exclude": ("exclude", list, "a list of glob patterns"),
    # Added to `exclude` when the table is read: `exclude` has no defaults to keep.
    "extend-exclude": ("extend_exclude", list, "a list of glob patterns"),
    "force-exclude": ("force_exclude", bool, "a boolean"),
    "include": ("include", list, "a list of glob patterns"),
    "jobs": ("jobs", int, "an integer"),
    "trackers": ("trackers", list, "a list of function names"),
    "lifecycle-methods": ("lifecycle_methods", list, "a list of method names"),
    "taskgroup-param": ("taskgroup_param", str, "a string"),
    "line-length": ("line_length", int, "an integer"),
    "cache-dir": ("cache_dir", str, "a string"),
}

# What each key means, for the README's configuration table (``config_table``).
KEY_HELP: dict[str, str] = {
    "select": "codemods to run (codes or names, `ALL`); `--select` replaces it",
    "extend-select": "codemods added to `select`; `--extend-select` adds more",
    "ignore": "codemods not to run; `--ignore` adds to it",
    "exclude": "gitignore-style globs of paths to skip, relative to this file",
    "extend-exclude": "more globs to skip, added to `exclude`",
    "force-exclude": "exclude files named on the command line (and `--stdin-filename`) too",
    "include": 'globs of extra files to take, e.g. `["*.pyi"]`',
    "per-file-ignores": "table of glob -> codes suppressed in the files it matches",
    "jobs": "worker processes; 0: all cores",
    "trackers": "legacy tracker functions (a bare name: from any module)",
    "lifecycle-methods": "methods TG002 turns into `async def start(self, tg)`",
    "taskgroup-param": "name of the TaskGroup parameter the codemods add",
    "line-length": "generated lines longer than this are wrapped like black "
    "(default: the project's Ruff, Black or isort setting, else 88)",
    "target-version": 'the oldest Python the project supports, e.g. `"3.11"` '
    "(default: its declared `requires-python` or Python classifiers, else Ruff's or "
    "Black's `target-version`)",
    "cache-dir": "results cache directory, relative to this file",
    "validate.mypy-files": "files or directories `validate` checks with `mypy --strict`",
    "validate.test-command": "the tests `validate` runs on the migrated copy",
    "validate.reference": "a tree the migrated copy must equal, module by module",
    "validate.retired": "files the migration leaves behind unused",
    "validate.test-timeout": "seconds the test command may take",
}

# Seconds `validate` gives the test command when `test-timeout` is not set.
DEFAULT_TEST_TIMEOUT = 1800

# Keys of [tool.codemods.validate]; `codemods validate` documents their meaning.
VALIDATE_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "mypy-files": (list, "a list of paths"),
    "test-command": (list, "a list of command-line arguments"),
    "reference": (str, "a path"),
    "retired": (list, "a list of paths"),
    "test-timeout": (int, "an integer (seconds)"),
}


def all_keys() -> list[str]:
    """Every key of ``[tool.codemods]`` but the per-codemod tables (``validate.x``
    for the validate table's)."""
    nested = [
        "target-version",
        "per-file-ignores",
        *(f"validate.{key}" for key in VALIDATE_KEYS),
    ]
    return [*_TOP_LEVEL, *nested]


def setting_of(key: str) -> str:
    """The ``Settings`` field a top-level key sets (``KeyError``: none)."""
    return _TOP_LEVEL[key][0]


def find_config(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has ``[tool.codemods]``.

    A ``pyproject.toml`` met on the way that is not valid TOML is an error: it might have
    been the one meant.
    """
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_FILE
        if candidate.is_file() and "codemods" in _read_toml(candidate).get("tool", {}):
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only where a pyproject.toml exists (~3 ms of a warm run's start)

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc


def load(
    paths: Sequence[Path],
    *,
    config_file: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings for a run over ``paths``: file configuration, then CLI ``overrides``."""
    if config_file is not None:
        if not config_file.is_file():
            raise ConfigError(f"{config_file}: configuration file not found")
        located: Path | None = config_file
    else:
        located = find_config(paths[0] if paths else Path.cwd())
    settings = Settings()
    table: Mapping[str, Any] = {}
    if located is not None:
        table = _table(located, explicit=config_file is not None)
        settings = parse_table(table, source=str(located))
        settings = replace(
            settings, config_path=str(located), root=str(located.parent.resolve())
        )
        project = declared.project_directory(located.parent)
    else:
        start = (paths[0] if paths else Path.cwd()).resolve()
        settings = replace(
            settings, root=str(start if start.is_dir() else start.parent)
        )
        project = declared.project_directory(start)
    if project is not None:
        settings = with_declared(settings, table, project)
    settings = replace(settings, distribution=is_distribution(Path(settings.root)))
    if overrides:
        settings = apply_overrides(settings, overrides)
    return settings


def _table(path: Path, *, explicit: bool) -> Any:
    """The codemods table of a configuration file: ``[tool.codemods]`` of a
    ``pyproject.toml``; the whole document of any other file given with ``--config``
    (a ``codemods.toml``, as Ruff reads a ``ruff.toml``)."""
    document = _read_toml(path)
    if path.name != CONFIG_FILE and explicit:
        if "tool" in document:
            raise ConfigError(
                f"{path}: a file other than {CONFIG_FILE} holds the keys at its top"
                " level (like ruff.toml): drop the [tool.codemods] header"
            )
        return document
    tool = document.get("tool", {})
    if not isinstance(tool, Mapping) or "codemods" not in tool:
        raise ConfigError(f"{path}: no [tool.codemods] table")
    return tool["codemods"]


def with_declared(
    settings: Settings, table: Mapping[str, Any], project: Path
) -> Settings:
    """``settings`` with what the project in ``project`` declares (its oldest Python,
    its line length) where ``[tool.codemods]`` (``table``) does not say, and how it
    orders imports."""
    changes: dict[str, Any] = {}
    if "target-version" not in table:
        target = declared.target_version(project)
        if target is not None:
            changes.update(target_version=target.value, target_source=target.source)
    if "line-length" not in table:
        length = declared.line_length(project)
        if length is not None:
            changes["line_length"] = length.value
    order = declared.import_order(project)
    if order is not None:
        changes["import_order"] = order.value
    return replace(settings, **changes)


def check_target(settings: Settings) -> None:
    """Refuse to run codemods whose code needs a newer Python than the project's
    oldest (``ConfigError``, exit 2), naming the setting that says so and the way out."""
    target = settings.target_version
    if target is None:
        return
    needing = [
        spec
        for spec in registry.selected(settings)
        if spec.requires_python is not None and spec.requires_python > target
    ]
    if not needing:
        return
    needed = max(spec.requires_python or target for spec in needing)
    wanted = ".".join(map(str, needed))
    names = ", ".join(
        f"{spec.code} ({spec.name})" for spec in sorted(needing, key=_code)
    )
    raise ConfigError(
        f"{names} write code that needs Python {wanted} (asyncio.TaskGroup, "
        f"asyncio.timeout), but the project supports Python {'.'.join(map(str, target))} "
        f"({settings.target_source}); once it requires Python {wanted}, set "
        f'target-version = "{wanted}" in [tool.codemods] (or pass --target-version '
        f"{wanted}), or ignore these codemods"
    )


def _code(spec: CodemodSpec) -> str:
    return spec.code


def parse_table(table: Mapping[str, Any], *, source: str) -> Settings:
    """Validate a ``[tool.codemods]`` table (already parsed TOML) into Settings."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: [tool.codemods] must be a table")
    values: dict[str, Any] = {}
    options = registry.default_options()
    validate: dict[str, Any] = {}
    for key, value in table.items():
        if key in _TOP_LEVEL:
            field_name, kind, described = _TOP_LEVEL[key]
            values[field_name] = _typed(value, kind, described, f"{source}: '{key}'")
        elif key == "target-version":
            values["target_version"] = _version(value, f"{source}: 'target-version'")
            values["target_source"] = f"{source} [tool.codemods] target-version"
        elif key == "validate":
            validate = _parse_validate(value, source)
        elif key == "per-file-ignores":
            values["per_file_ignores"] = _parse_per_file_ignores(value, source)
        elif (spec := registry.find(key)) is not None and isinstance(value, Mapping):
            options[spec.code] = _parse_options(spec, value, source, key)
        else:
            raise ConfigError(f"{source}: unknown key '{key}' in [tool.codemods]")
    if "extend_exclude" in values:
        values["exclude"] = (*values.get("exclude", ()), *values.pop("extend_exclude"))
    selection = (*values.get("select", ["ALL"]), *values.get("extend_select", []))
    _check_selection(selection, values.get("ignore", []), source)
    _check_values(values, source)
    return Settings(**values, options=options, validate=validate)


def _check_values(values: Mapping[str, Any], source: str) -> None:
    """Values of the right type that still cannot work."""
    if values.get("jobs", 0) < 0:
        raise ConfigError(f"{source}: 'jobs' must be 0 (all cores) or more")
    if values.get("line_length", 1) < 1:
        raise ConfigError(f"{source}: 'line-length' must be a positive integer")
    param = values.get("taskgroup_param", "tg")
    if not _is_name(param):
        raise ConfigError(
            f"{source}: 'taskgroup-param' must be a Python identifier, not {param!r}"
        )
    for method in values.get("lifecycle_methods", ()):
        if not _is_name(method) or (method.startswith("__") and method.endswith("__")):
            raise ConfigError(
                f"{source}: 'lifecycle-methods' must be method names that are not"
                f" dunders (TG002 makes them async), not {method!r}"
            )
    for tracker in values.get("trackers", ()):
        if not all(_is_name(part) for part in tracker.split(".")):
            raise ConfigError(
                f"{source}: 'trackers' must be (dotted) function names, not {tracker!r}"
            )


def _is_name(text: str) -> bool:
    return text.isidentifier() and not keyword.iskeyword(text)


def _parse_per_file_ignores(
    table: Any, source: str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(table, Mapping):
        raise ConfigError(
            f"{source}: 'per-file-ignores' must be a table of glob = codes"
        )
    parsed: list[tuple[str, tuple[str, ...]]] = []
    for glob, codes in table.items():
        where = f"{source}: 'per-file-ignores.\"{glob}\"'"
        names = _typed(codes, list, "a list of codes or names", where)
        resolved: list[str] = []
        for name in names:
            spec = registry.find(name)
            if spec is None:
                raise ConfigError(f"{where}: unknown codemod {name!r}")
            resolved.append(spec.code)
        parsed.append((glob, tuple(resolved)))
    return tuple(parsed)


def apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """Command-line values win over the file; list options given on the CLI add to it,
    except ``select``, which replaces."""
    changes: dict[str, Any] = {}
    # `select` first: it clears the file's extend-select, not the command line's.
    for key in sorted(overrides, key=lambda key: key != "select"):
        value = overrides[key]
        if value is None or value == ():
            continue
        if key in ("exclude", "include", "ignore", "extend_select"):
            changes[key] = (*changes.get(key, getattr(settings, key)), *value)
        elif key == "select":
            # Like Ruff: --select replaces the file's select and extend-select.
            changes.update(select=tuple(value), extend_select=())
        else:
            changes[key] = tuple(value) if isinstance(value, list) else value
    updated = replace(settings, **changes)
    selection = (*updated.select, *updated.extend_select)
    _check_selection(selection, updated.ignore, "command line")
    return updated


def _typed(
    value: Any, kind: type | tuple[type, ...], described: str, where: str
) -> Any:
    # bool is an int subclass; a `jobs = true` is a mistake, not 1.
    if isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{where} must be {described}, not a boolean")
    if not isinstance(value, kind):
        raise ConfigError(f"{where} must be {described}, not {type(value).__name__}")
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where} must be {described} (strings only)")
        return tuple(value)
    return value


def _version(value: Any, where: str) -> tuple[int, int]:
    version = declared.parse_version(value) if isinstance(value, str) else None
    if version is None:
        raise ConfigError(f'{where} must be a Python version such as "3.11"')
    return version


def _check_selection(select: Sequence[str], ignore: Sequence[str], source: str) -> None:
    try:
        registry.select(select, ignore)
    except KeyError as exc:
        known = ", ".join(f"{s.code} ({s.name})" for s in registry.CODEMODS)
        raise ConfigError(
            f"{source}: unknown codemod {exc.args[0]!r} in select/ignore; known: {known}"
        ) from None


def _parse_options(
    spec: CodemodSpec, table: Mapping[str, Any], source: str, header: str
) -> dict[str, Any]:
    declared = {option.key: option for option in spec.options}
    parsed = {option.key: option.default for option in spec.options}
    for key, value in table.items():
        option = declared.get(key)
        if option is None:
            raise ConfigError(
                f"{source}: unknown key '{key}' in [tool.codemods.{header}]"
                f" ({spec.code} accepts: {', '.join(declared) or 'no options'})"
            )
        described = getattr(option.kind, "__name__", str(option.kind))
        parsed[key] = _typed(
            value, option.kind, described, f"{source}: '{header}.{key}'"
        )
    return parsed


def _parse_validate(table: Any, source: str) -> dict[str, Any]:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: 'validate' must be a table")
    parsed: dict[str, Any] = {}
    for key, value in table.items():
        if key not in VALIDATE_KEYS:
            raise ConfigError(
                f"{source}: unknown key '{key}' in [tool.codemods.validate]"
            )
        kind, described = VALIDATE_KEYS[key]
        parsed[key] = _typed(value, kind, described, f"{source}: 'validate.{key}'")
    return parsed
