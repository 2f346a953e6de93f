"""A warm run trusts a file's status as Git's index does (``engine/cache.py``).

An entry whose file still has the size, mtime, ctime and inode it had when read is
served without reading the file, but only if it was *settled* when read (its ctime
older than the read by ``RACY_NS``) and its times are older than the cache file's own
write: otherwise a write in the same clock tick could leave the very same status (the
racy case), and the file is hashed again. Any write changes the ctime, so a changed
file, the configuration and the tool's version still invalidate settled entries.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from codemods.engine import cache as cache_module
from tests.support.cache_tree import LEGACY, PLAIN, make_tree
from tests.support.cache_tree import check as _check
from tests.support.cache_tree import document as _document
from tests.support.cache_tree import findings as _findings

COLD = {"legacy.py": 2, "plain.py": 0}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files read a few clock ticks after their last change count as settled (as files
    untouched for ``RACY_NS`` do), and the cache is written ticks after that."""
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    time.sleep(0.05)


def _forbid_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: str, size: int, digest: str) -> None:
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(cache_module, "_still_valid", refuse)


def _same_status_other_content(tree: Path, cache_dir: Path, *, settled: bool) -> None:
    """What a same-size write in the clock tick of the file's last change leaves: the
    status the entry records, another content (the entry keeps its old hash)."""
    legacy = tree / "legacy.py"
    legacy.write_text(PLAIN)
    status = legacy.stat()
    generation, document = _document(cache_dir)
    stamp = document["entries"][str(legacy)][0]
    stamp[0], stamp[1] = status.st_size, status.st_mtime_ns
    stamp[3], stamp[4], stamp[5] = status.st_ctime_ns, status.st_ino, settled
    generation.write_text(json.dumps(document))


def test_a_settled_entry_is_served_from_the_files_status_unread(
    tree: Path, tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    assert _findings(_check(tree, cache)) == COLD
    _, document = _document(cache)
    assert all(entry[0][5] is True for entry in document["entries"].values())
    _forbid_reading(monkeypatch)
    warm = _check(tree, cache)
    assert _findings(warm) == COLD
    assert warm.stats["cached"] == 2


def test_a_file_read_just_after_its_change_is_not_settled(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Just after": well within RACY_NS, however slow the machine.
    monkeypatch.setattr(cache_module, "RACY_NS", 600 * 10**9)
    cache = tmp_path / "cache"
    _check(tree, cache)
    _, document = _document(cache)
    assert [entry[0][5] for entry in document["entries"].values()] == [False, False]


def test_a_racy_entry_is_checked_again_though_its_status_is_the_same(
    tree: Path, tmp_path: Path
) -> None:
    """The file rewritten with the same size within its timestamp's tick: the status
    cannot tell, the hash does."""
    cache = tmp_path / "cache"
    assert _findings(_check(tree, cache)) == COLD
    _same_status_other_content(tree, cache, settled=False)
    warm = _check(tree, cache)
    assert _findings(warm) == {"legacy.py": 0, "plain.py": 0}
    assert warm.stats["cached"] == 1


def test_a_settled_entry_is_what_its_status_says(
    tree: Path, tmp_path: Path, settled: None
) -> None:
    """The other side of the racy rule: settled, the same status is the same file (the
    racy write above could not have left it so), and the file is not read."""
    cache = tmp_path / "cache"
    _check(tree, cache)
    _same_status_other_content(tree, cache, settled=True)
    assert _findings(_check(tree, cache)) == COLD


def test_an_entry_not_older_than_the_cache_files_write_is_checked_again(
    tree: Path, tmp_path: Path, settled: None
) -> None:
    """Git's rule: the cache written in the clock tick of the file's change."""
    cache = tmp_path / "cache"
    _check(tree, cache)
    _same_status_other_content(tree, cache, settled=True)
    generation, _ = _document(cache)
    ctime = (tree / "legacy.py").stat().st_ctime_ns
    os.utime(generation, ns=(ctime, ctime))
    warm = _check(tree, cache)
    assert _findings(warm) == {"legacy.py": 0, "plain.py": 0}


@pytest.mark.parametrize("keep_mtime", [False, True], ids=["written", "cp-p"])
def test_a_changed_file_is_checked_again_though_settled(
    tree: Path, tmp_path: Path, settled: None, keep_mtime: bool
) -> None:
    cache = tmp_path / "cache"
    _check(tree, cache)
    plain = tree / "plain.py"
    before = plain.stat()
    plain.write_text(LEGACY)  # same size
    if keep_mtime:  # as `cp -p` and `touch -r` leave it: only the ctime moved
        os.utime(plain, ns=(before.st_atime_ns, before.st_mtime_ns))
    warm = _check(tree, cache)
    assert _findings(warm) == {"legacy.py": 2, "plain.py": 2}
    assert warm.stats["cached"] == 1


def test_a_changed_configuration_invalidates_settled_entries(
    tree: Path, tmp_path: Path, settled: None
) -> None:
    cache = tmp_path / "cache"
    _check(tree, cache)
    other = _check(tree, cache, trackers=("other_tracker",))
    assert other.stats["cached"] == 0
    assert _findings(other) == {"legacy.py": 0, "plain.py": 0}


def test_a_changed_tool_version_invalidates_settled_entries(
    tree: Path, tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _check(tree, cache)
    monkeypatch.setattr(cache_module, "tool_fingerprint", lambda: "a later release")
    later = _check(tree, cache)
    assert later.stats["cached"] == 0
    assert _findings(later) == COLD


def test_a_racy_entry_that_has_settled_is_recorded_settled(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashed again and found the same, once its ctime is old enough: recorded again,
    so that the next run trusts its status."""
    cache = tmp_path / "cache"
    monkeypatch.setattr(cache_module, "RACY_NS", 600 * 10**9)
    _check(tree, cache)
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    warm = _check(tree, cache)
    assert warm.stats["cached"] == 2
    _, document = _document(cache)
    assert [entry[0][5] for entry in document["entries"].values()] == [True, True]
    _forbid_reading(monkeypatch)
    assert _findings(_check(tree, cache)) == COLD


def test_a_file_system_without_ctime_is_never_settled() -> None:
    fields = {"st_mtime_ns": 0, "st_ctime_ns": 0}
    status = os.stat_result((0o100644, 1, 1, 1, 0, 0, 3, 0, 0, 0), fields)
    assert status.st_ctime_ns == 0
    assert cache_module.stamp_of(b"abc", status)[5] is False
