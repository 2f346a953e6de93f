"""Where a module takes a function or method as a value (``analysis/value_uses.py``):
the facts that keep such a function's signature as it is."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst

from codemods.analysis.facts import Ref
from codemods.analysis.value_uses import value_uses
from codemods.cst.module_names import ModuleNames


def _uses(source: str) -> list[tuple[str, int, Ref | None, str]]:
    text = textwrap.dedent(source)
    names = ModuleNames(cst.parse_module(text), "m", False)
    return [
        (u.name, u.line, u.ref, u.how) for u in value_uses(ast.parse(text), names, "m")
    ]


def test_callbacks_partials_and_containers_are_value_uses() -> None:
    found = _uses(
        """
        import functools
        from app.limits import get_limiter

        async def job() -> None: ...

        def wire(loop, bus) -> None:
            loop.call_soon(job)
            bus.subscribe("t", functools.partial(get_limiter, 1))
            handlers = {"job": job}
        """
    )
    assert ("job", 8, Ref.value("m.job"), "passed to `loop.call_soon()`") in found
    limiter = Ref.value("app.limits.get_limiter")
    assert ("get_limiter", 9, limiter, "passed to `functools.partial()`") in found
    assert ("job", 10, Ref.value("m.job"), "stored in a container") in found


def test_a_method_taken_through_self_is_the_class_attribute() -> None:
    found = _uses(
        """
        class Scheduler:
            def register(self, bus) -> None:
                bus.subscribe("failed", self.on_failed)

            async def on_failed(self) -> None: ...
        """
    )
    ref = Ref.attribute(Ref.instance("m.Scheduler"), "on_failed")
    assert found == [("on_failed", 4, ref, "passed to `bus.subscribe()`")]


def test_a_dependency_in_an_annotation_or_default_is_a_value_use() -> None:
    found = _uses(
        """
        from typing import Annotated
        from fastapi import Depends
        from app.limits import get_limiter, Limiter

        async def route(
            a: Annotated[Limiter, Depends(get_limiter)], b: int = Depends(get_limiter)
        ) -> None: ...
        """
    )
    lines = [line for name, line, _, how in found if name == "get_limiter"]
    assert lines == [7, 7]


def test_calls_locals_and_builtins_are_not_value_uses() -> None:
    found = _uses(
        """
        async def job() -> None: ...

        async def main(items) -> None:
            await job()
            total = len(items)
            local = 1
            print(local)
        """
    )
    assert [name for name, *_ in found if name in ("job", "items", "local")] == []


def test_dependency_marks_a_plain_depends_and_overrides_are_value_uses() -> None:
    text = textwrap.dedent(
        """
        from typing import Annotated
        from fastapi import Depends
        from app.limits import get_limiter

        async def a(x: Annotated[int, Depends(get_limiter)]) -> None: ...
        async def b(x: int = Depends(get_limiter, use_cache=False)) -> None: ...

        def test_override(app) -> None:
            app.dependency_overrides[get_limiter] = lambda: 1

        from fastapi import Depends as Dep
        async def c(x: int = Dep(get_limiter)) -> None: ...
        """
    )
    names = ModuleNames(cst.parse_module(text), "m", False)
    found = [
        (u.line, u.how, u.dependency)
        for u in value_uses(ast.parse(text), names, "m")
        if u.name == "get_limiter"
    ]
    assert found == [
        (6, "passed to `Depends()`", True),
        (7, "passed to `Depends()`", False),  # not `Depends(f)` alone
        (10, "a key of `dependency_overrides`", False),
        (13, "passed to `Dep()`", False),  # TG005 repoints `Depends` as spelled
    ]
