"""``--shard K/N``: a deterministic 1/N of the files, so a CI matrix can split a tree.

A file belongs to shard ``hash(path relative to the root) mod N``: the same file lands
in the same shard on every machine and every run, whatever else is added to or removed
from the tree. The N shards are disjoint and together cover every file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

_SPEC = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    @classmethod
    def parse(cls, spec: str) -> Shard:
        """``"2/4"`` -> Shard(2, 4); ``ValueError`` with a message otherwise."""
        match = _SPEC.fullmatch(spec)
        if match is None:
            raise ValueError(f"--shard takes K/N (e.g. 2/4), not {spec!r}")
        index, count = int(match[1]), int(match[2])
        if count < 1 or not 1 <= index <= count:
            raise ValueError(f"--shard {spec}: K must be between 1 and N")
        return cls(index, count)

    def owns(self, path: Path, root: Path) -> bool:
        return shard_of(path, root, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(path: Path, root: Path, count: int) -> int:
    """The 1-based shard of ``path``: by a hash of its path relative to ``root``
    (its absolute path when it is outside ``root``)."""
    absolute = os.path.abspath(path)
    try:
        key = Path(absolute).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        key = Path(absolute).as_posix()
    digest = hashlib.sha1(key.encode("utf-8", "surrogateescape"), usedforsecurity=False)
    return int.from_bytes(digest.digest()[:8], "big") % count + 1
