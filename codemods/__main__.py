"""``python -m codemods``."""

from codemods.cli import main

main()
