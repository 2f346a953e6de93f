"""TG100 unused-noqa, as the engine knows it without LibCST (see ``codemod.py``).

It asks nothing of a file's ``ast``: it is relevant wherever its trigger words are
spelled, in comments above all.
"""

from __future__ import annotations

from codemods.core.settings import Settings
from codemods.rules.specs import CodemodSpec


def triggers(settings: Settings) -> tuple[bytes, ...]:
    """A noqa comment naming one of this tool's codes spells ``TG`` and a digit."""
    return tuple(f"TG{digit}".encode() for digit in range(10))


def kept_words(settings: Settings, text: str | None) -> tuple[str, ...]:
    # Only directives matter, and LibCST is always given a body that holds one.
    return ()


SPEC = CodemodSpec(
    code="TG100",
    package=__package__,
    description="Remove `# noqa` codes that suppress nothing",
    fix_safety="safe",
    triggers=triggers,
    kept_words=kept_words,
    examples=("a_code_no_codemod_has", "other_tools_codes_and_a_bare_noqa"),
    needs_whole_run=(
        "whether a `# noqa` is used depends on the findings of the other codemods in "
        "the same run"
    ),
)
