"""TG006 unawaited-coroutine and TG002's all-or-nothing conversion across files, from
the command line: what a write leaves is still a finding for ``check``."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import invoke, write

HEARTBEAT = """
import asyncio


class Heartbeat:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        await asyncio.sleep(1)
"""


def _shown(path: Path) -> str:
    return str(path)


def _findings(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": TG0" in line]


def test_a_caller_in_another_file_blocks_the_whole_group(tmp_path: Path) -> None:
    write(tmp_path, "app/__init__.py", "")
    heartbeat = write(tmp_path, "app/heartbeat.py", HEARTBEAT)
    tunnel = write(
        tmp_path,
        "app/tunnel.py",
        """
        from app.heartbeat import Heartbeat


        class Tunnel:
            def __init__(self, heartbeat: Heartbeat) -> None:
                self.heartbeat = heartbeat

            async def connect(self) -> None:
                self.heartbeat.start()

            def start_heartbeat(self) -> None:
                self.heartbeat.start()
        """,
    )
    before = {path: path.read_bytes() for path in (heartbeat, tunnel)}
    result = invoke("run", "--write", "--select", "TG002", tmp_path)
    assert {path: path.read_bytes() for path in before} == before, "nothing written"
    assert _findings(result.stdout) == [
        f"{_shown(heartbeat)}:8:5: TG002 `Heartbeat.start()` starts background tasks "
        "but stays synchronous: it is used where a coroutine cannot follow: "
        f"{_shown(tunnel)}:12 (synchronous `Tunnel.start_heartbeat()` calls it); "
        "convert the family by hand"
    ]
    assert invoke("check", "--select", "TG002", tmp_path).exit_code == 1


def test_check_after_a_partial_migration_exits_1(tmp_path: Path) -> None:
    """A `start` made async by hand (or by an earlier run) whose caller did not
    follow: the tree is broken, and ``check`` says so."""
    write(tmp_path, "app/__init__.py", "")
    write(
        tmp_path,
        "app/heartbeat.py",
        """
        import asyncio


        class Heartbeat:
            async def start(self, tg: asyncio.TaskGroup | None = None) -> None:
                await asyncio.sleep(0)
        """,
    )
    caller = write(
        tmp_path,
        "app/tunnel.py",
        """
        from app.heartbeat import Heartbeat


        def start_heartbeat(heartbeat: Heartbeat) -> None:
            heartbeat.start()


        async def connect(heartbeat: Heartbeat) -> None:
            heartbeat.start()
        """,
    )
    check = invoke("check", tmp_path)
    assert check.exit_code == 1
    assert _findings(check.stdout) == [
        f"{_shown(caller)}:5:5: TG006 `heartbeat.start()` creates a coroutine of "
        "`Heartbeat.start()` that never runs, from synchronous `start_heartbeat()`: "
        "make the caller async and await it",
        f"{_shown(caller)}:9:5: TG006 await `heartbeat.start()`: "
        "`Heartbeat.start()` is a coroutine function",
    ]
    write_run = invoke("run", "--write", tmp_path)
    assert write_run.exit_code == 0
    assert "    await heartbeat.start()\n" in caller.read_text()
    final = invoke("check", tmp_path)
    assert final.exit_code == 1, "the synchronous caller is still left"
    assert len(_findings(final.stdout)) == 1


def test_a_converted_group_leaves_nothing_for_check(tmp_path: Path) -> None:
    write(tmp_path, "app/__init__.py", "")
    write(tmp_path, "app/heartbeat.py", HEARTBEAT)
    write(
        tmp_path,
        "app/tunnel.py",
        """
        from app.heartbeat import Heartbeat


        async def connect(heartbeat: Heartbeat) -> None:
            heartbeat.start()
        """,
    )
    assert invoke("run", "--write", "--select", "TG002,TG006", tmp_path).exit_code == 0
    check = invoke("check", "--select", "TG002,TG006", tmp_path)
    assert (check.exit_code, _findings(check.stdout)) == (0, [])


def test_a_distributions_public_api_is_converted_only_when_configured(
    tmp_path: Path,
) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "beats"\nversion = "1.0"\n')
    module = write(tmp_path, "src/beats/__init__.py", HEARTBEAT)
    result = invoke("run", "--select", "TG002", tmp_path)
    (finding,) = _findings(result.stdout)
    assert finding == (
        f"{_shown(module)}:8:5: TG002 `Heartbeat.start()` starts background tasks but "
        "stays synchronous: it is public API of this distribution: callers outside "
        "the repository would call it without await; to convert it, set "
        "`convert-public-api = true` in `[tool.codemods.TG002]`; convert the family "
        "by hand"
    )
    write(
        tmp_path,
        "pyproject.toml",
        """
        [project]
        name = "beats"
        version = "1.0"

        [tool.codemods.TG002]
        convert-public-api = true
        """,
    )
    converted = invoke("run", "--select", "TG002", tmp_path)
    assert "+    async def start(self, tg: asyncio.TaskGroup | None = None)" in (
        converted.stdout
    )


def test_a_synchronous_module_calling_another_modules_coroutines(
    tmp_path: Path,
) -> None:
    """No `async def` in the caller and no question pending anywhere: the module
    defining the coroutine functions is indexed, and its callers are found in the
    next round by the names they spell."""
    write(tmp_path, "app/__init__.py", "")
    write(
        tmp_path,
        "app/client.py",
        """
        import asyncio


        async def fetch() -> int:
            await asyncio.sleep(0)
            return 1


        class Client:
            async def connect(self) -> None:
                await asyncio.sleep(0)
        """,
    )
    caller = write(
        tmp_path,
        "app/cli.py",
        """
        from app.client import Client, fetch


        def main() -> None:
            fetch()
            Client().connect()
        """,
    )
    check = invoke("check", "--select", "TG006", tmp_path)
    assert check.exit_code == 1
    assert _findings(check.stdout) == [
        f"{_shown(caller)}:5:5: TG006 `fetch()` creates a coroutine of `fetch()` "
        "that never runs, from synchronous `main()`: make the caller async and "
        "await it",
        f"{_shown(caller)}:6:5: TG006 `Client().connect()` creates a coroutine of "
        "`Client.connect()` that never runs, from synchronous `main()`: make the "
        "caller async and await it",
    ]
