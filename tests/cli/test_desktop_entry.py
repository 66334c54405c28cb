"""Desktop integration from the command line: the menu entry and icons in, valid, and out again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from massage_guide import desktop

pytestmark = pytest.mark.slow
REPO_ROOT = Path(__file__).resolve().parents[2]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "massage_guide", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=REPO_ROOT,
        check=False,
        timeout=60,
    )


def test_install_writes_a_valid_entry_and_icons_and_uninstall_removes_them(tmp_path: Path) -> None:
    """--install-desktop-entry writes a .desktop file that desktop-file-validate accepts, the hicolor icons
    (SVG and PNG sizes) and the metainfo in $XDG_DATA_HOME; --uninstall-desktop-entry removes exactly those."""
    share = tmp_path / "share"
    env = {"XDG_DATA_HOME": str(share)}
    result = run(env, "--install-desktop-entry")
    assert result.returncode == 0, result.stderr
    entry = share / "applications" / "massage-guide.desktop"
    assert str(entry) in result.stdout
    text = entry.read_text(encoding="utf-8")
    assert "Name=Massage Guide\n" in text and "Icon=massage-guide\n" in text
    # A German desktop shows the entry's words in German; the name is the same in every language.
    assert "GenericName[de]=Anleitung zur Selbstmassage\n" in text
    assert "Comment[de]=Angeleitete Selbstmassage- und Entspannungsroutinen" in text
    assert "Keywords[de]=Massage;Entspannung;Pause;Dehnen;Schlaf;\n" in text
    assert "\nName[" not in text
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "massage-guide.svg").exists()
    for size in (16, 32, 48, 64, 128, 256):
        png = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "massage-guide.png"
        assert png.read_bytes().startswith(b"\x89PNG"), png
    assert (share / "metainfo" / "massage-guide.metainfo.xml").exists()
    validator = shutil.which("desktop-file-validate")
    if validator:
        check = subprocess.run([validator, str(entry)], capture_output=True, text=True, check=False)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    (share / "applications" / "someone-else.desktop").write_text("[Desktop Entry]\n", encoding="utf-8")
    removed = run(env, "--uninstall-desktop-entry")
    assert removed.returncode == 0, removed.stderr
    assert not entry.exists()
    assert not any((share / "icons").rglob("massage-guide.*"))
    assert (share / "applications" / "someone-else.desktop").exists()
    again = run(env, "--uninstall-desktop-entry")
    assert "no desktop entry to remove" in again.stdout


def test_autostart_entry_starts_in_the_background_and_validates(tmp_path: Path) -> None:
    """The login entry runs the app with --background and is a valid desktop file."""
    path = desktop.set_start_at_login(True, {"XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)})
    assert path == tmp_path / "autostart" / "massage-guide.desktop"
    exec_line = next(
        line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("Exec=")
    )
    assert exec_line.endswith(" --background")
    validator = shutil.which("desktop-file-validate")
    if validator:
        check = subprocess.run([validator, str(path)], capture_output=True, text=True, check=False)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    desktop.set_start_at_login(False, {"XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)})
    assert not path.exists()


def test_exec_arguments_with_spaces_are_quoted() -> None:
    """A Python under a folder with spaces still gives a valid Exec line."""
    assert desktop._quote("/opt/my apps/python") == '"/opt/my apps/python"'
    assert desktop._quote("--background") == "--background"


def test_metainfo_ships_in_the_package_and_validates() -> None:
    """The AppStream metainfo is inside the package (so the wheel carries it) and passes appstreamcli."""
    assert desktop.METAINFO_FILE.is_relative_to(Path(desktop.__file__).parent)
    tool = shutil.which("appstreamcli")
    if tool:
        check = subprocess.run(
            [tool, "validate", "--no-net", str(desktop.METAINFO_FILE)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert check.returncode == 0, check.stdout


def test_mini_without_a_routine_is_explained() -> None:
    """--mini alone says what it needs, in one line, and exits 2."""
    result = run({}, "--mini")
    assert result.returncode == 2
    assert result.stderr.strip() == "--mini needs a routine: massage-guide --start ROUTINE_ID --mini"


def test_metainfo_describes_the_app_in_german_too() -> None:
    """The store listing has a German summary and a German paragraph for each English one."""
    import xml.etree.ElementTree as ET

    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.parse(desktop.METAINFO_FILE).getroot()
    summaries = {element.get(lang, "en"): element.text for element in root.findall("summary")}
    assert summaries["de"] == "Angeleitete Selbstmassage- und Entspannungsroutinen"
    paragraphs = root.findall("description/p")
    english = [p for p in paragraphs if p.get(lang) is None]
    german = [p for p in paragraphs if p.get(lang) == "de"]
    assert len(english) == len(german) == 3
    assert "keine Krankheit" in (german[-1].text or "")
