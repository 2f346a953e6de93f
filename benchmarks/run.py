"""Time `codemods` against its peers on one benchmark tree, alternating the commands.

    python benchmarks/make_corpus.py 20000 /tmp/corpus-20000
    python benchmarks/run.py /tmp/corpus-20000 --runs 5
    python benchmarks/make_corpus.py 500 /tmp/dense-500 --dense
    python benchmarks/run.py /tmp/dense-500 --small fixtures/legacy_app --small DIR

Besides the peers, the table has the floor a cold check is compared with, a bare LibCST
parse of every candidate file (`parse_floor.py`), and with `--small DIR` the
small-repository case: a cold check of DIR (copied outside any checkout) against Ruff
on it and against Python's start with LibCST's import.

Every command runs on the same tree, round after round (A B C ... A B C ...), so a slow
spell of the machine hits them all alike. Wall time is measured around the whole process;
peak memory is the largest resident set of any process of the command's tree, sampled
from /proc (and never below what `resource` reports for waited-for children).
Prints medians, min-max, files/s, peak RSS and each command's ratio to ours.
"""

from __future__ import annotations

import argparse
import atexit
import compileall
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TRIGGERS = "track_task|create_task|ensure_future"
# The ruff beside this Python (the dev extras install it), else the one on PATH.
_BESIDE = Path(sys.executable).with_name("ruff")
RUFF = str(_BESIDE) if _BESIDE.exists() else "ruff"
# Which of our runs each command is compared with (default: our cold check).
REFERENCE = {
    "ruff_warm": "warm",
    "warm": "warm",
    "libcst": "tg001",
    "tg001": "tg001",
    "tg003": "tg003",
    "import_libcst": "-",
}
PARSE_FLOOR = Path(__file__).with_name("parse_floor.py")


@dataclass
class Command:
    key: str
    label: str
    argv: list[str]
    runs: int
    prime: bool = False
    # Where it runs (None: the tree), how many files it sees (None: the tree's), and
    # which command its ratio is over (None: ``REFERENCE``).
    cwd: Path | None = None
    files: int | None = None
    reference: str | None = None
    times: list[float] = field(default_factory=list)
    # User + system seconds of the command's process tree (see ``measure``).
    cpu: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0


def commands(tree: Path, runs: int, libcst_runs: int, jobs: int) -> list[Command]:
    codemods = [sys.executable, "-m", "codemods"]
    cache = ["--cache-dir", str(tree / ".codemods_cache")]
    grep = (
        ["rg", "-l", "--type", "py", TRIGGERS, "."]
        if shutil.which("rg")
        else ["grep", "-rlE", "--include=*.py", TRIGGERS, "."]
    )
    return [
        Command("cold", f"codemods check cold (-j {jobs})",
                [*codemods, "check", "--no-cache", "-j", str(jobs), "."], runs),
        Command("cold1", "codemods check cold (-j 1)",
                [*codemods, "check", "--no-cache", "-j", "1", "."], runs),
        Command("tg001", f"codemods check --select TG001 cold (-j {jobs})",
                [*codemods, "check", "--select", "TG001", "--no-cache", "-j", str(jobs), "."],
                runs),
        # TG003 is the rule Ruff's RUF006 is: a task whose result is thrown away.
        Command("tg003", f"codemods check --select TG003 cold (-j {jobs})",
                [*codemods, "check", "--select", "TG003", "--no-cache", "-j", str(jobs), "."],
                runs),
        Command("warm", "codemods check warm", [*codemods, "check", *cache, "-j", str(jobs), "."],
                runs, prime=True),
        Command("dry", "codemods run (dry run, no cache)",
                [*codemods, "run", "--no-cache", "-j", str(jobs), "."], runs),
        Command("libcst", f"python -m libcst.tool codemod TG001 (-j {jobs})",
                [sys.executable, "-m", "libcst.tool", "codemod", f"--jobs={jobs}",
                 "--unified-diff=3", "--no-format", "--hide-progress",
                 "taskgroup.LegacyTracker", "."],
                libcst_runs),
        Command("ruff_cold", "ruff check --select RUF006 --no-cache",
                [RUFF, "check", "--select", "RUF006", "--no-cache", "--exit-zero", "-q", "."],
                runs),
        Command("ruff_warm", "ruff check --select RUF006 (warm cache)",
                [RUFF, "check", "--select", "RUF006", "--exit-zero", "-q", "."], runs, prime=True),
        Command("grep", " ".join(grep[:2]) + " <trigger words>", grep, runs),
        Command("parse", f"bare LibCST parse of the candidates (-j {jobs})",
                [sys.executable, str(PARSE_FLOOR), "-j", str(jobs), "."], runs),
    ]  # fmt: skip


def small_commands(name: str, copy: Path, runs: int) -> list[Command]:
    """The small-repository case on ``copy``: our cold check (default workers, as a
    pre-commit hook runs it), Ruff's, and Python's start with LibCST's import. Ours
    says the target Python: a project declaring an older one would otherwise be
    refused at once (a usage error, exit 2), and that refusal is not the work."""
    files = sum(1 for _ in copy.rglob("*.py"))
    key = f"small_{name}"
    return [
        Command(key, f"{name} ({files} files): codemods check cold",
                [sys.executable, "-m", "codemods", "check", "--no-cache",
                 "--target-version", "3.11", "."], runs,
                cwd=copy, files=files, reference=key),
        Command(f"{key}_ruff", f"{name}: ruff --select RUF006 --no-cache",
                [RUFF, "check", "--select", "RUF006", "--no-cache", "--exit-zero", "-q", "."],
                runs, cwd=copy, files=files, reference=key),
    ]  # fmt: skip


def small_copies(dirs: list[Path]) -> list[tuple[str, Path]]:
    """Each of ``dirs`` copied into a scratch folder outside any checkout (removed at
    exit), by the name of its folder."""
    scratch = Path(tempfile.mkdtemp(prefix="codemods-small-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    copies = []
    for folder in dirs:
        copy = scratch / folder.resolve().name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("__pycache__"))
        copies.append((folder.resolve().name, copy))
    return copies


class PeakSampler(threading.Thread):
    """Largest RSS of any process descending from ``root_pid`` while it runs, and the
    CPU seconds (user + system) each of them had used when last seen."""

    def __init__(self, root_pid: int) -> None:
        super().__init__(daemon=True)
        self.root_pid = root_pid
        self.peak_kb = 0
        self.cpu_ticks: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for pid in self._tree():
                self.peak_kb = max(self.peak_kb, _rss_kb(pid))
            self.done.wait(0.05)

    @property
    def cpu(self) -> float:
        """The tree's CPU seconds, as sampled: a process's last 50 ms may be missed."""
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    def _tree(self) -> set[int]:
        parents: dict[int, int] = {}
        ticks: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                fields = stat.rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
                ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime, stime
        tree = {self.root_pid}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        for pid in tree & ticks.keys():
            self.cpu_ticks[pid] = max(self.cpu_ticks.get(pid, 0), ticks[pid])
        return tree


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: Command, tree: Path) -> None:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    process = subprocess.Popen(
        command.argv,
        cwd=command.cwd or tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sampler = PeakSampler(process.pid)
    if sys.platform == "linux":
        sampler.start()
    code = process.wait()
    elapsed = time.perf_counter() - start
    if code == 2 and command.argv[1:3] == ["-m", "codemods"]:
        raise SystemExit(
            f"{command.label}: exit 2 (a usage error), so no work was timed;"
            f" run `{' '.join(command.argv[2:])}` in {command.cwd or tree}"
        )
    sampler.done.set()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = usage.ru_maxrss
    command.times.append(elapsed)
    # Exact for what the command waited for; the pool's workers, children of the
    # forkserver, are not waited for: the sampled tree counts them.
    command.cpu.append(max(usage.ru_utime + usage.ru_stime - cpu_before, sampler.cpu))
    peak_kb = max(sampler.peak_kb, after if after > before else 0)
    command.peak_rss_mb = max(command.peak_rss_mb, peak_kb / 1024)


def report(results: list[Command], files: int, machine: str) -> str:
    ours = {c.key: statistics.median(c.times) for c in results if c.times}
    lines = [f"{files} files; {machine}", ""]
    header = (
        f"{'command':48} {'median s':>9} {'min-max s':>15} {'files/s':>9}"
        f" {'peak MB':>8} {'ratio':>9}"
    )
    lines += [header, "-" * len(header)]
    for command in results:
        if not command.times:
            continue
        median = statistics.median(command.times)
        reference = ours.get(command.reference or REFERENCE.get(command.key, "cold"))
        ratio = f"{median / reference:8.2f}x" if reference else "-"
        spread = f"{min(command.times):.2f}-{max(command.times):.2f}"
        seen = files if command.files is None else command.files
        lines.append(
            f"{command.label:48} {median:9.2f} {spread:>15} {seen / median:9.0f} "
            f"{command.peak_rss_mb:8.0f} {ratio:>9}"
        )
    lines += [
        "",
        "ratio: the command's median time over ours: over our warm check for "
        "ruff's warm cache, over our TG001-only check for libcst.tool (the "
        "equivalent command), over our check of the same small repository for the "
        "small case, else over our cold check (every codemod). Above 1: we are "
        "faster.",
    ]
    return "\n".join([*lines, "", *targets(ours, results)])


def targets(ours: dict[str, float], results: list[Command]) -> list[str]:
    """Issues 6's and 22's targets, as the figures above say (a line for each one
    measured). Which apply depends on the tree: the ones of issue 22 are the dense
    tree's and the small repositories'."""
    cpu = {c.key: statistics.median(c.cpu) for c in results if c.cpu}

    def ratio(slow: str, fast: str) -> float | None:
        return ours[slow] / ours[fast] if slow in ours and fast in ours else None

    found = ["targets:"]
    checks = [
        (
            "cold check vs libcst.tool, the equivalent command (TG001 alone)",
            ratio("libcst", "tg001"),
            ">= 50x faster, dense tree >= 20x",
            lambda r: r >= 50,
            "faster",
        ),
        (
            "cold check, every codemod, vs a bare LibCST parse of the candidates",
            ratio("cold", "parse"),
            "<= 1.5x slower (dense tree)",
            lambda r: r <= 1.5,
            "slower",
        ),
        (
            "cold check, every codemod, vs ruff --no-cache",
            ratio("cold", "ruff_cold"),
            "<= 5x slower",
            lambda r: r <= 5,
            "slower",
        ),
        (
            "cold check, TG003 alone (the rule RUF006 is), vs ruff --no-cache",
            ratio("tg003", "ruff_cold"),
            "<= 5x slower",
            lambda r: r <= 5,
            "slower",
        ),
        (
            "warm check vs ruff's warm cache",
            ratio("warm", "ruff_warm"),
            "<= 3x slower",
            lambda r: r <= 3,
            "slower",
        ),
        (
            "-j 2 vs -j 1, cold",
            ratio("cold1", "cold"),
            ">= 1.7x faster",
            lambda r: r >= 1.7,
            "faster",
        ),
    ]
    checks += [
        (
            f"small repository {key.removeprefix('small_')}: cold check, {how}",
            seconds,
            "< 0.3 s",
            lambda seconds: seconds < 0.3,
            "s",
        )
        for key in sorted(ours)
        if key.startswith("small_") and not key.endswith("_ruff")
        for how, seconds in (("wall", ours[key]), ("CPU", cpu.get(key)))
    ]
    for label, value, target, holds, how in checks:
        if value is not None:
            verdict = "holds" if holds(value) else "misses"
            shown = f"{value:.2f} s" if how == "s" else f"{value:.2f}x {how}"
            found.append(f"  {label}: {shown} (target {target}): {verdict}")
    ours_peak = [
        c.peak_rss_mb for c in results if c.times and c.argv[2:3] == ["codemods"]
    ]
    if ours_peak:
        peak = max(ours_peak)
        verdict = "holds" if peak < 300 else "misses"
        found.append(
            f"  peak RSS of any process of ours: {peak:.0f} MB (target < 300 MB): "
            f"{verdict}"
        )
    return found


def _tool_versions() -> str:
    versions = []
    for argv in ([RUFF, "--version"], ["rg", "--version"]):
        try:
            out = subprocess.run(argv, capture_output=True, text=True).stdout
        except OSError:
            continue
        versions.append(out.splitlines()[0] if out else argv[0])
    from importlib.metadata import version

    versions.append(f"libcst {version('libcst')}")
    return ", ".join(versions)


def _byte_compile_package() -> None:
    """Byte-compile our package as installing a wheel does. From a source checkout (an
    editable install) with PYTHONDONTWRITEBYTECODE set, every run would compile all of
    it again: about 0.1 s, a third of a warm check."""
    import codemods

    compileall.compile_dir(Path(codemods.__file__).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per command (default 5)"
    )
    parser.add_argument(
        "--libcst-runs",
        type=int,
        default=5,
        help="runs of libcst.tool (slow: about half an hour each on 20,000 files)",
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the raw timings here")
    parser.add_argument(
        "--small",
        type=Path,
        action="append",
        default=[],
        help="a small repository to check too (repeatable): "
        "fixtures/legacy_app, a real-world project under 50 files",
    )
    parser.add_argument(
        "--only",
        help="comma-separated command keys to run (default: all): "
        "cold, cold1, tg001, tg003, warm, dry, libcst, ruff_cold, ruff_warm, "
        "grep, parse; the --small commands always run",
    )
    args = parser.parse_args()
    tree = args.tree.resolve()
    outer = next((d for d in tree.parents if (d / ".git").exists()), None)
    if outer is not None and not (tree / ".git").exists():
        parser.error(
            f"{tree} is inside the git repository {outer}, whose .gitignore "
            "files the tools obey: build the tree outside it"
        )
    files = sum(1 for _ in tree.rglob("*.py"))
    planned = commands(tree, args.runs, args.libcst_runs, args.jobs)
    if args.only:
        keys = set(args.only.split(","))
        unknown = keys - {c.key for c in planned}
        if unknown:
            parser.error(f"unknown command keys: {', '.join(sorted(unknown))}")
        planned = [c for c in planned if c.key in keys]
    config = tree / ".libcst.codemod.yaml"
    if any(c.key == "libcst" and c.runs for c in planned) and (
        not config.exists() or "codemods.commands" not in config.read_text()
    ):
        # Else libcst.tool fails at once, not finding the command, and that is timed.
        parser.error(
            f"{config} does not name `codemods.commands`, where libcst.tool finds "
            "taskgroup.LegacyTracker: build the tree again with make_corpus.py"
        )
    for name, copy in small_copies(args.small):
        planned += small_commands(name, copy, args.runs)
    if args.small:
        planned.append(
            Command(
                "import_libcst",
                "python -c 'import libcst'",
                [sys.executable, "-c", "import libcst"],
                args.runs,
                cwd=Path(tempfile.gettempdir()),
                files=0,
            )
        )
    _byte_compile_package()
    for command in planned:
        if command.prime and command.runs:
            subprocess.run(
                command.argv,
                cwd=command.cwd or tree,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
    for round_number in range(max(c.runs for c in planned)):
        for command in planned:
            if round_number < command.runs:
                measure(command, tree)
                print(
                    f"round {round_number + 1}: {command.label}: {command.times[-1]:.2f} s",
                    file=sys.stderr,
                    flush=True,
                )
    machine = (
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, "
        f"Python {sys.version.split()[0]}, {_tool_versions()}"
    )
    print(report(planned, files, machine))
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                {
                    c.key: {
                        "label": c.label,
                        "times": c.times,
                        "cpu": c.cpu,
                        "peak_rss_mb": c.peak_rss_mb,
                    }
                    for c in planned
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
