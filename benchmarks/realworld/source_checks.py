"""Checks on the written tree that need no tool: it compiles, a second write changes
nothing, comments survive, new lines fit, TaskGroup only where the Python has it."""

from __future__ import annotations

import ast
import hashlib
import io
import tokenize
import warnings
from collections import Counter
from pathlib import Path

from .hunks import Hunk

SKIPPED_PARTS = {
    ".git",
    "__pycache__",
    ".venv",
    "venv",
    "build",
    "dist",
    "node_modules",
}


def python_files(tree: Path) -> list[str]:
    return sorted(
        path.relative_to(tree).as_posix()
        for path in tree.rglob("*.py")
        if path.is_file() and not SKIPPED_PARTS & set(path.relative_to(tree).parts)
    )


def snapshot(tree: Path) -> dict[str, str]:
    """sha256 of every file under `tree`, by relative path."""
    return {
        path.relative_to(tree).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(tree.rglob("*"))
        if path.is_file()
    }


def changed_between(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        path
        for path in before.keys() | after.keys()
        if before.get(path) != after.get(path)
    )


def compile_error(
    source: bytes, path: str, feature_version: tuple[int, int] | None
) -> str | None:
    """Why `source` does not compile on this Python, or does not parse as the project's
    Python (`feature_version`); None when it does both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            return f"compile(): {type(error).__name__}: {error}"
        if feature_version is not None:
            try:
                ast.parse(source, path, feature_version=max(feature_version, (3, 7)))
            except (SyntaxError, ValueError) as error:
                return f"ast.parse(feature_version={feature_version}): {error}"
    return None


def compile_failures(
    tree: Path, paths: list[str], feature_version: tuple[int, int] | None
) -> dict[str, str]:
    failures = {}
    for path in paths:
        error = compile_error((tree / path).read_bytes(), path, feature_version)
        if error is not None:
            failures[path] = error
    return failures


def comments(source: str) -> Counter[str]:
    found: Counter[str] = Counter()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                found[token.string.strip()] += 1
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return found


def lost_comments(before: str, after: str) -> list[str]:
    """Comments of `before` that `after` no longer has (each copy counts)."""
    return sorted((comments(before) - comments(after)).elements())


def long_added_lines(hunk: Hunk, limit: int) -> list[str]:
    """Lines a hunk adds that are longer than the project's limit, unless an identical
    line was there before."""
    removed = set(hunk.removed)
    return [line for line in hunk.added if len(line) > limit and line not in removed]


def taskgroup_added(before: str, after: str) -> bool:
    return after.count("TaskGroup") > before.count("TaskGroup")
