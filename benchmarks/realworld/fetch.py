"""Download a pinned source distribution once and unpack it (no network on a rerun)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from .projects import Project


def _normalised(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def find_sdist(project: Project, folder: Path) -> Path | None:
    wanted = f"{_normalised(project.name)}-{project.version}"
    for candidate in sorted(folder.iterdir()) if folder.is_dir() else ():
        stem = candidate.name.removesuffix(".tar.gz").removesuffix(".zip")
        if stem != candidate.name and _normalised(stem) == _normalised(wanted):
            return candidate
    return None


def download(project: Project, folder: Path) -> Path:
    """The sdist of `project` in `folder`, fetched with pip unless already there."""
    found = find_sdist(project, folder)
    if found is not None:
        return found
    folder.mkdir(parents=True, exist_ok=True)
    # --no-binary for this name only: its build dependencies may come as wheels.
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--no-binary",
        project.name,
        "--dest",
        str(folder),
        project.pin,
    ]
    subprocess.run(command, check=True, timeout=600)
    found = find_sdist(project, folder)
    if found is None:
        raise RuntimeError(
            f"pip download {project.pin} left no source distribution in {folder}"
        )
    return found


def unpack(sdist: Path, destination: Path) -> Path:
    """Unpack `sdist` into `destination` (replaced); return the project's root."""
    if destination.exists():
        shutil.rmtree(destination)
    staging = destination.with_name(destination.name + ".unpacking")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    if sdist.name.endswith(".zip"):
        with zipfile.ZipFile(sdist) as archive:
            archive.extractall(staging)
    else:
        with tarfile.open(sdist) as archive:
            archive.extractall(staging, filter="data")
    children = list(staging.iterdir())
    root = children[0] if len(children) == 1 and children[0].is_dir() else staging
    root.rename(destination)
    shutil.rmtree(staging, ignore_errors=True)
    return destination
