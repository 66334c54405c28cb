"""The ambience fade on SDL's disk driver: the sleep timer's fade really lowers the level, and cancel restores it."""

from __future__ import annotations

from pathlib import Path

from tests.services.disk_driver import is_silent, rms_db, run_on_disk_driver

SCENARIO = """
    from massage_guide.core.sleep_timer import SleepTimer

    def run_for(seconds):
        # What the service's worker does: tick often, on the clock of the sound written.
        end = audio_clock() + seconds
        while audio_clock() < end:
            play_for(0.02)
            audio.tick()

    audio = service(AudioSettings(ambience_volume=0.8))
    audio.start_ambience("brown-noise", fade_in_seconds=0.0)
    run_for(1.0)
    mark("fading")
    timer = SleepTimer(audio, audio_clock, 2.0)
    timer.start()
    run_for(1.5)
    mark("cancel")
    timer.cancel()
    run_for(1.5)
    mark("restored")
    run_for(0.5)
    last = SleepTimer(audio, audio_clock, 1.0)
    last.start()
    while not last.tick():
        play_for(0.02)
        audio.tick()
    mark("end")
    play_for(0.5)
    finish(audio)
"""


def test_the_sleep_fade_lowers_the_ambience_and_cancel_brings_it_back(tmp_path: Path) -> None:
    """Samples the mixer wrote: the level falls steadily under the fade, returns on cancel, and ends in silence."""
    rec = run_on_disk_driver(tmp_path, SCENARIO, delay_ms=2)
    full = rms_db(rec.after("fading", -0.5, 0.0))
    assert full > -40, full
    quarters = [rms_db(rec.after("fading", start, start + 0.25)) for start in (0.0, 0.5, 1.0, 1.25)]
    assert quarters == sorted(quarters, reverse=True), quarters  # falling all the way
    assert full - quarters[-1] > 9, (full, quarters)  # ~1/4 of the level left at 3/4 of the way (-12 dB)
    assert abs(rms_db(rec.after("restored", 0.0, 0.5)) - full) < 1.5  # back where it was
    assert rms_db(rec.after("cancel", 0.0, 0.2)) < full - 6  # coming back smoothly, not with a jump
    assert is_silent(rec.after("end", 0.1))
    assert rec.problems == []
