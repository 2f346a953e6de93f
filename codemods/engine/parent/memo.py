"""What a run takes from the results cache and gives back to it (see ``cache``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from codemods.core.results import FileResult
from codemods.engine.cache import Cache, Stamp
from codemods.engine.discovery import module_name
from codemods.engine.job import Job

if TYPE_CHECKING:  # a run the cache answers whole makes no task (see below)
    from codemods.engine.tasks import Scanned


class Memo:
    """The cache seen from one run; without a cache, it answers nothing."""

    def __init__(self, cache: Cache | None, job: Job) -> None:
        self.cache, self.job = cache, job
        self.modules: dict[str, str] = {}
        self.stamps: dict[str, Stamp] = {}
        # Files that spell no static trigger word (known from the cache or the scan).
        self.clean: set[str] = set()
        self.known_clean: set[str] = set()
        # Results served as the cache holds them (their entries need no new record).
        self.served: dict[str, FileResult] = {}

    def lookup(
        self,
        items: Sequence[tuple[str | Path, str]],
        modules: Mapping[str, str] | None = None,
    ) -> dict[str, FileResult]:
        """The final results the cache holds for ``items``, by shown path (``modules``:
        the module names discovery found, by path)."""
        if self.cache is None:
            return {}
        known = {} if modules is None else modules
        files = [
            (text, known.get(text) or module_name(text), shown)
            for text, shown in ((str(path), shown) for path, shown in items)
        ]
        self.modules = {shown: module for _, module, shown in files}
        found = self.cache.lookup(
            files,
            uses_index=self.job.uses_index,
            want_diff=self.job.want_diff,
            write=self.job.write,
        )
        self.stamps = found.stamps
        self.known_clean = found.statically_clean
        self.clean |= found.results.keys() & self.known_clean
        self.served = {
            shown: result
            for shown, result in found.results.items()
            if shown not in found.restamped
        }
        return found.results

    def statically_clean(self, todo: Sequence[tuple[Path, str]]) -> list[Scanned]:
        """Scan outcomes of the files in ``todo`` the cache knows spell no trigger."""
        # Imported here: a warm run that the cache answers whole needs no task.
        from codemods.engine.tasks import Scanned

        return [
            Scanned(FileResult(shown), stamp=self.stamps[shown])
            for _, shown in todo
            if shown in self.known_clean
        ]

    def scanned(self, shown: str, outcome: Scanned) -> None:
        """Note a file's first scan: its stamp, and whether it spelled a trigger."""
        if outcome.stamp is not None:
            self.stamps[shown] = outcome.stamp
        if not outcome.parsed and outcome.result.error is None:
            self.clean.add(shown)

    def save(
        self, results: Mapping[str, FileResult], paths: Mapping[str, str | Path]
    ) -> None:
        """Record the run's final results (not passing errors, not files it rewrote)."""
        cache = self.cache
        if cache is None:
            return
        for shown, result in results.items():
            if self.served.get(shown) is result:
                continue  # its entry already says just this
            path, stamp = paths[shown], self.stamps.get(shown)
            if stamp is None or result.written or not _lasting(result):
                cache.forget(path)
                continue
            cache.record(
                path,
                stamp,
                self.modules.get(shown) or module_name(path),
                statically_clean=shown in self.clean,
                result=None if result.changed and self.job.write else result,
            )
        cache.save(paths[shown] for shown in results)


# Errors that last as long as the file's bytes do. Cached like any result: with the
# index codemods selected, results are served only when every file has one, so a single
# file LibCST cannot parse would otherwise make every warm run of the repository cold.
LASTING_ERRORS = frozenset({"decode", "parse"})


def _lasting(result: FileResult) -> bool:
    return result.error is None or result.error.kind in LASTING_ERRORS
