"""``cst/unused_imports.py`` drops what LibCST's ``RemoveImportsVisitor`` drops, the same
bytes, or says it cannot tell (None) and leaves it to LibCST."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import RemoveImportsVisitor

from codemods.cst.unused_imports import ImportRemoval, drop_unused_imports

TRACKER = ImportRemoval("app.tasks", "track_task")
SPAWN = ImportRemoval("asyncio", "create_task")


def _libcst(source: str, removals: list[ImportRemoval], package: str) -> str:
    context = CodemodContext(full_module_name=f"{package}.m", full_package_name=package)
    for removal in removals:
        RemoveImportsVisitor.remove_unused_import(
            context, removal.module, removal.obj, removal.asname
        )
    return RemoveImportsVisitor(context).transform_module(cst.parse_module(source)).code


# (source, removals): each dropped here exactly as LibCST drops it.
PLAIN = {
    "alone": ("from app.tasks import track_task\n\nx = 1\n", [TRACKER]),
    "first_of_two": ("from app.tasks import track_task, other\n\nother()\n", [TRACKER]),
    "last_of_two": ("from app.tasks import other, track_task\n\nother()\n", [TRACKER]),
    "middle_of_three": (
        "from app.tasks import a, track_task, b\n\na(b)\n",
        [TRACKER],
    ),
    "aliased": (
        "from app.tasks import track_task as track\n\nx = 1\n",
        [ImportRemoval("app.tasks", "track_task", "track")],
    ),
    "relative": ("from .tasks import track_task\n\nx = 1\n", [TRACKER]),
    "with_comments_and_blank_lines": (
        "import asyncio\n\n# the tracker\nfrom app.tasks import track_task  # old\n"
        "\n\nasync def f() -> None:\n    await asyncio.sleep(0)\n",
        [TRACKER],
    ),
    "a_module": (
        "import app.tasks as tasks\nimport asyncio\n\nasyncio.run(f())\n",
        [ImportRemoval("app.tasks", None, "tasks")],
    ),
    "a_module_among_others": (
        "import os, app.tasks, sys\n\nos.sep, sys.path\n",
        [ImportRemoval("app.tasks")],
    ),
    "two_at_once": (
        "from asyncio import create_task, sleep\nfrom app.tasks import track_task\n"
        "\nsleep(1)\n",
        [SPAWN, TRACKER],
    ),
    "not_imported_at_all": ("import asyncio\n", [TRACKER]),
    "a_relative_import_of_the_package_itself_stays": (
        "from . import track_task\n\nx = 1\n",
        [ImportRemoval("app", "track_task")],
    ),
}

# Where the names alone cannot tell: LibCST decides (the same bytes, through it).
UNCLEAR = {
    "still_used": ("from app.tasks import track_task\n\ntrack_task(f())\n", [TRACKER]),
    "shadowed_by_a_local": (
        "from app.tasks import track_task\n\n\ndef f() -> None:\n"
        "    track_task = 1\n    print(track_task)\n",
        [TRACKER],
    ),
    "named_in_a_docstring": (
        '"""Uses track_task no more."""\nfrom app.tasks import track_task\n',
        [TRACKER],
    ),
    "exported": (
        'from app.tasks import track_task\n\n__all__ = ["track_task"]\n',
        [TRACKER],
    ),
    "parenthesized": (
        "from app.tasks import (\n    other,  # kept\n    track_task,  # old\n)\n"
        "\nother()\n",
        [TRACKER],
    ),
    "nested": (
        "def f() -> None:\n    from app.tasks import track_task\n\n    return None\n",
        [TRACKER],
    ),
    "sharing_its_line": ("from app.tasks import track_task; x = 1\n", [TRACKER]),
}


@pytest.mark.parametrize(("source", "removals"), PLAIN.values(), ids=PLAIN.keys())
def test_a_plain_unused_import_goes_as_libcst_drops_it(
    source: str, removals: list[ImportRemoval]
) -> None:
    dropped = drop_unused_imports(cst.parse_module(source), removals, "app")
    assert dropped is not None
    assert dropped.code == _libcst(source, removals, "app")


@pytest.mark.parametrize(("source", "removals"), UNCLEAR.values(), ids=UNCLEAR.keys())
def test_what_the_names_cannot_tell_is_left_to_libcst(
    source: str, removals: list[ImportRemoval]
) -> None:
    assert drop_unused_imports(cst.parse_module(source), removals, "app") is None


def test_an_import_removed_from_the_middle_keeps_the_rest_readable() -> None:
    source = textwrap.dedent(
        """\
        from app.tasks import a, track_task, b

        a(b)
        """
    )
    dropped = drop_unused_imports(cst.parse_module(source), [TRACKER], "app")
    assert dropped is not None
    assert dropped.code.splitlines()[0] == "from app.tasks import a, b"
