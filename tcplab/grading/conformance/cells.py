"""The cells of the conformance matrix: which (state, event) a student fills in, in groups.

Each :class:`Cell` names the story (:data:`~tcplab.grading.conformance.stories.STORIES`)
in which one host passes through it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...fsm import Event, State, Transition, lookup
from ...text import N_

S, E = State, Event

#: The states whose cells the student fills in.
STATES: tuple[State, ...] = (S.LISTEN, S.SYN_RECEIVED, S.FIN_WAIT_1, S.FIN_WAIT_2,
                             S.CLOSING, S.TIME_WAIT)

#: The groups of cells, in order, with what they are about (a group is one graded question).
GROUPS: dict[str, str] = {
    "opening": N_("the server's side of the three-way handshake (LISTEN, SYN-RECEIVED)"),
    "active close": N_("the active close (FIN-WAIT-1, FIN-WAIT-2)"),
    "simultaneous close": N_("both sides close at once (FIN-WAIT-1, CLOSING)"),
    "time-wait": "TIME-WAIT",
}


@dataclass(frozen=True)
class Cell:
    """One cell of the table the student fills in, and the story that shows it."""

    state: State
    event: Event
    group: str
    story: str          # the name of the story in STORIES
    host: str           # the host that passes through this cell in the story
    points: float = 1.0

    @property
    def key(self) -> tuple[str, str]:
        """How the cell is written in a student's table: ``("LISTEN", "SYN")``."""
        return (str(self.state), self.event.label)

    @property
    def expected(self) -> Transition:
        """The library's edge (after a passive open, for SYN-RECEIVED)."""
        return lookup(self.state, self.event, opened="passive")

    def __str__(self) -> str:
        return f"{self.state}, {self.event.label}"


#: The cells of the exercise, in the order of the table.
CELLS: tuple[Cell, ...] = (
    Cell(S.LISTEN, E.RCV_SYN, "opening", "handshake", "B"),
    Cell(S.SYN_RECEIVED, E.RCV_ACK, "opening", "handshake", "B"),
    Cell(S.SYN_RECEIVED, E.RCV_RST, "opening", "old SYN", "B"),
    Cell(S.FIN_WAIT_1, E.RCV_ACK, "active close", "four-way close", "A"),
    Cell(S.FIN_WAIT_1, E.RCV_FIN_ACK, "active close", "FIN+ACK in FIN-WAIT-1", "A"),
    Cell(S.FIN_WAIT_2, E.RCV_FIN, "active close", "four-way close", "A"),
    Cell(S.FIN_WAIT_1, E.RCV_FIN, "simultaneous close", "simultaneous close", "A"),
    Cell(S.CLOSING, E.RCV_ACK, "simultaneous close", "simultaneous close", "A"),
    Cell(S.TIME_WAIT, E.RCV_FIN, "time-wait", "lost last ACK", "A"),
    Cell(S.TIME_WAIT, E.TIMEOUT_2MSL, "time-wait", "four-way close", "A"),
)

_BY_KEY: dict[tuple[State, Event], Cell] = {(c.state, c.event): c for c in CELLS}

del S, E
