"""TG003's ``task-names`` option: a name template by spawned coroutine function
(``_run_loop = 'f"workflow_{trace_id}"'``), used where every name it reads is in
scope."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping

import libcst as cst

from codemods.cst.build import with_keyword
from codemods.cst.names import identifiers, local_bindings, parameter_names


class TaskNames:
    """The ``task-names`` option of TG003: a name template by spawned coroutine function
    (``_run_loop = 'f"workflow_{trace_id}"'``)."""

    def __init__(self, table: Mapping[str, object]) -> None:
        self.templates = {name: _parse_template(text) for name, text in table.items()}

    def template(self, call: cst.Call) -> cst.BaseExpression | str | None:
        """The template for the coroutine function ``call`` spawns (a str: why the
        configured one is unusable); None when there is none or the call has a name."""
        if any(a.keyword is not None and a.keyword.value == "name" for a in call.args):
            return None
        coroutine = call.args[0].value if call.args else None
        func = coroutine.func if isinstance(coroutine, cst.Call) else None
        if isinstance(func, cst.Attribute):
            return self.templates.get(func.attr.value)
        return self.templates.get(func.value) if isinstance(func, cst.Name) else None

    def apply(
        self,
        original: cst.Call,
        updated: cst.Call,
        function: cst.FunctionDef,
        line_of: Callable[[cst.CSTNode], int],
    ) -> cst.Call | str:
        """``updated`` with ``name=<template>`` when every name the template reads is in
        scope at ``original`` (a parameter, a builtin, or a local bound on an earlier
        line); a str when the configured template is unusable."""
        template = self.template(original)
        if template is None or isinstance(template, str):
            return updated if template is None else template
        line = line_of(original)
        in_scope = {*parameter_names(function), *dir(builtins)}
        bindings = local_bindings(function)
        in_scope.update(name for name, node, _ in bindings if line_of(node) < line)
        if identifiers(template) - in_scope:
            return updated
        return with_keyword(updated, "name", template)


def _parse_template(text: object) -> cst.BaseExpression | str:
    reason = f"the task-names template {text!r} is not a Python expression"
    if not isinstance(text, str):
        return reason
    try:
        return cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return reason
