"""TG006 on a method call dropped in a body of more than one line (real-world
harness, opsdroid 0.31.0: ``self.refresh_token()`` left un-awaited in an ``async def``
message handler, before a ``raise``).

TG006 keeps a method's body for LibCST when it spells ``.name(`` for one of the
module's coroutine methods. The elision pattern once put a word boundary on both sides
of every word, and ``self.refresh_token(`` has a word character before the ``.``: the
word never matched, so the body was elided and the dropped coroutine reported clean.
A body of one line is never elided, which is why the golden cases passed. The safe
output is the ``await`` that the same call gets in a body of one line.
"""

from __future__ import annotations

from codemods.engine.worker import elision
from tests.support.golden import run

BEFORE = """
class Connector:
    async def refresh_token(self) -> None:
        return None

    async def on_message(self, failed: bool) -> None:
        if failed:
            self.refresh_token()
            raise ConnectionError("token expired")
"""

AFTER = """
class Connector:
    async def refresh_token(self) -> None:
        return None

    async def on_message(self, failed: bool) -> None:
        if failed:
            await self.refresh_token()
            raise ConnectionError("token expired")
"""


def test_a_dropped_method_call_in_a_longer_body_is_awaited() -> None:
    done = run("TG006", BEFORE)
    assert [(f.rule, f.line, f.col, f.fixable) for f in done.findings] == [
        ("TG006", 8, 13, True)
    ]
    assert done.text == AFTER


def test_a_method_word_is_spelled_by_a_call_on_a_receiver() -> None:
    wanted = elision.Plan(words=(".refresh_token(",), facts=False, planned=frozenset())
    assert wanted.spelled("        self.refresh_token()\n")


def test_a_word_is_still_not_spelled_inside_a_longer_name() -> None:
    wanted = elision.Plan(
        words=(".refresh(", "start"), facts=False, planned=frozenset()
    )
    assert not wanted.spelled("        self.refresh_all()\n")
    assert not wanted.spelled("        self.restart()\n")
    assert not wanted.spelled("        self.started = True\n")


def test_the_same_call_alone_in_a_one_line_body_is_awaited_today() -> None:
    alone = "\n".join(BEFORE.splitlines()[:6]) + "\n        self.refresh_token()\n"
    done = run("TG006", alone)
    assert [(f.rule, f.line, f.fixable) for f in done.findings] == [("TG006", 7, True)]
    assert done.text.endswith("\n        await self.refresh_token()\n")
