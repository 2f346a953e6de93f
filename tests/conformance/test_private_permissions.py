"""Private modes are enforced, not only requested: directories 0700 and the database
file 0600, whether they are created now, whatever the umask, or existed before.

Before: with a data directory made beforehand as 0755, ``resync.db`` was 0644 and
``audit/`` stayed 0755.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conformance.support import fill_trail, run, served

BOOT_TYPEERROR = "legacy boot: start() got an unexpected keyword argument 'tg'"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def audit_directories(config: Any) -> list[Path]:
    storage = Path(config.storage_dir)
    return [storage, storage / "blocks", storage / "archive", config.key_file.parent]


@pytest.mark.parametrize("stored", [False, True], ids=["new trail", "stored trail"])
def test_existing_audit_directories_are_made_private(
    impl: SimpleNamespace, audit_config: Callable[..., Any], stored: bool
) -> None:
    config = audit_config()
    if stored:
        fill_trail(impl, config, blocks=1, per_block=1)
    for directory in audit_directories(config):
        directory.mkdir(mode=0o755, exist_ok=True)
        os.chmod(directory, 0o755)

    fill_trail(impl, config, blocks=1, per_block=1)

    assert {str(d): mode(d) for d in audit_directories(config)} == {
        str(d): 0o700 for d in audit_directories(config)
    }
    files = [p for p in Path(config.storage_dir).rglob("*") if p.is_file()]
    files += [p for p in config.key_file.parent.iterdir()]
    assert files and {mode(path) for path in files} == {0o600}


def test_new_audit_directories_are_private_whatever_the_umask(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    tmp_path: Path,
    open_umask: None,
) -> None:
    config = audit_config(
        storage_dir=tmp_path / "deep" / "er" / "audit",
        key_file=tmp_path / "secrets" / "keys" / "audit-keys.json",
    )
    impl.EncryptedAuditTrail(config)
    created = [
        *audit_directories(config),
        tmp_path / "deep",
        tmp_path / "deep" / "er",
        tmp_path / "secrets",
    ]
    assert {str(d): mode(d) for d in created} == {str(d): 0o700 for d in created}


@pytest.mark.legacy_broken(BOOT_TYPEERROR)
@pytest.mark.parametrize("existing", [True, False], ids=["existing", "new"])
def test_the_data_directory_and_database_are_private(
    impl: SimpleNamespace,
    audit_config: Callable[..., Any],
    tmp_path: Path,
    existing: bool,
) -> None:
    data = tmp_path / "data"
    database = data / "resync.db"
    if existing:
        (data / "audit").mkdir(parents=True)
        database.touch()
        for path, loose in ((data, 0o755), (data / "audit", 0o755), (database, 0o644)):
            os.chmod(path, loose)
    settings = impl.Settings(
        data_dir=data,
        database_url=f"sqlite+aiosqlite:///{database}",
        audit=audit_config(
            storage_dir=data / "audit", key_file=data / "keys" / "audit-keys.json"
        ),
    )

    async def scenario() -> None:
        async with served(impl.create_app(settings)) as client:
            response = await client.post(
                "/api/v1/audit/events", json={"event_type": "a", "action": "b"}
            )
            assert response.status_code == 201

    run(scenario())
    assert (mode(data), mode(data / "audit"), mode(database)) == (0o700, 0o700, 0o600)
    assert {mode(path) for path in data.glob("resync.db*")} == {0o600}
