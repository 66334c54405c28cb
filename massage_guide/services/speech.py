"""Offline spoken guidance: text rendered to cached WAV files by espeak-ng, in the background."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

NO_ENGINE_MESSAGE = "Spoken guidance needs a speech engine (espeak-ng); the session continues without voice."
# A sentence renders in well under 0.1 s; a stuck engine must not hold the queue for long.
RENDER_TIMEOUT_SECONDS = 15.0
ENGINES = ("espeak-ng", "espeak")


class SpeechPort(Protocol):
    """Text to audio files, rendered off the caller's thread. AudioService plays what this renders."""

    def configure(self, *, voice: str, rate: int) -> None: ...

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


def cache_key(text: str, voice: str, rate: int) -> str:
    """The cache file stem for one rendering: the same words, voice and rate give the same file."""
    digest = hashlib.sha256(f"{voice}\0{rate}\0{text}".encode()).hexdigest()
    return digest[:32]


class EspeakSpeech:
    """SpeechPort on the ``espeak-ng`` command line.

    Chosen over pyttsx3: the command line runs from any thread, can be timed out, and a failure stays in
    its own process (pyttsx3's ``save_to_file`` with the espeak driver is fragile outside the main
    thread). Both render a sentence in ~0.05 s here. One worker thread renders, in request order; files go
    to ``cache_dir`` named by a hash of (text, voice, rate) and are reused across sessions and runs."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        voice: str = "en",
        rate: int = 150,
        executable: str | None = None,
    ) -> None:
        self._cache_dir = cache_dir
        self._voice = voice
        self._rate = rate
        self._lock = threading.Lock()
        self._jobs: dict[str, Future[Path | None]] = {}
        self._problems: list[str] = []
        self.renders = 0  # how many times the engine actually ran (the rest were cache hits)
        found = executable if executable is not None else _find_engine()
        self._executable = shutil.which(found) if found else None
        self._pool: ThreadPoolExecutor | None = None
        if self._executable is None:
            log.warning("no speech engine found (looked for %s)", ", ".join(ENGINES))
            self._problems.append(NO_ENGINE_MESSAGE)

    def configure(self, *, voice: str, rate: int) -> None:
        with self._lock:
            self._voice, self._rate = voice, rate

    def is_available(self) -> bool:
        return self._executable is not None

    def prefetch(self, texts: Iterable[str]) -> None:
        for text in texts:
            self._submit(text)

    def wav_for(self, text: str) -> Path | None:
        job = self._submit(text)
        if job is None or not job.done():
            return None
        return job.result()

    def has_failed(self, text: str) -> bool:
        if self._executable is None:
            return True
        with self._lock:
            job = self._jobs.get(self._key(text))
        return job is not None and job.done() and job.result() is None

    def wait(self, text: str, timeout: float = RENDER_TIMEOUT_SECONDS) -> Path | None:
        """Render ``text`` if needed and block until it is ready (for tools and benchmarks, not the UI)."""
        job = self._submit(text)
        return None if job is None else job.result(timeout)

    def problems(self) -> list[str]:
        with self._lock:
            return list(self._problems)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    # --- inside ------------------------------------------------------------------------------------------

    def _key(self, text: str) -> str:
        return f"{self._voice}\0{self._rate}\0{text}"

    def _submit(self, text: str) -> Future[Path | None] | None:
        if self._executable is None or not text.strip():
            return None
        with self._lock:
            key = self._key(text)
            job = self._jobs.get(key)
            if job is not None:
                return job
            target = self._cache_dir / f"{cache_key(text, self._voice, self._rate)}.wav"
            job = Future()
            if target.is_file():
                job.set_result(target)  # rendered in an earlier run
            else:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speech")
                job = self._pool.submit(self._render, text, self._voice, self._rate, target)
            self._jobs[key] = job
            return job

    def _render(self, text: str, voice: str, rate: int, target: Path) -> Path | None:
        assert self._executable is not None
        partial = target.with_suffix(f".{os.getpid()}.part")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Text goes in on stdin so that words starting with "-" are never read as options.
            result = subprocess.run(
                [self._executable, "--stdin", "-w", str(partial), "-s", str(rate), "-v", voice],
                input=text.encode(),
                capture_output=True,
                timeout=RENDER_TIMEOUT_SECONDS,
                check=False,
            )
            self.renders += 1
            if result.returncode != 0 or not partial.is_file() or partial.stat().st_size <= 44:
                detail = result.stderr.decode(errors="replace").strip() or f"exit status {result.returncode}"
                self._report_once(
                    f"The voice could not speak (espeak-ng: {detail}). "
                    "Check the voice language in Settings; the session continues without voice.",
                    detail,
                )
                return None
            partial.replace(target)  # atomic: a reader never sees half a file
            return target
        except (OSError, subprocess.SubprocessError) as error:
            self._report_once(
                "The voice could not speak; the session continues without voice.",
                str(error),
            )
            return None
        finally:
            partial.unlink(missing_ok=True)

    def _report_once(self, message: str, detail: str) -> None:
        log.warning("speech rendering failed: %s", detail)
        with self._lock:
            if message not in self._problems:
                self._problems.append(message)


def _find_engine() -> str | None:
    for name in ENGINES:
        if shutil.which(name):
            return name
    return None
