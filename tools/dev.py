#!/usr/bin/env python3
"""Set everything up and run the app or the whole test suite: ``python3 tools/dev.py run|test``.

It checks the Python version, installs the Linux system libraries Qt and SDL need (with apt-get when run as
root on Debian or Ubuntu; otherwise it prints the command to run), creates ``.venv`` and installs the project
with its test tools into it, then runs the app, or ruff, mypy and pytest headless.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)

# Debian package -> a shared library (or program) it provides. Qt's xcb and offscreen platforms need the
# libraries; espeak-ng gives spoken guidance and lets the speech tests run instead of skipping.
SYSTEM_PACKAGES: dict[str, str] = {
    "libegl1": "libEGL.so.1",
    "libgl1": "libGL.so.1",
    "libxkbcommon0": "libxkbcommon.so.0",
    "libxkbcommon-x11-0": "libxkbcommon-x11.so.0",
    "libfontconfig1": "libfontconfig.so.1",
    "libdbus-1-3": "libdbus-1.so.3",
    "libxcb-cursor0": "libxcb-cursor.so.0",
    "libxcb-icccm4": "libxcb-icccm.so.4",
    "libxcb-keysyms1": "libxcb-keysyms.so.1",
    "libxcb-shape0": "libxcb-shape.so.0",
    "libxcb-randr0": "libxcb-randr.so.0",
    "libxcb-render-util0": "libxcb-render-util.so.0",
    "libxcb-image0": "libxcb-image.so.0",
    "libxcb-xinerama0": "libxcb-xinerama.so.0",
    "fonts-dejavu-core": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "espeak-ng": "espeak-ng",
}


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def _have(provided: str) -> bool:
    if provided.startswith("/"):
        return Path(provided).exists()
    if not provided.startswith("lib"):
        return shutil.which(provided) is not None
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return True  # Cannot tell; let Qt report what is missing.
    return provided in listing


def ensure_system_packages() -> None:
    if not sys.platform.startswith("linux"):
        return
    missing = [package for package, provided in SYSTEM_PACKAGES.items() if not _have(provided)]
    if not missing:
        return
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    if shutil.which("apt-get") and os.geteuid() == 0:
        say(f"installing system packages: {' '.join(missing)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
        subprocess.run(command, check=True, env=env)
        return
    say("some system libraries Qt or speech need seem to be missing. On Debian or Ubuntu run:")
    say(f"    sudo apt-get install {' '.join(missing)}")
    say("(on other systems install the equivalent packages); carrying on.")


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> Path:
    python = venv_python()
    if not python.exists():
        say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = VENV / ".installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        say("installing massage-guide and its test tools into .venv")
        subprocess.run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"], check=True)
        stamp.write_text(digest)
    return python


def run_app(python: Path, extra: list[str]) -> int:
    return subprocess.run([python, "-m", "massage_guide", *extra], check=False).returncode


def run_tests(python: Path, extra: list[str]) -> int:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SDL_AUDIODRIVER": "dummy",
        "SDL_NO_SIGNAL_HANDLERS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    py = str(python)
    steps: list[tuple[str, list[str]]] = [
        ("ruff", [py, "-m", "ruff", "check", "."]),
        ("ruff format", [py, "-m", "ruff", "format", "--check", "."]),
        ("mypy", [py, "-m", "mypy"]),
        ("pytest", [py, "-m", "pytest", *extra]),
    ]
    for name, command in steps:
        say(f"running {name}")
        code = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
        if code != 0:
            say(f"{name} failed (exit {code})")
            return code
    return 0


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        say(
            f"Massage Guide needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; this is {sys.version.split()[0]}."
        )
        return 2
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    ensure_system_packages()
    python = ensure_venv()
    if argv[0] == "run":
        return run_app(python, argv[1:])
    return run_tests(python, argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
