"""Repository-wide facts and the project index that cross-file codemods consult.

``facts`` and ``index`` are plain Python (no LibCST), so the parent process builds
the index from what the workers collected without importing LibCST; ``collect`` and
``inference`` read LibCST trees and run in the workers.
"""
