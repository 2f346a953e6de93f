"""The options of ``codemods run`` and ``check``: their names and the kind of value
each takes, in one table. The click declarations (``cli.py``) take their names from it,
and the entry that answers ``check`` without importing click (``entry.py``) parses by
it; ``tests/test_entry.py`` holds both to click's own parse. Imports nothing: the entry
reads it before anything else.
"""

from __future__ import annotations

# The kinds of value: a flag takes none; "texts" is repeatable (a tuple); a path is
# click's ``Path`` (``dir``: not a file, ``file``: not a directory); ``count`` an
# integer >= 0; ``version`` a Python version; ``format`` and ``color`` a choice.
FLAG, TEXT, TEXTS, PATH, DIR, FILE, COUNT, VERSION = (
    "flag", "text", "texts", "path", "dir", "file", "count", "version"
)  # fmt: skip
FORMAT, COLOR = "format", "color"
FORMATS = ("text", "json", "sarif", "github")
COLORS = ("auto", "always", "never")

# Parameter name -> (option names, kind).
Table = dict[str, tuple[tuple[str, ...], str]]

# The files and the configuration: ``run``, ``check`` and ``index``.
DISCOVERY: Table = {
    "config_file": (("--config",), PATH),
    "select": (("--select",), TEXTS),
    "extend_select": (("--extend-select",), TEXTS),
    "ignore": (("--ignore",), TEXTS),
    "exclude": (("--exclude",), TEXTS),
    "include": (("--include",), TEXTS),
    "stdin_filename": (("--stdin-filename",), TEXT),
    "jobs": (("-j", "--jobs"), COUNT),
    "target_version": (("--target-version",), VERSION),
}
# ``run`` and ``check``, besides those.
RUN: Table = {
    "output_format": (("--format",), FORMAT),
    "exit_zero": (("--exit-zero",), FLAG),
    "color": (("--color",), COLOR),
    "no_cache": (("--no-cache",), FLAG),
    "cache_dir": (("--cache-dir",), DIR),
    "shard": (("--shard",), TEXT),
    "index_file": (("--index",), FILE),
    "quiet": (("-q", "--quiet"), FLAG),
}
# ``check`` alone.
CHECK: Table = {"add_noqa": (("--add-noqa",), FLAG)}
# Options an environment variable gives a value when the command line does not.
ENVIRONMENT = {"no_cache": "CODEMODS_NO_CACHE", "cache_dir": "CODEMODS_CACHE_DIR"}


def names(dest: str) -> tuple[str, ...]:
    """The option names of parameter ``dest`` (for a click declaration)."""
    return {**DISCOVERY, **RUN, **CHECK}[dest][0]
