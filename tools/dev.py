#!/usr/bin/env python3
"""Set everything up and run the app or the whole test suite: ``python3 tools/dev.py run|test``.

It checks the Python version, installs the Linux system libraries Qt and SDL need (with apt-get when run as
root on Debian or Ubuntu; otherwise it prints the command to run), creates ``.venv`` and installs the project
into it, then runs the app, or ruff, mypy, the import-linter layering contracts and pytest headless.
``run`` installs only what the app needs; ``test`` adds the test tools. pip shows its progress as it goes: the first install downloads Qt (~330 MB).
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


# What each command needs installed: the app alone, or the app with its test tools (a superset).
INSTALL_SETS = {"run": "app", "test": "test"}


def installed_set(stamp: Path, digest: str) -> str | None:
    """Which set the stamp says is installed for this pyproject.toml ("app" or "test"), if any."""
    if not stamp.exists():
        return None
    kind, _, recorded = stamp.read_text().partition(":")
    if not recorded:  # a stamp from before the sets were told apart held the digest of a test install
        kind, recorded = "test", kind
    return kind if recorded == digest else None


def ensure_venv(command: str = "test") -> Path:
    python = venv_python()
    if not python.exists():
        say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = VENV / ".installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    wanted = INSTALL_SETS[command]
    have = installed_set(stamp, digest)
    if have == wanted or (have == "test" and wanted == "app"):
        return python
    target = f"{ROOT}[test]" if wanted == "test" else str(ROOT)
    what = (
        "massage-guide and its test tools" if wanted == "test" else "massage-guide (only what the app needs)"
    )
    say(f"step 1 of 2: updating pip in {VENV}")
    subprocess.run([python, "-m", "pip", "install", "--upgrade", "--progress-bar", "on", "pip"], check=True)
    say(f"step 2 of 2: installing {what}; the first time this downloads Qt (~330 MB) and takes a few minutes")
    subprocess.run([python, "-m", "pip", "install", "--progress-bar", "on", "-e", target], check=True)
    stamp.write_text(f"{wanted}:{digest}")
    say("installed")
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
        # import-linter has no ``python -m`` entry point: call its console script beside the venv's python.
        ("import-linter", [str(python.with_name("lint-imports" + (".exe" if os.name == "nt" else "")))]),
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
    python = ensure_venv(argv[0])
    if argv[0] == "run":
        return run_app(python, argv[1:])
    return run_tests(python, argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
