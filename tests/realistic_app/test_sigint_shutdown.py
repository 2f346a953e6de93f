"""(b) SIGINT under load: a real uvicorn server stops within its drain timeout.

Notifications over every channel are in flight when the server gets SIGINT; the
webhook ones fail and wait to be retried after a backoff far longer than the test,
so a shutdown that waited for them instead of cancelling them would not end.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.realistic_app.support import CHANNELS, free_port, run

REQUESTS = 150
SIGNAL_AFTER = 40  # responses received before SIGINT; the rest are still in flight
DRAIN_TIMEOUT = 1.0  # HERALD_SHUTDOWN_TIMEOUT
RETRY_BACKOFF = 600.0  # a retry still sleeping at shutdown must be cancelled
# Several drain timeouts, plus room for a loaded 2-core machine; far below the
# backoff, so only a shutdown that cancels its sleeping retries gets under it.
SHUTDOWN_BOUND = 30.0
FORBIDDEN = ("Task was destroyed but it is pending", "Traceback", "ERROR")
HERALD_LINE = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL): herald[.\w]*: (.*)$")


async def wait_until_up(
    client: httpx.AsyncClient, server: subprocess.Popen[bytes]
) -> None:
    async with asyncio.timeout(30):
        while True:
            assert server.poll() is None, "the server exited during startup"
            try:
                if (await client.get("/api/v1/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)


async def load(port: int, server: subprocess.Popen[bytes]) -> tuple[list[int], float]:
    """Post the notifications, SIGINT once SIGNAL_AFTER answered; the status codes
    and the time of the signal."""
    limits = httpx.Limits(max_connections=REQUESTS)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30
    ) as client:
        await wait_until_up(client, server)

        async def post(n: int) -> int:
            body = {
                "recipient": f"user{n % 11}@example.test",
                "channel": CHANNELS[n % len(CHANNELS)],
                "subject": f"load {n}",
            }
            try:
                response = await client.post("/api/v1/notifications", json=body)
            except httpx.TransportError:
                return 0  # refused or cut off by the shutdown
            return response.status_code

        codes: list[int] = []
        signalled_at = 0.0
        for answer in asyncio.as_completed([post(n) for n in range(REQUESTS)]):
            codes.append(await answer)
            if len(codes) == SIGNAL_AFTER:
                server.send_signal(signal.SIGINT)
                signalled_at = time.monotonic()
    return codes, signalled_at


@pytest.mark.timeout(180)
def test_sigint_under_load_stops_within_the_drain_timeout_leaving_nothing_pending(
    app_root: Path, tmp_path: Path
) -> None:
    environment = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "HERALD_DATA_DIR": str(tmp_path / "data"),
        "HERALD_LOG_LEVEL": "INFO",
        "HERALD_SHUTDOWN_TIMEOUT": str(DRAIN_TIMEOUT),
        "HERALD_RETRY_BACKOFF": str(RETRY_BACKOFF),
        "HERALD_DELIVERY_LOG_FLUSH": "0.05",
        "HERALD_METRICS_FLUSH": "0.05",
        "HERALD_MONITOR_INTERVAL": "0.1",
        "HERALD_RATE_LIMIT": "100000",
        "HERALD_RATE_LIMIT_BURST": "100000",
    }
    command = [
        sys.executable, "-m", "uvicorn", "herald.main:app", "--app-dir", str(app_root),
        "--host", "127.0.0.1", "--port", str(free_port()),
    ]  # fmt: skip
    port = int(command[-1])
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command, cwd=tmp_path, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            codes, signalled_at = run(load(port, server), timeout=120)
            exit_code = server.wait(timeout=120)
            took = time.monotonic() - signalled_at
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
    log_text = log_path.read_text(errors="replace")

    assert codes.count(202) >= SIGNAL_AFTER // 2, (codes, log_text)
    assert exit_code == 0, log_text
    assert took < SHUTDOWN_BOUND, f"shutdown took {took:.1f}s\n{log_text}"
    for forbidden in FORBIDDEN:
        assert forbidden not in log_text, log_text
    herald = [m.group(2) for m in map(HERALD_LINE.match, log_text.splitlines()) if m]
    assert "herald stopping" in herald and herald[-1] == "herald stopped", log_text
