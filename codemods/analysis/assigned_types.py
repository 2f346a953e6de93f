"""The types a module's facts give its names: a top-level class's attributes and the
module's variables, where every annotation or assignment agrees (see ``inference``)."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from codemods.analysis.facts import Ref
from codemods.analysis.inference import FunctionTypes, annotation_ref
from codemods.cst.module_names import ModuleNames, top_level_statements
from codemods.cst.names import LocalBindings, is_none
from codemods.cst.statements import self_assignments, small_statements


def class_attributes(
    body: Iterable[cst.BaseStatement],
    methods: Iterable[cst.FunctionDef],
    owner: str,
    names: ModuleNames,
    local: LocalBindings | None,
) -> tuple[tuple[str, Ref], ...]:
    """The attributes of class ``owner`` (its ``body``): annotated in it, or
    assigned to ``self.<name>`` in its instance ``methods``."""
    annotated: dict[str, set[Ref | None]] = {}
    assigned: dict[str, set[Ref | None]] = {}
    for statement in body:
        for small in small_statements(statement):
            if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                ref = annotation_ref(small.annotation.annotation, names)
                annotated.setdefault(small.target.value, set()).add(ref)
    for method in methods:
        types = FunctionTypes(method, names, owner, local)
        params = method.params
        receiver = [*params.posonly_params, *params.params][0].name.value
        for target, annotation, value in self_assignments(method, receiver):
            if annotation is not None:
                ref = annotation_ref(annotation, names)
                annotated.setdefault(target, set()).add(ref)
            elif value is not None and not is_none(value):
                assigned.setdefault(target, set()).add(types.of(value))
    return _agreed({**assigned, **annotated})


def module_variables(
    module: cst.Module, names: ModuleNames
) -> tuple[tuple[str, Ref], ...]:
    """The module's top-level variables, annotated or assigned."""
    types = FunctionTypes(None, names, None)
    found: dict[str, set[Ref | None]] = {}
    for statement in top_level_statements(module.body):
        for small in small_statements(statement):
            if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                ref = annotation_ref(small.annotation.annotation, names)
                found.setdefault(small.target.value, set()).add(ref)
            elif isinstance(small, cst.Assign) and not is_none(small.value):
                for target in small.targets:
                    if isinstance(target.target, cst.Name):
                        ref = types.of(small.value)
                        found.setdefault(target.target.value, set()).add(ref)
    return _agreed(found)


def _agreed(found: dict[str, set[Ref | None]]) -> tuple[tuple[str, Ref], ...]:
    """The names whose every annotation or assignment gives the same type."""
    agreed = []
    for name, refs in sorted(found.items()):
        if len(refs) == 1:
            (ref,) = refs
            if ref is not None:
                agreed.append((name, ref))
    return tuple(agreed)
