"""The codemods ``python -m libcst.tool codemod`` may run, one file at a time.

Point LibCST at this package in ``.libcst.codemod.yaml`` (``modules:
["codemods.commands"]``): ``python -m libcst.tool list`` then shows them with their
descriptions, and ``python -m libcst.tool codemod taskgroup.LegacyTracker PATH`` runs
one with the default settings. Left out: the codemods whose result depends on more
than the file (TG002, TG005 and TG007 ask the project index; TG100 judges the
``# noqa`` directives the others used). They run only in ``codemods run``; named here
(``taskgroup.SyncStart``), they refuse. Our codemods are not LibCST commands
themselves (their base would import ``libcst.codemod`` into every check): the classes
here are adapters around them.
"""
