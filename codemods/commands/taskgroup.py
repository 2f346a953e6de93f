"""The adapters ``python -m libcst.tool codemod`` runs, by each codemod's class name
(see the package): a LibCST ``CodemodCommand`` around each codemod, which is not one.

Built from the registry, so a new codemod is offered here without another line. A
codemod that needs the whole run gets an adapter too, unlisted, that refuses when named
(``taskgroup.SyncStart``), before any file is read.
"""

from __future__ import annotations

import argparse
from abc import ABC
from typing import ClassVar

import libcst as cst
from libcst.codemod import CodemodCommand

from codemods.rules.codemod import (
    Codemod,
    CodemodContext,
    apply_codemod,
    codemod_class,
)
from codemods.rules.registry import CODEMODS

__all__: list[str] = []


class TaskgroupCommand(CodemodCommand, ABC):  # ABC: a base, which `list` skips
    """Runs ``CODEMOD`` on the file LibCST hands it, with the default settings."""

    CODEMOD: ClassVar[type[Codemod]]

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        theirs = self.context
        ours = CodemodContext(
            filename=theirs.filename,
            full_module_name=theirs.full_module_name,
            full_package_name=theirs.full_package_name,
            wrapper=theirs.wrapper,
        )
        try:
            return apply_codemod(self.CODEMOD, ours, None)
        finally:
            for warning in ours.warnings:
                self.warn(warning)


class WholeRunCommand(TaskgroupCommand, ABC):
    """A codemod that needs the whole run: named, it refuses, naming ``codemods run``."""

    @classmethod
    def add_args(cls, arg_parser: argparse.ArgumentParser) -> None:
        # LibCST asks a command for its arguments before it reads any file.
        cls.CODEMOD.refuse_single_file_run()


def _adapter(codemod: type[Codemod]) -> type[TaskgroupCommand]:
    namespace = {
        "CODEMOD": codemod,
        "DESCRIPTION": codemod.SPEC.description,
        # Found here by name: LibCST pickles the command for its worker processes.
        "__module__": __name__,
        "__qualname__": codemod.__name__,
    }
    if codemod.SPEC.whole_run_reason is None:
        return type(codemod.__name__, (TaskgroupCommand,), namespace)
    # ``ABC`` among its own bases: ``libcst.tool list`` does not offer it.
    return type(codemod.__name__, (WholeRunCommand, ABC), namespace)


for _spec in CODEMODS:
    _command = _adapter(codemod_class(_spec))
    globals()[_spec.class_name] = _command
    if _spec.whole_run_reason is None:
        __all__.append(_spec.class_name)
