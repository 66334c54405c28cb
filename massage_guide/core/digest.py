"""SHA-256 from Python's own built-in code: ``import hashlib`` maps OpenSSL's libcrypto (~3.9 MiB resident)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Protocol

# The interpreter's own SHA-256 module: ``_sha2`` from Python 3.12 on, ``_sha256`` before. hashlib prefers
# OpenSSL's, which is faster on big inputs, but loading it costs ~3.9 MiB for the life of the app; what the
# app hashes on its way to a session is a few KiB (a settings file, a cache key). Large files (the natural
# voice's model) are still hashed with hashlib.
_BUILTIN_MODULES = ("_sha2", "_sha256")


class Hash(Protocol):
    """The part of a hashlib object the app uses."""

    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


@cache
def _constructor() -> Callable[[bytes], Hash]:
    for name in _BUILTIN_MODULES:
        try:
            constructor: Callable[[bytes], Hash] = importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return constructor
    import hashlib  # a build of Python without its own SHA-256: OpenSSL's, then

    return hashlib.sha256


def sha256(data: bytes = b"") -> Hash:
    """A SHA-256 hash object, fed ``data``: the same digest as ``hashlib.sha256(data)``."""
    return _constructor()(data)


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 hexadecimal digits, as ``hashlib.sha256(data).hexdigest()``."""
    return sha256(data).hexdigest()
