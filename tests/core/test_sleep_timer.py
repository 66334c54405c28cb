"""The sleep timer on a fake clock: it fades the ambience, reports the time left, stops once, and cancels."""

from __future__ import annotations

from massage_guide.core.engine import SessionEngine
from massage_guide.core.session import FINISH_FADE_OUT_SECONDS, STOP_FADE_OUT_SECONDS, Session
from massage_guide.core.sleep_timer import RESTORE_FADE_SECONDS, SleepState, SleepTimer
from tests.conftest import FakeClock
from tests.core.test_session import RecordingAudio, make_routine, make_step, run_to_end


def test_the_timer_fades_the_ambience_over_its_length_and_then_stops_the_sound(clock: FakeClock) -> None:
    """Started, it fades to silence over its whole length, counts down by the clock and stops the sound once."""
    audio = RecordingAudio()
    timer = SleepTimer(audio, clock, 600)
    assert not timer.running() and timer.seconds_left() is None
    timer.start()
    assert audio.calls == [("fade", 0.0, 600.0)]
    clock.advance(250)
    assert timer.running() and timer.seconds_left() == 350
    assert not timer.tick()
    assert audio.calls == [("fade", 0.0, 600.0)]
    clock.advance(3600)  # a tick that comes very late still ends it, once
    assert timer.tick()
    assert not timer.tick()
    assert audio.calls == [("fade", 0.0, 600.0), ("stop", 0.0)]
    assert timer.state is SleepState.DONE and timer.seconds_left() is None


def test_cancel_brings_the_ambience_back_and_ends_the_timer(clock: FakeClock) -> None:
    """Cancelling gives the fade up: the ambience returns to its level, and the time running out does nothing."""
    audio = RecordingAudio()
    timer = SleepTimer(audio, clock, 120)
    timer.start()
    clock.advance(60)
    assert timer.cancel()
    assert audio.calls[-1] == ("fade", 1.0, RESTORE_FADE_SECONDS)
    assert not timer.running() and timer.seconds_left() is None
    clock.advance(120)
    assert not timer.tick()
    assert not timer.cancel()
    timer.start()  # a cancelled timer stays cancelled
    assert [call for call in audio.calls if call[0] == "stop"] == []
    assert audio.calls == [("fade", 0.0, 120.0), ("fade", 1.0, RESTORE_FADE_SECONDS)]


def test_stop_sound_ends_it_now_with_a_short_fade(clock: FakeClock) -> None:
    """Stopping the sound by hand fades it out quickly rather than waiting for the timer; only while running."""
    audio = RecordingAudio()
    timer = SleepTimer(audio, clock, 300)
    assert not timer.stop_sound(2.0)  # not started: nothing to stop
    timer.start()
    clock.advance(10)
    assert timer.stop_sound(2.0)
    assert audio.calls[-1] == ("stop", 2.0)
    assert not timer.stop_sound(2.0) and not timer.tick()
    assert timer.state is SleepState.CANCELLED


def test_a_session_with_a_sleep_timer_starts_it_at_the_end_not_its_short_fade(clock: FakeClock) -> None:
    """When the routine reaches its end the ambience plays on under the timer; the usual end fade is not used."""
    routine = make_routine(make_step(5, "One"), make_step(5, "Two"))
    audio = RecordingAudio()
    timer = SleepTimer(audio, clock, 600)
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None, sleep_timer=timer)
    session.start()
    assert not timer.running()
    run_to_end(session, clock)
    assert timer.running() and timer.seconds_left() == 600
    assert ("fade", 0.0, 600.0) in audio.calls
    assert ("stop", FINISH_FADE_OUT_SECONDS) not in audio.calls
    assert [call for call in audio.calls if call[0] == "stop"] == []


def test_a_stop_by_the_user_is_quick_and_never_starts_the_sleep_timer(clock: FakeClock) -> None:
    """Stopping a session early fades quickly as always, whatever sleep timer it carries."""
    routine = make_routine(make_step(5, "One"), make_step(5, "Two"))
    audio = RecordingAudio()
    timer = SleepTimer(audio, clock, 600)
    session = Session(routine, SessionEngine(routine.steps, clock), audio, None, sleep_timer=timer)
    session.start()
    clock.advance(2)
    session.tick()
    session.stop()
    assert audio.calls[-1] == ("stop", STOP_FADE_OUT_SECONDS)
    assert not timer.running()
    assert not [call for call in audio.calls if call[0] == "fade"]
