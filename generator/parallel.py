"""Ordered, chunked work over processes: workers get the shared context once, results come back in order."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import math
import multiprocessing as mp
import os
import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, TypeVar

from generator.iterate import chunks

T = TypeVar("T")
R = TypeVar("R")
CHUNKS_PER_JOB = 4      # chunks per worker at least: the work evens out between the workers
CHUNK_MAX = 16          # items per chunk at most: a chunk out holds its items in both processes
IN_FLIGHT_PER_JOB = 2   # chunks out per worker: one at work, one waiting
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


def _malloc_trim() -> Optional[Callable[[int], int]]:
    """glibc's malloc_trim (a public glibc function), None elsewhere (macOS, Windows, musl)."""
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


_TRIM = _malloc_trim()


def give_back() -> None:
    """Give the C heap's free pages back to the system (glibc keeps them otherwise; other allocators need not)."""
    if _TRIM is not None:
        _TRIM(0)


def _run_chunk(func: Callable[[Any, T], R], chunk: Sequence[T]) -> list[R]:
    """func over a chunk with the cyclic garbage collector paused: xlsxwriter keeps a tuple per cell, which
    set the collector off every few hundred cells to traverse them all (an eighth of a run's time). After the
    chunk it collects what the chunk left and gives the freed heap back, so a worker's memory stays level from
    the first chunk to the last (without it, +4 MB a worker over a national round: the heap's free holes)."""
    gc.disable()
    try:
        return [func(_context, item) for item in chunk]
    finally:
        gc.enable()
        gc.collect()
        give_back()


class Workers:
    """``jobs`` worker processes started on first use with ``context``, for several ordered maps in turn.

    Workers fork when the first map needs them and keep what the parent held then: start them before
    the parent gathers the round's data, and the data stays out of their memory."""

    def __init__(self, jobs: int, context: Any = None):
        self.jobs, self.context = jobs, context
        self._pool: Optional[ProcessPoolExecutor] = None

    def map(self, func: Callable[[Any, T], R], items: Iterable[T], total: Optional[int] = None) -> Iterator[R]:
        """func(context, item) for every item, in order; over the workers in chunks when it pays.

        Only a few chunks are out at a time and ``items`` is consumed as they go, so a generator lets the
        caller's data go as the work proceeds (``total``: its length)."""
        total = len(items) if total is None else total  # type: ignore[arg-type]
        if not self._pays(total):
            yield from (func(self.context, item) for item in items)
            return
        pending: deque[Future] = deque()
        try:
            for chunk in chunks(items, self._chunk_size(total)):
                pending.append(self._started().submit(_run_chunk, func, chunk))
                if len(pending) >= self.jobs * IN_FLIGHT_PER_JOB:
                    yield from pending.popleft().result()  # a chunk's results are let go once handed on
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:  # stopped early (an error, Ctrl-C): chunks not yet started are dropped
                future.cancel()

    def _pays(self, total: int) -> bool:
        """Whether sending ``total`` items to the workers beats doing them here."""
        return self.jobs > 1 and total >= 2 * self.jobs

    def _chunk_size(self, total: int) -> int:
        """Items per chunk: enough chunks to even out the work, none so big that it holds much."""
        return max(1, min(CHUNK_MAX, math.ceil(total / (self.jobs * CHUNKS_PER_JOB))))

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
