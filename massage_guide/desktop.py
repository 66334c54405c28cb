"""Desktop integration on Linux: the menu entry, the icon, AppStream metainfo and start at login (XDG)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from massage_guide.core import i18n
from massage_guide.core.i18n import N_

DESKTOP_ID: Final = "massage-guide"
ICON_NAME: Final = "massage-guide"
ICON_SIZES: Final = (16, 24, 32, 48, 64, 128, 256)
ICON_DIR: Final = Path(__file__).resolve().parent / "data" / "icons"
METAINFO_FILE: Final = Path(__file__).resolve().parent / "data" / f"{DESKTOP_ID}.metainfo.xml"
# The entry's words; a menu shows them in the desktop's language from the Key[lang]= lines written beside them.
GENERIC_NAME: Final = N_("Self-massage guide")
COMMENT: Final = N_("Guided self-massage and relaxation routines, with gentle break reminders")
# Translators: search words for the desktop's app menu, each followed by a semicolon.
KEYWORDS: Final = N_("massage;relax;break;stretch;sleep;")
# Characters the Desktop Entry spec reserves in Exec arguments: such an argument must be quoted.
_RESERVED: Final = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def _xdg(env: Mapping[str, str], name: str, fallback: str) -> Path:
    value = env.get(name, "").strip()
    # The XDG spec ignores relative paths in these variables.
    if value and Path(value).is_absolute():
        return Path(value)
    return Path(env.get("HOME") or Path.home()) / fallback


def data_home(env: Mapping[str, str] | None = None) -> Path:
    return _xdg(os.environ if env is None else env, "XDG_DATA_HOME", ".local/share")


def config_home(env: Mapping[str, str] | None = None) -> Path:
    return _xdg(os.environ if env is None else env, "XDG_CONFIG_HOME", ".config")


def _quote(argument: str) -> str:
    if not argument or _RESERVED & set(argument):
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        return f'"{escaped}"'
    return argument.replace("%", "%%")


def exec_command(*arguments: str) -> str:
    """The Exec line: the installed ``massage-guide`` script, or this Python running the package."""
    script = shutil.which("massage-guide")
    base = [script] if script else [sys.executable, "-m", "massage_guide"]
    return " ".join(_quote(part) for part in [*base, *arguments])


def desktop_entry(*, autostart: bool = False) -> str:
    """The text of the .desktop file; the autostart one starts quietly in the tray."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=Massage Guide",
        *_localized("GenericName", GENERIC_NAME),
        *_localized("Comment", COMMENT),
        f"Exec={exec_command('--background') if autostart else exec_command()}",
        f"Icon={ICON_NAME}",
        "Terminal=false",
        "Categories=Utility;",
        *_localized("Keywords", KEYWORDS),
        "StartupNotify=false" if autostart else "StartupNotify=true",
        "StartupWMClass=massage-guide",
    ]
    if autostart:
        lines.append("X-GNOME-Autostart-enabled=true")
    return "\n".join(lines) + "\n"


def translated_languages() -> list[str]:
    """The languages with a compiled catalogue (``de``), the pseudo-locale left out."""
    found = i18n.LOCALE_DIR.glob(f"*/LC_MESSAGES/{i18n.DOMAIN}.mo")
    return sorted(
        path.parent.parent.name for path in found if path.parent.parent.name != i18n.PSEUDO_LANGUAGE
    )


def _localized(key: str, english: str) -> list[str]:
    """``Key=English`` and a ``Key[lang]=`` line for each language that translates it."""
    lines = [f"{key}={english}"]
    for language in translated_languages():
        text = i18n.translation(language).gettext(english)
        if text != english:
            lines.append(f"{key}[{language}]={text}")
    return lines


def _write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if isinstance(text, bytes):
        temporary.write_bytes(text)
    else:
        temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def installed_files(env: Mapping[str, str] | None = None) -> list[Path]:
    """Every file ``--install-desktop-entry`` writes, in the order it writes them."""
    share = data_home(env)
    icons = share / "icons" / "hicolor"
    return [
        share / "applications" / f"{DESKTOP_ID}.desktop",
        icons / "scalable" / "apps" / f"{ICON_NAME}.svg",
        *(icons / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png" for size in ICON_SIZES),
        share / "metainfo" / f"{DESKTOP_ID}.metainfo.xml",
    ]


def install_desktop_entry(env: Mapping[str, str] | None = None) -> list[Path]:
    """Write the menu entry, the icons (SVG and PNG sizes, hicolor) and the metainfo under XDG_DATA_HOME."""
    entry, svg, *rest = installed_files(env)
    pngs, metainfo = rest[:-1], rest[-1]
    _write(entry, desktop_entry())
    _write(svg, (ICON_DIR / f"{ICON_NAME}.svg").read_bytes())
    for size, png in zip(ICON_SIZES, pngs, strict=True):
        _write(png, (ICON_DIR / f"{ICON_NAME}-{size}.png").read_bytes())
    _write(metainfo, METAINFO_FILE.read_bytes())
    return [entry, svg, *pngs, metainfo]


def uninstall_desktop_entry(env: Mapping[str, str] | None = None) -> list[Path]:
    """Remove what install wrote (and nothing else); returns the files that were there."""
    removed = []
    for path in installed_files(env):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def autostart_file(env: Mapping[str, str] | None = None) -> Path:
    return config_home(env) / "autostart" / f"{DESKTOP_ID}.desktop"


def set_start_at_login(enabled: bool, env: Mapping[str, str] | None = None) -> Path:
    """Write or remove $XDG_CONFIG_HOME/autostart/massage-guide.desktop (starts in the tray)."""
    path = autostart_file(env)
    if enabled:
        _write(path, desktop_entry(autostart=True))
    else:
        path.unlink(missing_ok=True)
    return path
