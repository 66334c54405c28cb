"""Entry point for ``python -m massage_guide``."""

from massage_guide.cli import main

raise SystemExit(main())
