"""``--format github``: workflow commands that annotate a pull request."""

from __future__ import annotations

from codemods.core.results import Summary


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str, path: str, line: int, col: int, title: str, message: str
) -> str:
    return (
        f"::{level} file={_property(path)},line={line},col={col},"
        f"title={_property(title)}::{_data(message)}"
    )


def render(summary: Summary, names: dict[str, str]) -> str:
    lines: list[str] = []
    for result in summary.results:
        if result.error is not None:
            error = result.error
            lines.append(
                annotation(
                    "error",
                    result.path,
                    error.line,
                    error.col,
                    f"codemods {error.kind} error",
                    error.message,
                )
            )
        for finding in result.findings:
            title = f"{finding.rule} {names.get(finding.rule, '')}".strip()
            lines.append(
                annotation(
                    "error",
                    result.path,
                    finding.line,
                    finding.col,
                    title,
                    finding.message,
                )
            )
    return "".join(f"{line}\n" for line in lines)
