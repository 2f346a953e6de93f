"""What LibCST is given of a text: the bodies no codemod that may run could touch are
elided, and whatever comes back is told in the whole text's lines."""

from __future__ import annotations

import textwrap

import pytest

from codemods.analysis.relevance import Relevance, judge
from codemods.analysis.syntax import Syntax
from codemods.core.settings import Settings
from codemods.engine.job import Job
from codemods.engine.worker import elision, transform
from codemods.engine.worker.context import FileContext
from codemods.engine.worker.stages import Unplanned, run_stages
from codemods.engine.worker.transform import parse_for, parse_text, transform_text
from codemods.rules import registry

ALL = registry.codes(Settings())


def judged(text: str, codes: tuple[str, ...]) -> Relevance:
    """What ``text``'s ``ast`` says about the codemods ``codes``."""
    return judge(Syntax(text), registry.specs_of(codes), Settings())


def _plan(
    text: str, *, facts: bool = False, codes: tuple[str, ...] = ALL
) -> elision.Plan:
    wanted = elision.plan(codes, Settings(), text, judged(text, codes), facts=facts)
    assert wanted is not None
    return wanted


def _elided(text: str, *, facts: bool = False) -> elision.Elided:
    elided = elision.elide(Syntax(text), _plan(text, facts=facts))
    assert elided is not None
    return elided


SOURCE = textwrap.dedent(
    """\
    import asyncio


    class Service:
        def __init__(self) -> None:
            self.count = 0

        @property
        def label(self) -> str:
            # A comment between the header and the body.
            text = "service"
            return text.upper()

        async def run(self) -> None:
            asyncio.create_task(self.tick())

        async def tick(self) -> None:
            await asyncio.sleep(1)
            await asyncio.sleep(2)

        def bump(self) -> None:
            self.count += 1
            self.count *= 2

        def waived(self) -> None:
            value = 1
            print(value)  # noqa: TG003

        def counter(self) -> None:
            global TOTAL
            TOTAL = 1


    def helper() -> int:
        first = 1
        return first
    """
)


def test_only_bodies_no_codemod_could_touch_are_elided() -> None:
    elided = _elided(SOURCE)
    kept = elided.text
    assert "self.count = 0" in kept  # __init__
    assert "asyncio.create_task(self.tick())" in kept  # a word of TG003
    assert "# noqa: TG003" in kept and "global TOTAL" in kept  # always kept
    for gone in ('text = "service"', "await asyncio.sleep(2)", "first = 1"):
        assert gone not in kept
    # Headers, decorators and comments before a body stay, byte for byte.
    assert "    @property\n    def label(self) -> str:\n        # A comment" in kept
    assert "        ...  # elided L11-L12\n" in kept


def test_with_facts_a_method_assigning_its_receiver_is_kept() -> None:
    assert "self.count *= 2" not in _elided(SOURCE).text
    assert "self.count *= 2" in _elided(SOURCE, facts=True).text


def test_every_line_knows_its_line_in_the_whole_text() -> None:
    elided = _elided(SOURCE)
    whole = SOURCE.splitlines()
    for number, line in enumerate(elided.text.splitlines(), 1):
        if "# elided" not in line:
            assert whole[elided.whole_line(number) - 1] == line
    placeholder = elided.text.splitlines().index("        ...  # elided L11-L12") + 1
    assert elided.whole_line(placeholder) == 11
    assert elided.inside(placeholder) and elided.inside(placeholder - 3)  # @property
    assert not elided.inside(placeholder - 4)  # the blank line before it


@pytest.mark.parametrize(
    "source",
    [
        "def f(): return 1\n",  # the body on the `def` line
        "def f():\n    return 1\n",  # one line: nothing to gain
        "def f(a,\n      b): x = 1; \\\n    y = 2\n",  # the body starts on the header
    ],
)
def test_a_body_is_elided_only_where_its_lines_allow(source: str) -> None:
    assert elision.elide(Syntax(source), _plan(source)) is None


def test_line_endings_are_kept() -> None:
    source = "def f():\r\n    a = 1\r\n    b = 2\r\n\r\nx = 1"
    elided = elision.elide(Syntax(source), _plan(source))
    assert elided is not None
    assert elided.text == "def f():\r\n    ...  # elided L2-L3\r\n\r\nx = 1"
    assert elided.splice(source, elided.text.replace("x = 1", "x = 2")) == (
        source.replace("x = 1", "x = 2")
    )


def test_a_change_outside_elided_functions_is_made_to_the_whole_text() -> None:
    elided = _elided(SOURCE)
    new = elided.text.replace("import asyncio\n", "import asyncio\nimport os\n")
    new = new.replace("self.count = 0", "self.count = 1")
    expected = SOURCE.replace("import asyncio\n", "import asyncio\nimport os\n")
    assert elided.splice(SOURCE, new) == expected.replace(
        "self.count = 0", "self.count = 1"
    )
    # A new statement before an elided function is outside it.
    before = elided.text.replace("def helper", "VALUE = 1\n\n\ndef helper")
    assert elided.splice(SOURCE, before) == SOURCE.replace(
        "def helper", "VALUE = 1\n\n\ndef helper"
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("def helper() -> int:", "def helper(tg: int) -> int:"),  # its header
        ("        ...  # elided L11-L12\n", ""),  # its placeholder
        (
            "        # A comment between",
            "        print()\n        # A comment between",
        ),  # inside it
    ],
)
def test_a_change_to_an_elided_function_is_refused(old: str, new: str) -> None:
    elided = _elided(SOURCE)
    assert old in elided.text
    assert elided.splice(SOURCE, elided.text.replace(old, new)) is None


def test_nothing_is_elided_for_a_codemod_that_reads_every_body() -> None:
    # TG004 reads a whole class and module (a list buffer drained under a lock).
    source = textwrap.dedent(
        """\
        import asyncio


        class Trail:
            def __init__(self) -> None:
                self.pending: list[str] = []
                self.lock = asyncio.Lock()

            async def flush(self) -> None:
                async with self.lock:
                    self.pending = []
        """
    )
    relevance = judged(source, ALL)
    assert "TG004" in relevance.codes
    assert elision.plan(ALL, Settings(), source, relevance, facts=True) is None
    assert elision.plan(ALL, Settings(), source, None, facts=True) is None


def test_a_large_module_is_mostly_elided() -> None:
    quiet = "".join(
        f"\n\nasync def quiet_{n}() -> None:\n    await asyncio.sleep({n})\n"
        + "    await asyncio.sleep(0)\n" * 4
        for n in range(40)
    )
    source = (
        "import asyncio\n\n\nasync def spawner() -> None:\n"
        "    asyncio.create_task(asyncio.sleep(0))\n" + quiet
    )
    context = FileContext(Job(Settings()), source)
    parsed = parse_for(context, codes=ALL, facts=True)
    assert parsed.elided is not None
    assert len(parsed.elided.text) < len(source) / 2
    outcome = transform_text(source, ALL, Settings())
    whole = transform_text(source, ALL, Settings(), only_triggered=False)
    assert outcome.changed and (outcome.text, outcome.findings) == (
        whole.text,
        whole.findings,
    )


def test_a_codemod_the_elision_was_not_planned_for_starts_it_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = SOURCE + "\n\nasync def main() -> None:\n    asyncio.create_task(f())\n"
    elided = _elided(source)
    with pytest.raises(Unplanned):
        run_stages(
            FileContext(Job(Settings(), only=("TG003",)), source),
            parse_text(elided.text),
            elided.text,
            planned=frozenset({"TG001"}),
        )
    original = elision.plan

    def unplanned(*args: object, **kwargs: object) -> elision.Plan | None:
        wanted = original(*args, **kwargs)  # type: ignore[arg-type]
        return (
            None
            if wanted is None
            else elision.Plan(wanted.words, wanted.facts, frozenset())
        )

    monkeypatch.setattr(elision, "plan", unplanned)
    starts: list[str] = []
    whole = transform.Parsed.whole

    def counted(self: transform.Parsed) -> transform.Parsed:
        starts.append(self.text)
        return whole.fget(self)  # type: ignore[attr-defined, no-any-return]

    monkeypatch.setattr(transform.Parsed, "whole", property(counted))
    outcome = transform_text(source, ALL, Settings())
    assert starts == [source]
    expected = transform_text(source, ALL, Settings(), only_triggered=False)
    assert (outcome.text, outcome.findings) == (expected.text, expected.findings)
