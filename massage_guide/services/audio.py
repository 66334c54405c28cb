"""Everything the user hears, through the pygame mixer: ambience, cues and voice; silent when sound fails."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from massage_guide.core import sounds
from massage_guide.core.ports import CUE_SOUNDS, AudioPort, AudioSettings, Cue
from massage_guide.services.speech import SpeechPort

log = logging.getLogger(__name__)

# Mixer format: CD rate, 16-bit stereo. 1024 frames is ~23 ms of buffer, so a cue is heard well within
# 50 ms of the call; 2048 would be ~46 ms, too close.
MIXER_RATE = 44_100
MIXER_SIZE = -16
MIXER_CHANNELS = 2
MIXER_BUFFER = 1024
CHANNEL_COUNT = 8  # voice + room for overlapping cues (a bowl still ringing when the next tick comes)
VOICE_CHANNEL = 0  # reserved: cues never take it
DUCK_LEVEL = 0.35  # ambience under speech: still there, but the words are clear
DUCK_SECONDS = 0.3  # how long the ambience takes to go down or come back up around speech
TICK_SECONDS = 0.05  # the background tick: voice start-up delay and ducking steps
BREATH_CUES = frozenset({Cue.INHALE, Cue.EXHALE})

NO_DEVICE_MESSAGE = "No sound device was found, so the session will be silent."
MIXER_FAILED_MESSAGE = "Sound could not be started ({detail}), so the session will be silent."


class SilentAudio:
    """AudioPort that makes no sound: used when no sound device opens, and by tests of other parts."""

    def __init__(self, problems: Sequence[str] = ()) -> None:
        self._problems = list(problems)

    def configure(self, settings: AudioSettings) -> None:
        pass

    def open(self) -> bool:
        return False

    def start_ambience(self, sound_id: str | None, fade_in_seconds: float = 3.0) -> None:
        pass

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def stop(self, fade_out_seconds: float = 0.0) -> None:
        pass

    def play_cue(self, cue: Cue, sound_id: str | None = None) -> None:
        pass

    def speak(self, text: str) -> None:
        pass

    def prefetch_speech(self, texts: Sequence[str]) -> None:
        pass

    def stop_voice(self) -> None:
        pass

    def tick(self) -> None:
        pass

    def problems(self) -> list[str]:
        return list(self._problems)

    def close(self) -> None:
        pass


class AudioService:
    """AudioPort on the pygame mixer, the only place in the app that imports pygame.

    pygame is imported when the mixer opens, never at import time: call ``open()`` (or
    ``open_in_background()`` after the first window is painted); any other call opens it first if needed.
    Ambience streams from its file with ``pygame.mixer.music``; cues are small, preloaded ``Sound``s;
    the voice has its own reserved channel. While the voice speaks, the ambience is ducked.

    Voice start and ducking need a regular poll: ``tick()``. With ``autotick=True`` (the default) a daemon
    thread calls it every 50 ms; tests pass ``autotick=False`` and call ``tick()`` themselves.
    Nothing here raises: failures are logged, reported once through ``problems()``, and go silent."""

    def __init__(
        self,
        audio_dirs: Sequence[Path],
        *,
        speech: SpeechPort | None,
        settings: AudioSettings,
        clock: Callable[[], float] = time.monotonic,
        autotick: bool = True,
    ) -> None:
        self._audio_dirs = list(audio_dirs)
        self._speech = speech
        self._settings = settings
        self._clock = clock
        self._autotick = autotick
        self._lock = threading.RLock()
        self._problems: list[str] = []
        self._pygame: Any = None  # the module, once the mixer is open
        self._opened = False  # open() has run (successfully or not)
        self._failed = False
        self._cues: dict[str, Any] = {}  # sound id -> pygame Sound, or None when it could not load
        self._ambience_id: str | None = None  # the bed of the session in progress
        self._paused = False
        self._pending_voice: str | None = None  # words waiting for their rendering
        self._duck = 1.0  # current ambience multiplier (1.0 = not ducked)
        self._last_tick: float | None = None
        self._ticker: threading.Thread | None = None
        self._closing = threading.Event()
        if speech is not None:
            speech.configure(voice=settings.voice_language, rate=settings.voice_rate)

    # --- opening -----------------------------------------------------------------------------------------

    def open(self) -> bool:
        """Open the mixer and preload the cues; True when sound works. Safe to call again or from a thread."""
        with self._lock:
            if self._opened:
                return not self._failed
            self._opened = True
            # The mixer otherwise installs SDL's signal handlers and the process stops answering SIGTERM.
            os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
            os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
            try:
                from massage_guide.services.pygame_import import import_pygame

                pygame = import_pygame()  # lazy, and without numpy: see pygame_import

                pygame.mixer.init(
                    frequency=MIXER_RATE, size=MIXER_SIZE, channels=MIXER_CHANNELS, buffer=MIXER_BUFFER
                )
                pygame.mixer.set_num_channels(CHANNEL_COUNT)
                pygame.mixer.set_reserved(VOICE_CHANNEL + 1)
            except Exception as error:  # pygame.error, ImportError, or whatever SDL throws
                self._fail_open(error)
                return False
            self._pygame = pygame
            log.info("mixer open: %s, buffer %d", pygame.mixer.get_init(), MIXER_BUFFER)
            for sound_id in sorted(set(CUE_SOUNDS.values())):
                self._cue_sound(sound_id)
            if self._autotick and self._ticker is None:
                self._ticker = threading.Thread(target=self._tick_loop, name="audio-tick", daemon=True)
                self._ticker.start()
            return True

    def open_in_background(self) -> threading.Thread:
        """Open the mixer on a worker thread (the GUI calls this after its first paint)."""
        thread = threading.Thread(target=self.open, name="audio-open", daemon=True)
        thread.start()
        return thread

    def _fail_open(self, error: BaseException) -> None:
        self._failed = True
        log.warning("sound disabled: the mixer did not open: %s", error)
        text = str(error)
        if "no available audio device" in text.lower() or "audio device" in text.lower():
            self._problem(NO_DEVICE_MESSAGE)
        else:
            self._problem(MIXER_FAILED_MESSAGE.format(detail=text or type(error).__name__))

    def _ready(self) -> bool:
        """Open if needed; True when the mixer can be used."""
        if not self._opened:
            self.open()
        return not self._failed and self._pygame is not None

    # --- AudioPort ---------------------------------------------------------------------------------------

    def configure(self, settings: AudioSettings) -> None:
        with self._lock:
            before, self._settings = self._settings, settings
            if self._speech is not None:
                self._speech.configure(voice=settings.voice_language, rate=settings.voice_rate)
            # Settings alone never open the mixer: the app configures before its first paint, and opening
            # here would put pygame's import and the device on the way to the first window.
            if not self._opened or self._failed or self._pygame is None:
                return
            if not settings.voice_enabled or settings.muted:
                self._stop_voice()
            if before.ambience_enabled and not settings.ambience_enabled:
                self._pygame.mixer.music.fadeout(1000)
            elif settings.ambience_enabled and not before.ambience_enabled and self._ambience_id:
                self._play_ambience(self._ambience_id, 1.0)
            self._apply_music_volume()
            voice = self._pygame.mixer.Channel(VOICE_CHANNEL)
            voice.set_volume(self._voice_volume())

    def start_ambience(self, sound_id: str | None, fade_in_seconds: float = 3.0) -> None:
        with self._lock:
            self._ambience_id = sound_id
            self._paused = False
            if not self._ready():
                return
            if sound_id is None or not self._settings.ambience_enabled:
                self._pygame.mixer.music.stop()
                return
            self._play_ambience(sound_id, fade_in_seconds)

    def pause(self) -> None:
        with self._lock:
            if not self._ready() or self._paused:
                return
            self._paused = True
            self._pygame.mixer.music.pause()
            self._pygame.mixer.pause()

    def resume(self) -> None:
        with self._lock:
            if not self._ready() or not self._paused:
                return
            self._paused = False
            self._pygame.mixer.music.unpause()
            self._pygame.mixer.unpause()

    def stop(self, fade_out_seconds: float = 0.0) -> None:
        """End the session's sound. With a fade, ambience and voice fade out and a cue already sounding
        (the end bowl) rings on; with no fade, everything is silent at once."""
        with self._lock:
            self._ambience_id = None
            self._pending_voice = None
            if not self._ready():
                return
            pygame = self._pygame
            if self._paused:
                pygame.mixer.music.unpause()
                pygame.mixer.unpause()
                self._paused = False
            fade_ms = int(fade_out_seconds * 1000)
            if fade_ms > 0:
                pygame.mixer.music.fadeout(fade_ms)
                pygame.mixer.Channel(VOICE_CHANNEL).fadeout(fade_ms)
            else:
                pygame.mixer.music.stop()
                pygame.mixer.stop()

    def play_cue(self, cue: Cue, sound_id: str | None = None) -> None:
        with self._lock:
            settings = self._settings
            enabled = settings.breathing_tones_enabled if cue in BREATH_CUES else settings.cues_enabled
            if settings.muted or not enabled or settings.cue_volume <= 0 or not self._ready():
                return
            sound = self._cue_sound(sound_id or CUE_SOUNDS[cue])
            if sound is None:
                return
            channel = self._pygame.mixer.find_channel(True)  # True: take the oldest cue if all are busy
            if channel is None:
                return
            channel.set_volume(settings.cue_volume)
            channel.play(sound)

    def speak(self, text: str) -> None:
        """Say ``text`` as soon as it is rendered; a newer request replaces one still waiting."""
        with self._lock:
            settings = self._settings
            if self._speech is None or not settings.voice_enabled or settings.muted or not text.strip():
                return
            self._problems_from_speech()
            if not self._speech.is_available() or not self._ready():
                return
            self._pending_voice = text
            self._start_pending_voice()

    def prefetch_speech(self, texts: Sequence[str]) -> None:
        """Render texts that will be spoken soon (the next step's), so speaking them starts at once."""
        with self._lock:
            if self._speech is not None and self._settings.voice_enabled:
                self._speech.prefetch(texts)

    def stop_voice(self) -> None:
        with self._lock:
            if self._ready():
                self._stop_voice()

    def tick(self) -> None:
        """Start voice whose rendering has finished and move the ambience duck one step; call ~10-20x/s."""
        with self._lock:
            if self._failed or self._pygame is None:
                return
            now = self._clock()
            elapsed = 0.0 if self._last_tick is None else max(0.0, now - self._last_tick)
            self._last_tick = now
            self._start_pending_voice()
            speaking = self._pygame.mixer.Channel(VOICE_CHANNEL).get_busy() or self._pending_voice is not None
            target = DUCK_LEVEL if speaking else 1.0
            step = (1.0 - DUCK_LEVEL) * elapsed / DUCK_SECONDS
            if self._duck < target:
                self._duck = min(target, self._duck + step)
            elif self._duck > target:
                self._duck = max(target, self._duck - step)
            self._apply_music_volume()

    def problems(self) -> list[str]:
        with self._lock:
            self._problems_from_speech()
            return list(self._problems)

    def close(self) -> None:
        self._closing.set()
        ticker = self._ticker
        if ticker is not None and ticker is not threading.current_thread():
            ticker.join(timeout=1.0)
        with self._lock:
            if self._speech is not None:
                self._speech.close()
            if self._pygame is not None:
                try:
                    self._pygame.mixer.music.stop()
                    self._pygame.mixer.quit()
                except Exception as error:
                    log.warning("closing the mixer failed: %s", error)
                self._pygame = None
            self._failed = True  # closed: every later call is a silent no-op

    # --- inside ------------------------------------------------------------------------------------------

    def _tick_loop(self) -> None:
        while not self._closing.wait(TICK_SECONDS):
            try:
                self.tick()
            except Exception:  # never let the ticker die silently mid-session
                log.exception("audio tick failed")

    def _problem(self, message: str) -> None:
        if message not in self._problems:
            self._problems.append(message)

    def _problems_from_speech(self) -> None:
        if self._speech is not None and self._settings.voice_enabled:
            for message in self._speech.problems():
                self._problem(message)

    def _voice_volume(self) -> float:
        return 0.0 if self._settings.muted else self._settings.voice_volume

    def _apply_music_volume(self) -> None:
        settings = self._settings
        volume = 0.0 if settings.muted else settings.ambience_volume * self._duck
        self._pygame.mixer.music.set_volume(volume)

    def _play_ambience(self, sound_id: str, fade_in_seconds: float) -> None:
        path = sounds.find(self._audio_dirs, sounds.AMBIENCE, sound_id)
        music = self._pygame.mixer.music
        if path is None:
            log.warning("ambience %r not found in %s", sound_id, self._audio_dirs)
            self._problem(
                f"The background sound “{sound_id}” is missing, so this session has no background sound. "
                "Pick another one in Settings or put the file in your audio/ambience folder."
            )
            music.stop()
            return
        try:
            music.load(str(path))
            self._apply_music_volume()
            music.play(loops=-1, fade_ms=int(fade_in_seconds * 1000))
        except Exception as error:
            log.warning("ambience %s could not play: %s", path, error)
            self._problem(
                f"The background sound {path} could not be played ({error}); "
                "the session goes on without it. Replace the file or pick another sound."
            )
            return

    def _cue_sound(self, sound_id: str) -> Any:
        """The preloaded Sound for a cue id, loading it on first use; None when missing or unreadable."""
        if sound_id in self._cues:
            return self._cues[sound_id]
        path = sounds.find(self._audio_dirs, sounds.CUES, sound_id)
        sound: Any = None
        if path is None:
            log.warning("cue %r not found in %s", sound_id, self._audio_dirs)
            self._problem(
                f"The cue sound “{sound_id}” is missing, so that cue stays silent. "
                "Put the file in your audio/cues folder or choose another cue."
            )
        else:
            try:
                sound = self._pygame.mixer.Sound(str(path))
            except Exception as error:
                log.warning("cue %s could not be read: %s", path, error)
                self._problem(
                    f"The cue sound {path} could not be read ({error}), so that cue stays silent. "
                    "Replace the file or choose another cue."
                )
        self._cues[sound_id] = sound
        return sound

    def _start_pending_voice(self) -> None:
        text = self._pending_voice
        if text is None or self._speech is None:
            return
        path = self._speech.wav_for(text)
        if path is None:
            if self._speech.has_failed(text):
                self._pending_voice = None
                self._problems_from_speech()
            return
        self._pending_voice = None
        try:
            voice = self._pygame.mixer.Sound(str(path))
        except Exception as error:
            log.warning("speech file %s could not be read: %s", path, error)
            return
        channel = self._pygame.mixer.Channel(VOICE_CHANNEL)
        channel.set_volume(self._voice_volume())
        channel.play(voice)

    def _stop_voice(self) -> None:
        self._pending_voice = None
        self._pygame.mixer.Channel(VOICE_CHANNEL).stop()


def create_audio(
    audio_dirs: Sequence[Path],
    *,
    speech: SpeechPort | None,
    settings: AudioSettings,
    autotick: bool = True,
) -> AudioPort:
    """Open sound now and return the service, or a SilentAudio that carries the reason when it won't open.

    For the terminal player; the GUI builds AudioService itself and calls ``open_in_background()``."""
    service = AudioService(audio_dirs, speech=speech, settings=settings, autotick=autotick)
    if service.open():
        return service
    problems = service.problems()
    service.close()
    return SilentAudio(problems)
