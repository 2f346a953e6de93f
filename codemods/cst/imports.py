"""Adding imports where isort would put them, and finding the names modules are bound to."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import libcst as cst

from codemods.core.settings import ImportOrder
from codemods.cst.build import code_of
from codemods.cst.find import is_docstring
from codemods.cst.import_order import statement_key, width, with_member, wrapped

DEFAULT_ORDER = ImportOrder()


def _top_modules(statement: cst.BaseStatement) -> list[tuple[str, bool]]:
    """(module, is_plain_import) of an import statement; [] for anything else."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    found: list[tuple[str, bool]] = []
    for small in statement.body:
        if isinstance(small, cst.Import):
            found.extend((code_of(alias.name), True) for alias in small.names)
        elif isinstance(small, cst.ImportFrom):
            if small.relative or small.module is None:
                found.append((".", False))
            else:
                found.append((code_of(small.module), False))
        else:
            return []
    return found


def _is_stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def bound_module_name(module: cst.Module, name: str) -> str | None:
    """The name under which a top-level ``import name [as x]`` binds ``name``."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if code_of(alias.name) == name:
                        if alias.asname is None:
                            return name
                        return code_of(alias.asname.name)
    return None


def ensure_import(
    module: cst.Module, name: str, order: ImportOrder = DEFAULT_ORDER
) -> tuple[cst.Module, str]:
    """``module`` with ``import name`` (added in isort's place if missing), and the name
    the module is bound to."""
    bound = bound_module_name(module, name)
    if bound is not None:
        return module, bound
    new = cst.parse_statement(f"import {name}", module.config_for_parsing)
    wanted = statement_key(name, True, None, order)
    return _insert_import(module, new, wanted, order), name


def bound_from_import(module: cst.Module, source: str, name: str) -> str | None:
    """How top-level code can refer to ``source.name`` without a new import, if it can."""
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and not small.relative
                and code_of(small.module) == source
                and not isinstance(small.names, cst.ImportStar)
            ):
                for alias in small.names:
                    if code_of(alias.name) == name:
                        if alias.asname is None:
                            return name
                        return code_of(alias.asname.name)
    bound = bound_module_name(module, source)
    return None if bound is None else f"{bound}.{name}"


def ensure_from_import(
    module: cst.Module,
    source: str,
    name: str,
    *,
    line_length: int = 88,
    order: ImportOrder = DEFAULT_ORDER,
    project: bool = False,
) -> tuple[cst.Module, str]:
    """``module`` with ``name`` importable from stdlib ``source`` (with ``project``: a
    module of the project); the name to use.

    A missing name joins the top ``from source import ...`` statement if there is
    one (and the project's ``order`` does not want a line a name), in its order,
    wrapped as isort wraps it when it no longer fits in ``line_length``; else a new
    statement goes where isort would put it.
    """
    bound = bound_from_import(module, source, name)
    if bound is not None:
        return module, bound
    if not order.force_single_line or source in order.single_line_exclusions:
        width = line_length if order.line_length is None else order.line_length
        merged = _merge_into_from_import(module, source, name, width, order)
        if merged is not None:
            return merged, name
    new = cst.parse_statement(f"from {source} import {name}", module.config_for_parsing)
    wanted = statement_key(source, False, name, order)
    if project:
        return _insert_project_import(module, new, wanted, order), name
    return _insert_import(module, new, wanted, order), name


def _merge_into_from_import(
    module: cst.Module,
    source: str,
    name: str,
    line_length: int,
    order: ImportOrder,
) -> cst.Module | None:
    body = list(module.body)
    start, end = _import_block(body)
    for index in range(start, end):
        statement = body[index]
        assert isinstance(statement, cst.SimpleStatementLine)
        small = statement.body[0]
        if (
            len(statement.body) == 1
            and isinstance(small, cst.ImportFrom)
            and not small.relative
            and small.module is not None
            and code_of(small.module) == source
            and not isinstance(small.names, cst.ImportStar)
        ):
            # One name in parentheses gives no separator to copy: laid out anew,
            # unless that would drop a comment.
            alone = small.lpar is not None and len(small.names) == 1
            if alone and "#" in module.code_for_node(statement):
                return None
            merged = with_member(small, name, order)
            line = statement.with_changes(body=[merged])
            if alone or (small.lpar is None and width(module, line) > line_length):
                line = wrapped(module, line, merged)
            body[index] = line
            return module.with_changes(body=body)
    return None


def _import_block(body: Sequence[cst.BaseStatement]) -> tuple[int, int]:
    """The top import statements of ``body`` after its docstring and ``__future__``
    imports, as a range."""
    start = 0
    if body and is_docstring(body[0]):
        start = 1
    while start < len(body) and any(
        mod == "__future__" for mod, _ in _top_modules(body[start])
    ):
        start += 1
    end = start
    while end < len(body) and _top_modules(body[end]):
        end += 1
    return start, end


def _insert_import(
    module: cst.Module,
    new: cst.BaseStatement,
    wanted: tuple[object, ...],
    order: ImportOrder,
) -> cst.Module:
    """``module`` with the import ``new``, whose ``statement_key`` is ``wanted``,
    before the first standard-library import sorting after it."""
    body: list[cst.BaseStatement] = list(module.body)
    start, end = _import_block(body)

    def key(index: int) -> tuple[object, ...]:
        mod, is_plain = _top_modules(body[index])[0]
        return statement_key(mod, is_plain, _first_member(body[index]), order)

    stdlib = [
        i
        for i in range(start, end)
        if all(_is_stdlib(m) for m, _ in _top_modules(body[i]))
    ]
    after = [i for i in stdlib if key(i) > wanted]
    if after:
        return _insert_before(module, body, after[0], new)
    if stdlib:
        return _insert_after(module, body, stdlib[-1], new)
    if start < end:
        # No standard-library section yet: a new one, before the first import.
        first = body[start]
        assert isinstance(first, cst.SimpleStatementLine)
        body[start] = first.with_changes(leading_lines=[cst.EmptyLine()])
        body.insert(start, _with_leading(new, first.leading_lines))
        return module.with_changes(body=body)
    # No imports at all: after the docstring / __future__ imports, set off by blank lines.
    leading = [cst.EmptyLine()] if start > 0 else []
    if start < len(body):
        following = body[start]
        if isinstance(following, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            if not following.leading_lines:
                blank = [cst.EmptyLine()] * _lines_after_imports(following, order)
                body[start] = following.with_changes(leading_lines=blank)
    body.insert(start, _with_leading(new, leading))
    return module.with_changes(body=body)


def _insert_project_import(
    module: cst.Module,
    new: cst.BaseStatement,
    wanted: tuple[object, ...],
    order: ImportOrder,
) -> cst.Module:
    """``module`` with ``new``, an import from the project: among the imports of its
    package (sorted), else as a section of its own after the absolute imports, where
    isort puts a first-party import."""
    body: list[cst.BaseStatement] = list(module.body)
    start, end = _import_block(body)
    if start == end:
        return _insert_import(module, new, wanted, order)
    package = _top_modules(new)[0][0].split(".")[0]
    ours = [
        i
        for i in range(start, end)
        if all(m.split(".")[0] == package for m, _ in _top_modules(body[i]))
    ]
    if ours:
        after = [i for i in ours if _key(body[i], order) > wanted]
        if after:
            return _insert_before(module, body, after[0], new)
        return _insert_after(module, body, ours[-1], new)
    relative = [i for i in range(start, end) if (".", False) in _top_modules(body[i])]
    blank = [cst.EmptyLine()]
    if relative:
        # Before the package-relative section, set off from it by a blank line.
        first = body[relative[0]]
        assert isinstance(first, cst.SimpleStatementLine)
        body[relative[0]] = first.with_changes(leading_lines=blank)
        body.insert(relative[0], _with_leading(new, first.leading_lines))
        return module.with_changes(body=body)
    body.insert(end, _with_leading(new, blank))
    return module.with_changes(body=body)


def _lines_after_imports(following: cst.BaseStatement, order: ImportOrder) -> int:
    """The blank lines isort leaves between the imports and ``following``."""
    if order.lines_after_imports >= 0:
        return order.lines_after_imports
    return 2 if isinstance(following, (cst.FunctionDef, cst.ClassDef)) else 1


def _key(statement: cst.BaseStatement, order: ImportOrder) -> tuple[object, ...]:
    mod, is_plain = _top_modules(statement)[0]
    return statement_key(mod, is_plain, _first_member(statement), order)


def _first_member(statement: cst.BaseStatement) -> str | None:
    """The first name a ``from`` import statement imports (None: another import)."""
    assert isinstance(statement, cst.SimpleStatementLine)
    small = statement.body[0]
    if isinstance(small, cst.ImportFrom) and not isinstance(
        small.names, cst.ImportStar
    ):
        return code_of(small.names[0].name)
    return None


def _with_leading(
    statement: cst.BaseStatement, leading: Sequence[cst.EmptyLine]
) -> cst.BaseStatement:
    assert isinstance(statement, cst.SimpleStatementLine)
    return statement.with_changes(leading_lines=list(leading))


def _insert_before(
    module: cst.Module,
    body: list[cst.BaseStatement],
    index: int,
    new: cst.BaseStatement,
) -> cst.Module:
    current = body[index]
    assert isinstance(current, cst.SimpleStatementLine)
    body[index] = current.with_changes(leading_lines=[])
    body.insert(index, _with_leading(new, current.leading_lines))
    return module.with_changes(body=body)


def _insert_after(
    module: cst.Module,
    body: list[cst.BaseStatement],
    index: int,
    new: cst.BaseStatement,
) -> cst.Module:
    body.insert(index + 1, _with_leading(new, []))
    return module.with_changes(body=body)
