"""TG002 sync-start beyond its golden cases: the findings it reports without fixing,
where an ``await`` can and cannot go, and refusing to run as a plain LibCST codemod."""

from __future__ import annotations

import textwrap

import pytest

from codemods.core.results import Finding
from codemods.core.settings import Settings
from codemods.engine.worker.transform import transform_text
from codemods.rules import registry
from codemods.rules.codemod import CodemodContext
from codemods.rules.sync_start.codemod import SyncStart
from tests.support.golden import run

SERVICE = """
import asyncio


class Service:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        await asyncio.sleep(0)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())
"""
CONVERTED = """
    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
        spawn = asyncio.create_task if tg is None else tg.create_task
        self._task = spawn(self._run())
"""
GROUP = "TG002:m.Service.start"


def with_service(source: str, *, safe_only: bool = False) -> tuple[str, list[Finding]]:
    """TG002 over ``SERVICE`` and ``source``: the text, and the findings."""
    result = run("TG002", SERVICE + textwrap.dedent(source), safe_only=safe_only)
    return result.text, list(result.findings)


def tail(text: str) -> str:
    """The part of the output after the Service class."""
    return text.split("self._run())\n", 1)[1]


def blocked(source: str) -> str:
    """The one finding TG002 reports at ``Service.start`` when ``source`` blocks its
    conversion (nothing is changed), as its message."""
    text, findings = with_service(source)
    assert text == SERVICE + textwrap.dedent(source)
    (finding,) = findings
    assert (finding.line, finding.fixable) == (12, False)
    prefix = (
        "`Service.start()` starts background tasks but stays synchronous: it is used "
        "where a coroutine cannot follow: "
    )
    assert finding.message.startswith(prefix)
    assert finding.message.endswith("; convert the family by hand")
    return finding.message[len(prefix) : -len("; convert the family by hand")]


def test_a_synchronous_caller_blocks_the_conversion() -> None:
    places = blocked(
        """

        def main(service: Service) -> None:
            service.start()


        async def boot(service: Service) -> None:
            service.start()
        """
    )
    # The caller that could await is not changed either: all or nothing.
    assert places == "line 17 (synchronous `main()` calls it)"


def test_the_method_used_as_a_value_blocks_the_conversion() -> None:
    places = blocked(
        """

        async def main(service: Service, hooks: list[Callable[[], None]]) -> None:
            hooks.append(service.start)
            asyncio.get_running_loop().call_soon(service.start)
            restart = functools.partial(service.start)
        """
    )
    assert places == (
        "line 17 (`main()` takes it as a value), line 18 (`main()` takes it as a "
        "value), line 19 (`main()` takes it as a value)"
    )


@pytest.mark.parametrize(
    ("code", "place"),
    [
        (
            "async def main(s: Service) -> None:\n"
            "    print(list(s.start() for _ in range(2)))\n",
            "line 17 (`main()` uses its return value)",
        ),
        ("Service().start()\n", "line 16 (module level calls it)"),
        (
            "async def main(s: Service) -> None:\n    print(s.start().__class__)\n",
            "line 17 (`main()` uses its return value)",
        ),
        (
            "def restart(s: Service, *args: object) -> None:\n    s.start(*args)\n",
            "line 17 (`restart()` forwards `*args`/`**kwargs` to it)",
        ),
        (
            "async def main(things: list[Any]) -> None:\n"
            "    for thing in things:\n"
            "        thing.start()\n",
            "line 18 (`main()` calls `.start()` on a receiver of unknown type)",
        ),
    ],
)
def test_code_that_cannot_follow_blocks_the_conversion(code: str, place: str) -> None:
    assert blocked("\n\n" + code) == place


def test_calls_handing_the_coroutine_on_stay_as_written() -> None:
    text, findings = with_service(
        """

        def main() -> None:
            asyncio.new_event_loop().run_until_complete(Service().start())


        async def boot(service: Service) -> None:
            await asyncio.gather(service.start())
        """
    )
    assert CONVERTED in text
    assert "run_until_complete(Service().start())" in text
    assert "await asyncio.gather(service.start())" in text
    assert [f.fixable for f in findings] == [True]


def test_an_awaited_call_is_not_awaited_twice_and_gains_the_taskgroup() -> None:
    text, _ = with_service(
        """

        async def main(service: Service, tg: asyncio.TaskGroup) -> None:
            await service.start()
        """
    )
    assert tail(text).endswith("    await service.start(tg=tg)\n")


def test_a_noqa_on_a_call_keeps_that_call() -> None:
    text, findings = with_service(
        """

        async def main(service: Service) -> None:
            service.start()  # noqa: TG002
            service.start()
        """
    )
    assert tail(text).endswith(
        "    service.start()  # noqa: TG002\n    await service.start()\n"
    )
    assert [f.line for f in findings] == [12, 18]  # the noqa line reports nothing


def test_safe_only_changes_nothing_and_reports_everything() -> None:
    text, findings = with_service(
        """

        async def main(service: Service) -> None:
            service.start()
        """,
        safe_only=True,
    )
    assert "def start(self) -> None:" in text and "await" not in tail(text)
    assert [f.fixable for f in findings] == [False, False]
    assert all(
        f.message.endswith("(unsafe fix not applied: --safe-only)") for f in findings
    )


def test_a_spawn_the_taskgroup_cannot_take_is_reported_and_kept() -> None:
    settings = Settings(select=("TG002",))
    source = textwrap.dedent(
        """
        import asyncio


        class Poller:
            def __init__(self, fut: asyncio.Future[None]) -> None:
                self.fut = fut

            def start(self) -> None:
                asyncio.ensure_future(self.fut)
                asyncio.ensure_future(asyncio.sleep(1))
        """
    )
    result = transform_text(source, registry.codes(settings), settings, module_name="m")
    assert (
        "    async def start(self, tg: asyncio.TaskGroup | None = None) -> None:\n"
        in (result.text)
    )
    assert "        asyncio.ensure_future(self.fut)\n" in result.text
    assert "            task = asyncio.create_task(asyncio.sleep(1))\n" in result.text
    (problem,) = [f for f in result.findings if not f.fixable]
    assert problem.line == 10 and problem.message == (
        "`asyncio.ensure_future()` may be given a Future, which "
        "TaskGroup.create_task() does not accept: migrate it by hand"
    )


def test_a_taken_name_gets_a_suffix() -> None:
    settings = Settings(select=("TG002",))
    source = textwrap.dedent(
        """
        import asyncio


        class Spawner:
            def __init__(self) -> None:
                self.tasks: list[asyncio.Task[None]] = []

            def start(self) -> None:
                spawn = 1
                self.tasks.append(asyncio.create_task(asyncio.sleep(spawn)))
        """
    )
    result = transform_text(source, registry.codes(settings), settings, module_name="m")
    assert (
        "        spawn_2 = asyncio.create_task if tg is None else tg.create_task\n"
        in result.text
    )
    assert "self.tasks.append(spawn_2(asyncio.sleep(spawn)))" in result.text


def test_methods_of_nested_classes_and_static_methods_stay() -> None:
    settings = Settings(select=("TG002",))
    source = textwrap.dedent(
        """
        import asyncio


        def factory() -> object:
            class Local:
                def start(self) -> None:
                    asyncio.ensure_future(asyncio.sleep(1))

            return Local()


        class Tool:
            @staticmethod
            def start() -> None:
                asyncio.ensure_future(asyncio.sleep(1))
        """
    )
    result = transform_text(source, registry.codes(settings), settings, module_name="m")
    assert not result.changed and result.findings == ()


def test_it_refuses_to_run_as_a_plain_libcst_codemod() -> None:
    """As ``python -m libcst.tool codemod`` makes it (no engine environment), it would
    convert ``start`` without the callers in other files: it stops before any file."""
    with pytest.raises(SystemExit) as refused:
        SyncStart(CodemodContext(full_module_name="m"))
    assert str(refused.value).startswith(
        "codemods: TG002 sync-start cannot run under `python -m libcst.tool codemod`: "
    )
