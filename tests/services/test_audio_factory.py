"""The audio factory: SDL's environment, a silent service that says why, and pygame loaded only when wanted."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from massage_guide.core.ports import AudioSettings, SilentAudio
from massage_guide.services.audio_factory import SDL_ENVIRONMENT, set_sdl_environment
from tests.services.disk_driver import REPO_ROOT


def run_fresh(code: str, **env: str) -> str:
    """Run ``code`` in a fresh interpreter (pygame is process-wide) and return what it printed."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_sdl_environment_is_set_without_overriding_the_users_choice() -> None:
    """SDL's signal handlers are turned off unless the user's environment already says otherwise."""
    environ = {"PYGAME_HIDE_SUPPORT_PROMPT": "0"}
    set_sdl_environment(environ)
    assert environ == {**SDL_ENVIRONMENT, "PYGAME_HIDE_SUPPORT_PROMPT": "0"}
    assert environ["SDL_NO_SIGNAL_HANDLERS"] == "1"


def test_building_the_apps_service_loads_no_pygame_until_warm_up() -> None:
    """The app's service is built without pygame; warm_up() loads it on its own thread and opens no device."""
    out = run_fresh(
        """
        import sys, threading
        from pathlib import Path
        from massage_guide.core.ports import AudioSettings
        from massage_guide.resources import audio_dir
        from massage_guide.services.audio_factory import build_audio
        audio = build_audio([audio_dir()], Path("speech"), AudioSettings(voice_enabled=False))
        print("before", "pygame" in sys.modules)
        audio.warm_up()
        thread = audio.warming_thread()
        print("thread", thread is not None and thread is not threading.current_thread())
        thread.join(60)
        audio.warm_up()  # a second call starts nothing new
        print("same", audio.warming_thread() is thread)
        print("after", "pygame" in sys.modules, "numpy" in sys.modules, audio.is_open())
        audio.close()
        """,
        SDL_AUDIODRIVER="dummy",
    )
    assert out.split("\n")[:4] == ["before False", "thread True", "same True", "after True False False"]


def test_the_gui_imports_pygame_when_a_routine_page_opens_not_before() -> None:
    """An app that only started (or waits in the tray) has no pygame; opening a routine's page warms it up."""
    out = run_fresh(
        """
        import sys
        from PySide6.QtWidgets import QApplication
        from massage_guide.app import build
        qt = QApplication([])
        app = build(qt, ask_safety=lambda _text: True)
        app._start_services(None)  # what runs after the first paint
        qt.processEvents()
        print("started", "pygame" in sys.modules)
        app.controller.open_routine("desk-break-3-minutes")
        app.audio.warming_thread().join(60)
        print("detail page", "pygame" in sys.modules)
        app.close()
        """,
        QT_QPA_PLATFORM="offscreen",
        SDL_AUDIODRIVER="dummy",
    )
    assert out.split("\n")[:2] == ["started False", "detail page True"]


def test_a_sound_library_that_cannot_load_gives_silent_audio_that_says_so() -> None:
    """When the audio module itself cannot be imported, ``play`` gets SilentAudio and one sentence saying why."""
    out = run_fresh(
        """
        import sys
        from pathlib import Path
        sys.modules["massage_guide.services.audio"] = None  # an import of it now fails, as a broken install would
        from massage_guide.core.ports import AudioSettings, SilentAudio
        from massage_guide.services.audio_factory import build_audio
        audio = build_audio([], Path("speech"), AudioSettings(), open_now=True)
        print(type(audio).__name__)
        print(audio.problems())
        """,
    )
    assert out.splitlines() == [
        "SilentAudio",
        "['Sound could not be started, so this session will be silent.']",
    ]


def test_silent_audio_is_a_whole_audio_port() -> None:
    """SilentAudio takes every call of the port, has nothing to wait for, and only reports why it is silent."""
    audio = SilentAudio(["No sound device was found, so the session will be silent."])
    audio.configure(AudioSettings())
    audio.warm_up()
    audio.start_ambience("ocean-waves")
    audio.fade(0.0, 600.0)
    audio.prefetch_speech(["Let your shoulders drop."])
    assert audio.prepare_speech(["Let your shoulders drop."], 0.5)
    audio.stop(2.0)
    assert audio.problems() == ["No sound device was found, so the session will be silent."]
