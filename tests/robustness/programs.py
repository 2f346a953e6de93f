"""Hypothesis strategies for the property tests: Python programs, many of them legacy.

Three sources, from blind to targeted (the tests use the first and the last):

- ``raw``: hypothesmith programs as generated (almost never a trigger word: they check
  that text no codemod matches comes back unchanged, and the parser's robustness);
- ``seeded``: hypothesmith programs whose identifiers are partly renamed to the words
  the codemods look for (``track_task``, ``create_task``, ``tg``, ``start`` ...) under a
  header importing them, so codemods meet their patterns in random surroundings;
- ``templates``: legacy shapes (tracker and spawn calls, kept or discarded, in
  functions, methods, TaskGroup blocks, lambdas, comprehensions, ``# noqa`` lines) with
  generated expressions and (raw or seeded) statements in the holes, in any newline
  style.

When a codemod lands, add its shapes to ``SPAWNS`` / ``USES`` / ``CONTEXTS`` and its
code to ``EXERCISED`` in ``test_fuzz_properties.py``.
"""

from __future__ import annotations

import ast
import io
import keyword
import random
import textwrap
import tokenize

import hypothesmith
from hypothesis import strategies as st

# Names a renamed identifier may take: the codemods' trigger words and the names around
# them. Soft keywords are never renamed (a `match` statement must stay one).
POOL = (
    "track_task", "create_task", "ensure_future", "asyncio", "tg", "self", "start",
    "TaskGroup", "get_running_loop", "loop", "task", "spawn", "_background_tasks",
)  # fmt: skip
SOFT_KEYWORDS = frozenset({"match", "case", "_", "type"})
HEADER = (
    "import asyncio\n"
    "from asyncio import TaskGroup, create_task, ensure_future\n"
    "from app.task_tracker import track_task\n"
)

raw = hypothesmith.from_grammar()
# hypothesmith's `eval_input` start exceeds Hypothesis' maximum draw depth; expressions
# come from this list, or from a generated program that happens to be one.
EXPRESSIONS = (
    "x", "a.b(c, *d, k=1, **e)", "await x", "(yield)", "lambda: 0", "x if y else z",
    "f'{x!r:>{w}}'", "[i for i in range(3)]", "{**a, 'k': [*b]}", "b'\\x00'", "...",
    "not -x ** 2", "(a := 1)", "x[1:2, ...]", "track_task", "asyncio.create_task",
    '"""line\nline"""', "(\n    a,\n    b,\n)",
)  # fmt: skip


def _name_tokens(program: str) -> list[tuple[int, int, str]]:
    """(offset, length, name) of every renamable identifier token of ``program``."""
    offsets = [0]
    lines: list[str] = []

    def readline() -> str:
        line = reader.readline()
        lines.append(line)
        offsets.append(offsets[-1] + len(line))
        return line

    reader = io.StringIO(program, newline="")
    found: list[tuple[int, int, str]] = []
    try:
        for token in tokenize.generate_tokens(readline):
            name = token.string
            if token.type != tokenize.NAME or keyword.iskeyword(name):
                continue
            if name in SOFT_KEYWORDS:
                continue
            row, col = token.start
            found.append((offsets[row - 1] + col, len(name), name))
    except (tokenize.TokenError, SyntaxError, IndexError):
        return []
    return found


def rename(program: str, seed: int) -> str:
    """``program`` with some identifiers renamed to ``POOL`` words (by ``seed``)."""
    tokens = _name_tokens(program)
    chooser = random.Random(seed)
    mapping = {
        name: chooser.choice((name, name, *POOL))
        for name in dict.fromkeys(name for _, _, name in tokens)
    }
    pieces: list[str] = []
    end = len(program)
    for offset, length, name in reversed(tokens):
        pieces.append(program[offset + length : end])
        pieces.append(mapping[name])
        end = offset
    pieces.append(program[:end])
    return "".join(reversed(pieces))


def seeded() -> st.SearchStrategy[str]:
    """Renamed hypothesmith programs under a header importing the renamed-to names."""
    return st.builds(rename, raw, st.integers(0, 2**32 - 1)).map(
        lambda p: p if "__future__" in p else HEADER + p
    )


# --- templates -----------------------------------------------------------------------

COROUTINES = ("work()", "self.work()", "asyncio.sleep(0)", "{expr}")
SPAWNS = (
    "track_task({coro})",
    "asyncio.create_task({coro})",
    "track_task({coro}, name='job')",
    "tt.track_task({coro})",
    "asyncio.create_task({coro}, name=f'job-{{1}}')",
    "asyncio.ensure_future({coro})",
    "create_task({coro})",
    "asyncio.get_running_loop().create_task({coro})",
    "loop.create_task({coro})",
    "tg.create_task({coro})",
)
USES = (
    "{spawn}",
    "{spawn}",
    "{spawn}  # noqa",
    "{spawn}  # noqa: TG001",
    "{spawn}  # noqa: TG003",
    "task = {spawn}",
    "self.task = {spawn}",
    "tasks.append({spawn})",
    "return {spawn}",
    "await {spawn}",
    "callback = lambda: {spawn}",
    "results = [{spawn} for _ in range(3)]",
    "if {expr}:\n    {spawn}",
    "for _ in range(2):\n    {spawn}\nelse:\n    pass",
    "try:\n    {spawn}\nexcept ValueError :\n    pass",
    "with open('f') as f:\n    {spawn}",
    "def inner():\n    {spawn}",
    "async def inner(tg: asyncio.TaskGroup):\n    {spawn}",
    "{spawn}; x = 1",
)
PARAMS = (
    "tg: asyncio.TaskGroup | None = None",
    "tg: asyncio.TaskGroup",
    "",
    "tg: TaskGroup",
    "tg: Optional[asyncio.TaskGroup] = None",
    "",
    "tg=None",
    "*args, **kwargs",
    "tg: asyncio.TaskGroup, /",
    "*, tg: asyncio.TaskGroup | None = None",
    "a, b=1, *rest, c, **kw",
)
CONTEXTS = (
    "async def run({params}) -> None:\n{body}",
    "def run({params}):\n{body}",
    "async def run({params}):\n    async with asyncio.TaskGroup() as tg:\n{body2}",
    "class Service:\n"
    "    def __init__(self) -> None:\n        self.count = 0\n\n"
    "    async def start(self, {params}) -> None:\n{body2}",
    "class Service:\n    def start(self, {params}) -> None:\n{body2}",
    "class Service(Base):\n"
    "    tg: asyncio.TaskGroup\n\n"
    "    async def handle(self, {params}):\n{body2}",
    "@decorator\nasync def run({params}):\n    '''Docstring.'''\n{body}",
    "{body0}",
)
PRELUDES = (
    "import asyncio\nfrom app.task_tracker import track_task\n",
    "import asyncio\nimport app.task_tracker as tt\nfrom typing import Optional\n",
    "from asyncio import TaskGroup, create_task\n"
    "from app.task_tracker import track_task\nimport asyncio\n",
    '"""Module docstring."""\nfrom __future__ import annotations\n\nimport asyncio\n'
    "from app.task_tracker import track_task as tt_alias, track_task\n",
    "import asyncio\n",
    # A page break, and characters str.splitlines() would take for line ends.
    "import asyncio\n\x0c\nfrom app.task_tracker import track_task\n"
    "SEPARATORS = '\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'  # \x0c\u2028\n",
    "",
)


def _is_expression(text: str) -> bool:
    try:
        ast.parse(text, mode="eval")
    except (SyntaxError, ValueError):
        return False
    return "\n" not in text and "\r" not in text


def _indent(block: str, levels: int) -> str:
    return textwrap.indent(block, "    " * levels, lambda line: True)


@st.composite
def templates(draw: st.DrawFn) -> str:
    # One generated program per example: hypothesmith's grammar strategies are deep,
    # and more of them in one example often exceeds Hypothesis' maximum depth.
    filler = draw(raw).strip()
    seed = draw(st.integers(-1, 2**32 - 1))
    if seed >= 0:
        filler = rename(filler, seed)
    expression = draw(st.sampled_from(EXPRESSIONS))
    if _is_expression(filler) and draw(st.booleans()):
        expression, filler = filler, ""
    coro = draw(st.sampled_from(COROUTINES)).replace("{expr}", f"({expression})")
    spawn = draw(st.sampled_from(SPAWNS)).format(coro=coro)
    statements = []
    for _ in range(draw(st.integers(1, 3))):
        use = draw(st.sampled_from(USES))
        statements.append(use.replace("{expr}", expression).replace("{spawn}", spawn))
    if filler and draw(st.booleans()):
        statements.insert(draw(st.integers(0, len(statements))), filler)
    block = "\n".join(statements) + "\n"
    context = draw(st.sampled_from(CONTEXTS))
    body = context.format(
        params=draw(st.sampled_from(PARAMS)),
        body=_indent(block, 1),
        body2=_indent(block, 2),
        body0=block,
    )
    prelude = draw(st.sampled_from(PRELUDES))
    program = prelude + "\n\n" + body
    if draw(st.booleans()):
        program += "\n\nasync def work():\n    await asyncio.sleep(0)\n"
    newline = draw(st.sampled_from(("\n", "\n", "\r\n", "\r")))
    return program.replace("\n", newline) if newline != "\n" else program
