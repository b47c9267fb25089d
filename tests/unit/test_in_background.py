"""`in_background`: the ingest's bounded hand-over from the encoding thread to the writing one."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from ingest.pipeline import in_background


def test_items_arrive_in_order_from_another_thread():
    threads: list[str] = []

    def produced() -> Iterator[int]:
        for n in range(5):
            threads.append(threading.current_thread().name)
            yield n

    assert list(in_background(produced(), ahead=1)) == [0, 1, 2, 3, 4]
    assert set(threads) == {"ingest-encoder"}


def test_the_producer_runs_at_most_the_bounded_number_of_items_ahead():
    produced: list[int] = []
    room_checked = threading.Event()

    def numbers() -> Iterator[int]:
        for n in range(10):
            produced.append(n)
            if n == 3:
                room_checked.set()
            yield n

    items = in_background(numbers(), ahead=1)
    assert next(items) == 0
    # 0 taken, 1 waiting in the queue, 2 made and waiting for room: 3 is never started
    assert not room_checked.wait(timeout=0.5)
    assert len(produced) <= 3
    assert list(items) == list(range(1, 10))


def test_an_error_of_the_producer_is_raised_in_the_caller_after_the_items_before_it():
    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("kaputt")

    items = in_background(failing(), ahead=1)
    assert next(items) == 1
    with pytest.raises(ValueError, match="kaputt"):
        next(items)


def test_the_producer_stops_when_the_caller_stops_early():
    finished = threading.Event()

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            finished.set()

    items = in_background(endless(), ahead=1)
    assert next(items) == 0
    items.close()
    assert finished.wait(timeout=10)
