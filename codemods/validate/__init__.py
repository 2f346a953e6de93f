"""``codemods validate``: migrate a temporary copy of a tree and prove the result.

``command.validate`` is the entry point; ``project`` copies the tree and resolves its
``[tool.codemods.validate]`` settings, ``gates`` and ``compare`` hold the five gates,
``report`` prints them. See ``docs/ci-gate.md``.
"""
