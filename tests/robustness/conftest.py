"""Robustness suite: the big runs are opt-in.

Tests marked ``slow`` (the whole standard library, 20 kill trials) or ``stress`` (20x the
property-test examples) are skipped unless ``-m`` selects them, e.g.
``pytest tests/robustness -m slow`` or ``pytest tests/robustness -m "slow or stress"``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent
OPT_IN = ("slow", "stress")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("markexpr"):
        return  # an explicit -m decides
    for item in items:
        if HERE not in item.path.parents:
            continue
        for name in OPT_IN:
            if item.get_closest_marker(name) is not None:
                item.add_marker(pytest.mark.skip(reason=f"{name}: run with -m {name}"))
