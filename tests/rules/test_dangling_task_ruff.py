"""TG003 sees at least every dangling task Ruff's RUF006 sees, one finding each,
on minimal shapes of what real projects hold (``docs/realworld.md``: the real-world
harness counts the "RUF006 sites TG003 misses" on whole projects)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from benchmarks.realworld.tool_runs import ruff_ruf006
from codemods.core.noqa import EQUIVALENT_CODES, NoqaMap
from codemods.rules import registry
from codemods.rules.docs import document
from tests.support.golden import REPO, run

SHAPES = textwrap.dedent(
    """
    import asyncio


    async def job() -> None:
        await asyncio.sleep(0)


    class Bot:
        def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
            self.loop = loop

        def run(self) -> None:
            loop = asyncio.new_event_loop()
            loop.create_task(self.connect())
            loop.run_forever()

        async def connect(self) -> None:
            loop = asyncio.get_running_loop()
            loop.create_task(job())
            asyncio.get_event_loop().create_task(job())
            _ = asyncio.create_task(job())
            never_read = asyncio.create_task(job())
            self.loop.create_task(job())

        def stop(self, loop: asyncio.AbstractEventLoop) -> None:
            asyncio.create_task(self.disconnect())
            loop.create_task(job())

        async def disconnect(self) -> None: ...


    def on_message() -> None:
        asyncio.ensure_future(job())
        loop = asyncio.get_event_loop()
        loop.create_task(job())
        (asyncio.create_task(job()))
        if loop.is_running(): asyncio.create_task(job())


    async def nested() -> None:
        async def inner() -> None:
            asyncio.create_task(job())

        unused = asyncio.ensure_future(job())
        for _ in range(3):
            asyncio.create_task(job())
        try:
            asyncio.create_task(job())
        finally:
            pass
        await inner()


    class Service:
        async def go(self) -> None:
            asyncio.create_task(self.go()); asyncio.create_task(job())
    """
)


def _ruff_sites(path: Path) -> list[tuple[str, int]]:
    """Ruff's RUF006 sites in the folder of ``path``, as the harness counts them."""
    return [(site["path"], site["line"]) for site in ruff_ruf006(path.parent)]


def test_tg003_reports_every_site_ruff_reports_once(tmp_path: Path) -> None:
    path = tmp_path / "shapes.py"
    path.write_text(SHAPES, encoding="utf-8")
    ruff = _ruff_sites(path)
    assert len(ruff) >= 14  # the shapes are Ruff's too: the comparison means something
    found = [(f.line, f.col) for f in run("TG003", SHAPES).findings]
    assert len(found) == len(set(found)), "one finding per problem"
    lines = {line for line, _ in found}
    assert [site for site in ruff if site[1] not in lines] == []


def test_generated_code_is_ruf006_clean(tmp_path: Path) -> None:
    path = tmp_path / "shapes.py"
    path.write_text(run("TG003", SHAPES).text, encoding="utf-8")
    # The spawns sharing a line are reported, not rewritten: Ruff still sees them.
    left = [line for _, line in _ruff_sites(path)]
    assert left == sorted(left) and len(set(left)) == 2


def test_ruff_code_suppresses_tg003_and_is_never_unused() -> None:
    noqa = NoqaMap.of("x = 1  # noqa: E501, RUF006\n")
    assert noqa.suppresses(1, "TG003")
    assert not noqa.suppresses(1, "TG001")
    source = """
        import asyncio

        async def main() -> None:
            asyncio.create_task(asyncio.sleep(0))  # noqa: RUF006
    """
    result = run("TG003", source, table={"select": ["TG003", "TG100"]})
    assert result.text == textwrap.dedent(source)
    assert result.findings == ()


@pytest.mark.parametrize(("theirs", "ours"), sorted(EQUIVALENT_CODES.items()))
def test_equivalent_codes_are_documented(theirs: str, ours: str) -> None:
    spec = registry.find(ours)
    assert spec is not None
    assert f"| {theirs} |" in document(spec).markdown()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"| `{theirs}` |" in readme and f"| `{ours}` |" in readme
