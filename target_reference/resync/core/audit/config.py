"""Configuration of the encrypted audit trail."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class AuditConfig:
    """Where the audit trail keeps its files, and how its workers pace themselves.

    Intervals and timeouts are in seconds.
    """

    storage_dir: Path
    key_file: Path
    #: Capacity of the in-memory buffer of entries not yet written.
    max_memory_entries: int = 10_000
    #: Pending entries that wake the flush worker before its interval is over.
    flush_batch_size: int = 500
    flush_interval_seconds: float = 1.0
    #: Pause after a failed flush before the worker tries again.
    flush_retry_seconds: float = 1.0
    #: How long ``log_event`` waits for room in a full buffer before the oldest
    #: entries are dropped (counted and warned about).
    buffer_full_timeout_seconds: float = 30.0
    #: At most one "entries dropped" warning per this many seconds.
    drop_warning_interval_seconds: float = 10.0
    #: Blocks older than this are compressed into the archive.
    archive_after_seconds: float = 7 * 24 * 3600.0
    archive_interval_seconds: float = 3600.0
    verify_interval_seconds: float = 3600.0
    #: How long ``stop()`` waits for the workers before cancelling them.
    stop_timeout_seconds: float = 10.0
    #: Attempts of the final flush in ``stop()`` before it gives up and raises.
    final_flush_attempts: int = 3

    def __post_init__(self) -> None:
        if self.max_memory_entries < 1:
            raise ValueError("max_memory_entries must be at least 1")
        if self.flush_batch_size < 1:
            raise ValueError("flush_batch_size must be at least 1")
        if self.final_flush_attempts < 1:
            raise ValueError("final_flush_attempts must be at least 1")
        for name in (
            "flush_interval_seconds",
            "flush_retry_seconds",
            "buffer_full_timeout_seconds",
            "drop_warning_interval_seconds",
            "archive_after_seconds",
            "archive_interval_seconds",
            "verify_interval_seconds",
            "stop_timeout_seconds",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
