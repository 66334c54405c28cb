"""Developer tools: run as scripts (python tools/NAME.py); a package only so tests can import their helpers."""
