"""Pending bytes handed to a synchronous transport and rebound before the flush
awaits anything: no entry can arrive between the take and the reset, so there is
no race to fix here (the client bounds it by size elsewhere)."""

import asyncio


class Client:
    def __init__(self, transport: asyncio.WriteTransport) -> None:
        self.transport = transport
        self.pending: list[bytes] = []

    def send(self, command: bytes) -> None:
        self.pending.append(command)

    async def flush(self) -> None:
        await asyncio.sleep(0)
        if self.pending:
            self.transport.writelines(self.pending[:])
            self.pending = []
            await asyncio.sleep(0)
