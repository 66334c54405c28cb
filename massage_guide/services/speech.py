"""Offline spoken guidance: text rendered to cached, loudness-matched WAV files in the background.

The engines run in their own processes (espeak-ng per sentence, Piper kept alive for a session): Piper is
GPL-3.0 and this MIT program never imports it. services/voice.py chooses the engine."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as wait_for_any
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from massage_guide.core.digest import sha256_hex
from massage_guide.core.i18n import N_, _
from massage_guide.core.lexicon import LEXICON_VERSION, respell
from massage_guide.core.voices import DEFAULT_WORDS_PER_MINUTE, espeak_speed, espeak_voice
from massage_guide.services import wavtools

log = logging.getLogger(__name__)

NO_ENGINE_MESSAGE = N_(
    "Spoken guidance needs a speech engine (espeak-ng); the session continues without voice."
)
COULD_NOT_SPEAK = N_("The voice could not speak; the session continues without voice.")
# A sentence renders in well under 0.1 s; a stuck engine must not hold the queue for long.
RENDER_TIMEOUT_SECONDS = 15.0
ENGINES = ("espeak-ng", "espeak")
# Rendered speech kept on disk. A step's words are ~0.3-0.5 MB (22 kHz mono), so this holds every
# built-in routine several times over at different speeds; past it the least recently used go first.
CACHE_LIMIT_BYTES = 96 * 1024 * 1024
# Bump when the post-processing of renderings changes (loudness, trimming), so old files are not reused.
RENDER_FORMAT = 2
# A natural engine's first rendering waits for its model to load (2 s, and up to 9 s on two busy cores).
# Words wanted now while it is still cold are spoken by its fallback engine (espeak-ng, ~0.1 s) so that a
# session started at once does not open in silence; once the natural voice has rendered, it speaks all.
STANDIN_WHILE_COLD = True
# How long close() waits for the render threads to let go (they look at the stop flag every few
# milliseconds, and the engines are ended): only a guard against a stuck engine, well under the second a
# quit may take. Past it the (daemon) threads are dropped with the process; their partial files are theirs.
CLOSE_WAIT_SECONDS = 0.5


class SpeechPort(Protocol):
    """Text to audio files, rendered off the caller's thread. AudioService plays what this renders."""

    def configure(self, *, voice: str, rate: int, engine: str = "auto") -> None:
        """``voice`` is a language or locale code (``en_US``), ``rate`` words a minute, ``engine`` the
        ``voice_engine`` setting (auto, natural or espeak)."""
        ...

    def is_available(self) -> bool: ...

    def prefetch(self, texts: Iterable[str]) -> None:
        """Start rendering texts that will be needed soon (the next step's words)."""
        ...

    def wav_for(self, text: str) -> Path | None:
        """The rendered file if it is ready; otherwise start rendering it and return None."""
        ...

    def has_failed(self, text: str) -> bool: ...

    def problems(self) -> list[str]: ...

    def close(self) -> None: ...


class RenderError(Exception):
    """An engine could not render: ``message`` is for the user, ``detail`` for the log."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(detail)
        self.message = message
        self.detail = detail


class SpeechEngine(Protocol):
    """One engine at one voice and speed: renders a line of text to a WAV file."""

    @property
    def identity(self) -> str:
        """What makes its renderings differ from another engine's: part of the cache key."""
        ...

    def render(self, text: str, target: Path) -> None:
        """Write ``text`` spoken to ``target``; raises RenderError."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class EngineChoice:
    """The engine a voice setting resolves to, and how the ``voice`` command describes it."""

    engine: SpeechEngine | None
    description: str  # e.g. "piper en_US-joe-medium (natural)" or "espeak-ng en-us (fallback: ...)"
    problem: str | None = None  # told to the user once (a voice they asked for is not there)
    fallback: EngineChoice | None = None  # used from the first failed rendering on (Piper crashing)


# (engine setting, language, words a minute) -> the engine to use
Chooser = Callable[[str, str, int], EngineChoice]


def find_espeak() -> str | None:
    """The espeak-ng (or espeak) executable's path, or None."""
    for name in ENGINES:
        found = shutil.which(name)
        if found:
            return found
    return None


class EspeakEngine:
    """espeak-ng's command line, one process per line of text.

    Chosen over pyttsx3: the command line runs from any thread, can be timed out, and a failure stays in
    its own process. A sentence renders in ~0.05 s."""

    def __init__(self, executable: str, voice: str, speed: int) -> None:
        self.executable, self.voice, self.speed = executable, voice, speed

    @property
    def identity(self) -> str:
        return f"espeak-ng\0{self.voice}\0{self.speed}"

    def render(self, text: str, target: Path) -> None:
        # Text goes in on stdin so that words starting with "-" are never read as options.
        try:
            result = subprocess.run(
                [self.executable, "--stdin", "-w", str(target), "-s", str(self.speed), "-v", self.voice],
                input=text.encode(),
                capture_output=True,
                timeout=RENDER_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise RenderError(_(COULD_NOT_SPEAK), str(error)) from error
        if result.returncode != 0 or not target.is_file() or target.stat().st_size <= 44:
            detail = result.stderr.decode(errors="replace").strip() or f"exit status {result.returncode}"
            raise RenderError(
                _(
                    "The voice could not speak (espeak-ng: {detail}). "
                    "Check the voice language in Settings; the session continues without voice."
                ).format(detail=detail),
                detail,
            )

    def close(self) -> None:
        pass


URGENT, AHEAD, LAST = 2, 1, 0  # task classes of _Scheduler, most pressing first


class _Scheduler:
    """One worker thread running renders by need, not by arrival: words wanted now first; then the
    newest batch of renders ahead, in its order (the routine just opened, not the three opened before
    it); housekeeping (closing or resting an engine) last. It waits without a timeout when idle."""

    def __init__(self, name: str = "speech") -> None:
        self._name = name
        self._wake = threading.Condition()
        self._tasks: list[tuple[tuple[int, int, int], Future[Any], Callable[[], Any]]] = []
        self._sequence = 0
        self._batch = 0
        self._thread: threading.Thread | None = None
        self._closed = False

    def new_batch(self) -> None:
        with self._wake:
            self._batch += 1

    def submit(self, action: Callable[[], Any], kind: int) -> Future[Any]:
        future: Future[Any] = Future()
        with self._wake:
            if self._closed:
                future.cancel()
                return future
            self._sequence += 1
            self._tasks.append((self._rank(kind), future, action))
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
                self._thread.start()
            self._wake.notify()
        return future

    def promote(self, future: Future[Any]) -> None:
        """Make a task still waiting urgent: its words are wanted now."""
        with self._wake:
            for index, (_, waiting, action) in enumerate(self._tasks):
                if waiting is future:
                    self._sequence += 1
                    self._tasks[index] = (self._rank(URGENT), waiting, action)

    def shutdown(self) -> None:
        with self._wake:
            self._closed = True
            for _, future, _ in self._tasks:
                future.cancel()
            self._tasks.clear()
            self._wake.notify()

    def join(self, timeout: float) -> bool:
        """Wait (at most ``timeout``) for the worker to end after shutdown(); True when it has."""
        with self._wake:
            thread = self._thread
        if thread is None or thread is threading.current_thread():
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _rank(self, kind: int) -> tuple[int, int, int]:
        # Urgent and housekeeping tasks in arrival order; renders ahead newest batch first, in order.
        return (kind, self._batch if kind == AHEAD else 0, -self._sequence)

    def _work(self) -> None:
        while True:
            with self._wake:
                while not self._tasks and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                task = max(self._tasks, key=lambda item: item[0])
                self._tasks.remove(task)
            _, future, action = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(action())
            except BaseException as error:  # handed to whoever waits on the future
                future.set_exception(error)


class RenderingSpeech:
    """SpeechPort: one worker thread renders, in request order, with the engine ``chooser`` picks.

    Files go to ``cache_dir`` named by a hash of (engine identity, text, lexicon) and are reused across
    sessions and runs; the folder is kept under CACHE_LIMIT_BYTES, least recently used first out. Every
    rendering is respelled by the lexicon first and loudness-matched after, so engines sound alike."""

    def __init__(
        self,
        cache_dir: Path,
        chooser: Chooser,
        *,
        voice: str = "en",
        rate: int = DEFAULT_WORDS_PER_MINUTE,
        engine: str = "auto",
        cache_limit_bytes: int = CACHE_LIMIT_BYTES,
    ) -> None:
        self._cache_dir = cache_dir
        self._chooser = chooser
        self._cache_limit = cache_limit_bytes
        self._lock = threading.Lock()
        self._jobs: dict[str, Future[Path | None]] = {}
        self._problems: list[str] = []
        self._scheduler = _Scheduler()
        self._wanted: tuple[str, str, int] | None = None
        self._chosen_for: tuple[str, str, int] | None = None
        self._choice = EngineChoice(None, "none")
        self.renders = 0  # how many times an engine actually ran (the rest were cache hits)
        self._warm: set[int] = set()  # ids of engines that have rendered (their model is loaded)
        self._standins: dict[str, Future[Path | None]] = {}
        # Stand-ins render on a worker of their own (the main one is busy loading the model). Both are
        # daemon threads, and not a ThreadPoolExecutor, whose threads the interpreter joins at exit: a
        # quit must not wait for a rendering whose words nobody will hear.
        self._standin_scheduler = _Scheduler("speech-standin")
        self._stopping = threading.Event()  # set by close(): renderings in progress let go
        self.configure(voice=voice, rate=rate, engine=engine)

    def configure(self, *, voice: str, rate: int, engine: str = "auto") -> None:
        with self._lock:
            self._wanted = (engine, voice, rate)

    def _current(self) -> EngineChoice:
        """The engine for the wanted settings, chosen on first need (caller holds the lock): choosing
        looks for installed engines, which has no business on the way to the first window."""
        if self._wanted is None or self._wanted == self._chosen_for:
            return self._choice
        engine, voice, rate = self._chosen_for = self._wanted
        old, self._choice = self._choice, self._chooser(engine, voice, rate)
        choice = self._choice
        if choice.problem and choice.problem not in self._problems:
            self._problems.append(choice.problem)
        if choice.engine is None and _(NO_ENGINE_MESSAGE) not in self._problems:
            log.warning("no speech engine: %s", choice.description)
            self._problems.append(_(NO_ENGINE_MESSAGE))
        if old.engine is not None and old.engine is not choice.engine:
            self._retire(old.engine)
        return choice

    def description(self) -> str:
        """The engine and voice in use, as the ``voice`` command prints it."""
        with self._lock:
            return self._current().description

    def is_available(self) -> bool:
        with self._lock:
            return self._current().engine is not None

    def prefetch(self, texts: Iterable[str]) -> None:
        """Render ``texts`` ahead, in order, before any batch asked for earlier that has not started."""
        self._scheduler.new_batch()
        for text in texts:
            self._submit(text, AHEAD)

    def wav_for(self, text: str) -> Path | None:
        job = self._submit(text, URGENT)
        if job is None:
            return None
        if job.done():
            return job.result()
        standin = self._standin(text)
        if standin is not None and standin.done():
            return standin.result()
        return None

    def has_failed(self, text: str) -> bool:
        with self._lock:
            if self._current().engine is None:
                return True
            job = self._jobs.get(self._key(text))
        return job is not None and job.done() and job.result() is None

    def wait(self, text: str, timeout: float = RENDER_TIMEOUT_SECONDS) -> Path | None:
        """Render ``text`` if needed and block until it is ready (for tools and benchmarks, not the UI)."""
        job = self._submit(text, URGENT)
        return None if job is None else job.result(timeout)

    def wait_ready(self, text: str, timeout: float = RENDER_TIMEOUT_SECONDS) -> Path | None:
        """Block until ``text`` can be spoken, as wav_for() will give it: the chosen engine's rendering or,
        while that engine is still cold, the stand-in's (STANDIN_WHILE_COLD), whichever is first. For a
        session that starts at once (the terminal player). Raises TimeoutError past ``timeout``."""
        job = self._submit(text, URGENT)
        if job is None:
            return None
        pending: set[Future[Path | None]] = {job}
        if not job.done():
            standin = self._standin(text)
            if standin is not None:
                pending.add(standin)
        deadline = time.monotonic() + timeout
        while pending:
            done, pending = wait_for_any(
                pending, max(0.0, deadline - time.monotonic()), return_when=FIRST_COMPLETED
            )
            if not done:
                raise TimeoutError(text)
            for finished in done:
                if not finished.cancelled() and finished.result() is not None:
                    return finished.result()
        return None

    def problems(self) -> list[str]:
        with self._lock:
            if self._wanted is not None:
                self._current()
            return list(self._problems)

    def rest(self) -> None:
        """Between sessions: let a long-lived engine process go (it starts again when next needed), after
        the renders already queued. Nothing costs memory or CPU while no session runs."""
        with self._lock:
            engine = self._choice.engine
            rest = getattr(engine, "rest", None)
            if not callable(rest):
                return
            self._warm.discard(id(engine))  # its model loads again next time: stand-ins until then
            self._scheduler.submit(rest, LAST)

    def close(self) -> None:
        with self._lock:
            engine = self._choice.engine
            self._choice = EngineChoice(None, "closed")
            self._wanted = self._chosen_for = None
        self._stopping.set()
        self._scheduler.shutdown()
        self._standin_scheduler.shutdown()
        if engine is not None:
            engine.close()
        deadline = time.monotonic() + CLOSE_WAIT_SECONDS
        for scheduler in (self._scheduler, self._standin_scheduler):
            if not scheduler.join(max(0.0, deadline - time.monotonic())):
                log.info("a speech rendering did not stop within %s s", CLOSE_WAIT_SECONDS)

    # --- inside ------------------------------------------------------------------------------------------

    def _key(self, text: str, engine: SpeechEngine | None = None) -> str:
        engine = self._choice.engine if engine is None else engine
        identity = engine.identity if engine is not None else "none"
        return f"{identity}\0{LEXICON_VERSION}\0{RENDER_FORMAT}\0{text}"

    def _standin(self, text: str) -> Future[Path | None] | None:
        """The fallback engine's rendering of words wanted now while the chosen engine is still cold (see
        STANDIN_WHILE_COLD), started on a thread of its own since the worker is busy loading the model."""
        with self._lock:
            choice = self._choice
            fallback = choice.fallback.engine if choice.fallback is not None else None
            if not STANDIN_WHILE_COLD or choice.engine is None or fallback is None:
                return None
            if id(choice.engine) in self._warm:
                return None
            key = self._key(text, fallback)
            job = self._standins.get(key)
            if job is None:
                target = self._cache_dir / f"{sha256_hex(key.encode())[:32]}.wav"
                if target.is_file():
                    job = Future()
                    job.set_result(target)
                else:
                    job = self._standin_scheduler.submit(lambda: self._render(fallback, text, target), URGENT)
                self._standins[key] = job
            return job

    def _file_stem(self, text: str) -> str:
        with self._lock:
            return sha256_hex(self._key(text).encode())[:32]

    def _fall_back(self, failed: SpeechEngine) -> SpeechEngine | None:
        """Switch to the choice's fallback engine after ``failed`` broke; the engine to retry with."""
        with self._lock:
            choice = self._choice
            if choice.engine is not failed or choice.fallback is None or choice.fallback.engine is None:
                return None
            self._choice = choice.fallback
            self._retire(failed)
            return choice.fallback.engine

    def _retire(self, engine: SpeechEngine) -> None:
        """Close a replaced engine after the renders already queued for it (caller holds the lock)."""
        self._scheduler.submit(engine.close, LAST)

    def _submit(self, text: str, kind: int) -> Future[Path | None] | None:
        if not text.strip():
            return None
        with self._lock:
            engine = self._current().engine
            if engine is None:
                return None
            key = self._key(text)
            job = self._jobs.get(key)
            if job is not None:
                if kind == URGENT and not job.done():
                    self._scheduler.promote(job)
                return job
            target = self._cache_dir / f"{sha256_hex(key.encode())[:32]}.wav"  # = _file_stem
            job = Future()
            if target.is_file():
                _touch(target)  # recently used: the cache trims the oldest first
                job.set_result(target)  # rendered in an earlier run
            else:
                job = self._scheduler.submit(lambda: self._render(engine, text, target), kind)
            self._jobs[key] = job
            return job

    def _render(self, engine: SpeechEngine, text: str, target: Path) -> Path | None:
        partial = target.with_suffix(f".{os.getpid()}.part.wav")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            engine.render(" ".join(respell(text).split()), partial)
            self.renders += 1
            wavtools.normalise_speech(partial, self._stopping.is_set)
            partial.replace(target)  # atomic: a reader never sees half a file
            with self._lock:
                self._warm.add(id(engine))
            trim_cache(self._cache_dir, self._cache_limit, keep=target)
            return target
        except RenderError as error:
            if not error.message:  # closing: not a failure to tell
                log.info("speech rendering stopped: %s", error.detail)
                return None
            self._report_once(error.message, error.detail)
            fallback = self._fall_back(engine)
            if fallback is None:
                return None
            return self._render(fallback, text, self._cache_dir / f"{self._file_stem(text)}.wav")
        except wavtools.StoppedError:  # closing: the partial file goes below, nothing reaches the cache
            log.info("speech rendering stopped: the app is closing")
            return None
        except (OSError, wavtools.WavError) as error:
            self._report_once(_(COULD_NOT_SPEAK), str(error))
            return None
        finally:
            partial.unlink(missing_ok=True)

    def _report_once(self, message: str, detail: str) -> None:
        log.warning("speech rendering failed: %s", detail)
        with self._lock:
            if message not in self._problems:
                self._problems.append(message)


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):  # a read-only cache still serves its files
        os.utime(path)


def trim_cache(folder: Path, limit_bytes: int, keep: Path | None = None) -> int:
    """Delete the least recently used renderings until ``folder`` holds at most ``limit_bytes`` (never
    ``keep``, the one about to be played); returns how many went."""
    try:
        files = [(entry.stat(), entry) for entry in folder.glob("*.wav") if ".part" not in entry.name]
    except OSError:
        return 0
    total = sum(stat.st_size for stat, _ in files)
    removed = 0
    for stat, path in sorted(files, key=lambda item: item[0].st_mtime_ns):
        if total <= limit_bytes:
            break
        if path == keep:
            continue
        try:
            path.unlink()
        except OSError:
            continue
        total -= stat.st_size
        removed += 1
    return removed


def espeak_chooser(executable: str | None = None) -> Chooser:
    """A chooser that always picks espeak-ng (or nothing, when it is not installed)."""
    found = executable if executable is not None else find_espeak()
    path = shutil.which(found) if found else None

    def choose(engine: str, language: str, rate: int) -> EngineChoice:
        if path is None:
            return EngineChoice(None, "none (espeak-ng is not installed)")
        voice = espeak_voice(language)
        note = f" (fallback: {voice.fallback_reason})" if voice.fallback_reason else ""
        return EngineChoice(
            EspeakEngine(path, voice.name, espeak_speed(rate)), f"espeak-ng {voice.name}{note}"
        )

    return choose


class EspeakSpeech(RenderingSpeech):
    """RenderingSpeech that always uses espeak-ng (tests, and the fallback when nothing else is wanted)."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        voice: str = "en",
        rate: int = DEFAULT_WORDS_PER_MINUTE,
        executable: str | None = None,
    ) -> None:
        chooser = espeak_chooser(executable)
        super().__init__(cache_dir, chooser, voice=voice, rate=rate, engine="espeak")
        if not self.is_available():
            log.warning("no speech engine found (looked for %s)", ", ".join(ENGINES))
