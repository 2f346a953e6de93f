"""TG005's FastAPI part: ``Depends(f)`` of a function that gains a TaskGroup points at
a wrapper dependency that passes it the root (``analysis/dependencies.py`` says which
functions, and that every piece can be written).

In ``f``'s module the wrapper goes right after ``f`` (with ``get_task_group`` before
it, unless the module has it already or imports it from the run's one module defining
it, ``analysis/dependency_home.py``); in every module, ``Depends(f)`` becomes
``Depends(f_dependency)``, and the import of ``f`` becomes (or gains) the wrapper's.
"""

from __future__ import annotations

import libcst as cst

from codemods.analysis.dependencies import DependencyWrapper
from codemods.analysis.facts import Ref
from codemods.cst.build import code_of, parse_statement
from codemods.cst.fastapi import (
    DEPENDENCY,
    DEPENDENCY_IMPORTS,
    DEPENDS,
    WRAPPER_CODE,
    defines,
    definition,
    with_definition,
    with_fastapi_imports,
    with_imported_dependency,
    with_task_group_dependency,
)
from codemods.cst.import_order import width, wrapped
from codemods.cst.imports import ensure_import
from codemods.cst.names import dotted, names_used
from codemods.cst.walk import visit
from codemods.rules.indexed import IndexedCodemod


def repoint_message(wrapper: DependencyWrapper, name: str) -> str:
    return (
        f"point `Depends({name})` at `{wrapper.name}()`, the dependency that passes "
        f"`{name}()` the root TaskGroup, which it now takes"
    )


def wrapper_message(wrapper: DependencyWrapper, name: str, note: str = "") -> str:
    return (
        f"write the dependency `{wrapper.name}()` next to `{name}()`: FastAPI gives it "
        f"the root TaskGroup (`Depends({DEPENDENCY})`), and it passes it on; "
        f"`Depends({name})` points at it ({', '.join(wrapper.places)}){note}"
    )


class DependencyWrappers:
    """What TG005 writes for the dependencies of one module."""

    def __init__(self, codemod: IndexedCodemod) -> None:
        self.codemod = codemod
        # Names imported from another module whose `Depends(name)` now names the
        # wrapper: the import gives the wrapper too (instead, when nothing else uses
        # the name).
        self.imported: dict[str, str] = {}
        # Functions of this module given a wrapper, by name.
        self.wrapped: dict[str, DependencyWrapper] = {}

    def repoint(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        """``Depends(wrapper)`` for ``Depends(f)``, when ``f`` gains a TaskGroup."""
        codemod = self.codemod
        if not codemod.qualified(original.func) & DEPENDS or len(original.args) != 1:
            return updated
        argument = original.args[0]
        spelled = dotted(argument.value)
        names = codemod.names
        if argument.keyword is not None or argument.star or spelled is None:
            return updated
        target = None if names is None else names.absolute(spelled)
        if target is None:
            return updated
        wrapper = codemod.index.dependency_wrapper(target)
        name = target.rpartition(".")[2]
        if wrapper is None or spelled.rpartition(".")[2] != name:
            return updated  # (the index gives no wrapper where an alias names `f`)
        parameter = codemod.index.taskgroup_parameter(Ref.value(target))
        group = None if parameter is None else parameter.group
        if not codemod.report(
            original, repoint_message(wrapper, name), fixable=True, group=group
        ):
            return updated
        value = argument.value
        if isinstance(value, cst.Attribute):
            renamed: cst.BaseExpression = value.with_changes(
                attr=cst.Name(wrapper.name)
            )
        else:
            renamed = cst.Name(wrapper.name)
            if wrapper.module != codemod.module_qualifier:
                self.imported[spelled] = wrapper.name
        return updated.with_changes(args=[argument.with_changes(value=renamed)])

    def note_function(self, node: cst.FunctionDef) -> None:
        """Whether module-level ``node`` (as read) gets a wrapper written after it."""
        codemod = self.codemod
        target = f"{codemod.module_qualifier}.{node.name.value}"
        wrapper = codemod.index.dependency_wrapper(target)
        if wrapper is None or node.returns is None:
            return
        parameter = codemod.index.taskgroup_parameter(Ref.value(target))
        group = None if parameter is None else parameter.group
        home = codemod.index.task_group_dependency()
        note = home.note(codemod.module_qualifier)
        message = wrapper_message(wrapper, node.name.value, note)
        if codemod.report(node, message, fixable=True, group=group):
            self.wrapped[node.name.value] = wrapper

    def write(self, module: cst.Module) -> cst.Module:
        """``module`` with the wrappers and the imports the repointing needs."""
        settings = self.codemod.settings
        if self.imported:
            width = settings.import_order.line_length or settings.line_length
            module = _import_wrappers(module, self.imported, width)
        if not self.wrapped:
            return module
        module, aio = ensure_import(module, "asyncio", settings.import_order)
        param = settings.taskgroup_param
        home = self.codemod.index.task_group_dependency()
        imported = home.imported_by(self.codemod.module_qualifier)
        if defines(module, DEPENDENCY):
            imported = None  # (its own, before the wrappers)
        for name, wrapper in self.wrapped.items():
            at = definition(module, name)
            assert at is not None
            function = module.body[at]
            assert isinstance(function, cst.FunctionDef)
            assert function.returns is not None
            if imported is None:
                module, at = with_task_group_dependency(module, at + 1, aio)
            else:
                at += 1
            asynchronous = function.asynchronous is not None
            code = WRAPPER_CODE.format(
                prefix="async " if asynchronous else "",
                wrapper=wrapper.name,
                param=param,
                aio=aio,
                dependency=DEPENDENCY,
                returns=code_of(function.returns.annotation),
                name=name,
                awaiting="await " if asynchronous else "",
            )
            module = with_definition(module, at, parse_statement(code, module))
        if imported is not None:
            return with_imported_dependency(module, imported, settings)
        return with_fastapi_imports(module, DEPENDENCY_IMPORTS, settings)


def _import_wrappers(
    module: cst.Module, imported: dict[str, str], line_length: int
) -> cst.Module:
    """Each ``from m import f`` whose ``Depends(f)`` now names ``wrapper`` imports
    ``wrapper`` instead, or also when the module still uses ``f``."""
    still_used = set().union(
        *(names_used(statement) for statement in module.body if not _imports(statement))
    )

    class _Imports(cst.CSTTransformer):
        def leave_ImportFrom(
            self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
        ) -> cst.ImportFrom:
            if isinstance(updated_node.names, cst.ImportStar):
                return updated_node
            aliases: list[cst.ImportAlias] = []
            for alias in updated_node.names:
                name = code_of(alias.name)
                wrapper = imported.get(name) if alias.asname is None else None
                if wrapper is None:
                    aliases.append(alias)
                    continue
                if name in still_used:
                    aliases.append(alias)
                aliases.append(alias.with_changes(name=cst.Name(wrapper)))
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            names = [
                a.with_changes(comma=comma)
                if isinstance(a.comma, cst.MaybeSentinel)
                else a
                for a in aliases[:-1]
            ]
            last = aliases[-1].with_changes(comma=updated_node.names[-1].comma)
            return updated_node.with_changes(names=[*names, last])

    body = [
        _fitting(module, visit(statement, _Imports()), line_length)
        if _imports(statement)
        else statement
        for statement in module.body
    ]
    return module.with_changes(body=body)


def _fitting(
    module: cst.Module, statement: object, line_length: int
) -> cst.BaseStatement:
    """``statement``, wrapped as isort wraps it once a longer name no longer fits."""
    assert isinstance(statement, cst.SimpleStatementLine)
    small = statement.body[0]
    if (
        len(statement.body) != 1
        or not isinstance(small, cst.ImportFrom)
        or small.module is None
        or small.lpar is not None
        or isinstance(small.names, cst.ImportStar)
        or width(module, statement) <= line_length
    ):
        return statement
    return wrapped(module, statement, small)


def _imports(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(
        isinstance(small, cst.ImportFrom) for small in statement.body
    )
