"""Ordered, chunked work over processes: each worker gets the shared context once, results come back in order."""

from __future__ import annotations

import gc
import math
import multiprocessing as mp
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterator, Sequence, TypeVar

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


def ordered_map(func: Callable[[Any, T], R], items: Sequence[T], context: Any, jobs: int) -> Iterator[R]:
    """func(context, item) for every item, in order; over ``jobs`` processes in chunks when it pays."""
    if jobs <= 1 or len(items) < 2 * jobs:
        yield from (func(context, item) for item in items)
        return
    size = max(1, math.ceil(len(items) / (jobs * CHUNKS_PER_JOB)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    gc.freeze()  # forked workers then share the parent's heap instead of copying the pages the collector touches
    pool = ProcessPoolExecutor(jobs, mp_context=mp.get_context(method), initializer=_start, initargs=(context,))
    try:
        for future in [pool.submit(_run_chunk, func, chunk) for chunk in chunks]:
            yield from future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
