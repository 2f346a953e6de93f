"""TG004: blocking I/O in a flush (a file written, a process run, a request sent
without ``await``). It stalls the event loop, and under the buffer's lock every
producer with it; moving it is a decision for a person, so it is reported."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.cst.build import code_of
from codemods.cst.find import walk
from codemods.cst.qualified import QualifiedNamesOf

BLOCKING_MODULES = ("requests.", "urllib.request.", "shutil.", "sqlite3.", "socket.")
BLOCKING = frozenset(
    {"time.sleep", "os.fsync", "os.write", "os.read", "json.dump", "pickle.dump"}
    | {"subprocess.run", "subprocess.call", "subprocess.check_call"}
    | {"subprocess.check_output", "io.open"}
)


def blocking_call(
    statements: Sequence[cst.CSTNode], resolve: QualifiedNamesOf
) -> cst.Call | None:
    """The first call in ``statements`` that blocks the event loop (not in a nested
    function, whose body runs elsewhere, e.g. in ``asyncio.to_thread``)."""
    for statement in statements:
        for call, ancestors in walk(statement, lambda n: isinstance(n, cst.Call)):
            assert isinstance(call, cst.Call)
            if any(isinstance(a, (cst.FunctionDef, cst.Lambda)) for a in ancestors):
                continue
            if _blocks(call, resolve):
                return call
    return None


def _blocks(call: cst.Call, resolve: QualifiedNamesOf) -> bool:
    names = resolve(call.func)
    if isinstance(call.func, cst.Name) and call.func.value == "open" and not names:
        return True  # the builtin (an import of another `open` would resolve)
    return any(n in BLOCKING or n.startswith(BLOCKING_MODULES) for n in names)


def blocking_problem(call: cst.Call, lock: str | None, line: int) -> str:
    where = "" if lock is None else f" under `self.{lock}`"
    stalled = "the event loop" if lock is None else "the event loop and every producer"
    return (
        f"its flush does blocking I/O{where} (`{code_of(call.func)}()`, line {line}), "
        f"stalling {stalled}: make the write awaitable (e.g. `await "
        "asyncio.to_thread(...)`) first"
    )
