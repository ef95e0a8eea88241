"""linter/digest.py: the same SHA-256 digests, OpenSSL only once a process hashes much."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from registry_lint import digest


def test_builtin_and_bulk_digests_equal_hashlib() -> None:
    chunks = [b"", b"abc", bytes(range(256)) * 300, b"x" * (digest._BULK_BYTES + 1)]
    for chunk in chunks * 2:  # the second round runs after the switch to OpenSSL
        assert digest.bulk_hexdigest(chunk) == hashlib.sha256(chunk).hexdigest()
        assert digest.sha256(chunk).hexdigest() == hashlib.sha256(chunk).hexdigest()


def test_small_runs_do_not_load_openssl() -> None:
    probe = (
        "import sys\n"
        "from registry_lint import digest\n"
        "digest.bulk_hexdigest(b'x' * 1000)\n"
        "print('hashlib' in sys.modules)\n"
        "digest.bulk_hexdigest(b'x' * digest._BULK_BYTES)\n"
        "print('hashlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["False", "True"]
