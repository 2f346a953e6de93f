"""The flush writes a file with blocking calls while it holds the lock, then rebinds
the buffer: the whole event loop stalls on the disk. Moving the write to a thread is
a decision for a person: reported, not rewritten."""

import asyncio
from pathlib import Path


class Journal:
    def __init__(self, path: Path, capacity: int = 100) -> None:
        self.path = path
        self.capacity = capacity
        self._lock = asyncio.Lock()
        self.lines: list[str] = []

    async def add(self, line: str) -> None:
        async with self._lock:
            self.lines.append(line)

    async def flush(self) -> None:
        async with self._lock:
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write("".join(self.lines))
            self.lines = []
