"""Where this process's CPU goes, read from /proc: the whole process, each thread, and child processes.

``sample()`` takes a reading; ``between(a, b)`` turns two readings into shares of one core: the process
(user + system, every thread, ended ones too), its main (Qt) thread, SDL's audio thread (the mixer), the
other threads, and child processes (the voice: espeak-ng per line, or Piper kept alive) apart. Wake-ups are
context switches, voluntary and not, summed over the threads alive at both readings. Linux only."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
# In /proc/PID/stat, after the ")" that closes the command name: utime, stime, cutime, cstime are the
# 12th-15th fields (fields 14-17 of the whole line) and the parent's id the 2nd (field 4).
_PPID, _UTIME, _STIME, _CUTIME, _CSTIME = 1, 11, 12, 13, 14
AUDIO_THREAD_PREFIX = "SDLAudio"  # SDL names its mixing thread SDLAudioP2 (playback) or similar


@dataclass(frozen=True)
class Thread:
    name: str
    cpu: float  # seconds on a CPU
    switches: int  # context switches, voluntary and not: each one a wake-up or a preemption


@dataclass(frozen=True)
class Sample:
    wall: float  # time.monotonic()
    process: float  # seconds of CPU, user + system, of every thread of this process (ended ones too)
    children: float  # seconds of CPU of child processes: the live ones' and the ended, waited-for ones'
    threads: dict[int, Thread]


@dataclass(frozen=True)
class Shares:
    """Percent of one core between two samples (and wake-ups a second)."""

    seconds: float
    process: float
    main: float
    audio: float
    other: float
    children: float
    main_wakeups: float
    wakeups: float


def _stat_fields(path: Path) -> list[str]:
    text = path.read_text(encoding="ascii", errors="replace")
    return text[text.rindex(")") + 2 :].split()


def _thread(task: Path) -> Thread | None:
    try:
        name = (task / "comm").read_text(encoding="utf-8", errors="replace").strip()
        # schedstat's first figure is the time on a CPU in nanoseconds: finer than stat's 10 ms ticks.
        cpu = int((task / "schedstat").read_text(encoding="ascii").split()[0]) / 1e9
        switches = 0
        for line in (task / "status").read_text(encoding="ascii", errors="replace").splitlines():
            if "ctxt_switches:" in line:  # voluntary_ctxt_switches and nonvoluntary_ctxt_switches
                switches += int(line.split()[1])
    except (OSError, ValueError, IndexError):  # the thread ended while it was read
        return None
    return Thread(name, cpu, switches)


def _live_children_cpu(pid: int) -> float:
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat_fields(entry / "stat")
        except (OSError, ValueError):
            continue
        if int(fields[_PPID]) == pid:
            total += (int(fields[_UTIME]) + int(fields[_STIME])) / TICKS_PER_SECOND
            total += _live_children_cpu(int(entry.name))  # a voice process's own helpers
    return total


def sample(wall: float) -> Sample:
    """This process now; ``wall`` is the monotonic time the caller reads it at."""
    pid = os.getpid()
    fields = _stat_fields(Path(f"/proc/{pid}/stat"))
    process = (int(fields[_UTIME]) + int(fields[_STIME])) / TICKS_PER_SECOND
    ended_children = (int(fields[_CUTIME]) + int(fields[_CSTIME])) / TICKS_PER_SECOND
    threads: dict[int, Thread] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        found = _thread(task)
        if found is not None:
            threads[int(task.name)] = found
    return Sample(wall, process, ended_children + _live_children_cpu(pid), threads)


def between(first: Sample, second: Sample) -> Shares:
    """The shares of one core used between two samples of the same process."""
    seconds = max(1e-9, second.wall - first.wall)
    main_id = os.getpid()

    def used(tid: int) -> tuple[float, int]:
        now = second.threads.get(tid)
        if now is None:
            return 0.0, 0
        then = first.threads.get(tid, Thread(now.name, 0.0, 0))
        return now.cpu - then.cpu, now.switches - then.switches

    main_cpu, main_switches = used(main_id)
    audio_cpu = 0.0
    switches = 0
    for tid, thread in second.threads.items():
        cpu, count = used(tid)
        switches += count
        if thread.name.startswith(AUDIO_THREAD_PREFIX):
            audio_cpu += cpu
    process = second.process - first.process
    return Shares(
        seconds=seconds,
        process=100 * process / seconds,
        main=100 * main_cpu / seconds,
        audio=100 * audio_cpu / seconds,
        # The rest: worker threads, and threads that ended in between (the process total keeps them).
        other=100 * max(0.0, process - main_cpu - audio_cpu) / seconds,
        children=100 * (second.children - first.children) / seconds,
        main_wakeups=main_switches / seconds,
        wakeups=switches / seconds,
    )
