"""Workflow orchestration: configurations, executions, step executors, event bus."""
