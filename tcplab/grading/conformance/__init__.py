"""Conformance matrix: check a student's part of the transition table against RFC 9293.

The homework "build the state machine" asks a student to fill in the cells of
the transition table for six states — LISTEN, SYN-RECEIVED, FIN-WAIT-1,
FIN-WAIT-2, CLOSING and TIME-WAIT — ten cells in all (:data:`CELLS`), each
``(state, event) -> (next state, what is sent)``::

    from tcplab import conformance
    my_table = {
        ("LISTEN", "SYN"): ("SYN-RECEIVED", "SYN+ACK"),
        ("FIN-WAIT-2", "FIN"): ("TIME-WAIT", "ACK"),
        ...
    }
    report = conformance.check_table(my_table)
    report                       # per cell: right or wrong, and the story that shows it
    report.score()               # points: 1 per cell (½ if the next state is right but
                                 # what is sent is not)

How a cell is judged
--------------------
* **The table.**  The student's cell is compared with the library's edge
  (:func:`tcplab.fsm.lookup`; SYN-RECEIVED's edges are those after a passive
  open).  Right next state and right segment: 1 point; right next state,
  wrong segment: ½; wrong next state, or no cell at all (the state then
  ignores the event): 0.
* **The story.**  Each cell has a story (:data:`STORIES`: the handshake, an
  old SYN, the four-way close, the simultaneous close, a FIN+ACK in
  FIN-WAIT-1, a lost last ACK) in which one host passes through that cell.
  The story is played twice on a :class:`~tcplab.network.Network` with the
  same seed and ISNs: once by endpoints whose table is the library's with
  *only this cell* replaced by the student's (so every wrong cell is shown on
  its own, whatever the other cells say), once by the library alone.  The
  result says how the two runs differ (the states each host went through,
  the segments sent) and draws both as ladder diagrams
  (:func:`tcplab.sequence_diagram`).

The endpoints that play the student's table are :class:`TableEndpoint`, an
:class:`~tcplab.endpoint.Endpoint` whose ``_lookup`` consults the student's
cells first and the library's table for everything else; the endpoint's
RFC 9293 segment processing is unchanged, so only the table differs (one
detail: an ACK sent on a student's edge into CLOSED or LISTEN goes out
before the connection is deleted, as the endpoint does for RST).  A
segment or timer event that the student's table has no cell for is ignored
(the state stays), as a state machine without that edge would; an
application call without a cell raises :class:`~tcplab.fsm.IllegalEvent`.

:func:`play` runs a whole story with *all* the student's cells at once, to
watch the student's machine: ``sequence_diagram(play(my_table, "four-way close"))``.

A table may be written as a dict ``{(state, event): (next_state, send)}``,
``{(state, event): next_state}`` (sends nothing), or a list of tuples
``(state, event, next_state[, send])``.  States may be :class:`~tcplab.State`
values or names ("SYN-RECEIVED", "syn_received"); events :class:`~tcplab.fsm.Event`
values or their labels ("SYN", "FIN+ACK", "timeout 2MSL"); what is sent a
segment name ("SYN+ACK", "ACK", "" or "nothing" for none) or a
:class:`~tcplab.Flag`.  ``None`` as the next state means "ignore the event".
:func:`skeleton` gives the dict to fill in.

The package, one idea a module: :mod:`.cells` (the cells and their groups),
:mod:`.table` (reading a student's table), :mod:`.table_endpoint` (the
endpoint that plays it), :mod:`.stories` (the stories that show each cell)
and :mod:`.report` (the verdicts, as text and HTML).  ``tcplab.conformance``
is this package under its first name.
"""

from __future__ import annotations

from .cells import CELLS, GROUPS, STATES, Cell
from .report import CellResult, Report, check_table
from .stories import STORIES, Story, StoryRun, play
# the stories' numbers, and what a table reads as, as the module that came first had them
from .stories import DELAY, MAX_EVENTS, MAX_TIME, MSL, OLD_X, SEED, X, Y  # noqa: F401
from .table import Given, ReadTable, read_table, skeleton  # noqa: F401
from .table_endpoint import TableEndpoint

__all__ = [
    "STATES", "CELLS", "GROUPS", "STORIES", "Cell", "Story", "StoryRun", "CellResult",
    "Report", "TableEndpoint", "check_table", "read_table", "play", "skeleton",
]
