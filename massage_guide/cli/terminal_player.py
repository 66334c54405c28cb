"""The terminal player: ``massage-guide play ROUTINE_ID`` runs a routine in real time, with its sound.

In a terminal, space pauses and resumes, n and p go to the next and previous step, r restarts the step,
+ adds 15 seconds and q stops. Without a terminal (a pipe, a script) it just runs, printing each step as
it starts. The session is kept in the history like one run from the app.

Exit status: 0 when the routine completes or q stops it, 2 for an unknown routine, 130 after Ctrl-C
(SIGINT) and 143 after SIGTERM; both stop the sound, record the session as stopped and exit within a
second.

``MASSAGE_GUIDE_TIME_SCALE`` (a number, default 1) runs the player's clock faster, for tests and demos:
60 plays a 2-minute routine in 2 seconds. Only the terminal player reads it.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import select
import shutil
import signal
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from massage_guide.core.formatting import clock, duration
from massage_guide.core.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from massage_guide.core.engine import Event, Snapshot
    from massage_guide.core.history import HistoryStore
    from massage_guide.core.model import Routine, Step
    from massage_guide.core.ports import AudioPort
    from massage_guide.core.session import Session
    from massage_guide.core.sleep_timer import SleepTimer

log = logging.getLogger(__name__)

TIME_SCALE_ENV = "MASSAGE_GUIDE_TIME_SCALE"
# The loop never sleeps longer than this (real seconds), so a signal or a key is answered at once even
# if a wake-up is lost; the countdown itself wakes the loop at each whole-second change.
MAX_WAIT_SECONDS = 0.5
# While the closing sound rings out, look for a key or a signal this often.
RING_OUT_POLL_SECONDS = 0.1
# On Ctrl-C or SIGTERM the sound fades this fast, so the process is gone well within a second.
SIGNAL_FADE_SECONDS = 0.25
# After the last step the closing bowl (9.5 s, audio/cues/bowl-end) and the ambience fade ring out this
# long (any key skips it).
RING_OUT_SECONDS = 9.5
# Words ready within this are not worth a message; past it the player says it is getting the voice ready.
QUICK_VOICE_SECONDS = 0.5
EXIT_OK = 0
EXIT_UNKNOWN_ROUTINE = 2
KEY_HELP = N_("space pause · n next · p back · r restart · + 15 s · q stop")


def register(subparsers: Any) -> None:
    """Add the ``play`` command."""
    parser = subparsers.add_parser(
        "play",
        help=_("run a routine in the terminal, with sound"),
        description=_(
            "Run a routine in real time in the terminal: each step, a countdown and the sound. Keys: {keys}."
        ).format(keys=_(KEY_HELP)),
    )
    parser.add_argument(
        "routine_id", metavar="ROUTINE_ID", help=_("the routine to run (see `massage-guide list`)")
    )
    parser.add_argument("--no-voice", action="store_true", help=_("no spoken guidance"))
    parser.add_argument("--no-ambience", action="store_true", help=_("no background sound"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Play ``args.routine_id``; returns the exit status."""
    from massage_guide import paths as paths_module
    from massage_guide.core.i18n import active_language
    from massage_guide.core.library import audio_dirs, load_library
    from massage_guide.core.problems import closest
    from massage_guide.core.session import sleep_fade_minutes
    from massage_guide.core.settings import load_settings
    from massage_guide.services.audio_factory import build_audio

    paths = paths_module.resolve()
    settings, setting_problems = load_settings(paths.settings_file)
    for message in setting_problems:
        print(message, file=sys.stderr)
    language = active_language()
    library = load_library(paths)
    routine = library.get(args.routine_id)
    if routine is None:
        close = closest(args.routine_id, library.routines)
        print(
            _("There is no routine called '{routine}'.").format(routine=args.routine_id)
            + (" " + _("Did you mean '{routine}'?").format(routine=close) if close else "")
            + " "
            + _("Run `massage-guide list` to see them all."),
            file=sys.stderr,
        )
        if library.failed_files:
            failed = len(library.failed_files)
            print(
                ngettext(
                    "{count} routine file could not be loaded; `massage-guide list` shows why.",
                    "{count} routine files could not be loaded; `massage-guide list` shows why.",
                    failed,
                ).format(count=failed),
                file=sys.stderr,
            )
        return EXIT_UNKNOWN_ROUTINE
    scale = time_scale()
    from massage_guide.core.spoken import speech_language

    voice_language = speech_language(routine, language)  # English for a routine not in the user's language
    audio_settings = settings.audio(voice_language)
    if args.no_voice:
        audio_settings = replace(audio_settings, voice_enabled=False)
    if args.no_ambience:
        audio_settings = replace(audio_settings, ambience_enabled=False)
    ambience = None if args.no_ambience else settings.ambience_for(routine.ambience)
    sleep_seconds = 60.0 * sleep_fade_minutes(routine, settings.sleep_fade_minutes)
    with _signals() as caught:
        audio = build_audio(audio_dirs(paths), paths.speech_cache_dir, audio_settings, open_now=True)
        history = _open_history()
        try:
            player = Player(
                routine,
                audio,
                history,
                language=language,
                scale=scale,
                ambience=ambience,
                sleep_seconds=sleep_seconds,
            )
            _prepare_voice(audio, routine, voice_language)
            return player.play(caught)
        finally:
            audio.close()
            if history is not None:
                history.close()


def _prepare_voice(audio: AudioPort, routine: Routine, language: str) -> None:
    """Render the first words before the count-in starts, so they are spoken on time."""
    from massage_guide.core.spoken import first_words

    texts = first_words(routine, language)  # the session's own words: the safety line comes first
    if audio.prepare_speech(texts, QUICK_VOICE_SECONDS):
        return
    print(_("Getting the voice ready…"), file=sys.stderr)
    audio.prepare_speech(texts)


def time_scale(environ: Mapping[str, str] | None = None) -> float:
    """The clock speed-up from MASSAGE_GUIDE_TIME_SCALE (1 when unset or not a positive number)."""
    raw = (os.environ if environ is None else environ).get(TIME_SCALE_ENV, "").strip()
    if not raw:
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        print(
            _("Ignoring {setting}: it must be a positive number.").format(
                setting=f"{TIME_SCALE_ENV}={raw!r}"
            ),
            file=sys.stderr,
        )
        return 1.0
    return value


def scaled_clock(scale: float, base: Callable[[], float] = time.monotonic) -> Callable[[], float]:
    """A monotonic clock running ``scale`` times faster than real time."""
    start = base()
    return lambda: start + (base() - start) * scale


def _open_history() -> HistoryStore | None:
    from massage_guide.cli.store import open_store

    return open_store()


class _Caught:
    """Which signal (if any) asked us to stop, and a file descriptor that becomes readable when one does."""

    def __init__(self, wakeup_fd: int) -> None:
        self.signum: int | None = None
        self.wakeup_fd = wakeup_fd

    def drain(self) -> None:
        with contextlib.suppress(OSError):
            while os.read(self.wakeup_fd, 64):
                pass


@contextlib.contextmanager
def _signals() -> Iterator[_Caught]:
    """SIGINT and SIGTERM set a flag and wake the loop (through a self-pipe); both restored on exit."""
    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    caught = _Caught(read_fd)

    def handler(signum: int, _frame: FrameType | None) -> None:
        caught.signum = signum

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    old_wakeup = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    try:
        yield caught
    finally:
        signal.set_wakeup_fd(old_wakeup)
        for sig, old in previous.items():
            signal.signal(sig, old)
        os.close(read_fd)
        os.close(write_fd)


@contextlib.contextmanager
def _keyboard(stream: TextIO) -> Iterator[int | None]:
    """Single keys without Enter (cbreak mode, so Ctrl-C still works) when ``stream`` is a terminal;
    the terminal's settings are always put back. Yields the file descriptor, or None without a terminal."""
    if not _is_tty(stream):
        yield None
        return
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield fd
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


class Player:
    """Runs one session in the terminal: waits without spinning, reads keys, prints what happens."""

    def __init__(
        self,
        routine: Routine,
        audio: AudioPort,
        history: HistoryStore | None,
        *,
        language: str,
        scale: float = 1.0,
        ambience: str | None = None,
        sleep_seconds: float = 0.0,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        from massage_guide.core.engine import SessionEngine
        from massage_guide.core.session import Session
        from massage_guide.core.sleep_timer import SleepTimer

        self.routine = routine
        self.audio = audio
        self.language = language
        self.scale = scale
        self.stdin = stdin or sys.stdin
        self.out = stdout or sys.stdout
        self.live = _is_tty(self.out) and _is_tty(self.stdin)
        session_clock = scaled_clock(scale)
        self.engine = SessionEngine(routine.steps, session_clock)
        # The sleep fade setting: after the last step the ambience plays on and fades (core.sleep_timer).
        self.sleep_timer = SleepTimer(audio, session_clock, sleep_seconds) if sleep_seconds > 0 else None
        self.session: Session = Session(
            routine,
            self.engine,
            audio,
            history,
            language=language,
            ambience=ambience,
            sleep_timer=self.sleep_timer,
        )
        self._told: set[str] = set()
        self._status_shown = False
        self._status_text = ""

    # --- The loop ---------------------------------------------------------------------------------------

    def play(self, caught: _Caught) -> int:
        from massage_guide.core.engine import State
        from massage_guide.core.spoken import safety_line

        self._say(f"{self.routine.title.get(self.language)} · {clock(self.routine.duration_seconds)}")
        # The terminal skips the detail page, so its key caution and the stop rule come first, as in the voice.
        self._say(_("Take care: {safety}").format(safety=safety_line(self.routine.cautions, self.language)))
        if self.live:
            self._say(_(KEY_HELP))
        with _keyboard(self.stdin) as keys_fd:
            self._render(self.session.start())
            while self.engine.state not in (State.FINISHED, State.STOPPED):
                if caught.signum is not None:
                    return self._interrupted(caught.signum)
                for key in self._wait(caught, keys_fd):
                    self._render(self._on_key(key))
                self._render(self.session.tick())
            if self.engine.state is State.FINISHED:
                self._ring_out(caught, keys_fd)
                if caught.signum is not None:
                    return self._interrupted(caught.signum)
        return EXIT_OK

    def _wait(self, caught: _Caught, keys_fd: int | None) -> str:
        """Sleep until the countdown changes, a key is pressed or a signal comes; returns the keys."""
        wait = self.session.seconds_to_next_change()
        timeout = MAX_WAIT_SECONDS if wait is None else min(MAX_WAIT_SECONDS, wait / self.scale)
        watched = [caught.wakeup_fd] + ([keys_fd] if keys_fd is not None else [])
        try:
            ready, _, _ = select.select(watched, [], [], max(0.0, timeout))
        except InterruptedError:  # pragma: no cover - PEP 475 retries; kept for older platforms
            ready = []
        if caught.wakeup_fd in ready:
            caught.drain()
        if keys_fd is not None and keys_fd in ready:
            with contextlib.suppress(OSError):
                return os.read(keys_fd, 64).decode(errors="ignore")
        return ""

    def _on_key(self, key: str) -> list[Event]:
        actions: dict[str, Callable[[], list[Event]]] = {
            " ": self.session.toggle_pause,
            "n": self.session.next,
            "p": self.session.previous,
            "r": self.session.restart_step,
            "+": self.session.extend,
            "q": self.session.stop,
        }
        action = actions.get(key.lower())
        return action() if action is not None else []

    def _interrupted(self, signum: int) -> int:
        self._render(self.session.stop(fade_out_seconds=SIGNAL_FADE_SECONDS))
        time.sleep(SIGNAL_FADE_SECONDS)  # let the short fade finish before the mixer closes
        return 128 + signum

    def _ring_out(self, caught: _Caught, keys_fd: int | None) -> None:
        """Let the closing bowl and the ambience fade finish; a key or a signal ends it early."""
        from massage_guide.core.ports import SilentAudio

        sleep = self.sleep_timer
        if isinstance(self.audio, SilentAudio):
            if sleep is not None:
                sleep.stop_sound(0.0)  # nothing to listen to: no reason to wait
            return
        if sleep is not None and sleep.running():
            self._sleep_out(sleep, caught, keys_fd)
            return
        until = time.monotonic() + RING_OUT_SECONDS / self.scale
        while caught.signum is None and time.monotonic() < until:
            watched = [caught.wakeup_fd] + ([keys_fd] if keys_fd is not None else [])
            left = max(0.0, min(RING_OUT_POLL_SECONDS, until - time.monotonic()))
            ready, _, _ = select.select(watched, [], [], left)
            if keys_fd is not None and keys_fd in ready:
                break

    def _sleep_out(self, sleep: SleepTimer, caught: _Caught, keys_fd: int | None) -> None:
        """The sleep timer: the ambience plays on and fades out; a key stops it now, and so does a signal."""
        self._say(
            _("The sound fades out over {time}.").format(time=duration(sleep.seconds))
            + (" " + _("Press any key to stop it now.") if keys_fd is not None else "")
        )
        while not sleep.tick():
            left = sleep.seconds_left() or 0.0
            watched = [caught.wakeup_fd] + ([keys_fd] if keys_fd is not None else [])
            ready = select.select(watched, [], [], max(0.0, min(MAX_WAIT_SECONDS, left / self.scale)))[0]
            if caught.wakeup_fd in ready:
                caught.drain()
            if caught.signum is not None:
                sleep.stop_sound(SIGNAL_FADE_SECONDS)  # _interrupted() waits for this fade
                return
            if keys_fd is not None and keys_fd in ready:
                with contextlib.suppress(OSError):
                    os.read(keys_fd, 64)
                sleep.stop_sound(SIGNAL_FADE_SECONDS)
                time.sleep(SIGNAL_FADE_SECONDS)  # let the short fade finish before the mixer closes
                return

    # --- Output -----------------------------------------------------------------------------------------

    def _render(self, events: list[Event]) -> None:
        from massage_guide.core.engine import (
            Paused,
            SessionFinished,
            SessionStopped,
            StepStarted,
            SwitchSide,
        )

        for message in [*self.audio.problems(), *self.session.problems()]:
            if message not in self._told:
                self._told.add(message)
                self._say(message, stream=sys.stderr)
        total = len(self.routine.steps)
        last_start = max((i for i, e in enumerate(events) if isinstance(e, StepStarted)), default=-1)
        for position, event in enumerate(events):
            if isinstance(event, StepStarted) and position == last_start:
                self._show_step(event.index, event.step)
            elif isinstance(event, SwitchSide):
                self._say(_("Switch to the other side."))
            elif isinstance(event, Paused):
                if event.reason == "sleep":
                    self._say(_("Paused while the computer was asleep."))
                elif not self.live:
                    self._say(_("Paused."))
            elif isinstance(event, SessionFinished) and self.session.status != "completed":
                # Reached the end by skipping: say what was done, without praise it did not earn.
                self._say(
                    _("Finished after {time}, {done} of {total} steps. It is saved in your history.").format(
                        time=clock(event.active_seconds), done=event.steps_completed, total=total
                    )
                )
            elif isinstance(event, SessionFinished):
                self._say(
                    _("Session complete: {time} of massage, {done} of {total} steps. Well done.").format(
                        time=clock(event.active_seconds), done=event.steps_completed, total=total
                    )
                )
            elif isinstance(event, SessionStopped):
                self._say(
                    _("Stopped after {time}, {done} of {total} steps. It is saved in your history.").format(
                        time=clock(event.active_seconds), done=event.steps_completed, total=total
                    )
                )
        if self.live:
            self._show_status(self.session.snapshot())

    def _show_step(self, index: int, step: Step) -> None:
        width = max(40, min(100, shutil.get_terminal_size((80, 24)).columns) - 4)
        from massage_guide.core.model import pressure_label, technique_name

        side = _SIDE_NAMES.get(step.side or "")
        details = [
            technique_name(step.technique) if step.technique else None,
            pressure_label(step.pressure) if step.pressure else None,
            _(side) if side else None,
        ]
        header = _("Step {number} of {total} · {title}").format(
            number=index + 1, total=len(self.routine.steps), title=step.title.get(self.language)
        )
        header += f" ({clock(step.duration_seconds)})"
        lines = ["", header]
        if any(details):
            lines.append("  " + " · ".join(d for d in details if d))
        lines += textwrap.wrap(
            step.instruction.get(self.language), width, initial_indent="  ", subsequent_indent="  "
        )
        following = self.routine.steps[index + 1] if index + 1 < len(self.routine.steps) else None
        if following is not None and following.mirror_part == 2 and step.mirror_part == 1:
            # A mirrored step repeats itself; a sides block starts over with its first step.
            same = following.origin == step.origin
            title = following.title.get(self.language)
            lines.append(
                "  "
                + (
                    _("Next: the same on the other side")
                    if same
                    else _("Next: {title}, on the other side").format(title=title)
                )
            )
        elif following is not None:
            lines.append("  " + _("Next: {title}").format(title=following.title.get(self.language)))
        self._say("\n".join(lines))

    def _show_status(self, snap: Snapshot) -> None:
        from massage_guide.core.engine import State

        if snap.state is State.LEAD_IN:
            text = _("Starting again in {seconds}…").format(seconds=snap.lead_in)
        elif snap.state is State.PAUSED:
            text = _("Paused at {time} left · space to go on · q to stop").format(
                time=clock(snap.remaining_display)
            )
        elif snap.state is State.RUNNING:
            text = (
                _("{time} left").format(time=clock(snap.remaining_display)) + f"  {_bar(snap.step_progress)}"
            )
            if snap.breath is not None:
                word = _(_BREATH_WORDS.get(snap.breath.phase, _HOLD))
                text += f"  {word} {max(1, round(snap.breath.seconds_left))}"
        else:
            text = ""
        if not text:
            if self._status_shown:
                self.out.write("\r\x1b[2K")
                self.out.flush()
            self._status_shown = False
            return
        if self._status_shown and text == self._status_text:
            return  # unchanged: no need to redraw
        self.out.write("\r\x1b[2K  " + text)
        self.out.flush()
        self._status_shown = bool(text)
        self._status_text = text

    def _say(self, text: str, stream: TextIO | None = None) -> None:
        target = stream or self.out
        if self.live and self._status_shown:
            self.out.write("\r\x1b[2K")  # clear the countdown line; it is drawn again below
            self.out.flush()
            self._status_shown = False
        print(text, file=target, flush=True)


def _is_tty(stream: TextIO | None) -> bool:
    """True for an open terminal; False for pipes, files, closed or missing streams (a daemon's stdin)."""
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):
        return False


def _bar(progress: float, width: int = 20) -> str:
    filled = round(progress * width)
    return "▕" + "█" * filled + "░" * (width - filled) + "▏"


_SIDE_NAMES = {"both": N_("both sides"), "left": N_("left side"), "right": N_("right side")}
_BREATH_WORDS = {"inhale": N_("Breathe in"), "exhale": N_("Breathe out")}
_HOLD = N_("Hold")
