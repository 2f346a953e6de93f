"""The ``codemods`` command's entry (the console script and ``python -m codemods``).

A ``check`` whose command line it reads exactly, by the option table of
``options.py``, runs here without click and the rest of the command line: click and
``cli.py`` are a third of a warm check's start, which the cache answers in a few
milliseconds more. The run itself is the very one the click command makes
(``session.check``, with the same endings: ``exits.ended``), so its output and exit
code are the same. Anything else goes to click, which also reports every mistake: any
other command, ``--help``, an option or value this parse does not take as click would
(a missing value, a value that looks like an option, a path click would refuse, an
unknown choice, ``--``, bundled short flags, an environment value it cannot read).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from codemods import options as table

# How click reads a boolean flag's environment variable (``BoolParamType``).
_BOOLEANS = {"1": True, "0": False, "yes": True, "no": False, "true": True,
             "false": False, "on": True, "off": False, "t": True, "f": False,
             "y": True, "n": False}  # fmt: skip
_CHECK = {**table.DISCOVERY, **table.RUN, **table.CHECK}
_BY_NAME = {name: dest for dest, (names, _) in _CHECK.items() for name in names}


def main() -> None:
    arguments = sys.argv[1:]
    if arguments[:1] == ["check"]:
        parsed = parse_check(arguments[1:], os.environ)
        if parsed is not None:
            from codemods import exits, session  # the run, after the parse

            color = parsed.pop("color")
            raise SystemExit(exits.ended(lambda: session.check(parsed, color)))
    from codemods.cli import main as click_main  # click only where it is needed

    click_main()


def parse_check(
    arguments: Sequence[str], environ: Mapping[str, str]
) -> dict[str, Any] | None:
    """The parameters click would give ``check`` for ``arguments`` (``color`` among
    them), or None where this parse cannot tell them for sure."""
    given: dict[str, Any] = {}
    paths: list[str] = []
    rest = list(arguments)
    while rest:
        token = rest.pop(0)
        if token == "-" or not token.startswith("-"):
            paths.append(token)
            continue
        if token.startswith("--"):
            name, equals, inline = token.partition("=")
            attached = inline if equals else None
        else:
            name, attached = token[:2], (token[2:] or None)
        dest = _BY_NAME.get(name)
        if dest is None:
            return None  # --help, --, an unknown option
        kind = _CHECK[dest][1]
        if kind == table.FLAG:
            if attached is not None:
                return None
            given[dest] = True
            continue
        if attached is None:
            if not rest or rest[0].startswith("-"):
                return None
            attached = rest.pop(0)
        value = _value(kind, attached)
        if value is None:
            return None
        if kind == table.TEXTS:
            given[dest] = (*given.get(dest, ()), value)
        else:
            given[dest] = value
    for dest, variable in table.ENVIRONMENT.items():
        if dest not in given and environ.get(variable):
            value = _environment_value(_CHECK[dest][1], environ[variable])
            if value is None:
                return None
            given[dest] = value
    converted = [_value(table.PATH, path) for path in paths]
    if None in converted:
        return None
    return {**_defaults(), **given, "paths": tuple(converted)}


def _defaults() -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for dest, (_, kind) in _CHECK.items():
        empty = {table.FLAG: False, table.TEXTS: (), table.FORMAT: "text"}
        defaults[dest] = empty.get(kind)
    return defaults


def _environment_value(kind: str, raw: str) -> Any:
    if kind == table.FLAG:
        return _BOOLEANS.get(raw.strip().lower())
    return _value(kind, raw)


def _value(kind: str, raw: str) -> Any:
    """``raw`` as click converts it for an option of this kind; None where click
    would refuse it, or might read it otherwise."""
    if kind in (table.TEXT, table.TEXTS):
        return raw
    if kind == table.COUNT:
        return int(raw) if raw.isascii() and raw.isdigit() else None
    if kind == table.VERSION:
        from codemods.core.declared import parse_version  # with the settings

        return parse_version(raw)
    if kind == table.FORMAT:
        return raw if raw in table.FORMATS else None
    if kind == table.COLOR:
        return raw if raw in table.COLORS else None
    return _path(kind, raw)


def _path(kind: str, raw: str) -> Any:
    """click's ``Path`` (readable; ``dir``: not a file; ``file``: not a directory)."""
    if not raw:
        return None
    try:
        mode = os.stat(raw).st_mode
    except OSError:
        pass  # none of our path options must exist
    else:
        if kind == table.DIR and stat.S_ISREG(mode):
            return None
        if kind == table.FILE and stat.S_ISDIR(mode):
            return None
        if not os.access(raw, os.R_OK):
            return None
    return Path(raw)
