"""The legacy tracker's own definition: what it does beyond keeping a strong reference
(TG001's fallback keeps calling a tracker that does more), and who still uses it.

Collected with the facts of the module defining the tracker (``tracker_extras``), and
asked through the project index (``extras``, ``users``), so a call in any module is
judged by the definition, wherever it is.

A *plain* tracker is exactly: ``task = asyncio.create_task(coro)`` (forwarding its own
``name``/``context`` parameters, if any), ``tasks.add(task)``,
``task.add_done_callback(tasks.discard)``, ``return task``. Anything else it does
(names or counts its tasks, logs, adds other callbacks) is an *extra*, and so is every
other function of its module that reads the tasks it keeps (``cancel_all_tasks()``).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
import libcst.matchers as m

from codemods.analysis.facts import FunctionFacts
from codemods.analysis.symbols import SymbolTable
from codemods.cst.build import code_of
from codemods.cst.find import is_docstring
from codemods.cst.names import identifiers

_NAME = m.Name()


def tracker_extras(
    function: cst.FunctionDef, module_body: Sequence[cst.CSTNode]
) -> tuple[str, ...]:
    """What tracker ``function`` does beyond keeping a strong reference, as code
    (``task.add_done_callback(_finished)``), and the functions of its module
    (``module_body``) that read the tasks it keeps (``cancel_all_tasks()``)."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    forwarded = {p.name.value for p in function.params.kwonly_params} | {
        p.name.value for p in function.params.params[1:]
    }
    extras: list[str] = []
    keeper: str | None = None
    for index, statement in enumerate(body):
        if index == 0 and is_docstring(statement):
            continue
        kept = _kept_in(statement)
        if kept is not None:
            keeper = keeper or kept
        elif not _plain(statement, forwarded):
            extras.append(f"`{_first_line(statement)}`")
    readers = [
        other.name.value
        for other in module_body
        if keeper is not None
        and isinstance(other, cst.FunctionDef)
        and other is not function
        and keeper in identifiers(other)
    ]
    # The public ones say most (`cancel_all_tasks()`): they come first.
    readers.sort(key=lambda name: name.startswith("_"))
    if readers:
        shown = ", ".join(f"`{name}()`" for name in readers)
        extras.insert(0, f"its module's {shown} read `{keeper}`")
    return tuple(extras)


def _kept_in(statement: cst.CSTNode) -> str | None:
    """``tasks`` for ``tasks.add(task)``."""
    call = m.SimpleStatementLine(
        body=[m.Expr(m.Call(func=m.Attribute(value=_NAME, attr=m.Name("add"))))]
    )
    if not m.matches(statement, call):
        return None
    assert isinstance(statement, cst.SimpleStatementLine)
    expression = statement.body[0]
    assert isinstance(expression, cst.Expr) and isinstance(expression.value, cst.Call)
    func = expression.value.func
    assert isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
    return func.value.value


def _plain(statement: cst.CSTNode, forwarded: set[str]) -> bool:
    """The spawn (forwarding only the tracker's own parameters), the discard callback
    or the return of the task."""
    if m.matches(statement, m.SimpleStatementLine(body=[m.Return(_NAME)])):
        return True
    discard = m.Call(
        func=m.Attribute(value=_NAME, attr=m.Name("add_done_callback")),
        args=[m.Arg(m.Attribute(value=_NAME, attr=m.Name("discard")))],
    )
    if m.matches(statement, m.SimpleStatementLine(body=[m.Expr(discard)])):
        return True
    spawn = m.Call(func=m.Attribute(attr=m.Name("create_task")) | m.Name("create_task"))
    if not m.matches(
        statement,
        m.SimpleStatementLine(body=[m.Assign(targets=[m.AssignTarget(_NAME)])]),
    ):
        return False
    assert isinstance(statement, cst.SimpleStatementLine)
    value = statement.body[0]
    assert isinstance(value, cst.Assign)
    call = value.value
    if not m.matches(call, spawn):
        return False
    assert isinstance(call, cst.Call)
    return all(
        arg.keyword is None
        or (
            isinstance(arg.value, cst.Name)
            and arg.value.value in forwarded
            and arg.keyword.value == arg.value.value
        )
        for arg in call.args
    )


def _first_line(statement: cst.CSTNode) -> str:
    return code_of(statement).strip().splitlines()[0].rstrip(":")


# -- asked through the project index ---------------------------------------------------


def definition(index: SymbolTable, tracker: str) -> tuple[str, FunctionFacts] | None:
    """Where tracker ``tracker`` (an absolute name, through re-exports) is defined."""
    found = index.symbol(tracker)
    if found is None or found.kind != "function":
        return None
    return found.name, index.functions[found.name]


def extras(index: SymbolTable, tracker: str) -> tuple[str, ...] | None:
    """What the tracker does beyond a strong reference; None: its definition is not
    in the run (or not one the collector read as a tracker)."""
    found = definition(index, tracker)
    return None if found is None else found[1].tracker_extras


def users(index: SymbolTable, tracker: str) -> tuple[str, ...]:
    """The modules outside the tracker's own that import it, a function of its
    module, or the module itself (``import app.tasks``, ``from app import tasks``)."""
    found = definition(index, tracker)
    if found is None:
        return ("(its definition is not in this run)",)
    home = found[0].rpartition(".")[0]
    prefix = f"{home}."
    using = []
    for name, module in sorted(index.modules.items()):
        if name == home:
            continue
        targets = [target for _, target in module.imports]
        if home in module.star_imports or any(
            target == home or target.startswith(prefix) for target in targets
        ):
            using.append(module.path or name)
    return tuple(using)


def companion_names(index: SymbolTable) -> set[str]:
    """The functions of the modules defining a tracker: a file spelling one may use
    it, so its facts must be in the index before anyone says the module is unused."""
    homes = {
        name.rpartition(".")[0]
        for name, function in index.functions.items()
        if function.tracker_extras is not None
    }
    return {
        f"{home}.{function.name}"
        for home in homes
        if home in index.modules
        for function in index.modules[home].functions
    }
