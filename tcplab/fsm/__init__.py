"""The TCP state machine of RFC 9293, as one table.

Rules of this package (read these before the code):

* Everything that decides *which state follows which* lives here, in
  ``TRANSITIONS``: a tuple of :class:`Transition` values, one per edge.  The
  endpoint consults it, the state diagram is drawn from it, the tests
  enumerate it, the notebooks print it.  There is no second list of states
  or edges anywhere in tcplab, and no state change outside this table.
* An edge is ``(source, event) -> target``, with the action taken on the way
  (the segment sent, if any) and whether it lies on the client's usual path
  (drawn thick and solid in the classic figure), the server's usual path
  (thick and dashed), or neither.
* Events are of three kinds (:class:`EventKind`): the application's calls,
  the arrival of a segment (classified by the endpoint after RFC 9293
  §3.10.7's checks: "SYN", "SYN+ACK", "the ACK of our SYN or FIN", "FIN",
  "FIN that also acknowledges our FIN", "RST"), and the expiry of a timer.
* A few edges depend on how the connection was opened: a SYN-RECEIVED reached
  from LISTEN (a passive open) goes back to LISTEN on RST, one reached by a
  simultaneous open goes to CLOSED.  Such edges carry ``when="passive"`` or
  ``when="active"``; all others have ``when=None``.
* Self-loops (``target == source``) are edges too: they make a call legal in a
  state without changing it (``send`` in ESTABLISHED), or name a reaction the
  lessons care about (TIME-WAIT acknowledging a retransmitted FIN and starting
  its 2MSL timer again).  Entering a state is what the history records, so a
  self-loop adds nothing to it.
* An *application call* that has no edge in the current state is illegal:
  :func:`lookup` raises :class:`IllegalEvent`, which names the state and the
  calls that are legal there.  A *segment* never raises: a segment that is no
  event of the table is answered as RFC 9293 §3.10.7 says (ignored,
  acknowledged, or answered with RST) by the endpoint, which stays where it is.
* The lecture's broken two-way handshake is the same table with two edges
  replaced (:func:`table` with ``handshake="two-way"``): the server is
  ESTABLISHED as soon as it answers a SYN, and the client sends no third
  segment.

Theory of operation: the endpoint (``tcplab.endpoint``) runs RFC 9293's
segment-arrival checks, decides which event (if any) the segment is, and calls
:func:`lookup`; then it performs the edge's action and enters its target
through its one ``_set_state`` method, which appends to the history and to the
trace.

Where things are: ``vocabulary.py`` (states, events, an edge, IllegalEvent),
``edges.py`` (the table: every edge, both handshakes, the TIME-WAIT rules, the usual
paths), ``queries.py`` (lookup, legal_events, transitions_from, table, format_table:
reading the table), ``machine.py`` (Machine).  Everything public is imported from here,
``tcplab.fsm``, as it always was.
"""

from __future__ import annotations

from .edges import (CLIENT_PATH, SERVER_PATH, TIME_WAIT_SYN_RULES, TRANSITIONS,
                    TWO_WAY_TRANSITIONS)
from .machine import Machine
from .queries import format_table, legal_events, lookup, table, transitions_from
from .queries import HANDSHAKES  # noqa: F401  (a name of tcplab.fsm before the split)
from .vocabulary import (NO_CONNECTION, SYNCHRONIZED, Event, EventKind, IllegalEvent, Path,
                         State, Transition, accepted_without_change)

__all__ = [
    "State", "Event", "EventKind", "Path", "Transition", "IllegalEvent",
    "TRANSITIONS", "TWO_WAY_TRANSITIONS", "TIME_WAIT_SYN_RULES", "table", "lookup",
    "legal_events",
    "transitions_from", "CLIENT_PATH", "SERVER_PATH", "SYNCHRONIZED", "NO_CONNECTION",
    "format_table", "accepted_without_change", "Machine",
]

# The classes say they live in tcplab.fsm, where users import them from: their reprs in
# help(), the names in a traceback and pickles stay what they were before the split.
for _cls in (State, Event, EventKind, Path, Transition, IllegalEvent, Machine):
    _cls.__module__ = __name__
del _cls
