"""The ladder of a growing trace, drawn again after every event at the cost of what is new.

A lab redraws its ladder after each click.  :class:`IncrementalLadder` keeps, from one
picture to the next, the trace read so far (it is fed only the records added since) and
the placements of the latest picture (:class:`~.memo.PlacementMemo`): a new event reads
its records and places its arrow's label, its marks and state boxes, and whatever it
changed around it; every other label is written where it was, without trying a place.

The picture is :class:`~.diagram.SequenceDiagram`'s own, made by the same code in the
same order: its SVG is the full draw's, byte for byte (tests/test_ladder_incremental.py
compares them after every event of many random traces).  When everything moves — the
window of the latest segments slides, a longer label widens the picture, a quiet
stretch is drawn short — the labels are placed anew, as a full draw would.  A different
network (a lab's undo and reset replay the actions on a fresh one), a trace that was
cut, or a new one-way delay starts the reading from scratch.
"""

from __future__ import annotations

from .diagram import SequenceDiagram
from .journeys import _Reader
from .memo import PlacementMemo

__all__ = ["IncrementalLadder", "latest_start"]


def latest_start(sent, count: int):
    """The start of the window that holds the latest ``count`` of ``sent`` ((time,
    segment) pairs, as ``net.sent``): None when there are no more than ``count``."""
    return sent[-count][0] if len(sent) > count else None


class IncrementalLadder:
    """``ladder.draw(net, notation="symbolic", **options)`` is
    ``sequence_diagram(net, notation, **options)``, drawn from what the ladder read and
    placed for the previous call; the options are :func:`~.diagram.sequence_diagram`'s.
    """

    def __init__(self):
        self._net = None
        self._trace = None
        self._reader: _Reader | None = None
        self.memo = PlacementMemo()

    def _feed(self, net) -> _Reader:
        """The reader of ``net``'s trace, fed with the records added since the last call."""
        trace = net.trace
        delay = float(getattr(net, "delay", 0.1) or 0.0)
        reader = self._reader
        if (reader is None or net is not self._net or trace is not self._trace
                or len(trace) < reader.read or reader.delay != delay):
            reader = self._reader = _Reader(delay)
            self._net, self._trace = net, trace
        if len(trace) > reader.read:
            reader.feed(trace[reader.read:])
        return reader

    def draw(self, net, notation="symbolic", **options) -> SequenceDiagram:
        if getattr(net, "trace", None) is None:
            return SequenceDiagram(net, notation, **options)      # says what is wrong
        return SequenceDiagram(net, notation, **options, _reader=self._feed(net),
                               _memo=self.memo)

    def forget(self) -> None:
        """Read and place everything anew at the next draw."""
        self.__init__()
