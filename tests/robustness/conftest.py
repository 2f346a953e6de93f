"""Robustness suite: the big runs are opt-in.

Tests marked ``slow`` (the whole standard library, 20 kill trials) or ``stress`` (20x
the property-test examples) are skipped unless ``-m`` selects them, e.g.
``pytest tests/robustness -m slow`` or ``pytest tests/robustness -m "slow or stress"``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HERE = Path(__file__).parent
OPT_IN = ("slow", "stress")


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    expression = config.getoption("markexpr") or ""
    # Opted in: named by -m, and not as `not slow` (`-m "not slow"` runs no stress).
    chosen = {
        name
        for name in OPT_IN
        if re.search(rf"\b{name}\b", expression)
        and not re.search(rf"\bnot\s+{name}\b", expression)
    }
    for item in items:
        if HERE not in item.path.parents:
            continue
        for name in OPT_IN:
            if name not in chosen and item.get_closest_marker(name) is not None:
                item.add_marker(pytest.mark.skip(reason=f"{name}: run with -m {name}"))
