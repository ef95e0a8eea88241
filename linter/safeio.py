"""Reading a file to lint without blocking, following traps or reading too much.

``open(path).read()`` blocks forever on a FIFO, reads endlessly from
``/dev/zero`` and races with files that change type between a ``stat`` and
the ``open``. Here the file is opened non-blocking and checked on the open
descriptor (``fstat``), so what is read is exactly what was checked.
"""

from __future__ import annotations

import os
import stat

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)  # a terminal device never becomes our controlling tty
    | getattr(os, "O_BINARY", 0)  # Windows: no newline translation
)


class NotRegularFile(OSError):
    """A FIFO, socket, device or directory: never linted, skipped silently."""


class TooLarge(OSError):
    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


def read_regular(path: str, limit: int) -> bytes:
    """The bytes of regular file ``path``.

    Raises :class:`NotRegularFile`, :class:`TooLarge` (more than ``limit``
    bytes) or another ``OSError`` (missing, unreadable, symlink loop, ...).
    """
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path)
        if info.st_size > limit:
            raise TooLarge(info.st_size)
        chunks: list[bytes] = []
        remaining = limit + 1  # one byte more than allowed tells a file that grew
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise TooLarge(len(data))
    return data
