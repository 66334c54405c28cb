#!/usr/bin/env python3
"""Writes the table of every setting in docs/settings.md from the settings specs: ``python tools/settings_doc.py``.

The table sits between two markers; the rest of the page is written by hand. ``--check`` (and a test) fails
when the table no longer matches the specs, so a default, a range or a doc line is described in one place.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script (tools/ first on sys.path): the repository root makes the package importable.
sys.path.insert(0, str(ROOT))

from massage_guide.core.setting_specs import Group, Kind, SettingSpec, specs  # noqa: E402
from massage_guide.core.settings import Settings  # noqa: E402

DOC = ROOT / "docs" / "settings.md"
BEGIN = "<!-- settings table: made by tools/settings_doc.py from core/settings.py; do not edit by hand -->"
END = "<!-- end of the settings table -->"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    return str(value)


def _default(spec: SettingSpec) -> str:
    if spec.default_doc:
        return spec.default_doc
    return f"`{_scalar(spec.kind.to_yaml(spec.default))}`"


def _rows(all_specs: tuple[SettingSpec, ...], prefix: str = "") -> list[str]:
    rows = []
    for spec in all_specs:
        kind: Kind = spec.kind
        cells = (f"`{prefix}{spec.name}`", kind.values_doc(), _default(spec), spec.doc)
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        if isinstance(kind, Group):
            rows.extend(_rows(specs(kind.cls), f"{prefix}{spec.name}."))
    return rows


def table() -> str:
    """The Markdown table, markers included."""
    lines = [
        BEGIN,
        "| key | values | default | what it does |",
        "|---|---|---|---|",
        *_rows(specs(Settings)),
        END,
    ]
    return "\n".join(lines)


def rendered(text: str) -> str:
    """``text`` (the page) with its table replaced by the current one."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + table() + text[end:]


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    wanted = rendered(text)
    if "--check" in argv:
        if wanted != text:
            print(f"{DOC} is stale: run python tools/settings_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
