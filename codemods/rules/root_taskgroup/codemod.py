"""TG007 root-taskgroup: an application's entry point opens the TaskGroup that owns its
background work, and shutdown cancels what outlives a drain timeout."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from codemods.analysis import fastapi_roles
from codemods.core.asyncio_names import TASKGROUP_NAMES
from codemods.cst.build import code_of, fresh_name, parse_statement
from codemods.cst.fastapi import STATE, takes_taskgroup_dependency
from codemods.cst.find import find_all, is_docstring
from codemods.cst.imports import bound_module_name, ensure_import
from codemods.cst.names import names_used
from codemods.rules.dangling_task.spec import SPEC as DANGLING_TASK
from codemods.rules.indexed import IndexedCodemod
from codemods.rules.registry import selected
from codemods.rules.root_taskgroup.released import ShutdownWriter, split_shutdown
from codemods.rules.root_taskgroup.spec import DEFAULT_DRAIN_TIMEOUT, SPEC
from codemods.rules.root_taskgroup.teardown import Calls, Teardown, release_tail

RUNNERS = frozenset({"asyncio.run", "asyncio.runners.run"})
APPLICATIONS = frozenset(
    {
        "fastapi.FastAPI",
        "fastapi.applications.FastAPI",
        "starlette.applications.Starlette",
    }
)
CONTEXT_MANAGERS = frozenset({"contextlib.asynccontextmanager"})

# The entry point's own body goes where `pass` is. The drain deadline is set only once
# that body is done (its shutdown code included): tasks still running then get
# `drain-timeout` seconds, and are cancelled after. The TimeoutError that cancellation
# ends in is the drain's own; any other passes on.
ROOT = """\
{drain} = {aio}.timeout(None)
try:
    async with {drain}, {aio}.TaskGroup() as {tg}:
        try:
            pass
        finally:
            # Background tasks still running {shown} s after shutdown are cancelled.
            {drain}.reschedule({aio}.get_running_loop().time() + {timeout})
except TimeoutError:
    if not {drain}.expired():
        raise
"""


class RootTaskgroup(IndexedCodemod, spec=SPEC):
    """Open the application's root TaskGroup in its entry point.

    ## What it does
    Finds the application's entry points: an ``@asynccontextmanager`` lifespan given to
    ``FastAPI(lifespan=...)`` / ``Starlette(lifespan=...)`` or taking the app
    (``app: FastAPI``), an aiohttp ``app.cleanup_ctx.append(...)`` generator, an ``async def``
    run by ``asyncio.run(main())``, and the functions named in ``entry-points``. Where
    one calls something that accepts a TaskGroup once the run is over (a ``start()``
    TG002 converts, a constructor TG003 gives a ``tg``, a parameter the callee already
    has), its whole body moves into ``async with asyncio.TaskGroup() as tg:``, which
    TG005 then passes down. The statements that end its shutdown code and release what
    background tasks use (``await client.aclose()``, ``await dispose_engine()``, the
    legacy tracker's ``cancel_all_tasks()``, a last log line) run after the group has
    exited, so the tasks are done before what they use is closed, and only where they
    ran before (a flag set where they began guards them, in a ``finally``). What moves,
    and what stops the root's work and stays, is decided from shapes (``teardown.py``):
    a ``close``/``aclose``/``dispose``/``disconnect`` call, a function named
    for one, a function of the legacy tracker's module, a log line, on nothing given the
    TaskGroup, started with it or passed to a call given it. After the rest of the
    shutdown code, tasks still running are given ``drain-timeout`` seconds and then
    cancelled, so shutdown cannot hang. Where ``drain-timeout`` is not configured and
    the moved code gives the legacy tracker's cancel function a timeout spelled by names
    bound before the shutdown code (``cancel_all_tasks(settings.timeout)``), that
    timeout is used, the deadline set where the moved code began; otherwise 30 seconds.
    The finding says which.

    Where FastAPI endpoints take the root (``Depends(get_task_group)``, which TG003
    writes), the lifespan also exposes it as ``app.state.task_group`` while it runs, and
    clears it when shutdown begins; it is then opened even if nothing else takes it. An
    entry point that already opens a TaskGroup, or calls nothing that takes one, is left
    alone.

    ## Why is this bad?
    Converted components take an optional TaskGroup and fall back to tasks nobody owns
    when none is passed. Without a TaskGroup at the root, nothing is ever passed: every
    background task still outlives shutdown, and its failure goes unnoticed. The root
    is what makes the structured concurrency reach the whole application.

    ## Fix safety
    Unsafe: failure semantics change. A background task that raises now cancels its
    siblings and the entry point itself (the lifespan ends, so the application stops),
    and exceptions leave the entry point wrapped in an ``ExceptionGroup`` (catch them
    with ``except*``). Shutdown now waits up to ``drain-timeout`` seconds for
    background tasks after the entry point's own shutdown code, and the releases that
    ended that code run after them: one that in fact stops a task (closing a stream
    it reads, where nothing says the task was given it) then waits for the drain
    deadline, which cancels the task. The code needs Python 3.11
    (``asyncio.TaskGroup``, ``asyncio.timeout``), and a lifespan must be entered and
    exited in one task, as Starlette, FastAPI and ``web.run_app`` do.
    """

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        self.tree = node
        self.asyncio_name = bound_module_name(node, "asyncio") or "asyncio"
        self.entries = self._entry_points(node)
        # Whether endpoints take the root as `Depends(get_task_group)` (TG003), here
        # or in another module: the lifespan then exposes it to them.
        self.endpoints = takes_taskgroup_dependency(node, self.qualified)
        self.rooted = 0

    def _entry_points(self, module: cst.Module) -> dict[str, str]:
        """Top-level function names the module runs as entry points, with their kind."""
        found: dict[str, str] = {}
        for call in find_all(module, cst.Call):
            called = self.qualified(call.func)
            first = call.args[0].value if call.args else None
            if called & RUNNERS and isinstance(first, cst.Call):
                if isinstance(first.func, cst.Name):
                    found[first.func.value] = "`asyncio.run()` entry point"
            elif called & APPLICATIONS:
                for arg in call.args:
                    if arg.keyword is not None and arg.keyword.value == "lifespan":
                        if isinstance(arg.value, cst.Name):
                            found[arg.value.value] = "lifespan"
            elif _appends_cleanup_context(call) and isinstance(first, cst.Name):
                found[first.value] = "cleanup context"
        for entry in SPEC.option(self.settings, "entry-points"):
            module_name, _, function = str(entry).partition(":")
            if module_name == self.module_name:
                found[function] = "configured entry point"
        return found

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        kind = self._kind(original_node) if len(self.scopes) == 1 else None
        owned = [] if kind is None else list(self._accepting_calls(original_node))
        updated_node = super().leave_FunctionDef(original_node, updated_node)
        name = original_node.name.value
        app = self._exposed_as(original_node) if kind == "lifespan" else None
        if kind is None or not (owned or app):
            return updated_node
        if not isinstance(updated_node.body, cst.IndentedBlock):
            self.report(
                original_node.name,
                f"the {kind} `{name}()` fits on one line: open its root TaskGroup by hand",
                fixable=False,
            )
            return updated_node
        teardown = self._teardown(original_node, owned)
        split = teardown if isinstance(teardown, Teardown) else None
        configured = SPEC.option(self.settings, "drain-timeout")
        timeout = float(DEFAULT_DRAIN_TIMEOUT if configured is None else configured)
        legacy = None if split is None or configured is not None else split
        served = [f"{_counted(len(owned), 'call')} that can take it"] if owned else []
        if app is not None:
            served.append(f"the endpoints, which read it as `{app}.state.{STATE}`")
        if legacy is not None and legacy.legacy_timeout is not None:
            after = (
                f"`{code_of(legacy.legacy_timeout)}` s (the timeout "
                f"`{legacy.legacy_function}()` is given)"
            )
        else:
            after = f"{timeout:g} s"
        message = (
            f"open the root TaskGroup in the {kind} `{name}()`, for "
            f"{' and '.join(served)}; background tasks still running {after} "
            "after shutdown are cancelled, and one that fails now cancels the others"
            f"{_teardown_said(teardown)} (see `codemods explain TG007`)"
        )
        if not self.report(original_node.name, message, fixable=True):
            return updated_node
        self.rooted += 1
        return self._rooted(updated_node, timeout, app, split, legacy)

    def _teardown(
        self, function: cst.FunctionDef, owned: list[cst.Call]
    ) -> Teardown | str | None:
        """Where ``function``'s shutdown code splits (``teardown.py``)."""
        body = function.body
        assert isinstance(body, cst.IndentedBlock)
        statements = list(body.body)
        own = statements[1:] if is_docstring(statements[0]) else statements
        calls = Calls(self.qualified, self._of_tracker_module, self.module_qualifier)
        return release_tail(own, function, owned, calls)

    def _of_tracker_module(self, function: str) -> bool:
        """Whether ``function`` (an absolute name) is defined beside a legacy
        tracker (``cancel_all_tasks()`` beside ``track_task()``)."""
        module = function.rpartition(".")[0]
        return any(
            self.index.tracker_extras(f"{module}.{tracker}") is not None
            for tracker in self.settings.tracker_names
        )

    def _exposed_as(self, lifespan: cst.FunctionDef) -> str | None:
        """The app parameter through which ``lifespan`` exposes its root to the
        endpoints, when some take it (TG003 gives them the run's one root); None: they
        do not."""
        params = lifespan.params.params
        if not params:
            return None
        if not self.endpoints:
            if DANGLING_TASK not in selected(self.settings):
                return None
            index = self.index
            if len(
                index.fastapi_modules(fastapi_roles.ROOT)
            ) != 1 or not index.fastapi_modules(fastapi_roles.ENDPOINT):
                return None
        return params[0].name.value

    def _kind(self, function: cst.FunctionDef) -> str | None:
        """What entry point ``function`` is (None: none), if it has no TaskGroup yet."""
        if function.asynchronous is None or self._opens_taskgroup(function):
            return None
        kind = self.entries.get(function.name.value)
        if kind is not None:
            return kind
        decorated = any(
            self.qualified(decorator.decorator) & CONTEXT_MANAGERS
            for decorator in function.decorators
        )
        params = function.params.params
        annotation = params[0].annotation if params else None
        if (
            decorated
            and annotation is not None
            and self.qualified(annotation.annotation) & APPLICATIONS
        ):
            return "lifespan"
        return None

    def _opens_taskgroup(self, function: cst.FunctionDef) -> bool:
        return any(
            isinstance(item.item, cst.Call)
            and self.qualified(item.item.func) & TASKGROUP_NAMES
            for statement in _own_nodes(function.body)
            if isinstance(statement, cst.With)
            for item in statement.items
        )

    def _accepting_calls(self, function: cst.FunctionDef) -> Iterator[cst.Call]:
        """Calls in ``function``'s own code of callees that take a TaskGroup (after
        the run) and are not given one."""
        for node in _own_nodes(function.body):
            if not isinstance(node, cst.Call) or any(arg.star for arg in node.args):
                continue
            ref = self.type_of(node.func)
            parameter = None if ref is None else self.index.taskgroup_parameter(ref)
            if parameter is None:
                continue
            keywords = {arg.keyword.value for arg in node.args if arg.keyword}
            positional = sum(1 for arg in node.args if arg.keyword is None)
            if parameter.name in keywords or (
                parameter.position is not None and positional > parameter.position
            ):
                continue
            yield node

    def _rooted(
        self,
        function: cst.FunctionDef,
        timeout: float,
        app: str | None,
        split: Teardown | None,
        legacy: Teardown | None,
    ) -> cst.FunctionDef:
        body = function.body
        assert isinstance(body, cst.IndentedBlock)
        statements = list(body.body)
        docstring = statements[:1] if is_docstring(statements[0]) else []
        own = statements[len(docstring) :]
        used = names_used(function)
        drain = fresh_name("drain", used)
        group = fresh_name(self.settings.taskgroup_param, used | {drain})
        stopped = fresh_name("stopped", used | {drain, group})
        code = ROOT.format(
            drain=drain,
            tg=group,
            aio=self.asyncio_name,
            timeout=timeout,
            shown=f"{timeout:g}",
        )
        setup_code, _, guarded_code = code.partition("\n")
        setup = [parse_statement(setup_code, self.tree)]
        guarded = parse_statement(guarded_code, self.tree)
        assert isinstance(guarded, cst.Try)
        inner = _innermost_try(guarded)
        assert inner.finalbody is not None
        finally_body = [
            s for s in inner.finalbody.body.body if isinstance(s, cst.BaseStatement)
        ]
        tail: list[cst.BaseStatement] = []
        writer = ShutdownWriter(self.tree, self.asyncio_name, drain, stopped)
        if split is not None:
            setup.append(writer.unreached())
            reached = writer.reached(legacy)
            if legacy is not None and legacy.legacy_timeout is not None:
                finally_body = [writer.unless_reached(finally_body)]
            own, tail = split_shutdown(own, split, reached)
        if app is not None:
            # Endpoints read it (`Depends(get_task_group)`) until shutdown begins.
            exposed = f"{app}.state.{STATE} = {group}\n"
            own = [parse_statement(exposed, self.tree), *own]
            cleared = parse_statement(f"{app}.state.{STATE} = None\n", self.tree)
            finally_body = [cleared, *finally_body]
        guarded = guarded.with_deep_changes(
            inner,
            body=cst.IndentedBlock(body=own),
            finalbody=inner.finalbody.with_changes(
                body=inner.finalbody.body.with_changes(body=finally_body)
            ),
        )
        if tail:
            guarded = guarded.with_changes(finalbody=writer.released(tail))
        return function.with_changes(
            body=body.with_changes(body=[*docstring, *setup, guarded])
        )

    def leave_Module(
        self, original_node: cst.Module, updated_node: cst.Module
    ) -> cst.Module:
        if self.rooted == 0:
            return updated_node
        module, _ = ensure_import(updated_node, "asyncio")
        return module


def _own_nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` that runs as its function's own code (not in a
    nested function, class or lambda)."""
    for child in node.children:
        if isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        yield child
        yield from _own_nodes(child)


def _innermost_try(outer: cst.Try) -> cst.Try:
    with_block = outer.body.body[0]
    assert isinstance(with_block, cst.With)
    inner = with_block.body.body[0]
    assert isinstance(inner, cst.Try)
    return inner


def _teardown_said(teardown: Teardown | str | None) -> str:
    """What the finding says of the entry point's shutdown code."""
    if teardown is None:
        return ""
    if isinstance(teardown, str):
        return f"; its shutdown code stays in the group: {teardown}"
    moved = (
        "statement releasing what they use runs"
        if teardown.moved == 1
        else f"{teardown.moved} statements releasing what they use run"
    )
    return f"; its shutdown code's last {moved} once they are done"


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _appends_cleanup_context(call: cst.Call) -> bool:
    """``app.cleanup_ctx.append(...)`` (aiohttp's cleanup contexts)."""
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "append"
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value == "cleanup_ctx"
    )
