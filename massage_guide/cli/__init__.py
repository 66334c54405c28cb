"""The command line: the parser and one module per command group (``massage-guide COMMAND``)."""

from massage_guide.cli.parser import main

__all__ = ["main"]
