"""Ordered, chunked work over processes: order kept, context shared once, the collector and heap left clean."""

from __future__ import annotations

import gc
import os
import platform

import pytest

from generator import parallel
from generator.parallel import Workers


def _tagged(context: str, item: int) -> tuple[str, int, int]:
    return context, item * item, os.getpid()


def _fails_on_three(context: object, item: int) -> int:
    if item == 3:
        raise ValueError("three")
    return item


def test_results_come_back_in_order_from_the_worker_processes():
    with Workers(2, "ctx") as workers:
        out = list(workers.map(_tagged, iter(range(40)), 40))
    assert [(c, sq) for c, sq, _ in out] == [("ctx", i * i) for i in range(40)]
    assert os.getpid() not in {pid for _, _, pid in out}


def test_small_maps_and_one_job_stay_in_this_process():
    with Workers(2, "ctx") as workers:
        assert {pid for _, _, pid in workers.map(_tagged, [1, 2, 3])} == {os.getpid()}
    with Workers(1, "ctx") as workers:
        assert {pid for _, _, pid in workers.map(_tagged, list(range(40)))} == {os.getpid()}


def test_a_failing_item_raises_in_the_caller():
    with Workers(2) as workers, pytest.raises(ValueError, match="three"):
        list(workers.map(_fails_on_three, list(range(40))))


@pytest.mark.parametrize("total,size", [(40, 5), (878, 16), (3, 1)])
def test_chunks_even_out_the_work_and_stay_small(total, size):
    assert Workers(2)._chunk_size(total) == size


def test_a_chunk_collects_its_garbage_and_gives_the_heap_back(monkeypatch):
    given: list[bool] = []
    monkeypatch.setattr(parallel, "give_back", lambda: given.append(gc.isenabled()))
    monkeypatch.setattr(parallel, "_context", "ctx")
    assert parallel._run_chunk(_tagged, [2])[0][:2] == ("ctx", 4)
    with pytest.raises(ValueError):
        parallel._run_chunk(_fails_on_three, [3])
    assert given == [True, True] and gc.isenabled()  # after the collector is back on, even after an error


def test_give_back_uses_glibc_where_there_is_one():
    assert (parallel._TRIM is not None) == (platform.libc_ver()[0] == "glibc")
    parallel.give_back()  # and returns quietly, wherever it runs
