"""Iteration helpers every layer may use: chunks of a sequence of work, and the progress reporter that says nothing."""

from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def silent(items: Iterable[T], total: int) -> Iterable[T]:
    """A progress reporter that reports nothing: the items as they are."""
    return items
