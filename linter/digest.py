"""SHA-256 without loading OpenSSL unless a run hashes a lot.

``import hashlib`` loads its OpenSSL extension (~2 ms), a noticeable part of
a one-file pre-commit run; CPython's built-in SHA-256 module loads in a
tenth of that. OpenSSL is ~4x faster per byte, though, so once a process
has hashed ``_BULK_BYTES`` (a whole-tree run hashes every file) the bulk
helper switches to it. Both give the same digests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

try:
    from _sha256 import sha256  # CPython <= 3.11
except ImportError:  # depends on the interpreter
    try:
        from _sha2 import sha256  # CPython >= 3.12
    except ImportError:
        from hashlib import sha256

_BULK_BYTES = 512 * 1024
_hashed = 0
_bulk: Callable[[bytes], Any] | None = None


def bulk_hexdigest(data: bytes) -> str:
    """``sha256(data).hexdigest()``, via OpenSSL once this process hashes much."""
    global _hashed, _bulk
    if _bulk is None:
        _hashed += len(data)
        if _hashed < _BULK_BYTES:
            return sha256(data).hexdigest()
        from hashlib import sha256 as fast

        _bulk = fast
    return _bulk(data).hexdigest()
