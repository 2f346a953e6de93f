"""Collecting a module's :class:`ModuleFacts` from its (original, parsed) tree.

Runs in the worker that parsed the file, on the metadata wrapper the first codemod then
reuses, so collecting costs no second parse and no second scope analysis.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper

from codemods.analysis.assigned_types import class_attributes, module_variables
from codemods.analysis.call_sites import method_uses
from codemods.analysis.calls import call_sites, entry_names, is_entry
from codemods.analysis.facts import (
    CallSite,
    ClassFacts,
    FunctionFacts,
    FunctionKind,
    ModuleFacts,
)
from codemods.analysis.families import TG002
from codemods.analysis.fastapi_roles import fastapi_roles
from codemods.analysis.gains import GainHook, constructor_gains, function_gains
from codemods.analysis.inference import FunctionTypes, annotation_ref
from codemods.analysis.syntax import Syntax
from codemods.analysis.tracker_definition import tracker_extras
from codemods.analysis.value_uses import value_uses
from codemods.core.asyncio_names import SPAWN_FUNCTIONS
from codemods.core.noqa import NoqaMap
from codemods.core.settings import Settings
from codemods.core.source import split_lines
from codemods.cst.coroutine_uses import changes_calls, is_generator_coroutine, yields
from codemods.cst.coroutines import Coroutines, coroutine_functions
from codemods.cst.module_names import AMBIGUOUS, ModuleNames, top_level_statements
from codemods.cst.names import dotted
from codemods.cst.qualified import (
    matches_configured,
    qualified_names_of,
    tree_bindings,
    tree_lines,
)
from codemods.cst.scopes import taskgroup_annotation
from codemods.cst.spawns import Spawn, spawns_in, unsupported_spawn

BUILTIN_NAMES = frozenset(dir(builtins))
TASKGROUP_WORD = "TaskGroup"
DECORATED_KINDS: dict[str, FunctionKind] = {
    "staticmethod": "static",
    "classmethod": "class",
    "property": "property",
}


def function_kind(function: cst.FunctionDef, in_class: bool) -> FunctionKind:
    if not in_class:
        return "function"
    for decorator in function.decorators:
        spelled = dotted(decorator.decorator)
        if spelled in DECORATED_KINDS:
            return DECORATED_KINDS[spelled]
    params = function.params
    return "method" if params.posonly_params or params.params else "static"


class _Collector:
    def __init__(
        self,
        wrapper: MetadataWrapper,
        module_name: str,
        is_package: bool,
        settings: Settings,
        noqa: NoqaMap,
        text: str,
        gains: Sequence[GainHook],
        whole_text: str,
    ) -> None:
        self.module_name = module_name
        self.names = ModuleNames(wrapper.module, module_name, is_package)
        self.resolve = qualified_names_of(wrapper, module_name)
        self.local = tree_bindings(wrapper)
        self.spans = tree_lines(wrapper)  # from the `ast`, positions when asked
        self.line = self.spans.line
        self.module_body = wrapper.module.body
        self.settings = settings
        self.noqa = noqa
        self.lines = split_lines(text)
        # A name resolves to ``asyncio.TaskGroup`` only where the text spells the
        # word (an import, an attribute, a quoted annotation): else none is asked.
        self.spells_taskgroup = TASKGROUP_WORD in whole_text
        self.spawn_words = (*SPAWN_FUNCTIONS, *settings.tracker_names)
        self.gains = gains
        configured = settings.options.get("TG007", {}).get("entry-points", ())
        self.entry_names = entry_names(
            text, tuple(str(entry).rpartition(":")[2] for entry in configured)
        )
        # What is provably a coroutine here (TG003 spawns only those into a group).
        self.coroutines = Coroutines(
            self.resolve, coroutine_functions(wrapper.module.body)
        )

    def mentions(self, node: cst.CSTNode, words: Iterable[str]) -> bool:
        """Whether the source lines of ``node`` spell one of ``words``: walking a tree
        is slow, so analyses that need a word look only where it is written."""
        return self.spans.spells(node, self.lines, words)

    def source(self, node: cst.CSTNode) -> str:
        """The source lines of ``node`` (unlike ``mentions``, no line of a function
        is asked afterwards)."""
        first, last = self.spans.span(node)
        return "".join(self.lines[first - 1 : last])

    def spawns(self, function: cst.FunctionDef, kind: FunctionKind) -> list[Spawn]:
        """The spawns of a lifecycle method (TG002 asks of no other)."""
        if (
            kind == "method"
            and function.name.value in self.settings.lifecycle_methods
            and self.mentions(function, self.spawn_words)
        ):
            return spawns_in(function, self.resolve, self.settings.trackers)
        return []

    def suppressed(self, code: str, call: cst.Call) -> bool:
        return self.noqa.suppresses_span(*self.spans.span(call), code)

    def function(
        self,
        function: cst.FunctionDef,
        kind: FunctionKind,
        coroutines: Coroutines | None = None,
        owner: str | None = None,
        sync_calls: bool = False,
    ) -> FunctionFacts:
        params = function.params
        positional = [p.name.value for p in (*params.posonly_params, *params.params)]
        if kind in ("method", "class", "property"):
            positional = positional[1:]
        every = (*params.posonly_params, *params.params, *params.kwonly_params)
        taskgroup = next(
            (
                p.name.value
                for p in every
                if p.annotation is not None
                and self._is_taskgroup(p.annotation.annotation)
            ),
            None,
        )
        returns = function.returns
        directive = self.noqa.directives.get(self.line(function))
        noqa: tuple[str, ...] = ()
        if directive is not None:
            noqa = ("*",) if directive.codes is None else tuple(sorted(directive.codes))
        spawns = self.spawns(function, kind)
        # Converting rewrites every spawn line: one that TG002 must not touch keeps
        # the whole method (and so its family) as it is.
        if any(self.suppressed(TG002, spawn.call) for spawn in spawns):
            noqa = tuple(sorted({*noqa, TG002}))
        # A method converts for a spawn TG002 can rewrite, not one it only reports.
        rewritten = [
            spawn
            for spawn in spawns
            if spawn.kind == "tracker"
            or unsupported_spawn(spawn.call, spawn.kind) is None
        ]
        gains = (
            function_gains(
                function,
                self.resolve,
                self.settings,
                self.suppressed,
                self.gains,
                coroutines or self.coroutines,
            )
            if self.gains and self.mentions(function, self.spawn_words)
            else ()
        )
        return FunctionFacts(
            name=function.name.value,
            line=self.line(function),
            is_async=function.asynchronous is not None,
            kind=kind,
            positional=tuple(positional),
            keyword_only=tuple(p.name.value for p in params.kwonly_params),
            var_positional=isinstance(params.star_arg, cst.Param),
            var_keyword=params.star_kwarg is not None,
            taskgroup_param=taskgroup,
            returns=None
            if returns is None
            else annotation_ref(returns.annotation, self.names),
            spawns=bool(rewritten),
            noqa=noqa,
            gains_taskgroup=gains,
            generator=(
                # A `yield` is written where it is: most bodies are not walked.
                ("yield" in self.source(function) and yields(function))
                if function.asynchronous is not None
                else bool(spawns) and is_generator_coroutine(function, self.resolve)
            ),
            decorated=changes_calls(function),
            calls=self._calls(
                function, kind, owner, grouped=taskgroup is not None, sync=sync_calls
            ),
            entry=kind == "function"
            and is_entry(function, self.resolve, self.entry_names),
            tracker_extras=self.tracker_extras(function, kind),
        )

    def _calls(
        self,
        function: cst.FunctionDef,
        kind: FunctionKind,
        owner: str | None,
        *,
        grouped: bool,
        sync: bool,
    ) -> tuple[CallSite, ...]:
        """The calls of a coroutine function (of any, with ``sync``): it may pass a
        TaskGroup to them."""
        if function.asynchronous is None and not sync:
            return ()
        bound = owner if kind == "method" else None
        types = FunctionTypes(function, self.names, bound, self.local)
        line = self.spans.within(function)  # lines from the function's own code
        return call_sites(
            function,
            types,
            self.resolve,
            line,
            grouped=grouped,
            opens_groups=self.spells_taskgroup,
        )

    def tracker_extras(
        self, function: cst.FunctionDef, kind: FunctionKind
    ) -> tuple[str, ...] | None:
        name = f"{self.module_name}.{function.name.value}"
        if kind != "function" or not matches_configured({name}, self.settings.trackers):
            return None
        return tracker_extras(function, self.module_body)

    def _is_taskgroup(self, annotation: cst.BaseExpression) -> bool:
        if not self.spells_taskgroup:
            return False
        if isinstance(annotation, cst.SimpleString):  # "asyncio.TaskGroup | None"
            try:
                annotation = cst.parse_expression(str(annotation.evaluated_value))
            except cst.ParserSyntaxError:
                return False
            return taskgroup_annotation(annotation, self._spelled_names) is not None
        return taskgroup_annotation(annotation, self.resolve) is not None

    def _spelled_names(self, node: cst.CSTNode) -> set[str]:
        spelled = dotted(node) if isinstance(node, cst.BaseExpression) else None
        target = None if spelled is None else self.names.absolute(spelled)
        return set() if target is None else {target}

    def klass(self, node: cst.ClassDef) -> ClassFacts:
        qualified = f"{self.module_name}.{node.name.value}"
        bases = tuple(
            self._base(arg.value) for arg in node.bases if arg.keyword is None
        )
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        functions = [s for s in body if isinstance(s, cst.FunctionDef)]
        kinds = {f: function_kind(f, in_class=True) for f in functions}
        instance_methods = [f for f in functions if kinds[f] == "method"]
        spawning = [f for f in instance_methods if self.mentions(f, SPAWN_FUNCTIONS)]
        coroutines = self.coroutines.in_class(node)
        init_gains_via = (
            constructor_gains(
                node,
                spawning,
                self.resolve,
                self.settings,
                self.suppressed,
                self.gains,
                self.coroutines,
            )
            if spawning and self.gains
            else ()
        )
        # A class that may keep `self.tg` passes it from synchronous methods too.
        every_call = bool(init_gains_via)
        return ClassFacts(
            name=node.name.value,
            line=self.line(node),
            bases=bases,
            methods=tuple(
                self.function(f, kinds[f], coroutines, qualified, every_call)
                for f in functions
            ),
            attributes=class_attributes(
                body, instance_methods, qualified, self.names, self.local
            ),
            init_gains_via=init_gains_via,
        )

    def _base(self, expression: cst.BaseExpression) -> str:
        if isinstance(expression, cst.Subscript):  # Generic[T], Base[int]
            expression = expression.value
        spelled = dotted(expression)
        if spelled is None:
            return ""
        found = self.names.absolute(spelled)
        if found is None and spelled in BUILTIN_NAMES:
            return f"builtins.{spelled}"
        return found or ""


def collect_facts(
    wrapper: MetadataWrapper,
    *,
    module_name: str,
    settings: Settings,
    noqa: NoqaMap | None = None,
    path: str = "",
    is_package: bool = False,
    text: str | None = None,
    gains: Sequence[GainHook] = (),
    whole: Syntax | None = None,
) -> ModuleFacts:
    """The facts of the module ``wrapper`` holds (its original tree); ``gains``: the
    hooks of the selected codemods that give functions a TaskGroup parameter;
    ``whole``: the syntax of the text ``text`` elides bodies of (value uses are read
    in it)."""
    module = wrapper.module
    text = module.code if text is None else text
    syntax = whole or Syntax(text)
    # The whole text spells all that its elided form (``text``) does.
    collector = _Collector(
        wrapper,
        module_name,
        is_package,
        settings,
        noqa or NoqaMap(),
        text,
        gains,
        syntax.text,
    )
    statements = list(top_level_statements(module.body))
    names = collector.names
    tree = syntax.tree
    return ModuleFacts(
        name=module_name,
        path=path,
        classes=tuple(
            collector.klass(s) for s in statements if isinstance(s, cst.ClassDef)
        ),
        functions=tuple(
            collector.function(s, "function")
            for s in statements
            if isinstance(s, cst.FunctionDef)
        ),
        variables=module_variables(module, names),
        imports=tuple(
            sorted((k, v) for k, v in names.imports.items() if v != AMBIGUOUS)
        ),
        star_imports=tuple(names.stars),
        uses=method_uses(
            module,
            module_name=module_name,
            names=names,
            resolve=collector.resolve,
            methods=settings.lifecycle_methods,
            line=collector.line,
            mentions=lambda node: collector.mentions(node, settings.lifecycle_methods),
            local=collector.local,
            text=text,
            source=collector.source,
        ),
        values=value_uses(tree, names, module_name),
        fastapi=fastapi_roles(syntax, names, (noqa or NoqaMap()).whole_file),
    )
