"""A two-file tree and a TG001 check of it with the results cache, for the cache's
trust tests (``test_cache_trust.py``, ``test_cache_status.py``)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from codemods.core.results import Summary
from codemods.core.settings import Settings
from codemods.engine.parent import runner
from tests.support.cli import TRACKED, write

LEGACY = TRACKED.lstrip("\n")
# As long as LEGACY, and spelling no trigger word.
PLAIN = "#" * (len(LEGACY) - 1) + "\n"


def make_tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    write(root, "legacy.py", LEGACY)
    write(root, "plain.py", PLAIN)
    return root


def check(
    root: Path, cache_dir: Path, select: str = "TG001", **settings: Any
) -> Summary:
    chosen = replace(Settings(select=(select,)), root=str(root), **settings)
    request = runner.Request((root,), chosen, jobs=1, cache_dir=cache_dir)
    return runner.run(request)


def document(cache_dir: Path) -> tuple[Path, dict[str, Any]]:
    """The one generation file of ``cache_dir`` and what it holds."""
    (generation,) = cache_dir.glob("*.json")
    return generation, json.loads(generation.read_bytes())


def findings(summary: Summary) -> dict[str, int]:
    return {Path(r.path).name: len(r.findings) for r in summary.results}
