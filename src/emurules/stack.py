"""Running a recursive walk of a deep tree: on a thread of its own with a stack of known
size, and a recursion limit raised for the time of the call (see syntax/deep.py for why).
Below every stage, so that lowering and the engines use it as the front end does."""

from __future__ import annotations

import contextvars
import sys
import threading
from collections.abc import Callable
from typing import Final, TypeVar

# Levels of nesting in one declaration the language allows (E0108 above it).
MAX_DEPTH: Final = 10_000
# Trees up to this deep are walked on the caller's thread as they are.
SHALLOW: Final = 100
# What one level may cost a recursive walk (the checker takes up to 6 Python frames), with
# room to spare. On CPython 3.11 a Python call takes no C stack, and every shape of
# tests/check/test_deep.py at 10,000 levels checks within 1 MiB of it; the thread's 64 MiB
# (reserved, not used, until touched) is room for walks that pass through C code.
FRAMES_PER_LEVEL: Final = 12
STACK_BYTES: Final = 64 * 1024 * 1024

T = TypeVar("T")


class TooDeep(Exception):
    """A recursive walk ran out of stack; the tree must be made shallower."""


_limit_lock = threading.Lock()
_stack_lock = threading.Lock()
_callers = 0
_saved_limit = 0


def _raise_limit(limit: int) -> None:
    """Raise the (process-wide) recursion limit; the last caller to finish restores it."""
    global _callers, _saved_limit
    with _limit_lock:
        if _callers == 0:
            _saved_limit = sys.getrecursionlimit()
        _callers += 1
        if sys.getrecursionlimit() < limit:
            sys.setrecursionlimit(limit)


def _restore_limit() -> None:
    global _callers
    with _limit_lock:
        _callers -= 1
        if _callers == 0:
            sys.setrecursionlimit(_saved_limit)


def _run(function: Callable[[], T]) -> T:
    try:
        return function()
    except RecursionError as error:
        raise TooDeep(str(error)) from None


def _start(work: Callable[[], None]) -> threading.Thread | None:
    """A started thread with a STACK_BYTES stack, or None where there cannot be one."""
    with _stack_lock:
        previous = threading.stack_size()
        try:
            threading.stack_size(STACK_BYTES)
            thread = threading.Thread(target=work, name="emurules-deep", daemon=True)
            thread.start()
        except (ValueError, RuntimeError, MemoryError):
            return None
        finally:
            threading.stack_size(previous)
    return thread


def call_deep(levels: int, function: Callable[[], T]) -> T:
    """`function()`, on a thread with room for a tree `levels` deep when it is deep.

    Exceptions propagate to the caller; a RecursionError becomes TooDeep.
    """
    if levels <= SHALLOW:
        return _run(function)
    limit = min(levels, MAX_DEPTH + SHALLOW) * FRAMES_PER_LEVEL + 1_000
    outcome: list[T] = []
    failure: list[BaseException] = []
    context = contextvars.copy_context()

    def work() -> None:
        _raise_limit(limit)
        try:
            outcome.append(context.run(_run, function))
        except BaseException as error:  # handed to the caller's thread, raised there
            failure.append(error)
        finally:
            _restore_limit()

    thread = _start(work)
    if thread is None:
        return _run(function)
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]
