"""The package's layers point down, its modules form no cycle, and a run that parses
nothing imports no LibCST: checked on the source, by walking every import.

    core <- cst <- analysis <- rules <- engine <- session/cli

``core`` (results, noqa, source text, settings) imports nothing of ours; ``cst`` is
the LibCST toolkit named by action; ``analysis`` the repository facts and the
project index; ``rules`` one folder per codemod and the registry; ``engine`` the run
(parent side and worker side); on top, the configuration, the session, the CLI,
review and validate. An import inside a function or a ``TYPE_CHECKING`` block says
why on its line or the line above it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "codemods"
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("core", ("codemods.core", "codemods")),
    ("cst", ("codemods.cst",)),
    ("analysis", ("codemods.analysis",)),
    ("rules", ("codemods.rules",)),
    ("engine", ("codemods.engine",)),
    (
        "session",
        (
            "codemods.config",
            "codemods.config_docs",
            "codemods.session",
            "codemods.explain",
            "codemods.demo",
            "codemods.commands",
            "codemods.review",
            "codemods.validate",
            "codemods.cli",
            "codemods.exits",
            "codemods.entry",
            "codemods.__main__",
        ),
    ),
)
# What a run served whole by the cache, or any run's parent process, must not import.
HEAVY = ("libcst", "rich")
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    # Where it stands: at module level, in a function (lazy), under TYPE_CHECKING.
    where: str


def module_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {
        module_of(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "cases" not in path.relative_to(PACKAGE).parts
    }


MODULES = modules()


def layer_of(module: str) -> int:
    matches = [
        (len(prefix), rank)
        for rank, (_, prefixes) in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    assert matches, f"{module} is in no layer"
    return max(matches)[1]


def _targets(node: ast.Import | ast.ImportFrom, importer: str) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = importer.split(".")
        is_package = MODULES[importer].name == "__init__.py"
        package = package[: len(package) - node.level + (1 if is_package else 0)]
        base = ".".join([*package, base] if base else package)
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        yield submodule if submodule in MODULES else base


def imports_of(module: str) -> list[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[Import] = []

    def walk(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for statement in child.body:
                    walk_statement(statement, "TYPE_CHECKING")
                continue
            walk_statement(child, where)

    def walk_statement(node: ast.AST, where: str) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for target in _targets(node, module):
                found.append(Import(module, target, node.lineno, where))
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            walk(node, "function")
            return
        walk(node, where)

    walk(tree, "module")
    return found


IMPORTS = {module: imports_of(module) for module in MODULES}
OURS = [i for found in IMPORTS.values() for i in found if i.imported in MODULES]


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    upward = [
        f"{i.importer}:{i.line} imports {i.imported} ({LAYERS[layer_of(i.imported)][0]})"
        for i in IMPORTS[module]
        if i.imported in MODULES and layer_of(i.imported) > layer_of(module)
    ]
    assert upward == [], f"{module} is in {LAYERS[layer_of(module)][0]}"


def test_core_imports_nothing_of_ours() -> None:
    found = [
        f"{i.importer}:{i.line} imports {i.imported}"
        for i in OURS
        if layer_of(i.importer) == 0 and layer_of(i.imported) != 0
    ]
    assert found == []


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_through_others() -> None:
    """No cycle, not even through lazy or ``TYPE_CHECKING`` imports."""
    edges: dict[str, set[str]] = {}
    for i in OURS:
        if i.imported != i.importer:
            edges.setdefault(i.importer, set()).add(i.imported)
    assert _cycles(edges) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c"]
    ]


def test_lazy_and_type_checking_imports_say_why() -> None:
    unexplained = []
    for module, found in IMPORTS.items():
        lines = MODULES[module].read_text(encoding="utf-8").splitlines()
        for i in found:
            if i.where == "module":
                continue
            line = i.line
            if i.where == "TYPE_CHECKING":
                # The comment goes on the `if TYPE_CHECKING:` line.
                while not lines[line - 1].lstrip().startswith("if TYPE_CHECKING"):
                    line -= 1
            else:
                # One comment above a block of imports explains the block.
                while lines[line - 2].lstrip().startswith(("from ", "import ")):
                    line -= 1
            here, above = lines[line - 1], lines[line - 2].strip()
            if "#" not in here and not above.startswith("#"):
                unexplained.append(f"{module}:{i.line} ({i.where}) {i.imported}")
    assert unexplained == []


def _runtime_reach(start: str) -> set[str]:
    """Every module (ours and others') importing ``start`` loads, as far as the
    module-level imports tell."""
    seen: set[str] = set()
    pending = [start]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        if current in MODULES:
            pending.extend(i.imported for i in IMPORTS[current] if i.where == "module")
    return seen


@pytest.mark.parametrize(
    "start",
    ["codemods.cli", "codemods.rules.registry", "codemods.engine.parent.runner"],
)
def test_what_every_run_imports_holds_no_libcst(start: str) -> None:
    """The CLI, the specs and the runner load without LibCST (nor rich): a warm run
    never pays for them, and the parent process of a cold one never parses."""
    heavy = sorted(
        module for module in _runtime_reach(start) if module.split(".")[0] in HEAVY
    )
    assert heavy == []


def test_the_parent_never_imports_the_workers_code() -> None:
    parent = [m for m in MODULES if m.startswith("codemods.engine.parent")]
    reached = {module for start in parent for module in _runtime_reach(start)}
    reached |= {
        i.imported for start in parent for i in IMPORTS[start] if i.where != "module"
    }
    assert sorted(m for m in reached if m.startswith("codemods.engine.worker")) == []


def test_no_module_is_long_without_saying_why() -> None:
    long = []
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(text)) or ""
        if len(text.splitlines()) > MAX_LINES and f"over {MAX_LINES} lines" not in doc:
            long.append(f"{module}: {len(text.splitlines())} lines")
    assert long == []
