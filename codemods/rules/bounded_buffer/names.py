"""The names TG004 gives what it generates for a buffer, derived from its own name."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from codemods.cst.build import fresh_name


@dataclass(frozen=True)
class BufferNames:
    """The names a converted buffer ``attribute`` uses."""

    attribute: str
    deque: str
    room: str
    unsaved: str
    dropped: str
    last_warning: str
    append: str
    settle: str
    drop: str
    put_back: str
    capacity: str
    item: str
    noun: str

    @property
    def public(self) -> bool:
        """Whether the old name stays, as a read-only property."""
        return self.deque != self.attribute


def buffer_names(attribute: str, taken: Collection[str]) -> BufferNames:
    """Names derived from ``attribute`` (``pending_entries``: ``_pending_entries``,
    ``_pending_room``, ``_append_pending_entry``...), suffixed where ``taken``."""
    stripped = attribute.lstrip("_")
    words = stripped.split("_")
    last = words[-1]
    head = "_".join(words[:-1]) or last
    plural = len(last) > 1 and last.endswith("s") and not last.endswith("ss")
    if plural:
        item = last[:-3] + "y" if last.endswith("ies") else last[:-1]
        appended, noun = "_".join([*words[:-1], item]), last
    else:
        item, appended, noun = "item", f"{stripped}_item", f"{last}_items"
    used = set(taken)

    def fresh(base: str) -> str:
        name = fresh_name(base, used)
        used.add(name)
        return name

    public = not attribute.startswith("_")
    return BufferNames(
        attribute=attribute,
        deque=fresh(f"_{attribute}") if public else attribute,
        room=fresh(f"_{head}_room"),
        unsaved=fresh(f"_{head}_unsaved"),
        dropped=fresh(f"dropped_{noun}"),
        last_warning=fresh("_last_drop_warning"),
        append=fresh(f"_append_{appended}"),
        settle=fresh(f"_settle_{stripped}"),
        drop=fresh(f"_drop_{stripped}"),
        put_back=fresh(f"_put_back_{stripped}"),
        capacity=fresh(f"_{head}_capacity"),
        item=item,
        noun=noun.replace("_", " "),
    )
