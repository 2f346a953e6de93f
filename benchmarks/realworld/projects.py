"""The pinned project list (`projects.toml`) as plain dataclasses."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECTS_FILE = Path(__file__).with_name("projects.toml")
KINDS = {
    "protocol client",
    "bot",
    "broker/queue",
    "home automation",
    "web service",
    "application",
}


@dataclass(frozen=True)
class TestSuite:
    run: bool
    how: str
    deps: tuple[str, ...] = ()
    command: tuple[str, ...] = ()
    import_root: str = "."
    timeout: int = 600


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    kind: str
    why: str
    tests: TestSuite = field(default_factory=lambda: TestSuite(run=False, how=""))

    @property
    def pin(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def slug(self) -> str:
        return f"{self.name}-{self.version}"


def _suite(table: dict[str, Any], where: str) -> TestSuite:
    unknown = set(table) - {"run", "how", "deps", "command", "import-root", "timeout"}
    if unknown:
        raise ValueError(f"{where}: unknown test keys {sorted(unknown)}")
    return TestSuite(
        run=bool(table.get("run", False)),
        how=str(table.get("how", "")),
        deps=tuple(str(dep) for dep in table.get("deps", ())),
        command=tuple(str(arg) for arg in table.get("command", ())),
        import_root=str(table.get("import-root", ".")),
        timeout=int(table.get("timeout", 600)),
    )


def load(path: Path = PROJECTS_FILE) -> list[Project]:
    """Every project in `path`, in file order; a malformed entry raises naming it."""
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("project", [])
    projects = []
    for number, entry in enumerate(entries, 1):
        where = f"{path.name}: project {number} ({entry.get('name', '?')})"
        missing = {"name", "version", "kind", "why"} - set(entry)
        if missing:
            raise ValueError(f"{where}: missing {sorted(missing)}")
        if entry["kind"] not in KINDS:
            raise ValueError(
                f"{where}: kind {entry['kind']!r} is not one of {sorted(KINDS)}"
            )
        projects.append(
            Project(
                name=entry["name"],
                version=entry["version"],
                kind=entry["kind"],
                why=entry["why"],
                tests=_suite(entry.get("tests", {}), where),
            )
        )
    names = [project.name for project in projects]
    if len(set(names)) != len(names):
        raise ValueError(f"{path.name}: a project is listed twice")
    return projects
