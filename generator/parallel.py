"""Ordered, chunked work over processes: workers get the shared context once, results come back in order."""

from __future__ import annotations

import gc
import math
import multiprocessing as mp
import os
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterator, Optional, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")
CHUNKS_PER_JOB = 4
_context: Any = None


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start(context: Any) -> None:
    """Worker start: keep the context; leave Ctrl-C to the parent, which cancels the work."""
    global _context
    _context = context
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_chunk(func: Callable[[Any, T], R], chunk: Sequence[T]) -> list[R]:
    return [func(_context, item) for item in chunk]


class Workers:
    """``jobs`` worker processes started on first use with ``context``, for several ordered maps in turn.

    Workers fork when the first map needs them and keep what the parent held then: start them before
    the parent gathers the round's data, and the data stays out of their memory."""

    def __init__(self, jobs: int, context: Any = None):
        self.jobs, self.context = jobs, context
        self._pool: Optional[ProcessPoolExecutor] = None

    def map(self, func: Callable[[Any, T], R], items: Sequence[T]) -> Iterator[R]:
        """func(context, item) for every item, in order; over the workers in chunks when it pays."""
        if self.jobs <= 1 or len(items) < 2 * self.jobs:
            yield from (func(self.context, item) for item in items)
            return
        size = max(1, math.ceil(len(items) / (self.jobs * CHUNKS_PER_JOB)))
        futures = deque(self._started().submit(_run_chunk, func, items[i:i + size])
                        for i in range(0, len(items), size))
        try:
            while futures:
                yield from futures.popleft().result()  # a chunk's results are let go once handed on
        finally:
            for future in futures:
                future.cancel()

    def _started(self) -> ProcessPoolExecutor:
        """The pool, forked now if not yet (the collector frozen, so workers share the parent's pages)."""
        if self._pool is None:
            method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
            gc.freeze()
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=mp.get_context(method), initializer=_start,
                                             initargs=(self.context,))
        return self._pool

    def close(self) -> None:
        """Stop the workers (waiting for them) and drop work not yet started."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            gc.unfreeze()

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def ordered_map(func: Callable[[Any, T], R], items: Sequence[T], context: Any, jobs: int) -> Iterator[R]:
    """func(context, item) for every item, in order, over ``jobs`` processes started for this map alone."""
    with Workers(jobs, context) as workers:
        yield from workers.map(func, items)
