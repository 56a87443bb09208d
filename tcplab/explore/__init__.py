"""A model checker for connection management: every behaviour within bounds (lesson 09).

``explore(prop, handshake=..., bounds=...)`` visits, breadth-first, every behaviour of two
real endpoints (:class:`tcplab.endpoint.Endpoint`, the same code the lessons run) and an
adversarial network, within stated bounds, and checks a property in every state it
reaches.  A property is a plain Python predicate over the joint state (a :class:`World`)
that returns True while all is well::

    def no_unasked_connection(w):
        "B is never ESTABLISHED for a connection A never asked for."
        if w.B.state is not State.ESTABLISHED:
            return True
        return w.A.state not in (State.CLOSED, State.LISTEN) and w.A.iss == w.B.irs

The answer is a :class:`Result`: either a *shortest* counterexample (breadth-first search
finds the violation with the fewest steps), which replays step for step on a
:class:`~tcplab.network.Network`, is drawn as a ladder diagram and opens in a
:class:`~tcplab.widgets.ConnectionLab` (``ConnectionLab.from_counterexample``); or "no
violation within these bounds", with the number of distinct states explored.

The model
---------
A *world* is: the two endpoints; the segments in flight, each with its age; the model
clock; the faults used so far; how far each host's script has gone; and a little ghost
state for properties (below).  From a world the explorer tries, in this order:

``call``       the next call of a host's script (:class:`Call`), if the transition table
               allows it now (and the script's guard, e.g. ``close()`` only in ESTABLISHED)
``time``       time passes until the earliest running timer, which fires (a
               retransmission, or the end of TIME-WAIT); a segment older than MSL dies on
               the way
``deliver``    any segment in flight arrives: in any order, after any delay up to MSL
               (re-ordering and "a segment stuck in a router" are the network's choice)
``duplicate``  the network copies a segment in flight (bounded).  The copy is as old as
               the original and may arrive at once or much later: an old duplicate
``lose``       the network loses a segment in flight (bounded)

Calls and deliveries take no time; only timers move the clock, in the order of their
deadlines, as on a real network whose one-way delay is small.  A world is identified
(de-duplicated) by everything that decides what can happen next: the endpoints' states and
TCB numbers, their running timers (relative to now), the segments in flight (with their
ages), the faults left and the scripts' progress — not by how it was reached.  ISNs are
fixed per host (x=100, y=300, as in the labs), or fixed per connection (``iss=((100,
9100), (300, 9300))``: the first connection of A uses 100, the next ones 9100), which keeps
the space finite.

Ghost state: the *incarnation*.  Each time both hosts are without a connection (CLOSED or
LISTEN) after one of them had one, the connection between A and B is over; one begun
after that is a new incarnation.  A host's connection belongs to the incarnation in which
its application called connect(), or to the incarnation of the SYN that opened it; every
segment belongs to the connection that sent it.  ``w.delivered`` describes the last step's
arrival, if it was one: the packet, the receiver, whether it was *old* (the receiver's
connection is of a later incarnation than the packet) and whether it was *accepted* (the
receiver was in a connection, and the segment changed its state or its numbers).

Replay: :meth:`Counterexample.session` plays a counterexample on a lab session (a real
:class:`~tcplab.network.Network` with a one-way delay of 10 ms) with the lab's own
actions: application calls, ``("step",)`` for the next event, ``("set", "delay", s)`` so
that each segment arrives exactly when the counterexample delivers it (a slow path, at
most MSL), ``("arm", "drop")`` for a lost one, ``("arm", "hold")`` / ``("release", i)``
for one that must wait longer; a copy made by the network is a held segment injected
again (``("copy", i)``, an action of the explorer's own session).  Replaying checks, step
by step, that the real endpoints go through the explorer's states with its numbers.

The package
-----------
``world``           :class:`World`, :class:`Bounds`, the scripts (:class:`Call`), :class:`Packet`
``model``           the step function: from a world, the steps and the world after each
``canonical``       one endpoint object per endpoint state, so that a step is taken once
``search``          :func:`explore`: the breadth-first search
``report``          :class:`Result` and its :class:`Report`
``counterexample``  :class:`Counterexample`: the steps told, drawn, opened in a lab
``replay``          a counterexample played on a real network, checked step by step
``properties``      the lesson's properties

The endpoints are used through their public interface: ``Endpoint.copy()`` snapshots
one, ``Endpoint.key(now)`` says what of it decides the future.  One shortcut reads their
fields: ``canonical`` finds endpoints equal in every field (and turns itself off on a
field it does not know), so that the search takes a step from that state once.
"""

from ..fsm import NO_CONNECTION
from .counterexample import Counterexample, Step
from .model import Model
from .properties import no_old_segment_accepted, no_unasked_connection
from .replay import REPLAY_DELAY, ReplayError
from .report import Report, Result
from .search import explore
from .world import (CALLS, HANDSHAKE_SCRIPTS, HOSTS, LESSON_BOUNDS, RECONNECT_SCRIPTS, Bounds,
                    Call, Delivery, Packet, World)

__all__ = [
    "explore", "Bounds", "Call", "World", "Packet", "Delivery", "Result", "Counterexample",
    "Step", "Report", "ReplayError", "no_unasked_connection", "no_old_segment_accepted",
    "HANDSHAKE_SCRIPTS", "RECONNECT_SCRIPTS", "LESSON_BOUNDS", "REPLAY_DELAY",
]
