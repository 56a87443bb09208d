"""Letting an experiment's finished runs go as it plays them.

A network and its hosts point at each other (``host.network``, ``network.hosts``), so a run
that is over is freed only by Python's cycle collector, not as soon as nobody holds
it.  The collector comes by rarely for objects that lived as long as a run, so an
experiment of a few hundred runs piled up their networks and traces: a lesson's
kernel grew by about 40 MB, and every lesson left running adds up to more than a
Binder session's 1 GB (benchmarks/bench_memory.py).

:func:`runs_let_go` collects after each run.  A full collection walks every object
in the kernel (IPython, widgets, the lessons' own), so first the objects that were
there before the experiment are set aside (:func:`gc.freeze`): each collection then
walks only what the runs made, about 0.3 ms a run.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Iterator

__all__ = ["runs_let_go"]


@contextmanager
def runs_let_go() -> Iterator[Callable[[], None]]:
    """``with runs_let_go() as let_go:`` call ``let_go()`` when a run is no longer
    needed (after counting it and dropping every reference to it)."""
    frozen_here = gc.get_freeze_count() == 0
    if frozen_here:                 # someone else's freeze is theirs to undo: leave it
        gc.collect()
        gc.freeze()
    try:
        yield gc.collect
    finally:
        if frozen_here:
            gc.unfreeze()
