"""The project index: facts collected from trees, names followed across modules, the
questions TG002 and TG005 ask, the words that start further rounds, and the recording
that lets the runner finalize only files whose answers changed."""

from __future__ import annotations

import pickle
import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from codemods import config
from codemods.analysis.collect import collect_facts
from codemods.analysis.facts import ModuleFacts, Ref
from codemods.analysis.families import GroupParameter, Lifecycle, LifecycleCall
from codemods.analysis.index import ProjectIndex
from codemods.core.noqa import NoqaMap
from codemods.core.settings import Settings
from codemods.rules import registry


def facts(
    name: str, source: str, *, package: bool = False, settings: Settings | None = None
) -> ModuleFacts:
    text = textwrap.dedent(source)
    wrapper = MetadataWrapper(cst.parse_module(text))
    settings = settings or Settings()
    return collect_facts(
        wrapper,
        module_name=name,
        settings=settings,
        noqa=NoqaMap.of(text),
        is_package=package,
        gains=registry.gain_hooks(settings),
    )


def index_of(*modules: ModuleFacts, settings: Settings | None = None) -> ProjectIndex:
    return ProjectIndex.build(modules, registry.index_scope(settings or Settings()))


AUDIT = facts(
    "svc.audit",
    """
    import asyncio

    from svc.tracker import track_task


    class AuditTrail:
        def __init__(self) -> None:
            self._tasks: list[asyncio.Task[None]] = []

        async def _flush(self) -> None:
            await asyncio.sleep(0)

        def start(self) -> None:
            self._tasks = [track_task(self._flush())]


    def make_trail() -> "AuditTrail":
        return AuditTrail()


    default_trail = AuditTrail()
    Trail = AuditTrail
    """,
)
PACKAGE = facts(
    "svc",
    """
    from .audit import AuditTrail as Audit
    from .audit import make_trail
    from .helpers import *
    """,
    package=True,
)
HELPERS = facts(
    "svc.helpers",
    """
    from svc.audit import AuditTrail


    def helper_trail() -> AuditTrail | None:
        return None
    """,
)
MANAGER = facts(
    "app.manager",
    """
    import asyncio
    from typing import Optional

    import svc
    from svc import Audit


    class Manager:
        backup: Optional[Audit]

        def __init__(self, trail: Audit) -> None:
            self._trail = trail
            self.other = svc.make_trail()
            self.maybe = None
            self.maybe = Audit()

        @property
        def current(self) -> Audit:
            return self._trail

        async def initialize(self, tg: "asyncio.TaskGroup | None" = None) -> None:
            await asyncio.sleep(0)


    def get_manager() -> Manager:
        return Manager(Audit())
    """,
)


class TestFacts:
    def test_methods_record_what_callers_and_the_lifecycle_analysis_need(self) -> None:
        (klass,) = AUDIT.classes
        start = klass.method("start")
        assert start is not None
        assert (start.kind, start.is_async, start.spawns) == ("method", False, True)
        assert start.positional == ()  # `self` is bound, not passed
        flush = klass.method("_flush")
        assert flush is not None and not flush.spawns and flush.is_async

    def test_a_quoted_taskgroup_annotation_is_a_taskgroup_parameter(self) -> None:
        (klass,) = MANAGER.classes
        initialize = klass.method("initialize")
        assert initialize is not None
        assert initialize.taskgroup_param == "tg"
        assert initialize.positional == ("tg",)

    def test_attribute_types_from_annotations_parameters_calls_and_properties(
        self,
    ) -> None:
        (klass,) = MANAGER.classes
        assert dict(klass.attributes) == {
            "backup": Ref.instance("svc.Audit"),
            "_trail": Ref.instance("svc.Audit"),
            "other": Ref.call("svc.make_trail"),
            # `None` first, an instance later: the instance is its type.
            "maybe": Ref.call("svc.Audit"),
        }

    def test_attributes_assigned_in_nested_blocks_but_not_in_nested_scopes(
        self,
    ) -> None:
        module = facts(
            "nest",
            """
            class Audit: ...

            class Holder:
                def __init__(self, flag: bool, value: object) -> None:
                    if flag: self.suite = Audit()
                    elif value:
                        self.elif_ = Audit()
                    else:
                        self.else_ = Audit()
                    try:
                        self.tried = Audit()
                    except ValueError:
                        self.handled = Audit()
                    finally:
                        self.final = Audit()
                    for _ in range(2):
                        pass
                    else:
                        self.looped = Audit()
                    with open("f") as handle:
                        self.inside_with: Audit = handle
                    match value:
                        case 1:
                            self.matched = Audit()
                    def inner(other: Holder) -> None:
                        self.in_function = Audit()
                    class Inner:
                        in_class = Audit()
                    self.other, self.pair = Audit(), Audit()
            """,
        )
        holder = module.classes[1]
        assert sorted(dict(holder.attributes)) == [
            "elif_",
            "else_",
            "final",
            "handled",
            "inside_with",
            "looped",
            "matched",
            "suite",
            "tried",
        ]

    def test_relative_imports_of_a_package_resolve_against_the_package(self) -> None:
        assert dict(PACKAGE.imports) == {
            "Audit": "svc.audit.AuditTrail",
            "make_trail": "svc.audit.make_trail",
        }
        assert PACKAGE.star_imports == ("svc.helpers",)

    def test_module_variables_and_aliases(self) -> None:
        assert dict(AUDIT.variables) == {
            "default_trail": Ref.call("svc.audit.AuditTrail"),
            "Trail": Ref.value("svc.audit.AuditTrail"),
        }

    def test_builtin_and_unresolvable_bases(self) -> None:
        module = facts(
            "m",
            """
            class A(object): ...
            class B(make_base()): ...
            class C(Generic[T]): ...
            """,
        )
        assert [c.bases for c in module.classes] == [("builtins.object",), ("",), ("",)]

    def test_noqa_on_the_def_line_is_recorded(self) -> None:
        module = facts(
            "m",
            """
            class A:
                def start(self) -> None:  # noqa: TG002
                    pass

                def stop(self) -> None:  # noqa
                    pass
            """,
        )
        start, stop = module.classes[0].methods
        assert start.noqa == ("TG002",) and start.suppresses("TG002")
        assert stop.suppresses("TG005") and not start.suppresses("TG005")

    def test_facts_pickle(self) -> None:
        assert pickle.loads(pickle.dumps(MANAGER)) == MANAGER


class TestResolution:
    index = index_of(AUDIT, PACKAGE, HELPERS, MANAGER)

    @pytest.mark.parametrize(
        ("ref", "expected"),
        [
            (Ref.instance("svc.Audit"), "svc.audit.AuditTrail"),  # a re-export
            (Ref.call("svc.make_trail"), "svc.audit.AuditTrail"),  # a factory
            (Ref.value("svc.audit.default_trail"), "svc.audit.AuditTrail"),
            (Ref.call("svc.audit.Trail"), "svc.audit.AuditTrail"),  # an alias
            (Ref.call("svc.helper_trail"), "svc.audit.AuditTrail"),  # star import
            (Ref.call("app.manager.get_manager"), "app.manager.Manager"),
            (
                Ref.attribute(Ref.call("app.manager.get_manager"), "current"),
                "svc.audit.AuditTrail",
            ),
            (
                Ref.attribute(Ref.instance("app.manager.Manager"), "other"),
                "svc.audit.AuditTrail",
            ),
            (Ref.value("svc.audit.AuditTrail"), None),  # the class, not an instance
            (Ref.instance("threading.Thread"), None),
        ],
    )
    def test_class_of(self, ref: Ref, expected: str | None) -> None:
        assert self.index.class_of(ref) == expected

    def test_names_outside_the_index_are_remembered_as_unresolved(self) -> None:
        index = index_of(MANAGER)
        assert index.class_of(Ref.instance("svc.Audit")) is None
        assert "svc.Audit" in index.unresolved


BASE = facts(
    "svc.base",
    """
    import asyncio


    class Service:
        def __init__(self) -> None:
            self.ready = False

        async def run(self) -> None:
            await asyncio.sleep(0)

        def start(self) -> None:
            asyncio.create_task(self.run())
    """,
)
CHILD = facts(
    "svc.child",
    """
    from svc.base import Service


    class Cached(Service):
        def start(self) -> None:
            super().start()


    class Plain(Service):
        pass
    """,
)


class TestLifecycle:
    def test_an_override_converts_with_the_base_it_overrides(self) -> None:
        index = index_of(BASE, CHILD)
        group = "TG002:svc.base.Service.start"
        assert index.lifecycle("svc.base.Service", "start") == Lifecycle(group)
        assert index.lifecycle("svc.child.Cached", "start") == Lifecycle(group)
        assert index.lifecycle_call(
            Ref.call("svc.child.Plain"), "start"
        ) == LifecycleCall(group, "Service.start")
        assert index.lifecycle_super_call("svc.child.Cached", "start") == LifecycleCall(
            group, "Service.start"
        )

    def test_a_base_from_outside_the_project_blocks_the_family(self) -> None:
        worker = facts(
            "w",
            """
            import asyncio
            import threading


            class Worker(threading.Thread):
                def start(self) -> None:
                    asyncio.ensure_future(asyncio.sleep(1))
            """,
        )
        found = index_of(worker).lifecycle("w.Worker", "start")
        assert found is not None and found.culprit == "Worker.start"
        assert found.problem is not None and "`threading.Thread`" in found.problem
        assert index_of(worker).lifecycle_call(Ref.call("w.Worker"), "start") is None
        safe = config.parse_table(
            {"TG002": {"safe-bases": ["threading.Thread"]}}, source="test"
        )
        assert index_of(worker, settings=safe).lifecycle(
            "w.Worker", "start"
        ) == Lifecycle("TG002:w.Worker.start")

    def test_a_noqa_on_one_member_keeps_the_whole_family(self) -> None:
        child = facts(
            "svc.child",
            """
            from svc.base import Service


            class Cached(Service):
                def start(self) -> None:  # noqa: TG002
                    super().start()
            """,
        )
        found = index_of(BASE, child).lifecycle("svc.base.Service", "start")
        assert found is not None and found.culprit == "Cached.start"
        assert (
            index_of(BASE, child).lifecycle_call(Ref.call("svc.base.Service"), "start")
            is None
        )

    def test_nothing_converts_without_tg002_or_without_spawns(self) -> None:
        without = Settings(select=("TG005",))
        assert (
            index_of(BASE, settings=without).lifecycle("svc.base.Service", "start")
            is None
        )
        quiet = facts("q", "class Q:\n    def start(self) -> None:\n        pass\n")
        assert index_of(quiet).lifecycle("q.Q", "start") is None


RUNNER = """
import asyncio


class Runner:
    def __init__(self, factory: str) -> None:
        self.factory = factory

    async def _loop(self) -> None:
        await asyncio.sleep(0)

    {start_def}(self) -> None:
        asyncio.create_task(self._loop())


async def begin(count: int, *, group: asyncio.TaskGroup | None = None) -> None:
    await asyncio.sleep(count)


async def serve() -> None:
    # A caller holding a TaskGroup: what TG003 adds, it passes (no dead plumbing).
    async with asyncio.TaskGroup() as tg:
        Runner("f")
"""


class TestTaskGroupParameter:
    def test_an_existing_parameter_by_position(self) -> None:
        module = facts("r", RUNNER.format(start_def="async def run"))
        assert index_of(module).taskgroup_parameter(Ref.value("r.begin")) == (
            GroupParameter("group", None, "begin")
        )

    def test_tg003_gives_the_constructor_and_the_method_one(self) -> None:
        settings = Settings(select=("TG003", "TG005"))
        module = facts("r", RUNNER.format(start_def="async def run"), settings=settings)
        index = index_of(module, settings=settings)
        # Both are TG003 fixes of one class: a review takes them with their callers.
        assert index.taskgroup_parameter(Ref.value("r.Runner")) == GroupParameter(
            "tg", 1, "Runner", "TG003:r.Runner"
        )
        method = Ref.attribute(Ref.call("r.Runner"), "run")
        assert index.taskgroup_parameter(method) == GroupParameter(
            "tg", 0, "Runner.run", "TG003:r.Runner"
        )

    def test_what_tg002_converts_first_gives_the_constructor_nothing(self) -> None:
        # TG003 would give `__init__` a group for the running loop's task in `start`;
        # but TG002 runs first, converting `start` and its spawns, so TG003 never does.
        source = RUNNER.format(start_def="def start").replace(
            "asyncio.create_task(", "asyncio.get_running_loop().create_task("
        )
        without = Settings(select=("TG003", "TG005"))
        index = index_of(facts("r", source, settings=without), settings=without)
        assert index.taskgroup_parameter(Ref.value("r.Runner")) == GroupParameter(
            "tg", 1, "Runner", "TG003:r.Runner"
        )
        settings = Settings(select=("TG002", "TG003", "TG005"))
        index = index_of(facts("r", source, settings=settings), settings=settings)
        assert index.taskgroup_parameter(Ref.value("r.Runner")) is None
        method = Ref.attribute(Ref.call("r.Runner"), "start")
        assert index.taskgroup_parameter(method) == GroupParameter(
            "tg", 0, "Runner.start", "TG002:r.Runner.start"
        )

    def test_no_caller_holding_a_taskgroup_gives_nothing(self) -> None:
        settings = Settings(select=("TG003", "TG005"))
        source = RUNNER.format(start_def="async def run").replace(
            "async with asyncio.TaskGroup() as tg:", "if True:"
        )
        index = index_of(facts("r", source, settings=settings), settings=settings)
        assert index.taskgroup_parameter(Ref.value("r.Runner")) is None
        method = Ref.attribute(Ref.call("r.Runner"), "run")
        assert index.taskgroup_parameter(method) is None
        assert index.taskgroup_callers("r.Runner.__init__") == ()

    def test_a_function_taken_as_a_value_gains_nothing(self) -> None:
        settings = Settings(select=("TG003", "TG005"))
        source = (
            "import asyncio\n\n\nasync def get_limiter() -> None:\n"
            "    asyncio.create_task(asyncio.sleep(0))\n\n\n"
            "async def serve() -> None:\n"
            "    async with asyncio.TaskGroup() as tg:\n"
            "        await get_limiter()\n\n\n"
            "def route(limiter: None = Depends(get_limiter)) -> None:\n"
            "    pass\n"
        )
        index = index_of(facts("r", source, settings=settings), settings=settings)
        assert index.taken_as_value("r.get_limiter") == (":13 (passed to `Depends()`)",)
        assert index.taskgroup_parameter(Ref.value("r.get_limiter")) is None

    def test_the_accepting_option_names_callables_outside_the_project(self) -> None:
        settings = config.parse_table(
            {"TG005": {"accepting": ["pool.start_pool"]}}, source="test"
        )
        index = index_of(settings=settings)
        assert index.taskgroup_parameter(
            Ref.value("pool.start_pool")
        ) == GroupParameter("tg", None, "start_pool")
        assert index.taskgroup_parameter(Ref.value("pool.other")) is None


class TestStarImports:
    def _ring(self, size: int) -> ProjectIndex:
        """``size`` modules, each star-importing every other, as asyncio's do."""
        names = [f"pkg.m{n}" for n in range(size)]
        modules = [
            facts(
                name,
                "".join(f"from {other} import *\n" for other in names if other != name)
                + f"class C{n}: ...\n",
            )
            for n, name in enumerate(names)
        ]
        return index_of(*modules)

    def test_a_name_is_found_through_a_chain_of_stars(self) -> None:
        index = self._ring(4)
        assert index.class_named("pkg.m0.C3") == "pkg.m3.C3"

    def test_a_missing_name_costs_one_walk_of_the_star_graph(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Walked path by path, 12 modules importing each other give billions of paths.
        index = self._ring(12)
        calls = 0
        resolve = ProjectIndex._resolve

        def counted(self: ProjectIndex, name: str, seen: frozenset[str]) -> object:
            nonlocal calls
            calls += 1
            return resolve(self, name, seen)

        monkeypatch.setattr(ProjectIndex, "_resolve", counted)
        assert index.symbol("pkg.m0.Missing") is None
        assert calls <= 12 * 3


class TestRounds:
    def test_dynamic_triggers_name_what_reaches_a_converted_class(self) -> None:
        index = index_of(AUDIT, PACKAGE, HELPERS, MANAGER)
        assert index.dynamic_triggers() == {
            b"AuditTrail",  # the class
            b"Trail",  # an alias
            b"Audit",  # a re-export under another name
            b"make_trail",  # a factory (and its re-export)
            b"helper_trail",
            b"default_trail",  # a module-level instance
            b"Manager",  # holds one in an attribute
            b"get_manager",  # returns a Manager
            b"start",  # every use of the converting method must be seen (TG002)
        }

    def test_no_triggers_when_nothing_converts(self) -> None:
        settings = Settings(ignore=("TG006",))
        assert index_of(MANAGER, settings=settings).dynamic_triggers() == frozenset()

    def test_tg006_names_what_reaches_a_coroutine_function(self) -> None:
        """Callers of `Manager.initialize` (async) in modules not parsed yet must
        spell the class or what gives one; the method itself is a lifecycle
        method only if configured so."""
        assert index_of(MANAGER).dynamic_triggers() == {b"Manager", b"get_manager"}

    def test_a_recording_index_logs_questions_the_full_index_replays(self) -> None:
        local = ProjectIndex.build(
            [MANAGER], registry.index_scope(Settings()), record=True
        )
        ref = Ref.attribute(Ref.instance("app.manager.Manager"), "_trail")
        assert local.lifecycle_call(ref, "start") is None
        assert local.log is not None and len(local.log) == 1
        full = index_of(AUDIT, PACKAGE, HELPERS, MANAGER)
        assert not full.replays(local.log)  # the full index knows AuditTrail converts
        assert local.replays(local.log)

    def test_the_index_pickles_for_the_workers(self) -> None:
        index = index_of(AUDIT, PACKAGE, HELPERS, MANAGER)
        index.dynamic_triggers()
        copy = pickle.loads(pickle.dumps(index))
        assert copy.class_of(Ref.call("svc.make_trail")) == "svc.audit.AuditTrail"
