"""One writer per store: an advisory file lock next to the registry.

Every change of a store (ingest, repair, upload, removal, correction, OParl import) runs while
holding `write.lock` in the store folder. Without it, one run's repair takes another run's freshly
written, not yet registered vectors for orphans and deletes them: documents end up with missing
vectors. The lock is `fcntl.flock`, so the kernel releases it when its process dies (a `kill -9`
never leaves a stale lock behind), and it works across processes as well as between the threads of
one server (a thread lock in front of the file lock; flock alone does not order threads that share
one open file).

The lock is re-entrant within one `WriteLock` object: an ingest run holds it for the whole run and
the store's own write methods take it again without waiting for themselves.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.types import IngestError

LOCK_FILE = "write.lock"
DEFAULT_WAIT_S = 30.0
_POLL_S = 0.1


class StoreBusy(IngestError):
    """Another process or request is changing the store and did not finish within the wait."""


def busy_message(waited_s: float) -> str:
    return (
        "Der Index wird gerade von einem anderen Vorgang geändert (Indexieren, Hochladen, Entfernen "
        f"oder OParl-Import); nach {waited_s:.0f} s Warten abgebrochen, nichts wurde geändert. "
        "Bitte später erneut versuchen."
    )


class WriteLock:
    """The write lock of one store folder; hold it with `with lock.held(): ...`."""

    def __init__(self, folder: Path, wait_s: float = DEFAULT_WAIT_S) -> None:
        self.path = Path(folder) / LOCK_FILE
        self.wait_s = wait_s
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def held(
        self, wait_s: float | None = None, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[None]:
        """Hold the lock; wait at most `wait_s` seconds for another writer, then raise StoreBusy.

        `on_wait` is told once, in German, when the lock is taken and this call starts waiting.
        """
        wait = self.wait_s if wait_s is None else wait_s
        if not self._thread_lock.acquire(blocking=False):
            _tell(on_wait, wait)
            if not self._thread_lock.acquire(timeout=wait):
                raise StoreBusy(busy_message(wait))
            on_wait = None
        try:
            if self._depth == 0:
                self._fd = self._acquire_file(wait, on_wait)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None
        finally:
            self._thread_lock.release()

    def _acquire_file(self, wait: float, on_wait: Callable[[str], None] | None) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if not told:
                    _tell(on_wait, wait)
                    told = True
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreBusy(busy_message(wait)) from None
                time.sleep(_POLL_S)


def _tell(on_wait: Callable[[str], None] | None, wait: float) -> None:
    if on_wait is not None:
        on_wait(
            "Der Index wird gerade von einem anderen Vorgang geändert – "
            f"warte bis zu {wait:.0f} s, bis er fertig ist …"
        )
