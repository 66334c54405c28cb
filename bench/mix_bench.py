"""The session mix, measured: loudness of every sound, the voice against the beds and the cues, ducking,
headroom at full volume, how the bowls end, and how much the beds change over a long session.

Run: ``python bench/mix_bench.py [--no-write]`` (needs numpy, oggdec from vorbis-tools, espeak-ng; the
natural voice where installed). Loudness is BS.1770 integrated LUFS (tools/loudness.py). Writes the table to
audio/README.md (between its "mix-bench" markers) and a summary to docs/performance.md under "## Sound mix".
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from perf_doc import write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.loudness import integrated_lufs, true_peak_dbfs  # noqa: E402
from tools.make_sounds import decode_ogg  # noqa: E402

Signal = NDArray[np.float64]
HEADING = "## Sound mix"
README = ROOT / "audio" / "README.md"
BEGIN, END = "<!-- mix-bench:begin -->", "<!-- mix-bench:end -->"
RATE = 44_100
# The commit before this work: the sounds and the raw espeak-ng voice the issue was measured on.
BEFORE = "1a929e7"
VOICE_LINES = 10  # built-in spoken lines rendered per engine
DEFAULT_VOLUMES = {"ambience": 0.5, "cue": 0.7, "voice": 0.9}


def db(value: float) -> float:
    return float(20 * np.log10(max(value, 1e-12)))


def read_wav(path: Path) -> tuple[Signal, int]:
    with wave.open(str(path), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64) / 32768
        return data.reshape(-1, w.getnchannels()), w.getframerate()


def share_above(x: Signal, hz: float) -> float:
    mono = x.mean(axis=1)
    power = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    return float(power[freqs > hz].sum() / power.sum())


def old_sound(kind: str, name: str) -> Signal | None:
    """A sound as it was before this work, from git."""
    data = subprocess.run(
        ["git", "show", f"{BEFORE}:audio/{kind}/{name}.ogg"], cwd=ROOT, capture_output=True, check=False
    ).stdout
    if not data:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "old.ogg"
        path.write_bytes(data)
        return decode_ogg(path)


def band_level_spread(x: Signal, low: float, high: float, window_s: float = 4.0) -> float:
    """How much (dB) the level within a band changes across the loop, window by window."""
    mono = x.mean(axis=1)
    n = int(window_s * RATE)
    levels = []
    for start in range(0, len(mono) - n, n):
        power = np.abs(np.fft.rfft(mono[start : start + n] * np.hanning(n))) ** 2
        freqs = np.fft.rfftfreq(n, 1 / RATE)
        levels.append(10 * np.log10(power[(freqs > low) & (freqs < high)].sum() + 1e-12))
    return float(max(levels) - min(levels))


def voice_figures() -> list[dict[str, float | str]]:
    """Each engine's rendering of built-in lines at 140 words a minute: loudness, peak, pace."""
    from massage_guide.core.library import load_library
    from massage_guide.services.voice import build_speech

    lines: list[str] = []
    for routine in load_library(use_cache=False).routines.values():
        lines.extend(step.spoken_text("en") for step in routine.steps[:1])
    lines = lines[:VOICE_LINES]
    found: list[dict[str, float | str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for engine in ("espeak", "natural"):
            speech = build_speech(Path(tmp) / engine, language="en_US", rate=140, engine=engine)
            if engine == "natural" and not speech.description().startswith("piper"):
                speech.close()
                continue
            loudness, peaks, words, seconds = [], [], 0, 0.0
            for line in lines:
                path = speech.wait(line, timeout=180)
                if path is None:
                    continue
                x, rate = read_wav(path)
                loudness.append(integrated_lufs(x, rate))
                peaks.append(true_peak_dbfs(x))
                words += len(line.split())
                seconds += len(x) / rate
            found.append(
                {
                    "engine": speech.description(),
                    "lufs": float(np.mean(loudness)),
                    "spread": float(max(loudness) - min(loudness)),
                    "peak": max(peaks),
                    "wpm": words / seconds * 60,
                }
            )
            speech.close()
        # Before: espeak-ng as it was called (-s 150, raw output).
        raw = Path(tmp) / "raw.wav"
        loudness, peaks = [], []
        for line in lines:
            subprocess.run(["espeak-ng", "-w", str(raw), "-s", "150", "-v", "en-us", line], check=True)
            x, rate = read_wav(raw)
            loudness.append(integrated_lufs(x, rate))
            peaks.append(true_peak_dbfs(x))
        found.append(
            {
                "engine": "before: espeak-ng -s 150, raw",
                "lufs": float(np.mean(loudness)),
                "spread": float(max(loudness) - min(loudness)),
                "peak": max(peaks),
                "wpm": float("nan"),
            }
        )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="measure the session mix")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    from massage_guide.services.audio import (
        DUCK_ATTACK_SECONDS,
        DUCK_DB,
        DUCK_RELEASE_SECONDS,
        RAMP_STEP_SECONDS,
    )

    rows: list[str] = [
        "| sound | kind | length | loudness | true peak | above 5 kHz | end (last 0.25 s vs peak) | before: loudness, peak |",
        "|---|---|---|---|---|---|---|---|",
    ]
    beds: dict[str, float] = {}
    bed_peaks: dict[str, float] = {}
    cues: dict[str, float] = {}
    old_cues: dict[str, float] = {}
    cue_peaks: dict[str, float] = {}
    old_beds: dict[str, float] = {}
    drone_spread = 0.0
    for kind in ("ambience", "cues"):
        for path in sorted((ROOT / "audio" / kind).glob("*.ogg")):
            x = decode_ogg(path)
            loop = kind == "ambience"
            lufs = integrated_lufs(x, RATE, circular=loop)
            peak = true_peak_dbfs(x)
            end = db(float(np.sqrt(np.mean(x[-RATE // 4 :] ** 2)))) - db(float(np.max(np.abs(x))))
            old = old_sound(kind, path.stem)
            before = "-"
            if old is not None:
                old_lufs = integrated_lufs(old, RATE, circular=loop)
                before = f"{old_lufs:.1f} LUFS, {true_peak_dbfs(old):.1f} dBTP"
                (old_beds if loop else old_cues)[path.stem] = old_lufs
            (beds if loop else cues)[path.stem] = lufs
            (bed_peaks if loop else cue_peaks)[path.stem] = peak
            if path.stem == "warm-drone":
                drone_spread = band_level_spread(x, 100, 120)
            rows.append(
                f"| `{path.stem}` | {'bed' if loop else 'cue'} | {len(x) / RATE:.1f} s | {lufs:.1f} LUFS | "
                f"{peak:.1f} dBTP | {100 * share_above(x, 5000):.2f} % | "
                f"{'loops' if loop else f'{end:.0f} dB'} | {before} |"
            )
    voices = voice_figures()
    now_voice = float(
        np.mean([float(v["lufs"]) for v in voices if not str(v["engine"]).startswith("before")])
    )
    before_voice = float(next(float(v["lufs"]) for v in voices if str(v["engine"]).startswith("before")))
    voice_peak = max(float(v["peak"]) for v in voices if not str(v["engine"]).startswith("before"))
    voice_rows = [
        "| voice at 140 wpm (10 built-in lines) | loudness | spread | true peak | measured pace |",
        "|---|---|---|---|---|",
        *[
            f"| {v['engine']} | {float(v['lufs']):.1f} LUFS | {float(v['spread']):.1f} LU | {float(v['peak']):.1f} dBTP | "
            + ("-" if np.isnan(float(v["wpm"])) else f"{float(v['wpm']):.0f} wpm")
            + " |"
            for v in voices
        ],
    ]
    vol = DEFAULT_VOLUMES
    bed_spread = max(beds.values()) - min(beds.values())
    old_bed_spread = max(old_beds.values()) - min(old_beds.values()) if old_beds else float("nan")
    speaking_ratio = {
        name: (now_voice + db(vol["voice"])) - (lufs + db(vol["ambience"]) + DUCK_DB)
        for name, lufs in beds.items()
    }
    cue_vs_voice_now = {name: lufs - now_voice for name, lufs in cues.items()}
    cue_vs_voice_before = {name: lufs - before_voice for name, lufs in old_cues.items()}
    softer = {
        name: cue_vs_voice_before[name] - cue_vs_voice_now[name]
        for name in cue_vs_voice_before
        if name in cues
    }
    worst_peak_sum = (
        10 ** ((max(bed_peaks.values()) + DUCK_DB) / 20)
        + 10 ** (voice_peak / 20)
        + 10 ** (max(cue_peaks.values()) / 20)
    )
    summary = [
        f"- Beds matched by loudness: {min(beds.values()):.1f} to {max(beds.values()):.1f} LUFS, a spread of "
        f"{bed_spread:.1f} LU (before: {old_bed_spread:.1f} LU).",
        f"- Voice: {now_voice:.1f} LUFS on average over the engines (before: {before_voice:.1f}); true peaks at most "
        f"{voice_peak:.1f} dBTP, so {-voice_peak:.1f} dB of headroom.",
        "- Voice over the ducked bed while speaking, default volumes (voice 90 %, ambience 50 %, duck "
        f"{DUCK_DB:.0f} dB): {min(speaking_ratio.values()):.1f} to {max(speaking_ratio.values()):.1f} LU.",
        "- Cues against the voice, softer than before by: "
        + ", ".join(f"`{name}` {value:.1f} dB" for name, value in sorted(softer.items()))
        + ".",
        f"- Ducking: {DUCK_DB:.0f} dB, down in {DUCK_ATTACK_SECONDS} s and back in {DUCK_RELEASE_SECONDS} s, evenly in "
        f"decibels, in {RAMP_STEP_SECONDS * 1000:.0f} ms steps of at most "
        f"{-DUCK_DB * RAMP_STEP_SECONDS / DUCK_ATTACK_SECONDS:.2f} dB.",
        f"- Every volume at 100 %: the loudest bed's peak (ducked), the voice's and the loudest cue's, added as "
        f"if they met on the same sample, reach {db(worst_peak_sum):.1f} dBFS: nothing clips.",
        f"- Beds loop every {len(decode_ogg(ROOT / 'audio' / 'ambience' / 'brown-noise.ogg')) / RATE:.0f} s (was 48 s); "
        f"the drone's 110 Hz partial changes level by {drone_spread:.1f} dB across its loop, and its pitch wanders "
        "(no static tone).",
    ]
    print("\n".join([*rows, "", *voice_rows, "", *summary]))
    if args.no_write:
        return 0
    stamp = time.strftime("%Y-%m-%d")
    block = "\n".join(
        [
            BEGIN,
            f"Measured by `python bench/mix_bench.py` ({stamp}); loudness is BS.1770 integrated LUFS.",
            "",
            *rows,
            "",
            *voice_rows,
            "",
            *summary,
            END,
        ]
    )
    text = README.read_text(encoding="utf-8")
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n## The mix, measured\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")
    write_section(
        HEADING,
        [
            f"`python bench/mix_bench.py` ({stamp}), loudness in BS.1770 LUFS; the full table of every sound is in "
            "[audio/README.md](../audio/README.md#the-mix-measured).",
            "",
            *voice_rows,
            "",
            *summary,
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
