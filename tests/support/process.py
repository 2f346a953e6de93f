"""Running a script in a Python process of its own: what a CLI run imports there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_python(script: str, *args: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``script`` run by a Python process of its own (with the cache on), which must
    succeed."""
    env = {k: v for k, v in os.environ.items() if k != "CODEMODS_NO_CACHE"}
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done
