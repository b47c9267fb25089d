"""Growing delays after failed sign-ins, kept in tables of bounded size.

A hard lock after N failures lets anybody lock any account they can name. Instead each key (a
client address, a user name) may fail a few times freely; after that it must wait before the next
try, twice as long after every further failure, up to a cap, and a success or a quiet hour forgets
it. A refused try (still waiting) does not count as a failure, so the wait never grows while
nobody actually guesses. The table keeps at most `max_entries` keys, dropping the longest quiet:
a flood of made-up names or addresses costs a fixed amount of memory.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottleRule:
    free_failures: int  # failures before the first wait
    first_wait_s: float  # the wait after the first failure beyond the free ones; doubled after each
    max_wait_s: float
    forget_after_s: float = 3600.0  # a key that failed no more for this long starts afresh
    max_entries: int = 10_000


@dataclass(frozen=True)
class _Failures:
    count: int
    last_at: float


class Throttle:
    """Failures per key; `wait_s(key)` says how long that key must wait before it may try again."""

    def __init__(self, rule: ThrottleRule, clock: Callable[[], float] = time.monotonic) -> None:
        self.rule = rule
        self._clock = clock
        self._failures: OrderedDict[str, _Failures] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._failures)

    def wait_s(self, key: str) -> float:
        with self._lock:
            failures = self._current(key)
            if failures is None:
                return 0.0
            return max(0.0, failures.last_at + self._delay(failures.count) - self._clock())

    def failed(self, key: str) -> None:
        with self._lock:
            failures = self._current(key)
            self._failures[key] = _Failures((failures.count if failures else 0) + 1, self._clock())
            self._failures.move_to_end(key)
            while len(self._failures) > self.rule.max_entries:
                self._failures.popitem(last=False)

    def forget(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _current(self, key: str) -> _Failures | None:
        failures = self._failures.get(key)
        if failures is not None and self._clock() - failures.last_at > self.rule.forget_after_s:
            del self._failures[key]
            return None
        return failures

    def _delay(self, count: int) -> float:
        beyond = count - self.rule.free_failures
        if beyond <= 0:
            return 0.0
        return float(min(self.rule.max_wait_s, self.rule.first_wait_s * 2 ** min(beyond - 1, 30)))
