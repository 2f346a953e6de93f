"""A cache entry as the JSON file holds it, and the schema it is checked against
before anything is taken from it (``cache``): a field missing, added, of another type
(a bool is not an int) or out of range makes the whole entry a miss."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from codemods.core.results import FileError, FileResult, Finding

# An entry: [stamp, module name, statically clean, result or None].
Raw = list[Any]
# A file as it was read: (size, mtime in ns, content hash, ctime in ns, inode,
# settled). "Settled": its status had not changed for a while when it was read, so a
# later write cannot leave the same status (``cache``, "Trusting a file's status").
Stamp = tuple[int, int, str, int, int, bool]
# The result of a file no codemod changes or reports: most of a tree, so a quarter of
# the file's JSON if spelled out.
CLEAN = "clean"

# -- JSON form -------------------------------------------------------------------


def entry_of(
    stamp: Stamp, module: str, statically_clean: bool, result: FileResult | None
) -> Raw:
    values: dict[str, Any] | str | None
    if result is None:
        values = None
    elif result == FileResult(result.path):
        values = CLEAN  # nothing to say but that
    else:
        values = {
            "changed": result.changed,
            "changed_by": list(result.changed_by),
            "findings": [asdict(finding) for finding in result.findings],
            "diff": result.diff,
            "error": None if result.error is None else asdict(result.error),
        }
    return [list(stamp), module, statically_clean, values]


def result_of(values: Mapping[str, Any], shown: str) -> FileResult:
    """The result an entry's ``values`` hold (already checked by ``_valid_values``)."""
    error = values["error"]
    return FileResult(
        shown,
        changed=values["changed"],
        findings=tuple(Finding(**finding) for finding in values["findings"]),
        error=None if error is None else FileError(**error),
        diff=values["diff"],
        changed_by=tuple(values["changed_by"]),
    )


# -- the schema an entry is checked against ---------------------------------------

_VALUES_KEYS = frozenset({"changed", "changed_by", "findings", "diff", "error"})
_FINDING_TYPES: dict[str, tuple[type, ...]] = {
    "rule": (str,),
    "line": (int,),
    "col": (int,),
    "message": (str,),
    "fixable": (bool,),
    "applicability": (str,),
    "group": (str, type(None)),
}
_ERROR_TYPES: dict[str, tuple[type, ...]] = {
    "kind": (str,),
    "message": (str,),
    "line": (int,),
    "col": (int,),
}
APPLICABILITIES = frozenset({"safe", "unsafe"})


def valid_entry(raw: Any) -> bool:
    """Whether ``raw`` is an entry as ``_values`` writes it, down to its last field."""
    # ``type(...) is``: JSON makes no subclasses, and a bool is not taken for an int
    # (a warm run checks every entry of the tree: no call per field).
    if type(raw) is not list or len(raw) != 4:
        return False
    stamp, module, statically_clean, values = raw
    return (
        type(stamp) is list
        and len(stamp) == 6
        and type(stamp[0]) is int
        and stamp[0] >= 0
        and type(stamp[1]) is int
        and type(stamp[2]) is str  # any other text never equals a hash
        and type(stamp[3]) is int
        and type(stamp[4]) is int
        and stamp[4] >= 0
        and type(stamp[5]) is bool
        and type(module) is str
        and type(statically_clean) is bool
        and (values is None or values == CLEAN or _valid_values(values))
    )


def _valid_values(values: Any) -> bool:
    return (
        isinstance(values, dict)
        and values.keys() == _VALUES_KEYS
        and isinstance(values["changed"], bool)
        and isinstance(values["changed_by"], list)
        and all(isinstance(code, str) for code in values["changed_by"])
        and isinstance(values["diff"], (str, type(None)))
        and isinstance(values["findings"], list)
        and all(_valid_finding(finding) for finding in values["findings"])
        and (values["error"] is None or _fields(values["error"], _ERROR_TYPES))
    )


def _valid_finding(finding: Any) -> bool:
    return (
        _fields(finding, _FINDING_TYPES)
        and finding["applicability"] in APPLICABILITIES
        and _count(finding["line"])
        and _count(finding["col"])
    )


def _fields(values: Any, types: Mapping[str, tuple[type, ...]]) -> bool:
    """A dict with exactly the keys of ``types``, each value of its types (a bool is
    not taken for an int)."""
    return (
        isinstance(values, dict)
        and values.keys() == types.keys()
        and all(
            isinstance(values[key], kinds)
            and (bool in kinds or not isinstance(values[key], bool))
            for key, kinds in types.items()
        )
    )


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any) -> bool:
    return _whole(value) and value >= 0
