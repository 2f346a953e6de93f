"""Line diffs in near-linear time, for mapping lines through what the codemods did.

``difflib.SequenceMatcher`` is quadratic on repetitive input: 16,000 identical lines
and one change took 40 s. Here the common prefix and suffix are matched first (most
edits leave nearly all of a file around them), then lines that occur once on each side
anchor the rest (patience diff: the longest run of such anchors in order), and the
gaps between anchors are diffed the same way. Only a gap small enough to be cheap is
handed to ``SequenceMatcher``, so the result is the same as before on ordinary files.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Sequence
from difflib import SequenceMatcher

# Gaps up to this many line pairs (len(a) * len(b)) are diffed by SequenceMatcher.
SMALL_GAP = 40_000

Opcode = tuple[str, int, int, int, int]
# (start in a, start in b, length) of a run of equal lines.
Block = tuple[int, int, int]


def line_opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """``SequenceMatcher(None, a, b).get_opcodes()``, in near-linear time."""
    opcodes: list[Opcode] = []
    i = j = 0
    for ai, bj, size in _merged(sorted(_matching_blocks(a, b))):
        tag = _tag(ai - i, bj - j)
        if tag is not None:
            opcodes.append((tag, i, ai, j, bj))
        opcodes.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    tag = _tag(len(a) - i, len(b) - j)
    if tag is not None:
        opcodes.append((tag, i, len(a), j, len(b)))
    return opcodes


def _tag(removed: int, added: int) -> str | None:
    if removed and added:
        return "replace"
    if removed:
        return "delete"
    return "insert" if added else None


def _merged(blocks: list[Block]) -> list[Block]:
    merged: list[Block] = []
    for block in blocks:
        if block[2] == 0:
            continue
        if merged:
            i, j, size = merged[-1]
            if i + size == block[0] and j + size == block[1]:
                merged[-1] = (i, j, size + block[2])
                continue
        merged.append(block)
    return merged


def _matching_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Block]:
    blocks: list[Block] = []
    regions = [(0, len(a), 0, len(b))]
    while regions:
        alo, ahi, blo, bhi = regions.pop()
        prefix = 0
        while (
            alo + prefix < ahi
            and blo + prefix < bhi
            and (a[alo + prefix] == b[blo + prefix])
        ):
            prefix += 1
        blocks.append((alo, blo, prefix))
        alo, blo = alo + prefix, blo + prefix
        suffix = 0
        while (
            alo < ahi - suffix
            and blo < bhi - suffix
            and (a[ahi - suffix - 1] == b[bhi - suffix - 1])
        ):
            suffix += 1
        blocks.append((ahi - suffix, bhi - suffix, suffix))
        ahi, bhi = ahi - suffix, bhi - suffix
        if alo == ahi or blo == bhi:
            continue
        if (ahi - alo) * (bhi - blo) <= SMALL_GAP:
            matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            blocks.extend(
                (alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks()
            )
            continue
        anchors = _anchors(a, alo, ahi, b, blo, bhi)
        if not anchors and ahi - alo == bhi - blo:
            # No line occurs once on each side, and as many lines: edits in place
            # (the usual codemod change), so equal lines face each other.
            blocks.extend(
                (alo + k, blo + k, 1)
                for k in range(ahi - alo)
                if a[alo + k] == b[blo + k]
            )
            continue
        previous_a, previous_b = alo, blo
        for i, j in anchors:
            regions.append((previous_a, i, previous_b, j))
            blocks.append((i, j, 1))
            previous_a, previous_b = i + 1, j + 1
        if anchors:
            regions.append((previous_a, ahi, previous_b, bhi))
        # Otherwise, without anchors, the gap is replaced as a whole.
    return blocks


def _anchors(
    a: Sequence[Hashable], alo: int, ahi: int, b: Sequence[Hashable], blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Pairs (i, j) of lines that occur exactly once in ``a[alo:ahi]`` and in
    ``b[blo:bhi]``: the longest run of them increasing on both sides."""
    in_a = _unique_positions(a, alo, ahi)
    in_b = _unique_positions(b, blo, bhi)
    pairs = sorted((i, in_b[line]) for line, i in in_a.items() if line in in_b)
    return _longest_increasing(pairs)


def _unique_positions(
    lines: Sequence[Hashable], lo: int, hi: int
) -> dict[Hashable, int]:
    seen: dict[Hashable, int] = {}
    repeated: set[Hashable] = set()
    for index in range(lo, hi):
        line = lines[index]
        if line in seen:
            repeated.add(line)
        else:
            seen[line] = index
    for line in repeated:
        del seen[line]
    return seen


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (sorted by their first item) whose second
    items increase (patience sorting, O(n log n))."""
    tails: list[int] = []  # the smallest last j of an increasing run of each length
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (_, j) in enumerate(pairs):
        length = bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[length] = j
            tail_index[length] = index
        previous.append(tail_index[length - 1] if length else -1)
    run: list[tuple[int, int]] = []
    index = tail_index[-1] if tail_index else -1
    while index != -1:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]
