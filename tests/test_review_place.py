"""A reviewed file is written only in the directory it was read in: a directory
swapped for a link between the review's read and its write (even to a twin holding
the very same file, by a hard link) is refused, as the run's own writes are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from codemods.core.settings import Settings
from codemods.engine.parent import runner
from codemods.review.changes import changed_files
from codemods.review.commit import commit
from tests.support.cli import TRACKED, write


def test_a_directory_swapped_after_the_review_read_it_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "tree"
    legacy = write(tree, "app/legacy.py", TRACKED.lstrip("\n"))
    monkeypatch.chdir(tree)
    request = runner.Request(
        (Path("app"),), Settings(select=("TG001",), root=str(tree)), want_diff=True
    )
    files = changed_files(runner.run(request))
    assert [file.shown for file in files] == ["app/legacy.py"]
    # The twin holds the same inode, size and mtime: only the directory tells them apart.
    twin = tmp_path / "twin"
    twin.mkdir()
    os.link(legacy, twin / "legacy.py")
    os.unlink(legacy)
    (tree / "app").rmdir()
    (tree / "app").symlink_to(twin)

    accepted = {file.shown: set(range(len(file.changes))) for file in files}
    [outcome] = commit(files, accepted)

    assert outcome.failed and outcome.reason is not None
    assert "directory replaced" in outcome.reason
    assert (twin / "legacy.py").read_text() == TRACKED.lstrip("\n")
