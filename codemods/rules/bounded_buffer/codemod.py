"""TG004 bounded-buffer: an unbounded list buffer becomes a bounded deque, flushed
without holding the lock during I/O and without losing entries."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import PositionProvider

from codemods.cst.build import fresh_name
from codemods.cst.find import walk
from codemods.cst.imports import bound_module_name, ensure_import
from codemods.cst.names import names_used
from codemods.cst.place import insert_after_imports
from codemods.cst.scopes import ClassScope
from codemods.rules.bounded_buffer.code import BufferCode
from codemods.rules.bounded_buffer.drains import Drain
from codemods.rules.bounded_buffer.plan import Context, Plan, plan
from codemods.rules.bounded_buffer.rewrite import (
    add_methods,
    add_properties,
    list_of,
    parse_statements,
    replace_line,
    restructured,
)
from codemods.rules.bounded_buffer.seen import shapes
from codemods.rules.bounded_buffer.spec import SPEC
from codemods.rules.bounded_buffer.uses import collect_uses, declarations
from codemods.rules.codemod import CodemodContext, Environment
from codemods.rules.scope_tracking import ScopeTracking


class BoundedBuffer(ScopeTracking, spec=SPEC):
    """Bound a buffer and flush it without losing entries or dropping them silently.

    ## What it does
    Finds an instance attribute ``__init__`` sets to ``[]`` (``self.pending:
    list[T] = []``) or to a ``deque`` (``deque(maxlen=N)``), that the class appends
    to and that a flush method drains as a batch. Three flushes are recognised:

    - *under the lock*: ``batch = list(self.pending)`` and ``self.pending.clear()``
      (or ``batch, self.pending = self.pending, []``) inside ``async with
      self.<lock>:``, the write after them;
    - *cleared after the write*, as real code often has it, with or without a lock:
      a snapshot (or the buffer itself passed to the write), an ``await`` of the
      write, then ``self.pending.clear()`` or a rebinding (``self.pending = []``, or
      a deque like the declared one). Whatever is appended while the write awaits
      is lost; the batch is now taken and the buffer emptied before the first await.
    - *taken without a lock*: the batch taken and the buffer emptied at once (a copy
      and a clear, or a swap), then written: the write is guarded so that a failed
      batch goes back.

    The buffer becomes a ``collections.deque[T]`` with ``maxlen`` (a declared
    deque keeps its own; a list takes option ``maxlen``, default
    ``self.config.max_memory_entries``) next to a drop count and the time of the last
    warning. Appends go through a generated ``_append_...`` method. When every append
    holds the lock of a flush of the first kind, in an async method, it waits for
    room: at capacity it wakes the flusher (option ``flush-event``) and waits at most
    ``wait-timeout`` seconds; that flush writes outside the lock. Otherwise (a
    synchronous append, one outside the lock, no lock at all) an append cannot wait:
    at capacity the oldest entry is dropped. Either way a drop is counted and
    warned about at most once every ``warning-interval`` seconds, and a batch whose
    write fails goes back in front, in order, dropping (counted) only what no
    longer fits. Reads inside the class use the deque; other reads get a list copy
    through a read-only property with the old name, so code outside the class keeps
    working.

    ## Why is this bad?
    An unbounded buffer grows until the process runs out of memory when storage is
    slow or down. Clearing the buffer after an awaited write throws away every
    entry appended meanwhile. Writing while holding the lock stalls every producer
    for the whole I/O, and a flush that clears the buffer before a failed write
    loses the batch. A bare ``deque(maxlen=...)`` is no cure: it silently drops the
    oldest entries when full, and pushing a failed batch back in front silently
    drops the newest.

    ## Fix safety
    Unsafe: an append may now wait (bounded) when the buffer is full, releasing the
    lock meanwhile, so state read before the append in the same ``async with``
    block may have changed after it; a full buffer whose appends cannot wait drops
    (counted) instead of growing; the I/O of a flush under the lock no longer runs
    under it; and code in other modules that changes the attribute (rather than
    reading it) changes a copy. A buffer with other uses (indexing, slice
    assignment, sorting, passing it on), without a ``list[T]``/``deque[T]``
    annotation, or without a known capacity is reported and left alone, and so is a
    flush doing blocking I/O (``open()``, ``time.sleep()``, ``requests``...): the
    finding says which shape it saw. A list of callbacks or tasks, or one nothing
    takes a batch out of, is no buffer and is not reported.
    """

    def __init__(
        self, context: CodemodContext, environment: Environment | None = None
    ) -> None:
        super().__init__(context, environment)
        self.tree = cst.Module(body=[])
        self.modules: dict[str, str] = {}
        # The module's logger, once a buffer needs one (None: not looked for yet).
        self.logger: str | None = None
        self.needs_logger = False
        self.plans: dict[cst.ClassDef, list[Plan]] = {}
        self.to_deque: dict[cst.Attribute, str] = {}
        self.to_list: dict[cst.CSTNode, str] = {}
        self.to_batch: dict[cst.Attribute, str] = {}
        self.statements: dict[
            cst.SimpleStatementLine, tuple[str, BufferCode, Drain | None]
        ] = {}
        self.drains: dict[cst.FunctionDef, tuple[Drain, BufferCode]] = {}

    # -- deciding ----------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        self.tree = node
        for name in ("asyncio", "collections", "time", "logging"):
            self.modules[name] = bound_module_name(node, name) or name

    def _logger(self) -> str:
        """The module's logger, else a fresh name for one (worked out once, and only
        for a module with a buffer: finding a fresh name reads the whole tree)."""
        if self.logger is None:
            found = self._module_logger(self.tree)
            self.logger = (
                found
                if found is not None
                else fresh_name("logger", names_used(self.tree))
            )
        return self.logger

    def _module_logger(self, node: cst.Module) -> str | None:
        """The name of a top-level ``x = logging.getLogger(...)``, if any."""
        for statement in node.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            small = statement.body[0]
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Call)
                and "logging.getLogger" in self.qualified(small.value.func)
            ):
                return small.targets[0].target.value
        return None

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        super().visit_ClassDef(node)
        init = ClassScope(node).init
        if init is None:
            return
        buffers = declarations(init)
        if not buffers or not _awaits(node):
            # Not a buffer a write drains: a list like any other.
            return
        uses = collect_uses(self.tree, node, [b.name for b in buffers])
        context = Context(
            options={key: str(self.option(key)) for key in OPTION_NAMES},
            modules=self.modules,
            logger=self._logger(),
            line_length=self.settings.line_length,
            resolve=self.qualified,
            line_of=lambda n: self.get_metadata(PositionProvider, n).start.line,
            column_of=lambda n: self.get_metadata(PositionProvider, n).start.column,
            levels_of=lambda n: (
                self.get_metadata(PositionProvider, n).start.column
                // len(self.tree.default_indent)
            ),
        )
        claimed: set[str] = set()
        for buffer in buffers:
            buffer.uses = uses[buffer.name]
            decided = plan(buffer, node, init, context, claimed)
            if decided is not None and self._report(decided):
                self._register(node, decided)

    def _report(self, decided: Plan) -> bool:
        name = decided.buffer.name
        declaration = decided.buffer.declaration
        if decided.code is None:
            buffer = decided.buffer
            if buffer.constructor is not None and buffer.capacity is not None:
                # Already bounded, with uses TG004 does not rewrite (its own output is
                # such a buffer): what it does when full is its author's to say.
                return False
            reasons = "; ".join(dict.fromkeys(decided.problems))
            message = (
                f"`self.{name}` is an unbounded buffer, but TG004 cannot bound it: "
                f"{reasons}"
            )
            seen = shapes(decided.buffer)
            if seen:
                message = f"{message} (seen: {seen})"
            self.report(declaration, message, fixable=False)
            return False
        code = decided.code
        maxlen = code.maxlen if code.capacity is None else code.capacity
        if code.counting:
            message = (
                f"bound `self.{name}` (maxlen `{maxlen}`): a full buffer drops its "
                f"oldest entry, counted and warned ({decided.no_wait}, so appends "
                "cannot wait for room); the flush takes its batch before writing and "
                "puts a failed batch back"
            )
        else:
            message = (
                f"bound `self.{name}` (maxlen `{maxlen}`): appends wait for "
                "room, the flush writes outside the lock and puts a failed batch back"
            )
        seen = shapes(decided.buffer)
        if seen:
            message = f"{message} (seen: {seen})"
        return self.report(declaration, message, fixable=True)

    def _register(self, node: cst.ClassDef, decided: Plan) -> None:
        code = decided.code
        assert code is not None
        deque = code.names.deque
        self.plans.setdefault(node, []).append(decided)
        self.statements[decided.buffer.declaration] = ("declare", code, None)
        for statement in decided.appends:
            self.statements[statement] = ("append", code, None)
        self.to_deque.update((n, deque) for n in decided.to_deque)
        self.to_list.update((n, deque) for n in decided.to_list)
        self.to_batch.update(decided.to_batch)
        for drain in decided.buffer.drains:
            self.drains[drain.method] = (drain, code)
            if not drain.late:  # a late drain's reset moves (see `restructured`)
                self.statements[drain.reset] = ("reset", code, drain)
        if self._logger() != self._module_logger(self.tree):
            self.needs_logger = True

    # -- rewriting ---------------------------------------------------------------------

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if original_node in self.to_deque:
            return updated_node.with_changes(
                attr=cst.Name(self.to_deque[original_node])
            )
        if original_node in self.to_batch:
            return cst.Name(self.to_batch[original_node])
        return self._listed(original_node, updated_node)

    def leave_Call(
        self, original_node: cst.Call, updated_node: cst.Call
    ) -> cst.BaseExpression:
        return self._listed(original_node, updated_node)

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        return self._listed(original_node, updated_node)

    def _listed(
        self, original_node: cst.BaseExpression, updated_node: cst.BaseExpression
    ) -> cst.BaseExpression:
        """A use that needs a list (slicing, a list method) reads ``list(self.x)``."""
        if original_node in self.to_list:
            return list_of(self.to_list[original_node], original_node)
        return updated_node

    def leave_SimpleStatementLine(
        self,
        original_node: cst.SimpleStatementLine,
        updated_node: cst.SimpleStatementLine,
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if original_node not in self.statements:
            return updated_node
        action, code, drain = self.statements[original_node]
        deque = code.names.deque
        if action == "append":
            expression = updated_node.body[0]
            assert isinstance(expression, cst.Expr) and isinstance(
                expression.value, cst.Call
            )
            call = expression.value.with_changes(
                func=cst.Attribute(cst.Name("self"), cst.Name(code.names.append))
            )
            value = call if code.counting else cst.Await(call)
            return updated_node.with_changes(
                body=[expression.with_changes(value=value)]
            )
        if action == "declare":
            return replace_line(updated_node, code.init_statements(), self.tree)
        if drain is not None and drain.swap:
            text = f"{drain.batch} = list(self.{deque})\nself.{deque}.clear()\n"
            return replace_line(updated_node, text, self.tree)
        return replace_line(updated_node, f"self.{deque}.clear()\n", self.tree)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        super().leave_FunctionDef(original_node, updated_node)
        if original_node not in self.drains:
            return updated_node
        drain, code = self.drains[original_node]
        return restructured(original_node, updated_node, drain, code, self.tree)

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        super().leave_ClassDef(original_node, updated_node)
        codes = []
        for decided in self.plans.get(original_node, []):
            assert decided.code is not None
            codes.append(decided.code)
            drains = decided.buffer.drains
            updated_node = add_methods(updated_node, decided.code, drains, self.tree)
        return add_properties(updated_node, codes, self.tree)

    def leave_Module(
        self, original_node: cst.Module, updated_node: cst.Module
    ) -> cst.Module:
        if not self.plans:
            return updated_node
        module = updated_node
        codes = [p.code for plans in self.plans.values() for p in plans if p.code]
        needed = ["time"]
        if any(not c.container for c in codes):
            needed.append("collections")
        if any(not c.counting for c in codes):
            needed.append("asyncio")
        for name in (n for n in ("collections", "time", "asyncio") if n in needed):
            module, _ = ensure_import(module, name, self.settings.import_order)
        if self.needs_logger:
            module, logging = ensure_import(
                module, "logging", self.settings.import_order
            )
            text = f"{self.logger} = {logging}.getLogger(__name__)\n"
            module = insert_after_imports(module, parse_statements(text, module)[0])
        return module


OPTION_NAMES = ("maxlen", "wait-timeout", "warning-interval", "flush-event", "wake-at")


def _awaits(node: cst.ClassDef) -> bool:
    """Whether ``node`` awaits anywhere (a drain's write does)."""
    return bool(
        walk(
            node,
            lambda n: (
                isinstance(n, cst.Await)
                or (isinstance(n, cst.With) and n.asynchronous is not None)
            ),
        )
    )
