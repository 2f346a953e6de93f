"""Application settings, read from ``RESYNC_*`` environment variables."""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from resync.core.audit.config import AuditConfig


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    audit: AuditConfig
    #: How long running executions may go on at shutdown before they are cancelled.
    drain_timeout_seconds: float = 10.0
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "Settings":
        """Settings from *environ*; ``ValueError`` names an invalid variable.

        ``RESYNC_DATA_DIR`` (default ``./resync-data``) holds the SQLite database,
        the audit blocks and the key file; ``RESYNC_DATABASE_URL`` overrides the
        database. See ``docs/reference.md`` for the other variables.
        """
        read = _Reader(environ)
        data_dir = Path(environ.get("RESYNC_DATA_DIR", "resync-data")).absolute()
        default = AuditConfig(data_dir / "audit", data_dir / "keys" / "audit-keys.json")
        audit = AuditConfig(
            storage_dir=default.storage_dir,
            key_file=default.key_file,
            max_memory_entries=read.integer(
                "RESYNC_AUDIT_MAX_MEMORY_ENTRIES", default.max_memory_entries
            ),
            flush_batch_size=read.integer(
                "RESYNC_AUDIT_FLUSH_BATCH_SIZE", default.flush_batch_size
            ),
            flush_interval_seconds=read.number(
                "RESYNC_AUDIT_FLUSH_INTERVAL", default.flush_interval_seconds
            ),
            buffer_full_timeout_seconds=read.number(
                "RESYNC_AUDIT_BUFFER_TIMEOUT", default.buffer_full_timeout_seconds
            ),
            archive_after_seconds=read.number(
                "RESYNC_AUDIT_ARCHIVE_AFTER", default.archive_after_seconds
            ),
            archive_interval_seconds=read.number(
                "RESYNC_AUDIT_ARCHIVE_INTERVAL", default.archive_interval_seconds
            ),
            verify_interval_seconds=read.number(
                "RESYNC_AUDIT_VERIFY_INTERVAL", default.verify_interval_seconds
            ),
            stop_timeout_seconds=read.number(
                "RESYNC_AUDIT_STOP_TIMEOUT", default.stop_timeout_seconds
            ),
        )
        database_url = environ.get(
            "RESYNC_DATABASE_URL", f"sqlite+aiosqlite:///{data_dir / 'resync.db'}"
        )
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            audit=audit,
            drain_timeout_seconds=read.number("RESYNC_DRAIN_TIMEOUT", 10.0),
            log_level=environ.get("RESYNC_LOG_LEVEL", "INFO").upper(),
        )


class _Reader:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def integer(self, name: str, default: int) -> int:
        raw = self.environ.get(name)
        try:
            return default if raw is None else int(raw)
        except ValueError:
            raise ValueError(f"{name} must be an integer, not {raw!r}") from None

    def number(self, name: str, default: float) -> float:
        raw = self.environ.get(name)
        try:
            return default if raw is None else float(raw)
        except ValueError:
            raise ValueError(f"{name} must be a number, not {raw!r}") from None
