"""Everything the user hears, through the pygame mixer: ambience, cues and voice; silent when sound fails."""

from __future__ import annotations

import array
import contextlib
import logging
import math
import os
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from massage_guide.core import sounds
from massage_guide.core.i18n import N_, _
from massage_guide.core.os_errors import os_reason
from massage_guide.core.ports import CUE_SOUNDS, SPEECH_READY_TIMEOUT_SECONDS, AudioSettings, Cue, SilentAudio
from massage_guide.services import ambience_cache
from massage_guide.services.speech import SpeechPort

# SilentAudio lives in core.ports; callers that found it here before still do.
__all__ = ["MIXER_FAILED_MESSAGE", "NO_DEVICE_MESSAGE", "AudioService", "SilentAudio", "quiet_stderr"]

log = logging.getLogger(__name__)

# Mixer format: CD rate, 16-bit stereo. 1024 frames is ~23 ms of buffer, so a cue is heard well within
# 50 ms of the call; 2048 would be ~46 ms, too close.
MIXER_RATE = 44_100
MIXER_SIZE = -16
MIXER_CHANNELS = 2
MIXER_BUFFER = 1024
# Channel 0 is the voice's alone (reserved, and cues never look there); the others are the cues', picked
# here rather than by find_channel(True), which hands out reserved channels too (MEASURED.md).
VOICE_CHANNEL = 0
CUE_CHANNELS = tuple(range(1, 8))  # room for a bowl still ringing under the next knocks and ticks
CHANNEL_COUNT = 1 + len(CUE_CHANNELS)
# Ambience under speech: 5 dB down, inside the 4-6 dB that keeps the bed present and the words clear.
DUCK_DB = -5.0
DUCK_LEVEL = 10 ** (DUCK_DB / 20)
DUCK_ATTACK_SECONDS = 0.3  # the bed bows out as the words start...
DUCK_RELEASE_SECONDS = 0.6  # ...and comes back more slowly once they end, so the change is not noticed
# While the duck moves, its volume is stepped this often: about one mixer buffer, so each step is as fine
# as the mixer can apply. Nothing is stepped, and the worker sleeps without a timeout, when nothing moves.
RAMP_STEP_SECONDS = 0.02
# SDL_mixer's volumes are whole numbers 0-128 (MIX_MAX_VOLUME): a fade is set at most this many times.
MIXER_VOLUME_STEPS = 128
VOICE_FADE_SECONDS = 0.3  # words cut short by a step change fade out instead of stopping mid-word
RENDER_POLL_SECONDS = 0.05  # how often a rendering still under way is looked for
QUIET_POLL_SECONDS = 0.25  # after a session: how often to look whether the last sounds have rung out
BREATH_CUES = frozenset({Cue.INHALE, Cue.EXHALE})
# Decoded when the mixer opens: the short sounds of a step change and the breath tones (~1.1 MiB decoded in
# all), which must sound the moment they are asked for; decoding one takes up to ~13 ms. The two bowls that
# open and close a session (~2.8 MiB decoded, ~30 ms each to decode) are decoded as they are played, as are
# a step's own cues: a session holds only what it plays, and the end bowl is not in memory before the end.
PRELOADED_CUES = frozenset(Cue) - {Cue.SESSION_START, Cue.SESSION_END}
PRELOADED_SOUNDS = frozenset(CUE_SOUNDS[cue] for cue in PRELOADED_CUES)
PREPARE_TIMEOUT_SECONDS = SPEECH_READY_TIMEOUT_SECONDS  # its old name here
# A step's words start once its cue has sounded: when the cue has fallen this far under its own peak for
# good. The cues sit 6.5-7 dB under the voice, so what rings on is ~47 dB under the words: not heard.
CUE_BODY_FLOOR_DB = -40.0
# ...but never later than this after the cue. Every cue of a step (knock, tick, the 2.2 s side chime) is
# heard whole within it; the bowls that open and close a session ring for 7-9.5 s under the words by
# design, and a person waiting for the instruction hears their strike and swell, not the whole ring.
CUE_WORDS_WAIT_MAX_SECONDS = 2.5
CUE_BODY_WINDOW_SECONDS = 0.01  # the cue's level is read in 10 ms windows: a tenth of a spoken syllable
# Every fifth sample is read (odd, so both channels are): the cues are low tones (the tick, 880 Hz, is the
# highest), so the peak is found within ~0.5 dB; a peak read low only makes the words wait a little longer.
CUE_BODY_STRIDE = 5
# On close, a child still writing the ambience's WAV gets this long to remove its unfinished file.
AMBIENCE_WRITER_STOP_SECONDS = 2.0

# Told in the user's language (``_()`` where they are reported).
NO_DEVICE_MESSAGE = N_("No sound device was found, so the session will be silent.")
MIXER_FAILED_MESSAGE = N_("Sound could not be started ({detail}), so the session will be silent.")


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Keep C libraries' lines off the terminal (ALSA prints a dozen when there is no sound card): they go
    to the log instead, and the app says in one sentence of its own what it means."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    with tempfile.TemporaryFile() as sink:
        try:
            os.dup2(sink.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            noise = sink.read().decode(errors="replace").strip()
            if noise:
                log.debug("sound library said: %s", noise)


class AudioService:
    """AudioPort on the pygame mixer, the only place in the app that imports pygame.

    The mixer opens when a session first needs it and closes once the session has ended and its last sound
    (the end bowl, the ambience's fade) has rung out: between sessions sound costs no CPU and no wakeups.
    ``warm_up()`` only imports pygame early, off the GUI thread. Ambience streams from its file
    with ``pygame.mixer.music``; cues are ``Sound``s on channels of their own, the short ones decoded as the
    mixer opens and the bowls as they are played; the voice has its own reserved channel, and the ambience is
    ducked while it speaks.

    ``fade()`` moves the ambience's level over any length (the sleep timer's minutes) under the duck.
    Voice start, ducking, fades and the close after a session are timed by ``tick()``. With ``autotick=True``
    (the default) a worker thread calls it, but only while the mixer is open and only when something is
    due: it sleeps without a timeout otherwise. Tests pass ``autotick=False`` and call ``tick()``.
    Nothing here raises: failures are logged, reported once through ``problems()``, and go silent."""

    def __init__(
        self,
        audio_dirs: Sequence[Path],
        *,
        speech: SpeechPort | None,
        settings: AudioSettings,
        clock: Callable[[], float] = time.monotonic,
        autotick: bool = True,
        ambience_cache_dir: Path | None = None,
    ) -> None:
        self._audio_dirs = list(audio_dirs)
        # Where the ambience's WAVs at the mixer's format go (ambience_cache); None streams the files as found.
        self._ambience_cache_dir = ambience_cache_dir
        self._ambience_writer: subprocess.Popen[bytes] | None = None
        self._ambience_file: Path | None = None  # the file the ambience streams from now
        self._speech = speech
        self._settings = settings
        self._clock = clock
        self._autotick = autotick
        self._lock = threading.RLock()
        self._wake = threading.Condition(self._lock)
        self._problems: list[str] = []
        self._pygame: Any = None  # the module, while the mixer is open
        self._failed = False  # the device would not open, or the service is closed: silent from now on
        self._cues: dict[str, Any] = {}  # sound id -> pygame Sound (None when it could not load), per opening
        self._cue_started: dict[int, float] = {}  # cue channel -> when its sound started
        self._ambience_id: str | None = None  # the bed of the session in progress
        self._in_session = False  # between start_ambience() and stop()
        self._close_when_quiet = False  # close the mixer once nothing sounds any more
        self._paused = False
        self._pending_voice: str | None = None  # words waiting for their rendering (or for a fade)
        self._voice_after = 0.0  # clock time before which new words wait (the old ones fading out)
        self._voice_until = 0.0  # clock time the words playing now end (or their fade does)
        self._voice_left_at_pause = 0.0
        self._words_after_cue = 0.0  # clock time before which a step's words wait for its cue to sound
        self._cue_wait_left_at_pause = 0.0
        self._cue_bodies: dict[str, float] = {}  # sound id -> seconds until its body has sounded
        self._duck = 1.0  # current ambience multiplier (1.0 = not ducked)
        self._fade = _Ramp()  # the ambience's level set by fade() (the sleep timer), under the duck
        self._warming: threading.Thread | None = None
        self._last_tick: float | None = None
        self._worker: threading.Thread | None = None
        self._opened_count = 0  # how many times the mixer was opened (tests, benchmarks)
        if speech is not None:
            speech.configure(
                voice=settings.voice_language, rate=settings.voice_rate, engine=settings.voice_engine
            )

    # --- opening and closing the mixer ------------------------------------------------------------------

    def open(self) -> bool:
        """Open the mixer now (and decode the short cues, PRELOADED_CUES); True when sound works. Safe to call
        again. Opened this way it stays open until a ``stop()`` or ``close()`` (the terminal player opens it
        before its session, to tell at once when there is no sound)."""
        with self._lock:
            opened = self._open()
            self._close_when_quiet = False
            return opened

    def warm_up(self) -> None:
        """Import pygame on a worker thread (the GUI calls this when a routine's page opens), so the
        session's sound starts without that ~0.3 s; the device itself opens with the session. Until then
        pygame is not loaded at all: an app waiting in the tray stays small."""
        with self._lock:
            if self._warming is not None or self._pygame is not None or self._failed:
                return
            self._warming = threading.Thread(target=_warm_up_import, name="audio-import", daemon=True)
            self._warming.start()

    def warming_thread(self) -> threading.Thread | None:
        """The thread ``warm_up()`` started, if any (tests and benchmarks wait on it)."""
        return self._warming

    def is_open(self) -> bool:
        """True while the mixer holds the sound device."""
        with self._lock:
            return self._pygame is not None

    @property
    def opened_count(self) -> int:
        return self._opened_count

    def _open(self) -> bool:
        if self._pygame is not None:
            return True
        if self._failed:
            return False
        try:
            pygame = _import_pygame()
            with quiet_stderr():
                pygame.mixer.init(
                    frequency=MIXER_RATE, size=MIXER_SIZE, channels=MIXER_CHANNELS, buffer=MIXER_BUFFER
                )
            pygame.mixer.set_num_channels(CHANNEL_COUNT)
            pygame.mixer.set_reserved(VOICE_CHANNEL + 1)
        except Exception as error:  # pygame.error, ImportError, or whatever SDL throws
            self._fail_open(error)
            return False
        self._pygame = pygame
        self._opened_count += 1
        self._cues = {}
        self._cue_bodies = {}  # measured anew: the user may have changed their sounds
        self._cue_started = {}
        self._duck = 1.0
        self._last_tick = None
        log.info("mixer open: %s, buffer %d", pygame.mixer.get_init(), MIXER_BUFFER)
        for sound_id in sorted(PRELOADED_SOUNDS):
            self._cue_sound(sound_id)
        if not self._in_session:
            self._close_when_quiet = True  # opened for a preview or a lone cue: close once it has played
        if self._autotick and (self._worker is None or not self._worker.is_alive()):
            self._worker = threading.Thread(target=self._work, name="audio", daemon=True)
            self._worker.start()
        return True

    def _fail_open(self, error: BaseException) -> None:
        self._failed = True
        log.info("sound disabled: the mixer did not open: %s", error)  # the user gets a sentence of ours
        text = str(error)
        if "audio device" in text.lower():
            self._problem(_(NO_DEVICE_MESSAGE))
        else:
            self._problem(_(MIXER_FAILED_MESSAGE).format(detail=_mixer_reason(text) or type(error).__name__))

    def _close_mixer(self) -> None:
        pygame, self._pygame = self._pygame, None
        self._cues = {}
        self._close_when_quiet = False
        self._pending_voice = None
        if pygame is None:
            return
        try:
            pygame.mixer.music.stop()
            pygame.mixer.quit()
        except Exception as error:
            log.warning("closing the mixer failed: %s", error)
        log.info("mixer closed")
        rest = getattr(self._speech, "rest", None)
        if callable(rest) and not self._failed:
            rest()  # the natural voice's process goes too, until the next session
        self._wake.notify_all()

    def _quiet(self) -> bool:
        mixer = self._pygame.mixer
        return not mixer.get_busy() and not mixer.music.get_busy() and self._pending_voice is None

    # --- AudioPort ---------------------------------------------------------------------------------------

    def configure(self, settings: AudioSettings) -> None:
        with self._lock:
            before, self._settings = self._settings, settings
            if self._speech is not None:
                self._speech.configure(
                    voice=settings.voice_language, rate=settings.voice_rate, engine=settings.voice_engine
                )
            # Settings alone never open the mixer.
            if self._pygame is None:
                return
            if not settings.voice_enabled or settings.muted:
                self._stop_voice(fade=False)
            if before.ambience_enabled and not settings.ambience_enabled:
                self._pygame.mixer.music.fadeout(1000)
            elif settings.ambience_enabled and not before.ambience_enabled and self._ambience_id:
                self._play_ambience(self._ambience_id, 1.0)
            self._apply_music_volume()
            self._pygame.mixer.Channel(VOICE_CHANNEL).set_volume(self._voice_volume())
            self._wake.notify_all()

    def start_ambience(self, sound_id: str | None, fade_in_seconds: float = 3.0) -> None:
        """Begin a session's sound: the mixer opens if it was closed, and stays open until ``stop()``."""
        with self._lock:
            self._ambience_id = sound_id
            self._paused = False
            self._in_session = True
            self._fade = _Ramp()  # a new bed starts at its full level, whatever the last one faded to
            self._close_when_quiet = False
            if not self._open():
                return
            if sound_id is None or not self._settings.ambience_enabled:
                self._pygame.mixer.music.stop()
                return
            self._play_ambience(sound_id, fade_in_seconds)
            self._wake.notify_all()

    def fade(self, level: float, seconds: float) -> None:
        """Move the ambience to ``level`` (a share of its volume) evenly over ``seconds``, from where it is
        now; it plays on even at 0. The level holds until the next ``start_ambience()``."""
        with self._lock:
            self._fade = self._fade.towards(max(0.0, min(1.0, level)), max(0.0, seconds), self._clock())
            if self._pygame is None:
                return
            self._apply_music_volume()
            self._wake.notify_all()

    def pause(self) -> None:
        with self._lock:
            if self._pygame is None or self._paused:
                return
            self._paused = True
            self._voice_left_at_pause = max(0.0, self._voice_until - self._clock())
            self._cue_wait_left_at_pause = max(0.0, self._words_after_cue - self._clock())
            self._pygame.mixer.music.pause()
            self._pygame.mixer.pause()
            self._wake.notify_all()

    def resume(self) -> None:
        with self._lock:
            if self._pygame is None or not self._paused:
                return
            self._paused = False
            self._pygame.mixer.music.unpause()
            self._pygame.mixer.unpause()
            self._voice_until = self._clock() + self._voice_left_at_pause
            self._words_after_cue = self._clock() + self._cue_wait_left_at_pause
            self._wake.notify_all()

    def stop(self, fade_out_seconds: float = 0.0) -> None:
        """End the session's sound. With a fade, ambience and voice fade out and a cue already sounding
        (the end bowl) rings on to its end; with no fade, everything is silent at once. The mixer closes
        when the last sound has finished."""
        with self._lock:
            self._ambience_id = None
            self._pending_voice = None
            self._in_session = False
            self._close_when_quiet = True
            self._fade = self._fade.held(self._clock())  # the stop's own fade goes on from this level
            if self._pygame is None:
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
            self._wake.notify_all()

    def play_cue(self, cue: Cue, sound_id: str | None = None) -> None:
        """Play a cue whole on a cue channel. Breathing tones wait for the words: one due while the voice
        speaks (or is about to) is left out, and the next breath sounds once the words have ended. Any other
        cue is heard first: words asked for with or after it start once it has sounded (``_cue_body``)."""
        with self._lock:
            settings = self._settings
            breath = cue in BREATH_CUES
            enabled = settings.breathing_tones_enabled if breath else settings.cues_enabled
            if settings.muted or not enabled or settings.cue_volume <= 0:
                return
            if breath and self._voice_active():
                return
            if not self._open():
                return
            sound_id = sound_id or CUE_SOUNDS[cue]
            sound = self._cue_sound(sound_id)
            if sound is None:
                return
            number = self._free_cue_channel()
            channel = self._pygame.mixer.Channel(number)
            channel.set_volume(settings.cue_volume)
            channel.play(sound)
            now = self._cue_started[number] = self._clock()
            if not breath:
                body = min(self._cue_body(sound_id, sound), CUE_WORDS_WAIT_MAX_SECONDS)
                self._words_after_cue = max(self._words_after_cue, now + body)
            self._wake.notify_all()

    def speak(self, text: str) -> None:
        """Say ``text`` as soon as it is rendered; words still sounding fade out first, and a newer request
        replaces one still waiting."""
        with self._lock:
            settings = self._settings
            if self._speech is None or not settings.voice_enabled or settings.muted or not text.strip():
                return
            self._problems_from_speech()
            if not self._speech.is_available() or not self._open():
                return
            self._stop_voice(fade=True)
            self._pending_voice = text
            self._start_pending_voice()
            self._wake.notify_all()

    def prefetch_speech(self, texts: Sequence[str]) -> None:
        """Render texts that will be spoken soon (the next step's), so speaking them starts at once."""
        with self._lock:
            if self._speech is not None and self._settings.voice_enabled:
                self._speech.prefetch(texts)

    def prepare_speech(self, texts: Sequence[str], timeout: float = PREPARE_TIMEOUT_SECONDS) -> bool:
        """Render ``texts`` ahead and wait (at most ``timeout``) until the first is ready: for a session
        that starts at once (the terminal player), so its first words come on time. True when ready, or
        when there is nothing to wait for (no voice)."""
        speech = self._speech
        settings = self._settings
        if speech is None or not settings.voice_enabled or settings.muted or not texts:
            return True
        if not speech.is_available():
            return True
        self.prefetch_speech(texts)
        # The first words may come from the stand-in voice while a natural one loads (speech.py).
        wait = getattr(speech, "wait_ready", None) or getattr(speech, "wait", None)
        if not callable(wait):
            return True
        try:
            return wait(texts[0], timeout) is not None or speech.has_failed(texts[0])
        except TimeoutError:
            return False

    def stop_voice(self) -> None:
        """Words still sounding fade out over VOICE_FADE_SECONDS (never cut mid-word); waiting ones are dropped."""
        with self._lock:
            if self._pygame is not None:
                self._stop_voice(fade=True)
                self._wake.notify_all()

    def tick(self) -> None:
        """Start words whose rendering has finished, move the ambience duck one step, and close the mixer
        once a finished session has rung out. The worker calls this when something is due."""
        with self._lock:
            if self._pygame is None:
                return
            now = self._clock()
            elapsed = 0.0 if self._last_tick is None else max(0.0, now - self._last_tick)
            self._last_tick = now
            if self._close_when_quiet and not self._in_session and self._quiet():
                self._close_mixer()
                return
            self._start_pending_voice()
            target = DUCK_LEVEL if self._voice_active() else 1.0
            if target < self._duck:  # attack: down in DUCK_ATTACK_SECONDS, evenly in decibels
                step = -DUCK_DB * elapsed / DUCK_ATTACK_SECONDS
                self._duck = max(target, self._duck * 10 ** (-step / 20))
            elif target > self._duck:
                step = -DUCK_DB * elapsed / DUCK_RELEASE_SECONDS
                self._duck = min(target, self._duck * 10 ** (step / 20))
            self._apply_music_volume()

    def problems(self) -> list[str]:
        with self._lock:
            self._problems_from_speech()
            return list(self._problems)

    def close(self) -> None:
        with self._lock:
            self._failed = True  # closed: every later call is a silent no-op
            self._in_session = False
            if self._speech is not None:
                self._speech.close()
            self._close_mixer()
            self._wake.notify_all()
            worker = self._worker
            writer, self._ambience_writer = self._ambience_writer, None
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout=1.0)
        ambience_cache.stop_writing(writer, AMBIENCE_WRITER_STOP_SECONDS)

    # --- inside ------------------------------------------------------------------------------------------

    def _next_due(self) -> float | None:
        """Seconds until tick() has something to do; None when nothing will happen until a call comes."""
        if self._pygame is None or self._paused:
            return None
        if self._pending_voice is not None:
            return max(RENDER_POLL_SECONDS, self._words_start() - self._clock())
        speaking = self._voice_active()
        if (speaking and self._duck > DUCK_LEVEL + 1e-6) or (not speaking and self._duck < 1.0 - 1e-6):
            return RAMP_STEP_SECONDS
        fade_step = self._fade.step_seconds(self._clock())
        if fade_step is not None and self._in_session:
            return fade_step
        if speaking:
            # The words' end is known (their decoded length from the start of playback), so the worker waits
            # for it in one go; stop, skip, pause and new words notify it, so they still act at once.
            return max(0.0, self._voice_until - self._clock())
        if self._close_when_quiet and not self._in_session:
            return QUIET_POLL_SECONDS
        return None

    def _work(self) -> None:
        """The worker: ticks when something is due, sleeps untimed otherwise, ends when the mixer closes."""
        with self._lock:
            while self._pygame is not None:
                due = self._next_due()
                self._wake.wait(due)
                try:
                    self.tick()
                except Exception:  # never let the worker die silently mid-session
                    log.exception("audio tick failed")

    def _voice_active(self) -> bool:
        """Words are sounding, fading, or waiting to be spoken (timed on the injected clock)."""
        if self._pending_voice is not None:
            return True
        if self._paused:
            return self._voice_left_at_pause > 0
        return self._clock() < self._voice_until

    def _free_cue_channel(self) -> int:
        """A cue channel with nothing playing, else the one whose sound has the least left to play (a
        tick, never a bowl still ringing)."""
        mixer = self._pygame.mixer
        for number in CUE_CHANNELS:
            if not mixer.Channel(number).get_busy():
                return number
        return min(CUE_CHANNELS, key=self._cue_left)

    def _cue_left(self, number: int) -> float:
        sound = self._pygame.mixer.Channel(number).get_sound()
        length = float(sound.get_length()) if sound is not None else 0.0
        return self._cue_started.get(number, -math.inf) + length - self._clock()

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
        level = self._fade.level(self._clock())
        volume = 0.0 if settings.muted else settings.ambience_volume * self._duck * level
        self._pygame.mixer.music.set_volume(volume)

    def _play_ambience(self, sound_id: str, fade_in_seconds: float) -> None:
        path = sounds.find(self._audio_dirs, sounds.AMBIENCE, sound_id)
        music = self._pygame.mixer.music
        if path is None:
            log.warning("ambience %r not found in %s", sound_id, self._audio_dirs)
            self._problem(
                _(
                    "The background sound “{sound}” is missing, so this session has no background sound. "
                    "Pick another one in Settings or put the file in your audio/ambience folder."
                ).format(sound=sound_id)
            )
            music.stop()
            return
        try:
            self._load_ambience(path)
            self._apply_music_volume()
            music.play(loops=-1, fade_ms=int(fade_in_seconds * 1000))
        except Exception as error:
            log.warning("ambience %s could not play: %s", path, error)
            self._problem(
                _(
                    "The background sound {path} could not be played ({reason}); "
                    "the session goes on without it. Replace the file or pick another sound."
                ).format(path=path, reason=_sound_reason(error))
            )

    def _load_ambience(self, path: Path) -> None:
        """Load the ambience at ``path`` for streaming: its WAV at the mixer's format when the cache has one
        (mixing it takes SDL's audio thread about half the CPU of decoding Ogg Vorbis), else ``path`` itself
        while a child process writes that WAV for the next session. Raises when ``path`` cannot be loaded."""
        music = self._pygame.mixer.music
        self._ambience_file = path
        if self._ambience_cache_dir is None or path.suffix.lower() in ambience_cache.UNCOMPRESSED_SUFFIXES:
            music.load(str(path))
            return
        wav = ambience_cache.wav_path(self._ambience_cache_dir, path, MIXER_RATE, MIXER_CHANNELS)
        if wav.is_file():
            try:
                music.load(str(wav))
            except Exception as error:  # unreadable after all: the source still plays
                log.info("ambience WAV %s unreadable, streaming %s: %s", wav, path, error)
            else:
                self._ambience_file = wav
                return
        elif self._ambience_writer is None or self._ambience_writer.poll() is not None:
            self._ambience_writer = ambience_cache.start_writing(path, wav, MIXER_RATE, MIXER_CHANNELS)
        music.load(str(path))

    def ambience_file(self) -> Path | None:
        """The file the ambience last streamed from (tests, benchmarks)."""
        with self._lock:
            return self._ambience_file

    def ambience_writer(self) -> subprocess.Popen[bytes] | None:
        """The child process writing the ambience's WAV, if one was started (tests, benchmarks)."""
        with self._lock:
            return self._ambience_writer

    def decoded_cues(self) -> list[str]:
        """The cue sounds decoded in memory now, by id (tests, benchmarks)."""
        with self._lock:
            return sorted(sound_id for sound_id, sound in self._cues.items() if sound is not None)

    def _cue_sound(self, sound_id: str) -> Any:
        """The Sound for a cue id, decoded when the mixer opens (PRELOADED_CUES) or on its first play, and
        kept while the mixer is open; None when missing or unreadable. Decoded, a cue takes 172 KiB a
        second of sound (the two bowls 2.8 MiB, all the bundled cues 3.9)."""
        if sound_id in self._cues:
            return self._cues[sound_id]
        if sound_id not in PRELOADED_SOUNDS:
            self._let_go_occasional_sounds()
        path = sounds.find(self._audio_dirs, sounds.CUES, sound_id)
        sound: Any = None
        if path is None:
            log.warning("cue %r not found in %s", sound_id, self._audio_dirs)
            self._problem(
                _(
                    "The cue sound “{sound}” is missing, so that cue stays silent. "
                    "Put the file in your audio/cues folder or choose another cue."
                ).format(sound=sound_id)
            )
        else:
            try:
                sound = self._pygame.mixer.Sound(str(path))
            except Exception as error:
                log.warning("cue %s could not be read: %s", path, error)
                self._problem(
                    _(
                        "The cue sound {path} could not be read ({reason}), so that cue stays silent. "
                        "Replace the file or choose another cue."
                    ).format(path=path, reason=_sound_reason(error))
                )
        self._cues[sound_id] = sound
        return sound

    def _words_start(self) -> float:
        """Clock time from which new words may start: after the old ones' fade and the step's cue."""
        return max(self._voice_after, self._words_after_cue)

    def _cue_body(self, sound_id: str, sound: Any) -> float:
        """Seconds from a cue's start until it has sounded: until it falls under CUE_BODY_FLOOR_DB of its
        peak for good, read from its decoded samples (a user's own sound is measured the same way)."""
        if sound_id in self._cue_bodies:
            return self._cue_bodies[sound_id]
        body = float(sound.get_length())
        init = self._pygame.mixer.get_init()
        if init is not None and abs(init[1]) == 16:  # the mixer's own 16-bit samples, channels interleaved
            rate, channels = int(init[0]), int(init[2])
            samples = array.array("h", sound.get_raw())
            read = samples[::CUE_BODY_STRIDE]  # a fifth of the samples: a bowl is measured in ~10 ms
            peak = max(max(read, default=0), -min(read, default=0))
            floor = peak * 10 ** (CUE_BODY_FLOOR_DB / 20)
            window = max(1, int(rate * CUE_BODY_WINDOW_SECONDS) * channels // CUE_BODY_STRIDE)
            end = 0
            for start in range((len(read) - 1) // window * window, -1, -window):  # from the end back
                part = read[start : start + window]
                if max(part) > floor or -min(part) > floor:
                    end = (start + len(part)) * CUE_BODY_STRIDE
                    break
            body = end / channels / rate
        self._cue_bodies[sound_id] = body
        return body

    def _let_go_occasional_sounds(self) -> None:
        """Before a bowl or a step's own sound is decoded, the one decoded last is let go: a session keeps
        one of them at a time, so the end bowl takes the start bowl's place in memory (~1.2 MiB) rather than
        adding to it. One still sounding plays on to its end (its channel holds it); a sound a step plays
        again and again stays, being the last."""
        for sound_id, sound in list(self._cues.items()):
            if sound is not None and sound_id not in PRELOADED_SOUNDS:
                del self._cues[sound_id]

    def _start_pending_voice(self) -> None:
        text = self._pending_voice
        if text is None or self._speech is None or self._pygame is None:
            return
        path = self._speech.wav_for(text)
        if path is None:
            if self._speech.has_failed(text):
                self._pending_voice = None
                self._problems_from_speech()
            return
        now = self._clock()
        channel = self._pygame.mixer.Channel(VOICE_CHANNEL)
        if now < self._words_start():
            return  # the words before are still fading out, or the step's cue is still sounding
        self._pending_voice = None
        try:
            voice = self._pygame.mixer.Sound(str(path))
        except Exception as error:
            log.warning("speech file %s could not be read: %s", path, error)
            return
        channel.set_volume(self._voice_volume())
        channel.play(voice)
        self._voice_until = now + float(voice.get_length())

    def _stop_voice(self, *, fade: bool) -> None:
        self._pending_voice = None
        now = self._clock()
        channel = self._pygame.mixer.Channel(VOICE_CHANNEL)
        if now >= self._voice_until and not self._paused:
            channel.stop()  # nothing left but the rendering's trailing silence
            return
        if fade and not self._paused:
            if now >= self._voice_after:  # a fade already under way keeps its end
                channel.fadeout(int(VOICE_FADE_SECONDS * 1000))
                self._voice_after = now + VOICE_FADE_SECONDS
            self._voice_until = min(self._voice_until, self._voice_after)
        else:
            channel.stop()
            self._voice_until = self._voice_after = now
            self._voice_left_at_pause = 0.0


def _import_pygame() -> Any:
    from massage_guide.services.pygame_import import import_pygame

    # Lazy, the mixer's modules alone, and with SDL's environment set first: see pygame_import.
    return import_pygame(mixer_only=True)


def _warm_up_import() -> None:
    try:
        _import_pygame()
    except Exception as error:  # the session's own open says so, in a sentence of ours
        log.info("pygame could not be imported ahead: %s", error)


@dataclass(frozen=True)
class _Ramp:
    """A level moving in a straight line from ``start`` (at clock time ``since``) to ``target`` over
    ``seconds``: the ambience's fade, computed from the clock so a late tick never leaves it behind."""

    start: float = 1.0
    target: float = 1.0
    since: float = 0.0
    seconds: float = 0.0

    def level(self, now: float) -> float:
        if self.seconds <= 0 or now >= self.since + self.seconds:
            return self.target
        share = max(0.0, now - self.since) / self.seconds
        return self.start + (self.target - self.start) * share

    def towards(self, target: float, seconds: float, now: float) -> _Ramp:
        return _Ramp(self.level(now), target, now, seconds)

    def held(self, now: float) -> _Ramp:
        level = self.level(now)
        return _Ramp(level, level, now, 0.0)

    def step_seconds(self, now: float) -> float | None:
        """How soon the mixer's volume should next be set while moving; None when it has arrived.
        SDL_mixer has MIXER_VOLUME_STEPS volume steps, so a long fade needs no more settings than that."""
        end = self.since + self.seconds
        if self.seconds <= 0 or now >= end:
            return None
        return max(RAMP_STEP_SECONDS, min(self.seconds / MIXER_VOLUME_STEPS, end - now))


def _sound_reason(error: BaseException) -> str:
    """Why a sound file would not play, in the user's language: SDL's own text ("Unrecognized audio
    format") is English and names no remedy."""
    if isinstance(error, OSError):
        return os_reason(error)
    return _("it is not a sound Massage Guide can play; use a WAV or OGG file")


def _mixer_reason(text: str) -> str:
    """SDL's reason the mixer did not open, in our words where we know it (SDL's text is English)."""
    target = re.fullmatch(r"Audio target '(.*)' not available", text)
    if target:
        return _("the sound output {name} is not available; check SDL_AUDIODRIVER").format(
            name=target.group(1)
        )
    return text
