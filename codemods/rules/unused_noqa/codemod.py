"""TG100 unused-noqa: ``# noqa: TG00x`` codes that suppress nothing are removed.

It runs last (registry order): by then the codemods before it have asked the file's one
``NoqaMap`` about every finding, so the map knows which directives were used.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import PositionProvider

from codemods.core.noqa import remove_codes
from codemods.rules import registry
from codemods.rules.codemod import Codemod
from codemods.rules.unused_noqa.spec import SPEC


class UnusedNoqa(Codemod, spec=SPEC):
    """Remove ``# noqa`` codes of this tool that no longer suppress anything.

    ## What it does
    Reports each code in a ``# noqa: TG00x`` directive that suppressed no finding of a
    codemod that ran over the file, or that no codemod has (a typo), like Ruff's
    RUF100, and removes it: the code from the list, the directive when no code is left,
    the comment when nothing else is in it. Other tools' codes (``E501``), a bare
    ``# noqa``, and codes of codemods not selected in this run are left alone.

    ## Why is this bad?
    A suppression outlives its reason: once the code below it is migrated, it silently
    hides the next legacy pattern written on that line. Reporting stale ones lets a
    team burn the list of suppressions down to what still needs a decision.

    ## Fix safety
    Safe: only comments change, and only codes of this tool that suppressed nothing in
    this run. Put ``TG100`` in the directive to keep a code anyway.
    """

    METADATA_DEPENDENCIES = (PositionProvider,)

    def leave_TrailingWhitespace(
        self,
        original_node: cst.TrailingWhitespace,
        updated_node: cst.TrailingWhitespace,
    ) -> cst.TrailingWhitespace:
        comment = original_node.comment
        fixed = None if comment is None else self._fixed(comment)
        if comment is None or fixed == comment.value:
            return updated_node
        if fixed is None:
            return updated_node.with_changes(
                whitespace=cst.SimpleWhitespace(""), comment=None
            )
        return updated_node.with_changes(comment=cst.Comment(fixed))

    def leave_EmptyLine(
        self, original_node: cst.EmptyLine, updated_node: cst.EmptyLine
    ) -> cst.EmptyLine | cst.RemovalSentinel:
        comment = original_node.comment
        fixed = None if comment is None else self._fixed(comment)
        if comment is None or fixed == comment.value:
            return updated_node
        if fixed is None:
            return cst.RemovalSentinel.REMOVE  # the line held only the directive
        return updated_node.with_changes(comment=cst.Comment(fixed))

    def _fixed(self, comment: cst.Comment) -> str | None:
        """The comment without its unused codes (None: nothing left of it)."""
        line = self.get_metadata(PositionProvider, comment).start.line
        known = frozenset(spec.code for spec in registry.CODEMODS)
        unused = self.env.noqa.unused(line, comment.value, known)
        if not unused:
            return comment.value
        reasons = [
            f"{code} suppresses nothing here"
            if code in known
            else f"{code} is no codemod's code"
            for code in unused
        ]
        message = f"remove unused `noqa` code: {'; '.join(reasons)}"
        if not self.report(comment, message, fixable=True):
            return comment.value
        return remove_codes(comment.value, unused)
