"""Step executors: pluggable coroutines that run one step of a workflow."""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class StepError(Exception):
    """A step failed; the message names the step."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"step {step!r} failed: {reason}")
        self.step = step
        self.reason = reason


class StepExecutor(Protocol):
    async def __call__(
        self, params: Mapping[str, Any], data: dict[str, Any]
    ) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One step of a workflow configuration."""

    name: str
    executor: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_record(self) -> dict[str, Any]:
        return {"name": self.name, "executor": self.executor, "params": self.params}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> "StepSpec":
        return cls(str(record["name"]), str(record["executor"]), dict(record["params"]))


async def echo(params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The input, updated with the step's params."""
    return {**data, **params}


async def sleep(params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Wait ``params["seconds"]``, then pass the input on."""
    seconds = params.get("seconds", 0)
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        raise ValueError("'seconds' must be a non-negative number")
    await asyncio.sleep(seconds)
    return data


async def fail(params: Mapping[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Always fails, with ``params["message"]``."""
    raise RuntimeError(str(params.get("message", "step failed on purpose")))


class AgentAdapter:
    """Runs steps with the executor each names; executors are registered by name."""

    def __init__(self, executors: Mapping[str, StepExecutor] | None = None) -> None:
        defaults: dict[str, StepExecutor] = {"echo": echo, "sleep": sleep, "fail": fail}
        self._executors = dict(defaults if executors is None else executors)

    def register(self, name: str, executor: StepExecutor) -> None:
        self._executors[name] = executor

    def knows(self, name: str) -> bool:
        return name in self._executors

    async def run_step(self, step: StepSpec, data: dict[str, Any]) -> dict[str, Any]:
        """The step's output; any failure becomes a ``StepError`` naming the step."""
        executor = self._executors.get(step.executor)
        if executor is None:
            raise StepError(step.name, f"unknown executor {step.executor!r}")
        try:
            return await executor(step.params, data)
        except Exception as exc:
            raise StepError(step.name, str(exc) or type(exc).__name__) from exc

    def __repr__(self) -> str:
        return f"AgentAdapter(executors={sorted(self._executors)})"
