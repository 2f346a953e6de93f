"""Issue 22's go/no-go for "the index's facts from the `ast`": how many files a cold
check parses only so that the project index knows them, and how many of those the
final index's trigger words would pull back in anyway.

    python benchmarks/index_only.py TREE [-- CHECK-OPTIONS...]
    python benchmarks/index_only.py /tmp/dense-500 -- --select TG006

Runs ``codemods check --no-cache --format json --target-version 3.11 .`` from inside
TREE, all of its work in this process, and counts:

- ``index_only``: files whose relevance admits TG006 alone (no other codemod relevant
  or reachable), and TG006 only by its public-coroutine clause (``spec.relevant``):
  the files the design would leave unparsed, their facts read from the `ast`;
- ``pulled_back``: those of them that spell (``Relevance.spells``) a dynamic trigger
  word of any round's index, the final one's included: a later round parses them
  anyway; ``pulled_by_a_use``: those spelling one as a use (a name, an attribute, an
  import), not only as the name of a ``def`` or ``class``;
- ``parsed`` / ``parsed_in_later_rounds``: the LibCST parses of the scan phase;
- ``later_calling_a_coroutine_name`` (and ``index_only_calling_a_coroutine_name``):
  files parsed in a later round (index-only files) with a call whose called name is
  the name of a coroutine function or method of the final index: an estimate of
  what a decision per body with the final index could leave out (not exact: an
  alias or a stored callable calls a coroutine under another name);
- ``cpu_*``: the CPU seconds of the worker's work (scan and finalize) on each of those
  sets of files, on all files (``cpu_all_files``), and by task (scan, finalize).

Prints one JSON object on stderr (the check's report goes to stdout).
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from codemods.analysis import index as index_module
from codemods.analysis.relevance import Relevance, Seen, walk
from codemods.analysis.triggers import _coroutine
from codemods.cli import main as codemods_main
from codemods.core.settings import Settings
from codemods.engine import inline
from codemods.engine.work import RECURSION_LIMIT
from codemods.engine.worker import context as context_module
from codemods.engine.worker import phases as worker_phases
from codemods.rules.unawaited_coroutine import spec as tg006
from codemods.rules.unawaited_coroutine.reach import project_names


def other_clauses(seen: Seen, settings: Settings) -> bool:
    """TG006's ``relevant`` without its public-coroutine clause."""
    text = seen.text
    defined = set(tg006.COROUTINE_FUNCTION.findall(text))
    if defined:
        calls = Counter(n for n in tg006.CALLED.findall(text) if n in defined)
        if any(count > 1 for count in calls.values()):
            return True
    imported = project_names(text, settings.root, seen.tree)
    if not imported:
        return False
    if not seen.annotating.isdisjoint(imported):
        return True
    names = "|".join(re.escape(name) for name in sorted(imported))
    pattern = rf"\b(?:{names})\s*[.(]"
    return re.search(pattern, tg006.IMPORT_LINE.sub("", text)) is not None


def used_names(tree: ast.Module) -> set[str]:
    """The names a module spells other than as the name of a ``def`` or ``class``."""
    return {name for node in ast.walk(tree) if (name := _spelled(node)) is not None}


def _spelled(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.alias):
        return node.asname or node.name.rpartition(".")[2]
    return None


def calls_one_of(path: Path, names: set[str]) -> bool:
    """Whether the module at ``path`` calls something named one of ``names``."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except SyntaxError:
        return True
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in names:
                return True
            if isinstance(func, ast.Attribute) and func.attr in names:
                return True
    return False


class Counts:
    """What the hooks below see during one check."""

    def __init__(self) -> None:
        self.index_only: dict[str, tuple[Relevance, set[str]]] = {}
        self.rounds: list[frozenset[bytes]] = []
        self.final: Any = None
        self.parses: Counter[str] = Counter()
        self.later: dict[str, Path] = {}
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.seconds_by_task: defaultdict[str, float] = defaultdict(float)

    def install(self) -> None:
        counts = self
        post_init = context_module.FileContext.__post_init__

        def judged(context: context_module.FileContext) -> None:
            post_init(context)
            relevance, tree = context.relevance, context.syntax.tree
            if relevance is None or tree is None or context.filename is None:
                return
            if relevance.codes != {"TG006"} or relevance.reachable != {"TG006"}:
                return
            settings = context.job.settings
            seen = walk(tree, context.text, frozenset(settings.lifecycle_methods))
            if not other_clauses(seen, settings):
                counts.index_only[context.filename] = (relevance, used_names(tree))

        dynamic_triggers = index_module.ProjectIndex.dynamic_triggers

        def triggers(index: Any) -> frozenset[bytes]:
            words = dynamic_triggers(index)
            counts.rounds.append(frozenset(words))
            counts.final = index
            return words

        scan = worker_phases.WorkerState.scan
        work = worker_phases.WorkerState.__call__

        def timed(state: Any, path: Path, shown: str, task: Any) -> Any:
            started = time.thread_time()
            try:
                return work(state, path, shown, task)
            finally:
                seconds = time.thread_time() - started
                counts.seconds[shown] += seconds
                counts.seconds_by_task[type(task).__name__] += seconds

        def scanned(state: Any, path: Path, shown: str, task: Any) -> Any:
            outcome = scan(state, path, shown, task)
            if outcome.parsed:
                counts.parses["parsed"] += 1
                if task.words is not None:
                    counts.parses["parsed_in_later_rounds"] += 1
                    counts.later[shown] = path
            return outcome

        context_module.FileContext.__post_init__ = judged  # type: ignore[method-assign,assignment]
        index_module.ProjectIndex.dynamic_triggers = triggers  # type: ignore[method-assign,assignment]
        worker_phases.WorkerState.scan = scanned  # type: ignore[method-assign,assignment]
        worker_phases.WorkerState.__call__ = timed  # type: ignore[method-assign,assignment]

    def report(self, root: Path) -> dict[str, Any]:
        words = frozenset[bytes]().union(*self.rounds)
        spelled = {w.decode() for w in words}
        found = self.index_only
        report: dict[str, Any] = {
            "index_only": len(found),
            "pulled_back": sum(r.spells(words) for r, _ in found.values()),
            "pulled_by_a_use": sum(bool(spelled & used) for _, used in found.values()),
            "rounds": len(self.rounds),
            "trigger_words": len(words),
            **self.parses,
        }
        index = self.final
        if index is not None:
            names = {
                name.rpartition(".")[2]
                for name, function in index.functions.items()
                if _coroutine(function)
            }
            names |= {
                method.name
                for klass in index.classes.values()
                for method in klass.methods
                if _coroutine(method)
            }
            report["coroutine_names"] = len(names)
            calling = [s for s, path in self.later.items() if calls_one_of(path, names)]
            report["later_calling_a_coroutine_name"] = len(calling)
            report["index_only_calling_a_coroutine_name"] = sum(
                calls_one_of(root / shown, names) for shown in found
            )
            report["cpu_later_not_calling"] = self.cpu(set(self.later) - set(calling))
        report["cpu_index_only"] = self.cpu(found)
        report["cpu_later_rounds"] = self.cpu(self.later)
        report["cpu_all_files"] = self.cpu(self.seconds)
        for task, seconds in sorted(self.seconds_by_task.items()):
            report[f"cpu_{task.lower()}_tasks"] = round(seconds, 2)
        return report

    def cpu(self, shown: Iterable[str]) -> float:
        return round(sum(self.seconds.get(s, 0.0) for s in shown), 2)


def main() -> None:
    argv = sys.argv[1:]
    extra: list[str] = []
    if "--" in argv:
        argv, extra = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    if len(argv) != 1:
        sys.exit("usage: index_only.py TREE [-- CHECK-OPTIONS...]")
    counts = Counts()
    counts.install()
    sys.setrecursionlimit(RECURSION_LIMIT)
    get = inline.LazyPool.get

    def in_process(pool: inline.LazyPool, items: int) -> Any:
        pool.inline = True
        return get(pool, items)

    inline.LazyPool.get = in_process  # type: ignore[method-assign,assignment]
    os.chdir(argv[0])
    check = ["check", "--no-cache", "-q", "--format", "json"]
    try:
        codemods_main([*check, "--target-version", "3.11", *extra, "."])
    except SystemExit:
        pass
    print(json.dumps({"tree": argv[0], **counts.report(Path.cwd())}), file=sys.stderr)


if __name__ == "__main__":
    main()
