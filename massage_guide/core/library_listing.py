"""The whole ``list --json`` text kept beside the routine cache, reused while no routine file has changed."""

from __future__ import annotations

import contextlib
import logging
import os
import zlib
from _blake2 import blake2b  # hashlib's own blake2b, without hashlib loading OpenSSL (core/digest.py)
from collections.abc import Callable
from pathlib import Path
from typing import Final

from massage_guide import __version__, resources
from massage_guide.core import sounds
from massage_guide.core.library import RULES_VERSION, audio_dirs, probe_routine, routine_file_names
from massage_guide.core.library_cache import FORMAT, fragment_kind
from massage_guide.core.model import Routine
from massage_guide.paths import Paths

log = logging.getLogger(__name__)

MAGIC: Final = b"massage-guide listing\n"
# Fingerprints are hex digests: anything longer on the first line is not ours.
_FINGERPRINT_CHARS: Final = 64


def listing_kind(language: str, render: Callable[[Routine], str]) -> str:
    """The kind of a listing: its language and how ``render`` writes a sample routine."""
    return fragment_kind(language, lambda: render(probe_routine()))


def fingerprint(paths: Paths, kind: str) -> str:
    """A digest of everything a listing depends on: every routine file's path, size and modification time,
    the sounds that validation accepts, the rules, the program version and the kind of listing."""
    digest = blake2b(digest_size=_FINGERPRINT_CHARS // 2)
    known = [
        f"{kind_}={','.join(sorted(sounds.available(audio_dirs(paths), kind_)))}"
        for kind_ in (sounds.AMBIENCE, sounds.CUES)
    ]
    digest.update("\n".join([__version__, str(FORMAT), str(RULES_VERSION), kind, *known, ""]).encode())
    parts: list[str] = []
    for folder in (resources.routines_dir(), paths.user_routines_dir):
        parts.append(f"folder {folder}\n")
        for name in routine_file_names(folder):
            try:
                stat = os.stat(name)  # noqa: PTH116 - a text path; pathlib costs on a big library
                parts.append(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
            except OSError:
                parts.append(f"{name}\0gone\n")
    digest.update("".join(parts).encode())
    return digest.hexdigest()


def cached_listing(paths: Paths, kind: str, build: Callable[[], bytes]) -> bytes:
    """The listing ``build`` makes, from ``cache/routines/listing-KIND`` while its fingerprint holds; checked
    by length and CRC-32, and written again whenever anything it depends on changed."""
    file = paths.routine_cache_dir / f"listing-{zlib.crc32(kind.encode()):08x}"
    expected = fingerprint(paths, kind)
    try:
        with file.open("rb") as stream:
            if stream.read(len(MAGIC)) == MAGIC:
                header = stream.readline(200).split()
                if len(header) == 3 and header[0].decode("ascii", "replace") == expected:
                    length, crc = int(header[1]), int(header[2])
                    text = stream.read(length + 1)
                    if len(text) == length and zlib.crc32(text) == crc:
                        return text
    except (OSError, ValueError) as exc:
        log.info("listing cache not used: %s", exc)
    text = build()
    _write(file, expected, text)
    return text


def _write(file: Path, expected: str, text: bytes) -> None:
    temporary = file.with_suffix(f".tmp{os.getpid()}")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as stream:
            stream.write(MAGIC + f"{expected} {len(text)} {zlib.crc32(text)}\n".encode() + text)
        temporary.replace(file)
        # One listing kept: another language's or an older program's would only take room.
        for other in file.parent.glob("listing-*"):
            if other != file:
                other.unlink(missing_ok=True)
    except OSError as exc:
        log.info("cannot write the listing cache %s: %s", file, exc)
        with contextlib.suppress(OSError):
            temporary.unlink()
