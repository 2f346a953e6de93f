"""Work the engine must not do: codemods on text that cannot concern them."""

from __future__ import annotations

from typing import Any

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from codemods.core.settings import Settings
from codemods.cst.dispatch import FastTransformer
from codemods.engine.worker.stages import TransformError
from codemods.engine.worker.transform import transform_text
from codemods.rules import registry
from codemods.rules.codemod import Environment, codemod_class, run_codemod

# Spells none of TG001's or TG003's trigger words.
TEXT = """\
import asyncio


async def main(lock: asyncio.Lock) -> None:
    async with lock:
        pass
"""


@pytest.mark.parametrize("code", ["TG001", "TG003"])
def test_a_codemod_without_its_trigger_words_is_not_run(
    code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = registry.find(code)
    assert spec is not None and not spec.uses_index

    def explode(self: Any, tree: Any) -> Any:
        raise RuntimeError(f"{code} ran")

    monkeypatch.setattr(codemod_class(spec), "transform_module_impl", explode)
    settings = Settings()
    outcome = transform_text(TEXT, registry.codes(settings), settings)
    assert not outcome.changed
    with pytest.raises(TransformError, match=f"{code} ran"):
        transform_text(TEXT, registry.codes(settings), settings, only_triggered=False)


# One function spawns; forty do not (as in a large test module).
MANY_FUNCTIONS = (
    "import asyncio\n\n\nasync def spawner() -> None:\n"
    "    asyncio.create_task(asyncio.sleep(0))\n"
) + "".join(
    f"\n\nasync def quiet_{n}() -> None:\n    await asyncio.sleep({n})\n"
    for n in range(40)
)


def _awaits_visited(
    code: str, text: str | None, monkeypatch: pytest.MonkeyPatch
) -> int:
    """How many ``await`` nodes codemod ``code`` visits in MANY_FUNCTIONS, given
    ``text`` as the text its tree prints as (None: not known)."""
    seen: list[str] = []
    on_visit = FastTransformer.on_visit

    def counting(self: Any, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Await):
            seen.append(self.CODE)
        return on_visit(self, node)

    monkeypatch.setattr(FastTransformer, "on_visit", counting)
    spec = registry.find(code)
    assert spec is not None
    wrapper = MetadataWrapper(cst.parse_module(MANY_FUNCTIONS), unsafe_skip_copy=True)
    run_codemod(codemod_class(spec), wrapper, Environment(Settings(), text=text))
    return seen.count(code)


@pytest.mark.parametrize("code", ["TG001", "TG002", "TG003", "TG005"])
def test_functions_spelling_none_of_a_codemods_words_are_not_visited(
    code: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Visiting rebuilds every node, so a codemod reads a function's lines first."""
    assert _awaits_visited(code, MANY_FUNCTIONS, monkeypatch) == 0


def test_without_the_text_every_function_is_visited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``python -m libcst.tool codemod`` gives a codemod no text: it skips nothing."""
    assert _awaits_visited("TG003", None, monkeypatch) == 40


def test_a_text_that_is_not_the_trees_skips_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Positions that would not match the text's lines are never trusted."""
    assert _awaits_visited("TG003", "import asyncio\n", monkeypatch) == 40
