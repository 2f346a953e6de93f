"""The names a module binds at top level, and the absolute names they stand for.

Type resolution reads annotations (also quoted ones) and call targets by spelling, so it
uses this table rather than LibCST's scope analysis: ``from .audit import Trail as T``
makes ``T.start`` mean ``pkg.audit.Trail.start``. Imports inside top-level ``if`` and
``try`` blocks count (``if TYPE_CHECKING:``, import fallbacks); a name bound to two
different things is ambiguous and resolves to nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst

from codemods.cst.build import code_of

AMBIGUOUS = ""


def relative_base(level: int, module_name: str, is_package: bool) -> list[str]:
    """The package a relative import of ``level`` dots starts from."""
    parts = module_name.split(".")
    if not is_package:
        parts = parts[:-1]
    return parts[: len(parts) - (level - 1)] if level > 1 else parts


def top_level_statements(
    body: Sequence[cst.BaseStatement],
) -> Iterator[cst.BaseStatement]:
    """Statements of a module body, descending into ``if``/``try`` blocks."""
    for statement in body:
        yield statement
        blocks: list[cst.BaseSuite] = []
        if isinstance(statement, cst.If):
            blocks.append(statement.body)
            orelse = statement.orelse
            while orelse is not None:
                blocks.append(orelse.body)
                orelse = orelse.orelse if isinstance(orelse, cst.If) else None
        elif isinstance(statement, cst.Try):
            blocks.append(statement.body)
            blocks.extend(handler.body for handler in statement.handlers)
            if statement.orelse is not None:
                blocks.append(statement.orelse.body)
        for block in blocks:
            if isinstance(block, cst.IndentedBlock):
                yield from top_level_statements(block.body)


class ModuleNames:
    """Top-level bindings of one module: imports, definitions and assignments."""

    def __init__(self, module: cst.Module, module_name: str, is_package: bool) -> None:
        self.module_name = module_name
        self.is_package = is_package
        self.imports: dict[str, str] = {}
        self.stars: list[str] = []
        self.defined: set[str] = set()
        for statement in top_level_statements(module.body):
            self._take(statement)

    def _bind(self, table: dict[str, str], name: str, target: str) -> None:
        table[name] = target if table.get(name, target) == target else AMBIGUOUS

    def _take(self, statement: cst.BaseStatement) -> None:
        if isinstance(statement, (cst.ClassDef, cst.FunctionDef)):
            self.defined.add(statement.name.value)
            return
        if not isinstance(statement, cst.SimpleStatementLine):
            return
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    dotted_name = code_of(alias.name)
                    if alias.asname is not None:
                        self._bind(
                            self.imports, alias.evaluated_alias or "", dotted_name
                        )
                    else:
                        head = dotted_name.split(".")[0]
                        self._bind(self.imports, head, head)
            elif isinstance(small, cst.ImportFrom):
                self._take_from(small)
            elif isinstance(small, (cst.Assign, cst.AnnAssign)):
                targets = (
                    [t.target for t in small.targets]
                    if isinstance(small, cst.Assign)
                    else [small.target]
                )
                self.defined.update(t.value for t in targets if isinstance(t, cst.Name))

    def _take_from(self, node: cst.ImportFrom) -> None:
        source = self.source_of(node)
        if source is None:
            return
        if isinstance(node.names, cst.ImportStar):
            self.stars.append(source)
            return
        for alias in node.names:
            name = alias.evaluated_name
            bound = alias.evaluated_alias or name
            self._bind(self.imports, bound, f"{source}.{name}" if source else name)

    def source_of(self, node: cst.ImportFrom) -> str | None:
        """The absolute module ``from ... import`` reads from."""
        module = "" if node.module is None else code_of(node.module)
        level = len(node.relative)
        if level == 0:
            return module
        base = relative_base(level, self.module_name, self.is_package)
        joined = ".".join([*base, module] if module else base)
        return joined or None

    def absolute(self, dotted_name: str) -> str | None:
        """The absolute name ``dotted_name`` (``T.start``) means at top level."""
        head, _, rest = dotted_name.partition(".")
        if head in self.imports:
            target = self.imports[head]
            if target == AMBIGUOUS:
                return None
        elif head in self.defined or self.stars:
            # A star-imported name is looked up through the module by the index.
            target = f"{self.module_name}.{head}"
        else:
            return None
        return f"{target}.{rest}" if rest else target
