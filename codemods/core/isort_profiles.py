"""isort's profiles (``profile = "google"``), as far as the imports the codemods add
follow them: the settings of ``ImportOrder`` each profile sets, as isort 9 defines
them (``isort/profiles.py``; isort 5's ``google`` and ``plone`` differ). The others
a profile sets (wrap modes, sections, trailing commas) shape imports this tool never
writes, or writes as isort's vertical hanging indent, the wrap of ``black``, ``hug``,
``attrs``, ``pycharm`` and ``wemake``."""

from __future__ import annotations

from typing import Any

# isort's own width, where its table and profile set none.
ISORT_LINE_LENGTH = 79

PROFILES: dict[str, dict[str, Any]] = {
    "black": {"line_length": 88},
    "django": {"line_length": 79},
    "pycharm": {"lines_after_imports": 2},
    "google": {
        "force_single_line": True,
        "force_sort_within_sections": True,
        "line_length": 1000,
        "single_line_exclusions": (
            "collections.abc",
            "six.moves",
            "typing",
            "typing_extensions",
        ),
        "order_by_type": False,
    },
    "open_stack": {"force_single_line": True, "force_sort_within_sections": True},
    "plone": {"line_length": 88, "force_single_line": True},
    "attrs": {"lines_after_imports": 2},
    "hug": {"line_length": 100},
    "wemake": {"line_length": 80},
    "appnexus": {
        "line_length": 88,
        "force_sort_within_sections": True,
        "order_by_type": False,
        "case_sensitive": False,
    },
}
