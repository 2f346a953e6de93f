"""TG002 sync-start beyond its golden cases: the findings it reports without fixing,
where an ``await`` can and cannot go, and refusing to run as a plain LibCST codemod."""

from __future__ import annotations

import textwrap

import pytest
from libcst.codemod import CodemodContext

from codemods.core.results import Finding
from codemods.core.settings import Settings
from codemods.engine.worker.transform import transform_text
from codemods.rules import registry
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


def test_a_synchronous_caller_is_reported_with_caller_and_method() -> None:
    text, findings = with_service(
        """

        def main(service: Service) -> None:
            service.start()
        """
    )
    assert CONVERTED in text
    assert (
        tail(text) == "\n\ndef main(service: Service) -> None:\n    service.start()\n"
    )
    caller = findings[-1]
    assert (caller.line, caller.fixable, caller.group) == (17, False, GROUP)
    assert caller.message == (
        "`service.start()` calls `Service.start()`, which TG002 makes async, from "
        "synchronous `main()`: make the caller async and await it"
    )


def test_a_converted_method_used_as_a_value_is_reported() -> None:
    source = """

        async def main(service: Service, hooks: list[Callable[[], None]]) -> None:
            hooks.append(service.start)
            asyncio.get_running_loop().call_soon(service.start)
        """
    text, findings = with_service(source)
    assert CONVERTED in text
    assert tail(text) == textwrap.dedent(source)
    references = [(f.line, f.fixable, f.group, f.message) for f in findings[1:]]
    message = (
        "`service.start` refers to `Service.start()`, which TG002 makes async: "
        "whoever calls it must await it; change that code by hand"
    )
    assert references == [(17, False, GROUP, message), (18, False, GROUP, message)]


@pytest.mark.parametrize(
    ("code", "where"),
    [
        (
            "async def main(s: Service) -> None:\n"
            "    print(list(s.start() for _ in range(2)))\n",
            "a generator expression in `main()`",
        ),
        ("Service().start()\n", "code outside any function"),
    ],
)
def test_code_that_cannot_await_is_reported(code: str, where: str) -> None:
    text, findings = with_service("\n\n" + code)
    assert tail(text) == "\n\n" + code
    assert f"from {where}:" in findings[-1].message
    assert not findings[-1].fixable


def test_an_awaited_call_is_not_awaited_twice_and_gains_the_taskgroup() -> None:
    text, _ = with_service(
        """

        async def main(service: Service, tg: asyncio.TaskGroup) -> None:
            await service.start()
        """
    )
    assert tail(text).endswith("    await service.start(tg=tg)\n")


def test_an_await_followed_by_an_attribute_is_parenthesized() -> None:
    text, _ = with_service(
        """

        async def main(service: Service) -> None:
            print(service.start().__class__)
        """
    )
    assert tail(text).endswith("    print((await service.start()).__class__)\n")


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
