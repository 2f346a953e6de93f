"""Strict parsing of the small signed JSON records: block headers and checkpoints.

A record is read from files anyone with access to the storage directory may have
planted, so nothing is taken from it on trust: it must be a JSON object no longer than
``MAX_RECORD_BYTES``, with exactly the expected fields, each of the expected type and
range, in its canonical byte form (the form its MAC is computed over). Every failure is
a ``RecordError``; nothing else escapes (deep nesting, huge numbers, bad UTF-8).
"""

import json
import math
import re
from collections.abc import Callable, Mapping

from resync.core.audit.entry import canonical_json
from resync.core.audit.keys import KeyManager, UnknownKeyError

MAX_RECORD_BYTES = 4096
#: Large enough for any real trail, small enough that no range of them is a burden.
MAX_SEQUENCE = 2**63 - 1
HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
KEY_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")

Check = Callable[[object], bool]


class RecordError(ValueError):
    """A record that is not exactly what was written; the message says why."""


def integer(low: int, high: int) -> Check:
    return lambda value: (
        isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    )


def finite_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def matching(pattern: re.Pattern[str]) -> Check:
    return lambda value: isinstance(value, str) and pattern.fullmatch(value) is not None


def one_of(*allowed: object) -> Check:
    return lambda value: any(
        type(value) is type(option) and value == option for option in allowed
    )


def short_text(longest: int) -> Check:
    """Printable ASCII, at most *longest* characters (see ``as_short_text``)."""
    return lambda value: (
        isinstance(value, str) and as_short_text(value, longest) == value
    )


def as_short_text(text: str, longest: int) -> str:
    """*text* as ``short_text`` accepts it: other characters become ``?``."""
    return "".join(c if " " <= c <= "~" else "?" for c in text[:longest])


def load_record(
    raw: bytes, fields: Mapping[str, Check], what: str
) -> dict[str, object]:
    """The fields of *raw*, checked; ``RecordError`` names the first problem."""
    if len(raw) > MAX_RECORD_BYTES:
        raise RecordError(f"malformed {what}: longer than {MAX_RECORD_BYTES} bytes")
    try:
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise RecordError(f"malformed {what}: {type(exc).__name__}") from None
    if not isinstance(value, dict):
        raise RecordError(f"malformed {what}: not a JSON object")
    missing = sorted(set(fields) - set(value))
    unexpected = sorted(set(value) - set(fields))
    if missing or unexpected:
        raise RecordError(
            f"malformed {what}: missing fields {missing}, unexpected fields "
            f"{[name[:40] for name in unexpected[:5]]}"
        )
    for name, check in fields.items():
        if not check(value[name]):
            raise RecordError(f"malformed {what}: field {name!r} is invalid")
    if canonical_json(value) != raw:
        raise RecordError(f"malformed {what}: not in canonical form")
    return value


def mac_message(domain: bytes, fields: Mapping[str, object]) -> bytes:
    """What the MAC of a record is computed over: *domain* (so that a MAC of one kind
    of record never passes for another's), then its fields but ``mac``."""
    return domain + canonical_json({k: v for k, v in fields.items() if k != "mac"})


def mac_matches(keys: KeyManager, key_id: str, message: bytes, mac: str) -> bool:
    """Whether *mac* is the MAC of *message* under the key *key_id* (if held)."""
    try:
        key = keys.get(key_id)
    except UnknownKeyError:
        return False
    return key.verify(message, mac)
