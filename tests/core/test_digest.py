"""The app's SHA-256 digests match hashlib's and never load OpenSSL on the way to a session (issue 16)."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from massage_guide.core import digest
from tests.conftest import REPO_ROOT


@pytest.mark.parametrize("data", [b"", b"abc", "Nacken lösen".encode(), bytes(range(256)) * 300])
def test_the_digest_is_hashlib_s(data: bytes) -> None:
    """Cache keys and file names stay what they were: the built-in SHA-256 gives hashlib's digest."""
    assert digest.sha256_hex(data) == hashlib.sha256(data).hexdigest()
    fed = digest.sha256()
    fed.update(data[:7])
    fed.update(data[7:])
    assert fed.hexdigest() == hashlib.sha256(data).hexdigest()


def test_settings_routines_drafts_and_speech_keys_leave_openssl_unloaded() -> None:
    """The modules a session loads hash without hashlib, whose OpenSSL stays in memory (~3.9 MiB)."""
    code = (
        "import sys\n"
        "import massage_guide.core.settings, massage_guide.core.drafts, massage_guide.core.loader\n"
        "import massage_guide.core.library_listing, massage_guide.core.routine_writer\n"
        "import massage_guide.services.speech, massage_guide.services.piper_voice\n"
        "from massage_guide.core.digest import sha256_hex\n"
        "sha256_hex(b'settings')\n"
        "print(sorted(name for name in sys.modules if name in ('hashlib', '_hashlib', 'hmac', 'secrets')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
