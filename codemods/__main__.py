"""``python -m codemods``."""

import os
import sys
from pathlib import Path

import codemods


def _drop_working_directory() -> None:
    """`python -m` puts the working directory first on sys.path: the code being
    migrated. A module there named like one the tool imports (click.py, libcst.py, ...)
    would be imported, that is, run. Drop it, as the installed script has it, unless
    the tool itself is what lives there (a source checkout that is not installed)."""
    if sys.path and not sys.flags.safe_path:
        first = Path(sys.path[0] or os.getcwd()).resolve()
        if (
            first
            == Path.cwd().resolve()
            != Path(codemods.__file__).resolve().parents[1]
        ):
            del sys.path[0]


# Only when run: a tool that imports every module of the package (`libcst.tool list`
# given `codemods`) must not start the command line.
if __name__ == "__main__":
    _drop_working_directory()
    from codemods.entry import main

    main()
