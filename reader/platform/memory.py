"""How the reader uses Python's cyclic garbage collector: the whole policy, in one place.

Three rules. Stories are not garbage: while a folder loads the collector pauses, and what was
made meanwhile is frozen (never walked again); so is what the reader's start made, until its
first screen (`starting`, `started`). Full collections are ten times rarer than Python's
default, since the interface's garbage is young. And collecting waits for a pause in the
user's keys, so that its 10-100 ms never land on a key press.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator

IDLE_SECONDS = 1.0  # without input, before garbage is collected


def tune() -> None:
    """Make full collections ten times rarer (once, when the reader starts)."""
    gen0, gen1, _ = gc.get_threshold()
    gc.set_threshold(gen0, gen1, 100)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for a while; what was made meanwhile is frozen after (set aside for
    good), so that a collection never walks 100,000 stories, now or later."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # cheap, where a collection of 100,000 stories would take a good while
        if enabled:
            gc.enable()


class IdleCollector:
    """Collects cyclic garbage once the user has paused for `IDLE_SECONDS` after some input.

    The interface leaves thousands of objects in cycles; a collection left to Python's own
    trigger lands in the middle of a key. While a folder loads (`paused`) it waits too.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self.last_input = self.last_collect = 0.0

    def input(self) -> None:
        """The user pressed a key or used the mouse."""
        self.last_input = self.monotonic()

    def tick(self) -> bool:
        """Collect if the user has paused since their last input; whether it collected."""
        now = self.monotonic()
        idle = now - self.last_input > IDLE_SECONDS
        if self.last_input > self.last_collect and idle and gc.isenabled():
            gc.collect()
            self.last_collect = now
            return True
        return False


_starting = False  # `starting` turned the collector off


def starting() -> None:
    """No collections while the reader starts: importing Textual and building the first screen
    make many objects and almost no garbage, and each collection walks them all again (a tenth
    of the start). `started` turns the collector back on."""
    global _starting
    if gc.isenabled():
        gc.disable()
        _starting = True


def started() -> None:
    """The first screen is drawn: what the start made is frozen (kept for good, never walked
    again) and collecting resumes. Nothing unless `starting` turned the collector off."""
    global _starting
    if _starting:
        _starting = False
        gc.freeze()
        gc.enable()
