"""A cache that cannot lie (issue 25, item 3 of "What to build").

An entry is served only if the file's content still hashes as the entry says (or,
settled, its file's status is the one recorded: ``test_cache_status.py``): the
same size and mtime with other bytes, an entry rewritten to "clean" with a hash that
does not match, and entries or documents of any other shape (wrong types, unknown
fields, nesting too deep to parse) are misses, never a crash. What a cache cannot
prove, that its right-hashing entries are this tool's, the README states: gates run
with ``--no-cache`` or a cache they own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.cache_tree import LEGACY, make_tree
from tests.support.cache_tree import check as _check
from tests.support.cache_tree import document as _document
from tests.support.cache_tree import findings as _findings


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


def test_same_size_and_mtime_with_other_content_is_not_served(
    tree: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert _findings(_check(tree, cache)) == {"legacy.py": 2, "plain.py": 0}
    plain = tree / "plain.py"
    before = plain.stat()
    plain.write_text(LEGACY)  # what `cp -p` or `touch -r` leaves: same size and mtime
    os.utime(plain, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (plain.stat().st_size, plain.stat().st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )
    warm = _check(tree, cache)
    assert _findings(warm) == {"legacy.py": 2, "plain.py": 2}
    assert warm.stats["cached"] == 1


def test_an_entry_rewritten_to_clean_without_the_files_hash_is_not_served(
    tree: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _check(tree, cache)
    generation, document = _document(cache)
    legacy, plain = (str(tree / name) for name in ("legacy.py", "plain.py"))
    # The poison keeps the file's size and mtime, and borrows another file's hash.
    document["entries"][legacy][3] = "clean"
    document["entries"][legacy][0][2] = document["entries"][plain][0][2]
    # Not settled (as a file read just after its change is): its status is not
    # trusted, so the hash is checked. (An entry forged settled is trusted by its
    # status: the module's docstring says what a cache cannot prove.)
    document["entries"][legacy][0][5] = False
    generation.write_text(json.dumps(document))
    warm = _check(tree, cache)
    assert _findings(warm) == {"legacy.py": 2, "plain.py": 0}
    assert warm.return_code == 1


FINDING = {
    "rule": "TG001",
    "line": 1,
    "col": 1,
    "message": "m",
    "fixable": False,
    "applicability": "unsafe",
    "group": None,
}
VALUES = {
    "changed": False,
    "changed_by": [],
    "findings": [FINDING],
    "diff": None,
    "error": None,
}


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "poison",
    [
        {**VALUES, "findings": [{**FINDING, "applicability": {}}]},
        {**VALUES, "findings": [{**FINDING, "line": "1"}]},
        {**VALUES, "findings": [{**FINDING, "line": True}]},
        {**VALUES, "findings": [{**FINDING, "line": -1}]},
        {**VALUES, "findings": [{**FINDING, "extra": 1}]},
        {**VALUES, "findings": [{k: v for k, v in FINDING.items() if k != "group"}]},
        {**VALUES, "findings": _nested(500)},
        {**VALUES, "changed": 1},
        {**VALUES, "changed_by": [1]},
        {**VALUES, "diff": 3},
        {**VALUES, "error": {"kind": "parse"}},
        {**VALUES, "error": {"kind": 1, "message": "m", "line": 1, "col": 1}},
        {**VALUES, "unknown": True},
        "dirty",
        42,
        [],
    ],
    ids=lambda poison: json.dumps(poison)[:60],
)
def test_a_malformed_entry_is_a_miss(
    tree: Path, tmp_path: Path, poison: object
) -> None:
    cache = tmp_path / "cache"
    cold = _check(tree, cache)
    generation, document = _document(cache)
    document["entries"][str(tree / "plain.py")][3] = poison
    generation.write_text(json.dumps(document))
    warm = _check(tree, cache)
    assert _findings(warm) == _findings(cold)
    assert warm.stats["cached"] == 1, "only the malformed entry is computed again"
    _, rewritten = _document(cache)
    assert rewritten["entries"][str(tree / "plain.py")][3] == "clean"


@pytest.mark.parametrize(
    "stamp",
    [
        [1, 2],
        ["1", 2, "h"],
        [True, 2, "0" * 64],
        [1, 2, 3],
        None,
        [1, 2, "0" * 64],
        [1, 2, "0" * 64, 3, 4, 1],
        [1, 2, "0" * 64, 3, -4, True],
        [1, 2, "0" * 64, 3.0, 4, True],
        [1, 2, "0" * 64, 3, 4, True, 5],
    ],
    ids=str,
)
def test_a_malformed_stamp_is_a_miss(tree: Path, tmp_path: Path, stamp: object) -> None:
    cache = tmp_path / "cache"
    _check(tree, cache)
    generation, document = _document(cache)
    document["entries"][str(tree / "legacy.py")][0] = stamp
    generation.write_text(json.dumps(document))
    warm = _check(tree, cache)
    assert _findings(warm) == {"legacy.py": 2, "plain.py": 0}
    assert warm.stats["cached"] == 1


@pytest.mark.parametrize(
    "garbage",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": 4, "complete": "", "entries": ' + b"[" * 100_000,
        b"\xff\xfe{",
        b'{"format": 3, "complete": "", "entries": {}}',
    ],
    ids=["deep", "deep-entries", "bad-utf8", "other-format"],
)
def test_a_document_that_cannot_be_parsed_is_an_empty_cache(
    tree: Path, tmp_path: Path, garbage: bytes
) -> None:
    cache = tmp_path / "cache"
    _check(tree, cache)
    generation, _ = _document(cache)
    generation.write_bytes(garbage)
    warm = _check(tree, cache)
    assert _findings(warm) == {"legacy.py": 2, "plain.py": 0}
    assert warm.stats["cached"] == 0


def test_the_key_binds_the_selected_codemods(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _check(tree, cache, "TG001")
    other = _check(tree, cache, "TG003")
    assert other.stats["cached"] == 0
    assert len(list(cache.glob("*.json"))) == 2


def test_an_ignore_file_lost_to_a_full_disk_is_written_again(
    tree: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _check(tree, cache)
    (cache / ".gitignore").unlink()  # what a disk full after the tag left
    (tree / "plain.py").write_text("X = 2\n")  # something to save
    _check(tree, cache)
    assert (cache / ".gitignore").read_text() == "# Automatically created.\n*\n"
    assert (cache / "CACHEDIR.TAG").is_file()
