"""Adding a codemod is one folder and one line: a toy codemod, written in a temporary
folder as a new codemod would be (spec, class, golden cases), joins the registry with
one line, and everything else follows: selection by code or name, its options, its
golden cases and findings, ``codemods explain``, a whole run."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from codemods import config
from codemods.core.settings import ConfigError
from codemods.engine import pool as pool_module
from codemods.engine.parent import runner
from codemods.rules import registry
from codemods.rules.cases import cases_of
from codemods.rules.specs import CodemodSpec
from tests.support.cli import invoke
from tests.support.golden import FileCase, check_file_case, settings_for
from tests.support.pool import InProcessPool

SPEC = '''
"""TG900 print-to-log, as the engine knows it without LibCST."""

from codemods.rules.specs import CodemodSpec, Option


def triggers(settings):
    return (b"print",)


SPEC = CodemodSpec(
    code="TG900",
    package=__package__,
    description="Log instead of printing",
    fix_safety="safe",
    triggers=triggers,
    options=(Option("logger", str, "logger", "the name of the module's logger"),),
    examples=("a_print", "a_method_called_print"),
)
'''
CODEMOD = '''
"""TG900 print-to-log: ``print(x)`` becomes ``<logger>.info(x)``."""

import libcst as cst

from codemods.rules.codemod import Codemod
from toy_rules.print_to_log.spec import SPEC


class PrintToLog(Codemod, spec=SPEC):
    """Log instead of printing.

    ## What it does
    Replaces a call of the builtin ``print`` with one argument by ``logger.info``.

    ## Why is this bad?
    A service's output goes to its logs, with a level and a time.

    ## Fix safety
    Safe: the text logged is the text printed.
    """

    def leave_Call(self, original_node, updated_node):
        func = original_node.func
        if not (isinstance(func, cst.Name) and func.value == "print"):
            return updated_node
        if len(original_node.args) != 1:
            self.report(original_node, "print with many arguments", fixable=False)
            return updated_node
        if not self.report(original_node, "log instead of printing", fixable=True):
            return updated_node
        logger = cst.Attribute(cst.Name(self.option("logger")), cst.Name("info"))
        return updated_node.with_changes(func=logger)
'''
CASES = {
    "a_print.before.py": 'def greet() -> None:\n    print("hello")\n',
    "a_print.after.py": 'def greet() -> None:\n    logger.info("hello")\n',
    "a_print.toml": 'title = "A print"\n'
    'findings = [{ code = "TG900", line = 2, col = 5, fixable = true }]\n',
    "a_method_called_print.before.py": "def show(page: Page) -> None:\n"
    "    page.print()\n",
    "a_method_called_print.toml": 'title = "A method named print (not changed)"\n'
    "findings = []\n",
    "many_arguments.before.py": 'def greet() -> None:\n    print("a", "b")\n',
    "many_arguments.toml": "findings = [\n"
    '  { code = "TG900", line = 2, col = 5, fixable = false },\n]\n',
}


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CodemodSpec]:
    """The folder ``toy_rules/print_to_log/`` on the path, and the one registry line."""
    folder = tmp_path / "toy_rules" / "print_to_log"
    (folder / "cases").mkdir(parents=True)
    (folder.parent / "__init__.py").write_text("")
    (folder / "__init__.py").write_text("")
    (folder / "spec.py").write_text(textwrap.dedent(SPEC))
    (folder / "codemod.py").write_text(textwrap.dedent(CODEMOD))
    for name, text in CASES.items():
        (folder / "cases" / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    from toy_rules.print_to_log.spec import SPEC as spec  # type: ignore[import-not-found]

    # The one line: the registry's tuple gets the new spec.
    monkeypatch.setattr(registry, "CODEMODS", (*registry.CODEMODS, spec))
    yield spec
    for module in [m for m in sys.modules if m.startswith("toy_rules")]:
        del sys.modules[module]


def test_it_is_selected_by_code_or_name_with_its_options(toy: CodemodSpec) -> None:
    assert registry.find("print-to-log") is toy
    settings = config.parse_table(
        {"select": ["print-to-log"], "TG900": {"logger": "log"}}, source="test"
    )
    assert registry.codes(settings) == ("TG900",)
    assert registry.option(settings, "TG900", "logger") == "log"
    with pytest.raises(ConfigError, match="TG900 accepts: logger"):
        config.parse_table({"TG900": {"level": "info"}}, source="test")


def test_its_golden_cases_hold(toy: CodemodSpec) -> None:
    cases = cases_of(toy)
    assert sorted(case.name for case in cases) == [
        "a_method_called_print",
        "a_print",
        "many_arguments",
    ]
    for case in cases:
        check_file_case(FileCase(case, settings_for("TG900", case.configuration)))


def test_it_explains_itself_with_its_cases(toy: CodemodSpec) -> None:
    page = invoke("explain", "print-to-log").stdout
    assert page.startswith("# print-to-log (TG900)\n")
    assert 'logger.info("hello")' in page
    assert "Left alone: A method named print (not changed)" in page
    assert "**safe**. Safe: the text logged is the text printed." in page


def test_a_run_applies_it(
    toy: CodemodSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool_module, "Pool", InProcessPool)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "greet.py").write_text(CASES["a_print.before.py"])
    settings = replace(settings_for("TG900"), root=str(tree))
    request = runner.Request((tree,), settings, mode="run", write=True)
    summary = runner.run(request)
    assert summary.files_changed == 1
    assert (tree / "greet.py").read_text() == CASES["a_print.after.py"]
