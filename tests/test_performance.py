"""Work the engine must not do: codemods on text that cannot concern them."""

from __future__ import annotations

from typing import Any

import pytest

from codemods import config
from codemods.engine.transform import TransformError, transform_text
from codemods.transforms import registry

# Spells TG004's trigger (`async with`), none of TG001's or TG003's.
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

    monkeypatch.setattr(spec.load(), "transform_module_impl", explode)
    settings = config.Settings()
    outcome = transform_text(TEXT, settings.codes, settings)
    assert not outcome.changed
    with pytest.raises(TransformError, match=f"{code} ran"):
        transform_text(TEXT, settings.codes, settings, only_triggered=False)
