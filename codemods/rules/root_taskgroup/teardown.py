"""Which statements of an entry point's shutdown code TG007 runs after the root
TaskGroup has exited: the *release tail*.

The shutdown code is the ``finally`` of the entry point's last statement when that is
a ``try``, else the statements after its last ``yield`` (a lifespan) or, in ``async def
main()``, those after an awaited call not given the TaskGroup (what it serves or
waits for: ``await server.serve()``). Its tail is the longest run of statements, at its end, that
each release something the root's tasks may still use, and none stops them:

- ``x.close()``, ``await x.aclose()``, ``x.dispose()``, ``await x.disconnect()``
  on a name that is not *of the root* (a verb may start the name: ``close_all()``);
- a function named for one of those verbs (``await dispose_engine()``), unless its
  module also defines a function the entry point gave the TaskGroup (``close_monitor()``
  beside ``get_monitor(tg=tg)`` stops what runs in the root);
- a function of the legacy tracker's module (``await cancel_all_tasks(5)``: it cancels
  the tracker's fallback tasks, which are not in the root);
- a log line (``logger.info(...)``, ``logging.info(...)``, ``print(...)``).

A name is *of the root* when it was given the TaskGroup or a call given it returned
it (``feed = Feed(tg=tg)``), it was started with it (``await poller.start(tg=tg)``),
it was passed to such a call (a stop event or queue a worker waits on), or it was
assigned from one of those. No statement of the tail may use one. Everything before
the tail stays in the group: it stops the root's work, and the drain deadline is set
right after it.

The tail then runs where it ran before, and only then: a flag set where it started
guards it, in a ``finally`` after the group, so names it uses are bound exactly as
before. An entry point whose nested functions rebind its names (``nonlocal``) keeps
its shutdown code in the group: background tasks could change what the tail reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from codemods.cst.names import identifiers, local_bindings, parameter_names
from codemods.cst.walk import visit

# Not `release` (a lock a task may wait on), nor `stop`/`shutdown`/`cancel` (they stop).
RELEASE_VERBS = frozenset({"close", "aclose", "dispose", "disconnect"})
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
)


@dataclass(frozen=True)
class Teardown:
    """Where an entry point's shutdown code splits."""

    # The tail is in the `finally` of the body's last statement (else in the body).
    in_finally: bool
    # Where the tail starts in that block's statements; it runs to the end.
    start: int
    # How many statements it has.
    moved: int
    # The timeout the legacy tracker's cancel function is given in the tail, if its
    # names are bound wherever the tail starts.
    legacy_timeout: cst.BaseExpression | None
    # The function the legacy timeout is given to (`cancel_all_tasks`), for the page.
    legacy_function: str | None


@dataclass(frozen=True)
class Calls:
    """What the codemod knows of calls: their absolute names, and whether a function
    is one of the legacy tracker's module."""

    qualified: Callable[[cst.CSTNode], set[str]]
    of_tracker_module: Callable[[str], bool]
    module_name: str


def release_tail(
    own: Sequence[cst.BaseStatement],
    function: cst.FunctionDef,
    accepting: Sequence[cst.Call],
    calls: Calls,
) -> Teardown | str | None:
    """The split of ``function``'s shutdown code (``own``: its body without its
    docstring); None: nothing to move; a string: why it cannot move."""
    if not own:
        return None
    last = own[-1]
    yields = [i for i, s in enumerate(own) if any(_yields_in(s))]
    # `main()`'s body, flat: its tail must follow what it serves or waits for.
    served = False
    if isinstance(last, cst.Try) and last.finalbody is not None:
        in_finally = True
        block = list(last.finalbody.body.body)
        earliest = 0
    else:
        in_finally = False
        block = list(own)
        served = not yields
        earliest = yields[-1] + 1 if yields else 1
    roots = _root_names(function, accepting)
    busy = _modules_given_the_group(accepting, calls)
    start = len(block)
    while start > earliest and _releases(block[start - 1], roots, busy, calls):
        start -= 1
    if start == len(block):
        return None
    if served and not _waits(block[start - 1], accepting):
        return None
    if _rebinds_from_nested_functions(function):
        return "a nested function rebinds its names (`nonlocal`)"
    unsure = _unsure_names(function, own[:-1] if in_finally else own[:start])
    timeout, called = _legacy_timeout(block[start:], unsure, calls)
    return Teardown(in_finally, start, len(block) - start, timeout, called)


def _releases(
    statement: cst.CSTNode, roots: set[str], busy: set[str], calls: Calls
) -> bool:
    call = _called(statement)
    if call is None or not identifiers(call).isdisjoint(roots):
        return False
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        verb = func.attr.value
        if verb in LOG_METHODS:
            return True  # a logger, or `logging` itself
        if _verb(verb) in RELEASE_VERBS and not calls.qualified(func):
            return True  # a method of a value, not a module's function
    if isinstance(func, cst.Name) and func.value == "print":
        return True
    for name in _names_of(func, calls):
        module, _, function = name.rpartition(".")
        if calls.of_tracker_module(name):
            return True
        if _verb(function) in RELEASE_VERBS and module not in busy:
            return True
    return False


def _waits(statement: cst.CSTNode, accepting: Sequence[cst.Call]) -> bool:
    """Whether ``statement`` awaits a call not given the TaskGroup (``await
    server.serve()``, ``await stop.wait()``): what ``main()`` runs until shutdown."""
    found = _statement_call(statement)
    return (
        found is not None
        and found[1]
        and all(found[0] is not given for given in accepting)
    )


def _called(statement: cst.CSTNode) -> cst.Call | None:
    """The call ``statement`` is, awaited or not."""
    found = _statement_call(statement)
    return None if found is None else found[0]


def _statement_call(statement: cst.CSTNode) -> tuple[cst.Call, bool] | None:
    """The call ``statement`` is, and whether it is awaited."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    expression = statement.body[0]
    if not isinstance(expression, cst.Expr):
        return None
    value = expression.value
    awaited = isinstance(value, cst.Await)
    if isinstance(value, cst.Await):
        value = value.expression
    return (value, awaited) if isinstance(value, cst.Call) else None


def _verb(name: str) -> str:
    """``dispose`` for ``dispose_engine``."""
    return name.lstrip("_").partition("_")[0]


def _names_of(func: cst.BaseExpression, calls: Calls) -> set[str]:
    """The absolute names of a called function: imported, or this module's own."""
    found = calls.qualified(func)
    if not found and isinstance(func, cst.Name):
        found = {f"{calls.module_name}.{func.value}"}
    return found


def _modules_given_the_group(accepting: Sequence[cst.Call], calls: Calls) -> set[str]:
    """The modules of the functions the entry point gives the TaskGroup: their other
    functions may stop what those started (a class, named in CapWords, keeps what it
    starts in its instances: its module stays free)."""
    return {
        module
        for call in accepting
        for module, _, name in (n.rpartition(".") for n in _names_of(call.func, calls))
        if not name[:1].isupper()
    }


def _root_names(function: cst.FunctionDef, accepting: Sequence[cst.Call]) -> set[str]:
    """The names of the entry point that are of the root (see the module's page)."""
    roots: set[str] = set()
    for call in accepting:
        if isinstance(call.func, cst.Attribute) and isinstance(
            call.func.value, cst.Name
        ):
            roots.add(call.func.value.value)
        roots |= {
            arg.value.value for arg in call.args if isinstance(arg.value, cst.Name)
        }
    given = {id(call) for call in accepting}
    # Each binding's name, and the names its value reads.
    reads: list[tuple[str, set[str]]] = []
    for name, node, value in local_bindings(function):
        source = value if value is not None else node
        if any(id(call) in given for call in _calls_in(source)):
            roots.add(name)  # a call given the TaskGroup returned it
        reads.append((name, identifiers(source)))
    grew = True
    while grew:
        grew = False
        for name, names in reads:
            if name not in roots and not names.isdisjoint(roots):
                roots.add(name)
                grew = True
    return roots


def _calls_in(node: cst.CSTNode) -> Iterator[cst.Call]:
    if isinstance(node, cst.Call):
        yield node
    for child in node.children:
        yield from _calls_in(child)


def _yields_in(node: cst.CSTNode) -> Iterator[cst.Yield]:
    """The ``yield`` expressions of ``node``'s own code (not of nested functions)."""
    if isinstance(node, cst.Yield):
        yield node
    for child in node.children:
        if not isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            yield from _yields_in(child)


def _rebinds_from_nested_functions(function: cst.FunctionDef) -> bool:
    found: list[cst.Nonlocal] = []

    class _Collect(cst.CSTVisitor):
        def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
            found.append(node)

    visit(function.body, _Collect())
    return bool(found)


def _unsure_names(
    function: cst.FunctionDef, before: Sequence[cst.BaseStatement]
) -> set[str]:
    """The entry point's own names that may be unbound once ``before`` (top-level
    statements) has run: all but its parameters and what ``before`` plainly assigns."""
    bindings = local_bindings(function)
    smalls = {
        id(small)
        for statement in before
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
        if isinstance(small, (cst.Assign, cst.AnnAssign))
    }
    assigned = {name for name, node, _ in bindings if id(node) in smalls}
    local = {name for name, _, _ in bindings}
    return local - assigned - set(parameter_names(function))


def _legacy_timeout(
    tail: Sequence[cst.CSTNode], unsure: set[str], calls: Calls
) -> tuple[cst.BaseExpression | None, str | None]:
    """The timeout the tail gives the legacy tracker's cancel function, if only names
    and attributes spell it and those names are bound where the tail starts."""
    for statement in tail:
        call = _called(statement)
        if call is None:
            continue
        names = [n for n in _names_of(call.func, calls) if calls.of_tracker_module(n)]
        if not names:
            continue
        function = names[0].rpartition(".")[2]
        timeout = _timeout_argument(call, function)
        if timeout is None or not _plain(timeout):
            continue
        if not identifiers(timeout).isdisjoint(unsure):
            continue
        return timeout, function
    return None, None


def _timeout_argument(call: cst.Call, function: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and "timeout" in arg.keyword.value:
            return arg.value
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if len(call.args) == 1 and positional and _verb(function) == "cancel":
        return positional[0].value
    return None


def _plain(expression: cst.BaseExpression) -> bool:
    """Names, attributes, numbers and arithmetic: evaluating it twice changes nothing."""
    if isinstance(expression, (cst.Name, cst.Integer, cst.Float)):
        return True
    if isinstance(expression, cst.Attribute):
        return _plain(expression.value)
    if isinstance(expression, cst.BinaryOperation):
        return _plain(expression.left) and _plain(expression.right)
    return False
