"""What an endpoint answers with: the :class:`Output` values (``tcplab.endpoint``).

Segments to transmit, timers to start or stop, state changes and notes for the trace;
its driver (the network, a test, the model checker) carries them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fsm import State, Transition
from .segment import Segment

__all__ = ["Output", "Transmit", "StartTimer", "StopTimer", "StateChange", "Note"]


@dataclass(frozen=True)
class Output:
    """Something the endpoint asks its driver to do or to record."""


@dataclass(frozen=True)
class Transmit(Output):
    segment: Segment
    retransmission: bool = False


@dataclass(frozen=True)
class StartTimer(Output):
    """Start (or restart) the named timer to expire ``delay`` seconds from now."""
    timer: str
    delay: float


@dataclass(frozen=True)
class StopTimer(Output):
    timer: str


@dataclass(frozen=True)
class StateChange(Output):
    transition: Transition

    @property
    def state(self) -> State:
        return self.transition.target


@dataclass(frozen=True)
class Note(Output):
    """A record for the trace.

    kinds: ``ignore`` (a segment dropped without answer), ``reply`` (a segment
    answered with ACK or RST without a state change), ``notify`` (the
    application is told something), ``deliver`` (bytes handed to the
    application), ``timer`` (a timer expired), ``give-up``.
    """
    kind: str
    text: str
    segment: Segment | None = None
