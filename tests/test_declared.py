"""What a project declares of itself (its oldest Python, its line length), and how
``[tool.codemods]`` and the command line win over it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from codemods import config
from codemods.core import declared
from codemods.core.settings import ConfigError, ImportOrder


@pytest.mark.parametrize(
    ("specifier", "lowest"),
    [
        pytest.param(">=3.9", (3, 9), id="at_least"),
        pytest.param(" >= 3.10 , <4", (3, 10), id="spaces_and_upper_bound"),
        pytest.param("~=3.10", (3, 10), id="compatible"),
        pytest.param("~=3.10.2", (3, 10), id="compatible_patch"),
        pytest.param("==3.11.*", (3, 11), id="wildcard"),
        pytest.param(">3.9", (3, 9), id="above"),
        pytest.param(">=2.7,!=3.0.*,>=3.6", (3, 6), id="highest_lower_bound"),
        pytest.param("<3.12", None, id="no_lower_bound"),
        pytest.param("", None, id="empty"),
    ],
)
def test_lowest_python(specifier: str, lowest: tuple[int, int] | None) -> None:
    assert declared.lowest_python(specifier) == lowest


def _project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize(
    ("files", "target", "said"),
    [
        pytest.param(
            {"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.9'\n"},
            (3, 9),
            "pyproject.toml [project] requires-python = '>=3.9'",
            id="pyproject_single_quoted",
        ),
        pytest.param(
            {"setup.cfg": "[metadata]\nname = x\n[options]\npython_requires = >=3.8\n"},
            (3, 8),
            "setup.cfg [options] python_requires = '>=3.8'",
            id="setup_cfg",
        ),
        pytest.param(
            {
                "setup.py": "from setuptools import setup\nsetup(python_requires='~=3.10')\n"
            },
            (3, 10),
            "setup.py python_requires='~=3.10'",
            id="setup_py_literal",
        ),
        pytest.param(
            {"ruff.toml": 'target-version = "py312"\n'},
            (3, 12),
            "ruff.toml target-version = 'py312'",
            id="ruff_toml",
        ),
        pytest.param(
            {
                "pyproject.toml": (
                    "[project]\nname = 'x'\nrequires-python = '>=3.11'\n"
                    "[tool.ruff]\ntarget-version = 'py38'\n"
                )
            },
            (3, 11),
            "requires-python",
            id="distribution_before_ruff",
        ),
        pytest.param(
            {"pyproject.toml": "[tool.ruff]\ntarget-version = 'py310'\n"},
            (3, 10),
            "[tool.ruff] target-version = 'py310'",
            id="ruff_in_pyproject",
        ),
        pytest.param(
            {"pyproject.toml": "[tool.black]\ntarget-version = ['py311', 'py38']\n"},
            (3, 8),
            "[tool.black] target-version = ['py311', 'py38']",
            id="black_lowest_of_its_list",
        ),
        pytest.param(
            {
                "pyproject.toml": (
                    "[project]\nname = 'x'\nrequires-python = '>=3.11'\n"
                    "[tool.black]\ntarget-version = ['py39']\n"
                )
            },
            (3, 11),
            "requires-python",
            id="distribution_before_black",
        ),
        pytest.param(
            {
                "pyproject.toml": (
                    "[tool.ruff]\ntarget-version = 'py311'\n"
                    "[tool.black]\ntarget-version = ['py310', 'py311']\n"
                )
            },
            (3, 10),
            "[tool.black] target-version",
            id="black_older_than_ruff",
        ),
        pytest.param(
            {
                "pyproject.toml": (
                    "[tool.ruff]\ntarget-version = 'py39'\n"
                    "[tool.black]\ntarget-version = ['py310']\n"
                )
            },
            (3, 9),
            "[tool.ruff] target-version = 'py39'",
            id="ruff_older_than_black",
        ),
        pytest.param(
            {"PKG-INFO": "Metadata-Version: 2.1\nName: x\nRequires-Python: >=3.7\n"},
            (3, 7),
            "PKG-INFO Requires-Python: >=3.7",
            id="sdist_metadata",
        ),
    ],
)
def test_target_version_sources(
    tmp_path: Path, files: dict[str, str], target: tuple[int, int], said: str
) -> None:
    found = declared.target_version(_project(tmp_path, files))
    assert found is not None
    assert found.value == target
    assert said in found.source


def test_setup_py_is_read_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    _project(
        tmp_path,
        {
            "setup.py": (
                f"open({str(marker)!r}, 'w').close()\n"
                "import setuptools\nsetuptools.setup(python_requires=VERSION)\n"
            )
        },
    )
    assert declared.target_version(tmp_path) is None, "not a literal: not declared"
    assert not marker.exists()


LINE_LENGTH = declared.line_length
IMPORT_ORDER = declared.import_order


@pytest.mark.parametrize(
    ("read", "files", "expected"),
    [
        pytest.param(
            LINE_LENGTH,
            {
                "pyproject.toml": "[tool.ruff]\nline-length = 120\n[tool.black]\nline-length = 99\n"
            },
            120,
            id="line_length_ruff_before_black",
        ),
        pytest.param(
            LINE_LENGTH,
            {
                "pyproject.toml": "[tool.black]\nline-length = 99\n[tool.isort]\nline_length = 79\n"
            },
            99,
            id="line_length_black_before_isort",
        ),
        pytest.param(
            LINE_LENGTH,
            {"pyproject.toml": "[tool.isort]\nline_length = 79\n"},
            79,
            id="line_length_isort",
        ),
        pytest.param(
            LINE_LENGTH,
            {
                "ruff.toml": "line-length = 100\n",
                "pyproject.toml": "[tool.ruff]\nline-length = 120\n",
            },
            100,
            id="line_length_ruff_toml_first",
        ),
        pytest.param(
            IMPORT_ORDER,
            {
                "pyproject.toml": (
                    "[tool.ruff.lint.isort]\nforce-single-line = true\n"
                    "order-by-type = false\n[tool.isort]\ncase_sensitive = true\n"
                )
            },
            ImportOrder(force_single_line=True, order_by_type=False),
            id="import_order_ruff_lint_isort_first",
        ),
        pytest.param(
            IMPORT_ORDER,
            {"ruff.toml": "[isort]\nforce-sort-within-sections = true\n"},
            ImportOrder(force_sort_within_sections=True),
            id="import_order_ruff_toml_legacy_table",
        ),
        pytest.param(
            IMPORT_ORDER,
            {"pyproject.toml": "[tool.isort]\ncase_sensitive = true\n"},
            # isort wraps at its own 79 columns unless told otherwise.
            ImportOrder(case_sensitive=True, line_length=79),
            id="import_order_isort",
        ),
        pytest.param(
            IMPORT_ORDER,
            {"pyproject.toml": '[tool.isort]\nprofile = "google"\n'},
            ImportOrder(
                force_single_line=True,
                force_sort_within_sections=True,
                single_line_exclusions=(
                    "collections.abc",
                    "six.moves",
                    "typing",
                    "typing_extensions",
                ),
                order_by_type=False,
                line_length=1000,
            ),
            id="import_order_isort_google_profile",
        ),
        pytest.param(
            IMPORT_ORDER,
            {
                "pyproject.toml": (
                    '[tool.isort]\nprofile = "black"\nline_length = 100\n'
                    "lines_after_imports = 2\n"
                )
            },
            ImportOrder(line_length=100, lines_after_imports=2),
            id="import_order_isort_profile_and_own_keys",
        ),
        pytest.param(
            IMPORT_ORDER,
            {"setup.cfg": "[isort]\nprofile = plone\nforce_single_line = false\n"},
            ImportOrder(line_length=88),
            id="import_order_isort_in_setup_cfg",
        ),
        pytest.param(
            IMPORT_ORDER,
            {
                "ruff.toml": (
                    "[lint.isort]\nforce-single-line = true\n"
                    'single-line-exclusions = ["typing"]\nlines-after-imports = 2\n'
                )
            },
            ImportOrder(
                force_single_line=True,
                single_line_exclusions=("typing",),
                lines_after_imports=2,
            ),
            id="import_order_ruff_single_line_exclusions",
        ),
        pytest.param(
            LINE_LENGTH,
            {"pyproject.toml": "[tool.ruff]\n"},
            None,
            id="line_length_none",
        ),
        pytest.param(
            IMPORT_ORDER,
            {"pyproject.toml": "[tool.ruff]\n"},
            None,
            id="import_order_none",
        ),
    ],
)
def test_style_sources(
    tmp_path: Path,
    read: Callable[[Path], declared.Declared | None],
    files: dict[str, str],
    expected: object,
) -> None:
    found = read(_project(tmp_path, files))
    assert (None if found is None else found.value) == expected


def test_project_files_that_do_not_parse_declare_nothing(tmp_path: Path) -> None:
    _project(tmp_path, {"pyproject.toml": "[project\n", "setup.py": "def (:\n"})
    assert declared.target_version(tmp_path) is None
    assert declared.line_length(tmp_path) is None


def test_load_reads_the_nearest_project_above_the_path(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {
            "pyproject.toml": (
                "[project]\nname = 'x'\nrequires-python = '>=3.12'\n"
                "[tool.ruff]\nline-length = 110\n"
            )
        },
    )
    (tmp_path / "pkg").mkdir()
    settings = config.load([tmp_path / "pkg"])
    assert settings.target_version == (3, 12)
    assert settings.line_length == 110


def test_tool_codemods_wins_over_what_the_project_declares(tmp_path: Path) -> None:
    _project(
        tmp_path,
        {
            "pyproject.toml": (
                "[project]\nname = 'x'\nrequires-python = '>=3.9'\n"
                "[tool.ruff]\nline-length = 110\n"
                '[tool.codemods]\ntarget-version = "3.11"\nline-length = 100\n'
            )
        },
    )
    settings = config.load([tmp_path])
    assert settings.target_version == (3, 11)
    assert "[tool.codemods] target-version" in str(settings.target_source)
    assert settings.line_length == 100
    config.check_target(settings)  # 3.11: the TaskGroup codemods may run


def test_a_target_below_the_taskgroup_codemods_refuses_them(tmp_path: Path) -> None:
    _project(tmp_path, {"setup.cfg": "[options]\npython_requires = >=3.8\n"})
    settings = config.load([tmp_path])
    with pytest.raises(ConfigError) as refused:
        config.check_target(settings)
    message = str(refused.value)
    assert message.startswith(
        "TG001 (legacy-tracker), TG002 (sync-start), TG003 (dangling-task), "
        "TG004 (bounded-buffer), TG005 (lifespan-taskgroup), "
        "TG007 (root-taskgroup) write code that needs Python 3.11"
    )
    assert "setup.cfg [options] python_requires = '>=3.8'" in message
    assert 'target-version = "3.11" in [tool.codemods]' in message
    assert "--target-version 3.11" in message
    only_noqa = config.apply_overrides(settings, {"select": ["TG100"]})
    config.check_target(only_noqa)  # TG100 only removes noqa codes


@pytest.mark.parametrize("value", ["3", "py311", 3.11, "three"])
def test_a_malformed_target_version_is_a_configuration_error(value: object) -> None:
    with pytest.raises(ConfigError, match="'target-version' must be a Python version"):
        config.parse_table({"target-version": value}, source="pyproject.toml")


def test_line_length_from_setup_cfg_linters(tmp_path: Path) -> None:
    _project(tmp_path, {"setup.cfg": "[flake8]\nmax-line-length = 100\n"})
    found = declared.line_length(tmp_path)
    assert found is not None
    assert (found.value, found.source) == (
        100,
        f"{tmp_path.resolve() / 'setup.cfg'} [flake8] max-line-length = 100",
    )


def test_project_files_are_read_once_until_one_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``declared`` and ``distribution`` share one reading of a folder's files."""
    from codemods.core import distribution, project_files

    _project(
        tmp_path,
        {"pyproject.toml": "[project]\nname = 'x'\nrequires-python = '>=3.9'\n"},
    )
    reads: list[Path] = []
    original = project_files._read

    def counted(
        folder: Path, stamps: tuple[tuple[int, int] | None, ...]
    ) -> project_files.ProjectFiles:
        reads.append(folder)
        return original(folder, stamps)

    monkeypatch.setattr(project_files, "_read", counted)
    assert declared.target_version(tmp_path) is not None
    assert declared.line_length(tmp_path) is None
    assert distribution.is_distribution(tmp_path)
    assert len(reads) == 1
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\nrequires-python = '>=3.12'\n"
        "[tool.ruff]\nline-length = 100\n"
    )
    found = declared.target_version(tmp_path)
    assert found is not None and found.value == (3, 12), "an edited file is read again"
