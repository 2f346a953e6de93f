"""``[tool.codemods]`` configuration: finding it, validating it, merging CLI overrides.

Every key is checked: an unknown key or a value of the wrong type is a
:class:`~codemods.core.settings.ConfigError` naming the key and the file (exit 2),
never silently ignored. What is read becomes :class:`~codemods.core.settings.Settings`,
each codemod's options filled in at their defaults.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from codemods.core.distribution import is_distribution
from codemods.core.settings import ConfigError, Settings
from codemods.rules import registry
from codemods.rules.specs import CodemodSpec

CONFIG_FILE = "pyproject.toml"


# key -> (Settings field, accepted types, description of the type for messages)
_TOP_LEVEL: dict[str, tuple[str, type | tuple[type, ...], str]] = {
    "select": ("select", list, "a list of codes or names"),
    "ignore": ("ignore", list, "a list of codes or names"),
    "exclude": ("exclude", list, "a list of glob patterns"),
    "include": ("include", list, "a list of glob patterns"),
    "jobs": ("jobs", int, "an integer"),
    "trackers": ("trackers", list, "a list of function names"),
    "lifecycle-methods": ("lifecycle_methods", list, "a list of method names"),
    "taskgroup-param": ("taskgroup_param", str, "a string"),
    "line-length": ("line_length", int, "an integer"),
    "cache-dir": ("cache_dir", str, "a string"),
}

# Keys of [tool.codemods.validate]; `codemods validate` documents their meaning.
VALIDATE_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "mypy-files": (list, "a list of paths"),
    "test-command": (list, "a list of command-line arguments"),
    "reference": (str, "a path"),
    "retired": (list, "a list of paths"),
    "test-timeout": (int, "an integer (seconds)"),
}


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
    if located is not None:
        table = _read_toml(located).get("tool", {}).get("codemods", {})
        settings = parse_table(table, source=str(located))
        settings = replace(
            settings, config_path=str(located), root=str(located.parent.resolve())
        )
    else:
        start = (paths[0] if paths else Path.cwd()).resolve()
        settings = replace(
            settings, root=str(start if start.is_dir() else start.parent)
        )
    settings = replace(settings, distribution=is_distribution(Path(settings.root)))
    if overrides:
        settings = apply_overrides(settings, overrides)
    return settings


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
        elif key == "validate":
            validate = _parse_validate(value, source)
        elif (spec := registry.find(key)) is not None and isinstance(value, Mapping):
            options[spec.code] = _parse_options(spec, value, source, key)
        else:
            raise ConfigError(f"{source}: unknown key '{key}' in [tool.codemods]")
    _check_selection(values.get("select", ["ALL"]), values.get("ignore", []), source)
    if "jobs" in values and values["jobs"] < 0:
        raise ConfigError(f"{source}: 'jobs' must be 0 (all cores) or more")
    return Settings(**values, options=options, validate=validate)


def apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """Command-line values win over the file; list options given on the CLI add to it,
    except ``select``, which replaces."""
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        if value is None or value == ():
            continue
        if key in ("exclude", "include", "ignore"):
            changes[key] = (*getattr(settings, key), *value)
        else:
            changes[key] = tuple(value) if isinstance(value, list) else value
    updated = replace(settings, **changes)
    _check_selection(updated.select, updated.ignore, "command line")
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
