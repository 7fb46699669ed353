"""A per-article time limit, so one pathological page cannot hang a run.

It uses ``SIGALRM``, which interrupts Python code between bytecodes; it therefore works in the
main thread of a process (the CLI, and each worker process). Called from another thread, it
cannot interrupt anything, so it runs the work without a limit and says so once in the log.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from khabar.core.errors import TimeLimitExceeded

log = logging.getLogger(__name__)
_warned = False


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TimeLimitExceeded`` inside the block once ``seconds`` have passed (0: no limit)."""
    global _warned  # noqa: PLW0603 - warn once per process
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not usable:
        if seconds > 0 and not _warned:
            _warned = True
            log.warning(
                "article time limit not enforced: khabar is running outside the main thread"
            )
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceeded(f"over the limit of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
