"""Imports the codemods add follow isort and Ruff's I001: a new name joins the
``from x import ...`` already there, in order; a new statement goes in its section,
in sorted position. A file that passed ``ruff check --select I`` still passes."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from codemods.core.settings import ImportOrder
from codemods.cst.import_order import member_key
from codemods.cst.imports import DEFAULT_ORDER, ensure_from_import, ensure_import
from tests.support.cli import invoke, write
from tests.support.golden import run


def _added(
    source: str, *, line_length: int = 88, order: ImportOrder = DEFAULT_ORDER
) -> str:
    module = cst.parse_module(textwrap.dedent(source).lstrip("\n"))
    updated, name = ensure_from_import(
        module, "typing", "Any", line_length=line_length, order=order
    )
    assert name == "Any"
    return updated.code


def test_members_sort_as_isort_orders_them_by_type() -> None:
    names = ["cast", "Any", "TYPE_CHECKING", "Callable", "overload", "T"]
    assert sorted(names, key=lambda name: member_key(name, ImportOrder())) == [
        "TYPE_CHECKING",
        "Any",
        "Callable",
        "T",
        "cast",
        "overload",
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from typing import TYPE_CHECKING, cast\n",
            "from typing import TYPE_CHECKING, Any, cast\n",
            id="between",
        ),
        pytest.param(
            "from typing import Callable\n",
            "from typing import Any, Callable\n",
            id="first",
        ),
        pytest.param(
            "from typing import TYPE_CHECKING\n",
            "from typing import TYPE_CHECKING, Any\n",
            id="last",
        ),
        pytest.param(
            "from typing import cast, TYPE_CHECKING\n",
            "from typing import cast, TYPE_CHECKING, Any\n",
            id="unsorted_appends",
        ),
        pytest.param(
            "from typing import (\n    TYPE_CHECKING,\n    cast,\n)\n",
            "from typing import (\n    TYPE_CHECKING,\n    Any,\n    cast,\n)\n",
            id="parenthesized",
        ),
        pytest.param(
            "from typing import (\n    TYPE_CHECKING,\n    Callable,\n)\n",
            "from typing import (\n    TYPE_CHECKING,\n    Any,\n    Callable,\n)\n",
            id="parenthesized_trailing_comma",
        ),
        pytest.param(
            "from typing import (\n    cast,\n)\n",
            "from typing import (\n    Any,\n    cast,\n)\n",
            id="one_name_parenthesized",
        ),
        pytest.param(
            "from typing import (  # noqa: F401\n    cast,\n)\n",
            "from typing import Any\nfrom typing import (  # noqa: F401\n    cast,\n)\n",
            id="one_name_parenthesized_with_a_comment_stays",
        ),
        pytest.param(
            "import os\nfrom collections import deque\nfrom os import path\n\nx = 1\n",
            "import os\nfrom collections import deque\nfrom os import path\n"
            "from typing import Any\n\nx = 1\n",
            id="new_statement_in_sorted_place",
        ),
        pytest.param(
            "import asyncio\n\nx = 1\nfrom typing import cast\n",
            "import asyncio\nfrom typing import Any\n\nx = 1\nfrom typing import cast\n",
            id="not_into_an_import_below_code",
        ),
    ],
)
def test_any_is_added_in_isort_order(before: str, after: str) -> None:
    assert _added(before) == after


def test_a_merged_import_too_long_for_the_line_is_wrapped() -> None:
    before = "from typing import TYPE_CHECKING, Awaitable, Callable, Coroutine, cast\n"
    assert _added(before, line_length=100) == before.replace(
        "TYPE_CHECKING, ", "TYPE_CHECKING, Any, "
    )
    assert _added(before, line_length=60) == (
        "from typing import (\n    TYPE_CHECKING,\n    Any,\n    Awaitable,\n"
        "    Callable,\n    Coroutine,\n    cast,\n)\n"
    )


def test_the_projects_import_order_is_followed() -> None:
    single = ImportOrder(force_single_line=True)
    assert _added(
        "from typing import TYPE_CHECKING\nfrom typing import cast\n", order=single
    ) == (
        "from typing import TYPE_CHECKING\nfrom typing import Any\nfrom typing import cast\n"
    )
    by_name = ImportOrder(order_by_type=False)
    assert _added(
        "from typing import Callable, cast, TYPE_CHECKING\n", order=by_name
    ) == ("from typing import Any, Callable, cast, TYPE_CHECKING\n")
    case = ImportOrder(case_sensitive=True, order_by_type=False)
    assert _added("from typing import Callable, TYPE_CHECKING, cast\n", order=case) == (
        "from typing import Any, Callable, TYPE_CHECKING, cast\n"
    )
    mixed = cst.parse_module("from abc import ABC\nimport os\n")
    within = ImportOrder(force_sort_within_sections=True)
    assert ensure_import(mixed, "asyncio", within)[0].code == (
        "from abc import ABC\nimport asyncio\nimport os\n"
    )
    plain_first = cst.parse_module("import os\nfrom abc import ABC\n")
    assert ensure_import(plain_first, "asyncio")[0].code == (
        "import asyncio\nimport os\nfrom abc import ABC\n"
    )


# Minimal shapes of projects whose imports Ruff sorts: each passes I001 before.
SHAPES = {
    "merge": """
        import asyncio
        from typing import TYPE_CHECKING, cast

        if TYPE_CHECKING:
            from collections.abc import Callable


        async def watch(p: str) -> None:
            asyncio.create_task(job())
            cast(str, p)
        """,
    "wrap": """
        import asyncio
        from typing import TYPE_CHECKING, Awaitable, Callable, Coroutine, Final, Mapping, cast


        async def watch(job: Callable[[], Coroutine[None, None, int]]) -> None:
            asyncio.create_task(job())
        """,
    "new_from_import": """
        import asyncio
        from collections import deque
        from dataclasses import dataclass


        async def watch(job) -> None:
            asyncio.create_task(job())
        """,
    "new_sections": '''
        """A module whose only imports are from asyncio and a third party."""

        from __future__ import annotations

        from asyncio import create_task

        import aiohttp


        async def watch(job) -> None:
            aiohttp.get()
            create_task(job())
        ''',
}


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_ruff_import_order_still_passes(tmp_path: Path, shape: str) -> None:
    source = textwrap.dedent(SHAPES[shape]).lstrip("\n")
    path = tmp_path / "app.py"
    ruff = ["ruff", "check", "--isolated", "--select", "I", "--no-cache", str(path)]
    path.write_text(source)
    assert subprocess.run(ruff, capture_output=True).returncode == 0, "passes before"
    outcome = run("TG003", source)
    assert outcome.changed, "the shape must be rewritten to test anything"
    path.write_text(outcome.text)
    checked = subprocess.run(ruff, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


WIDE_PROJECT = """
import asyncio
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine


async def watch(p: str, job: "Callable[[], Coroutine[None, None, int]]") -> None:
    asyncio.create_task(job())
    cast(str, p)


async def serve(job: "Callable[[], Coroutine[None, None, int]]") -> None:
    # A caller holding a TaskGroup: what makes `watch` take one.
    async with asyncio.TaskGroup() as tg:
        await watch("p", job)
"""


def test_the_projects_own_line_length_is_used(tmp_path: Path) -> None:
    """Ruff's ``line-length`` in the project's ``pyproject.toml`` decides how the new
    signature is laid out: 118 columns fit in the project's 120, so it is not wrapped."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ruff]\nline-length = 120\n\n[tool.ruff.lint]\nselect = ["I"]\n'
    )
    app = write(tmp_path, "app.py", WIDE_PROJECT)
    result = invoke("run", "--write", tmp_path)
    assert result.exit_code == 0
    lines = app.read_text().splitlines()
    assert lines[1] == "from typing import TYPE_CHECKING, Any, cast"
    assert lines[9] == (
        'async def watch(p: str, job: "Callable[[], Coroutine[None, None, int]]", '
        "tg: asyncio.TaskGroup | None = None) -> None:"
    )
    if shutil.which("ruff") is not None:
        ruff = ["ruff", "check", "--no-cache", "app.py"]
        checked = subprocess.run(ruff, cwd=tmp_path, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_passes_with_the_projects_isort_settings(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ruff.lint]\nselect = ["I"]\n\n[tool.ruff.lint.isort]\n'
        "force-single-line = true\nforce-sort-within-sections = true\n"
    )
    source = """
        from asyncio import create_task
        import os
        from typing import TYPE_CHECKING
        from typing import cast


        async def watch(job) -> None:
            create_task(job())
            cast(str, os.sep)
        """
    app = write(tmp_path, "app.py", source)
    ruff = ["ruff", "check", "--no-cache", "app.py"]
    assert subprocess.run(ruff, cwd=tmp_path, capture_output=True).returncode == 0
    result = invoke("run", "--write", tmp_path)
    assert result.exit_code == 0
    assert app.read_text().splitlines()[:6] == [
        "import asyncio",
        "from asyncio import create_task",
        "import os",
        "from typing import TYPE_CHECKING",
        "from typing import Any",
        "from typing import cast",
    ]
    checked = subprocess.run(ruff, cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout


# Ruff's settings equal to isort's google profile, for checking what the tool wrote
# for a project configuring only isort.
RUFF_AS_GOOGLE = """
[lint]
select = ["I"]

[lint.isort]
force-single-line = true
force-sort-within-sections = true
order-by-type = false
single-line-exclusions = ["collections.abc", "six.moves", "typing", "typing_extensions"]
"""


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_isorts_google_profile_is_followed(tmp_path: Path) -> None:
    """``profile = "google"``: a line a name, except for ``typing`` and a few
    others, whose names the new ``Any`` joins in case-insensitive order; Ruff set
    as the profile agrees, before and after the write (and isort, where installed)."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.isort]\nprofile = "google"\n')
    source = """
        import asyncio
        from collections.abc import Callable, Coroutine
        import os
        from typing import cast, TYPE_CHECKING


        async def watch(job: Callable[[], Coroutine[None, None, int]]) -> None:
            asyncio.create_task(job())
            cast(str, os.sep)
            print(TYPE_CHECKING)
        """
    app = write(project, "app.py", source)
    settings = tmp_path / "ruff.toml"
    settings.write_text(RUFF_AS_GOOGLE)
    ruff = ["ruff", "check", "--no-cache", "--config", str(settings), str(app)]
    isort = shutil.which("isort")
    checks = [ruff] + (
        [[isort, "--check-only", "--profile", "google", str(app)]] if isort else []
    )
    for check in checks:
        assert subprocess.run(check, capture_output=True).returncode == 0, check
    result = invoke("run", "--write", project)
    assert result.exit_code == 0
    assert "from typing import Any, cast, TYPE_CHECKING\n" in app.read_text()
    for check in checks:
        checked = subprocess.run(check, capture_output=True, text=True)
        assert checked.returncode == 0, (check, checked.stdout, checked.stderr)


@pytest.mark.parametrize(
    ("order", "blank"),
    [
        pytest.param(ImportOrder(), 2, id="isort-default-before-a-def"),
        pytest.param(ImportOrder(lines_after_imports=1), 1, id="configured"),
    ],
)
def test_blank_lines_after_a_first_import(order: ImportOrder, blank: int) -> None:
    module = cst.parse_module('"""Doc."""\ndef main() -> None:\n    pass\n')
    code = ensure_import(module, "asyncio", order)[0].code
    assert code == (
        '"""Doc."""\n\nimport asyncio\n'
        + "\n" * blank
        + "def main() -> None:\n    pass\n"
    )
