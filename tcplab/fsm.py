"""The TCP state machine of RFC 9293, as one table.

Rules of this module (read these before the code):

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
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Iterable, Mapping

from . import refusals
from .text import N_, _, ljust, width

__all__ = [
    "State", "Event", "EventKind", "Path", "Transition", "IllegalEvent",
    "TRANSITIONS", "TWO_WAY_TRANSITIONS", "TIME_WAIT_SYN_RULES", "table", "lookup",
    "legal_events",
    "transitions_from", "CLIENT_PATH", "SERVER_PATH", "SYNCHRONIZED", "NO_CONNECTION",
    "format_table", "accepted_without_change", "Machine",
]


class State(enum.Enum):
    """The 11 states of a TCP connection (RFC 9293 §3.3.2)."""

    CLOSED = "CLOSED"
    LISTEN = "LISTEN"
    SYN_SENT = "SYN-SENT"
    SYN_RECEIVED = "SYN-RECEIVED"
    ESTABLISHED = "ESTABLISHED"
    FIN_WAIT_1 = "FIN-WAIT-1"
    FIN_WAIT_2 = "FIN-WAIT-2"
    CLOSING = "CLOSING"
    TIME_WAIT = "TIME-WAIT"
    CLOSE_WAIT = "CLOSE-WAIT"
    LAST_ACK = "LAST-ACK"

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"State.{self.name}"

    @property
    def explanation(self) -> str:
        """The state's one-line meaning, in the language tcplab speaks (tcplab.set_language)."""
        return _(_EXPLANATIONS[self][0])

    @property
    def chinese(self) -> str:
        """The lecture's one-line meaning of the state, in Chinese, whatever the language."""
        return _EXPLANATIONS[self][1]

    @property
    def lecture_name(self) -> str:
        """The name the lecture's table and Tanenbaum (6.5) give the state: "TIMED WAIT",
        "SYN RCVD" ... (the RFC's name is ``str(state)``)."""
        return _LECTURE_NAMES[self]


_EXPLANATIONS = {
    State.CLOSED: (N_("no connection at all"), "没有连接"),
    State.LISTEN: (N_("waiting for a connection request from any remote TCP"),
                   "等待远端的连接请求"),
    State.SYN_SENT: (N_("sent a connection request (SYN), waiting for the matching reply"),
                     "已发送连接请求，等待对方的确认"),
    State.SYN_RECEIVED: (N_("received a connection request and replied (SYN+ACK), "
                         "waiting for the acknowledgment of that reply"),
                         "已收到并回应连接请求，等待对方的确认"),
    State.ESTABLISHED: (N_("the connection is open: data flows both ways"),
                        "连接已建立，可以传送数据"),
    State.FIN_WAIT_1: (N_("we closed (sent FIN), waiting for its acknowledgment or the peer's FIN"),
                       "已发送连接释放请求，等待对方的确认"),
    State.FIN_WAIT_2: (N_("our FIN is acknowledged, waiting for the peer's FIN (half-closed)"),
                       "己方的释放请求已被确认，等待对方的释放请求（半关闭）"),
    State.CLOSING: (N_("both sides sent FIN at once, waiting for the ACK of ours"),
                    "双方同时关闭，等待对方对己方 FIN 的确认"),
    State.TIME_WAIT: (N_("waiting 2MSL so the last ACK can be repeated and old segments die"),
                      "等待 2MSL，确保最后的确认到达且旧报文段消失"),
    State.CLOSE_WAIT: (N_("the peer closed (its FIN arrived), waiting for our application to close"),
                       "对方已关闭，等待本方应用程序关闭"),
    State.LAST_ACK: (N_("we closed after the peer, waiting for the ACK of our FIN"),
                     "已发送最后的释放请求，等待最后的确认"),
}

# Tanenbaum 6.5 ("the states used in the TCP connection management finite state machine")
# and the lecture's table; the lecture writes "TIMED WAIT", a slip for TIME-WAIT
_LECTURE_NAMES = {
    State.CLOSED: "CLOSED", State.LISTEN: "LISTEN", State.SYN_RECEIVED: "SYN RCVD",
    State.SYN_SENT: "SYN SENT", State.ESTABLISHED: "ESTABLISHED",
    State.FIN_WAIT_1: "FIN WAIT 1", State.FIN_WAIT_2: "FIN WAIT 2",
    State.TIME_WAIT: "TIMED WAIT", State.CLOSING: "CLOSING", State.CLOSE_WAIT: "CLOSE WAIT",
    State.LAST_ACK: "LAST ACK",
}

#: States in which both sides' sequence numbers are known (RFC 9293's "synchronized").
SYNCHRONIZED = frozenset({
    State.ESTABLISHED, State.FIN_WAIT_1, State.FIN_WAIT_2, State.CLOSE_WAIT,
    State.CLOSING, State.LAST_ACK, State.TIME_WAIT,
})


#: What a state accepts besides its edges.  The table holds the events that change the
#: state (and a few loops the lessons name); the ordinary traffic of a connection --
#: data, the ACKs of data, window updates -- changes no state, so it has no edge.
#: RFC 9293 §3.10.7.4: text is delivered only before the peer's FIN (seventh step);
#: ACKs of data and window updates get "the same processing as for the ESTABLISHED
#: state" in these states (fifth step), while LAST-ACK waits only for the ACK of its FIN
#: and TIME-WAIT only for a repeated FIN, both edges of the table.
_RECEIVES_TEXT = frozenset({State.ESTABLISHED, State.FIN_WAIT_1, State.FIN_WAIT_2})
# what accepted_without_change names: English words (the API), translated when shown
_DATA, _ACKS, _WINDOWS = N_("data"), N_("ACKs of data"), N_("window updates")
_PROCESSES_ACKS = _RECEIVES_TEXT | {State.CLOSE_WAIT, State.CLOSING}


def accepted_without_change(state: State) -> tuple[str, ...]:
    """The segments ``state`` accepts with no edge of the table: it stays where it is.

    ("data", "ACKs of data", "window updates") in ESTABLISHED; () where the table's
    edges are all a state expects.  Not errors, not events of the table: normal traffic.
    """
    if not isinstance(state, State):
        raise TypeError(f"state must be a tcplab.State, got {state!r}")
    return (((_DATA,) if state in _RECEIVES_TEXT else ())
            + ((_ACKS, _WINDOWS) if state in _PROCESSES_ACKS else ()))


#: The two states in which there is no connection (no TCB, or a listening one).
NO_CONNECTION = frozenset({State.CLOSED, State.LISTEN})


class EventKind(enum.Enum):
    CALL = "application call"
    SEGMENT = "segment arrives"
    TIMER = "timer expires"


class Event(enum.Enum):
    """The events of the state machine.  ``label`` is how diagrams write them."""

    # application calls (RFC 9293 §3.10.1-3.10.6)
    LISTEN = ("listen", EventKind.CALL, N_("passive open: wait for a connection request"))
    CONNECT = ("connect", EventKind.CALL, N_("active open: send a connection request"))
    SEND = ("send", EventKind.CALL, N_("hand data to TCP for sending"))
    CLOSE = ("close", EventKind.CALL, N_("no more data to send: release our direction"))
    ABORT = ("abort", EventKind.CALL, N_("give the connection up at once (RST)"))
    # segment arrivals, as the endpoint classifies them after RFC 9293 §3.10.7's checks
    RCV_SYN = ("SYN", EventKind.SEGMENT, N_("a connection request arrives"))
    RCV_SYN_ACK = ("SYN+ACK", EventKind.SEGMENT, N_("the reply to our SYN arrives"))
    RCV_ACK = ("ACK", EventKind.SEGMENT, N_("the acknowledgment of our SYN or FIN arrives"))
    RCV_FIN = ("FIN", EventKind.SEGMENT, N_("the peer's FIN arrives"))
    RCV_FIN_ACK = ("FIN+ACK", EventKind.SEGMENT,
                   N_("the peer's FIN arrives and also acknowledges our FIN"))
    RCV_RST = ("RST", EventKind.SEGMENT, N_("an acceptable reset arrives"))
    # timers
    TIMEOUT_RETRANSMIT = ("timeout", EventKind.TIMER,
                          N_("the retransmission timer expires: send the oldest unacknowledged "
                          "segment again"))
    GIVE_UP = ("give up", EventKind.TIMER,
               N_("the retransmission timer expires after the last allowed retransmission"))
    TIMEOUT_USER = ("user timeout", EventKind.TIMER,
                    N_("data stayed unacknowledged longer than the user timeout"))
    TIMEOUT_2MSL = ("timeout 2MSL", EventKind.TIMER, N_("TIME-WAIT's 2MSL timer expires"))

    def __init__(self, label: str, kind: EventKind, meaning: str):
        self.label = label
        self.kind = kind
        self._meaning = meaning

    @property
    def meaning(self) -> str:
        """What the event is, in the language tcplab speaks."""
        return _(self._meaning)

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Event.{self.name}"

    @property
    def call(self) -> str:
        """How the application writes the call: ``connect()``; "" for other events."""
        return f"{self.label}()" if self.kind is EventKind.CALL else ""


class Path(enum.Enum):
    CLIENT = "client"   # thick solid line in the classic figure
    SERVER = "server"   # thick dashed line
    OTHER = "other"     # thin line


@dataclass(frozen=True)
class Transition:
    """One edge of the state machine."""

    source: State
    event: Event
    target: State
    action: str = ""               # what is sent: "SYN", "SYN+ACK", "ACK", "FIN", "RST", ""
    path: Path = Path.OTHER
    when: str | None = None        # None, "passive" or "active" (how SYN-RECEIVED was reached)
    note: str = ""                 # what else happens, for students (English: see explanation)

    @cached_property     # (a network records it on every state change; the edge is frozen)
    def label(self) -> str:
        """``event / action`` as the classic figure writes it (``SYN / SYN+ACK``)."""
        event = self.event.label
        if self.when:
            event += f" [{_WHEN_SHORT[self.when]}]"
        return f"{event} / {self.action or '–'}"

    @property
    def explanation(self) -> str:
        """The note in the language tcplab speaks ("" if there is none)."""
        return _(self.note)

    @property
    def is_loop(self) -> bool:
        return self.source is self.target

    def __str__(self) -> str:
        return f"{self.source} --{self.label}--> {self.target}"


# English in the diagrams' labels (Transition.label), translated in format_table's text
_WHEN_SHORT = {"passive": N_("passive open"), "active": N_("active open"),
               "reopened": N_("reopened")}


class IllegalEvent(ValueError):
    """An application call (or, in the explorer, an event) that the current state does not allow.

    ``state`` is the state it was tried in, ``event`` the event, ``legal`` the
    events the table allows there.  Nothing was changed.
    """

    def __init__(self, message: str, *, state: State, event: Event,
                 legal: tuple[Event, ...]):
        super().__init__(message)
        self.state = state
        self.event = event
        self.legal = legal


S, E, P = State, Event, Path
T = Transition

#: The transition table (three-way handshake), in the order a reader meets the edges.
TRANSITIONS: tuple[Transition, ...] = (
    # --- opening (三次握手) ---
    T(S.CLOSED, E.LISTEN, S.LISTEN, "", P.SERVER, note=N_("create the TCB, wait for a SYN")),
    T(S.CLOSED, E.CONNECT, S.SYN_SENT, "SYN", P.CLIENT,
      note=N_("create the TCB, choose the ISN x")),
    T(S.LISTEN, E.RCV_SYN, S.SYN_RECEIVED, "SYN+ACK", P.SERVER,
      note=N_("remember the peer's ISN, choose our ISN y")),
    T(S.LISTEN, E.CONNECT, S.SYN_SENT, "SYN", note=N_("a listening endpoint opens actively")),
    T(S.LISTEN, E.CLOSE, S.CLOSED, "", note=N_("stop listening, delete the TCB")),
    T(S.LISTEN, E.ABORT, S.CLOSED, "", note=N_("stop listening, delete the TCB")),
    T(S.SYN_SENT, E.RCV_SYN_ACK, S.ESTABLISHED, "ACK", P.CLIENT,
      note=N_("tell the application: connection established")),
    T(S.SYN_SENT, E.RCV_SYN, S.SYN_RECEIVED, "SYN+ACK", note=N_("simultaneous open")),
    T(S.SYN_SENT, E.SEND, S.SYN_SENT, "", note=N_("data is queued until ESTABLISHED")),
    T(S.SYN_SENT, E.CLOSE, S.CLOSED, "", note=N_("delete the TCB")),
    T(S.SYN_SENT, E.ABORT, S.CLOSED, "", note=N_("delete the TCB")),
    T(S.SYN_SENT, E.RCV_RST, S.CLOSED, "", note=N_("connection refused")),
    T(S.SYN_SENT, E.TIMEOUT_RETRANSMIT, S.SYN_SENT, "SYN", note=N_("retransmit the SYN")),
    T(S.SYN_SENT, E.GIVE_UP, S.CLOSED, "", note=N_("no answer: the connection fails")),
    T(S.SYN_SENT, E.TIMEOUT_USER, S.CLOSED, "", note=N_("user timeout")),
    T(S.SYN_RECEIVED, E.RCV_ACK, S.ESTABLISHED, "", P.SERVER,
      note=N_("tell the application: connection established")),
    T(S.SYN_RECEIVED, E.SEND, S.SYN_RECEIVED, "", note=N_("data is queued until ESTABLISHED")),
    T(S.SYN_RECEIVED, E.CLOSE, S.FIN_WAIT_1, "FIN"),
    T(S.SYN_RECEIVED, E.ABORT, S.CLOSED, "RST"),
    T(S.SYN_RECEIVED, E.RCV_RST, S.LISTEN, "", when="passive",
      note=N_("the SYN was stale: back to listening")),
    T(S.SYN_RECEIVED, E.RCV_RST, S.CLOSED, "", when="active", note=N_("connection refused")),
    T(S.SYN_RECEIVED, E.RCV_SYN, S.LISTEN, "", when="passive",
      note=N_("a new SYN in the window: the connection attempt is given up (RFC 9293 §3.10.7.4)")),
    T(S.SYN_RECEIVED, E.TIMEOUT_RETRANSMIT, S.SYN_RECEIVED, "SYN+ACK",
      note=N_("retransmit the SYN+ACK")),
    T(S.SYN_RECEIVED, E.GIVE_UP, S.LISTEN, "", when="passive",
      note=N_("no ACK came: listen again")),
    T(S.SYN_RECEIVED, E.GIVE_UP, S.CLOSED, "", when="active", note=N_("no ACK came")),
    T(S.SYN_RECEIVED, E.TIMEOUT_USER, S.CLOSED, "", note=N_("user timeout")),
    # --- data transfer ---
    T(S.ESTABLISHED, E.SEND, S.ESTABLISHED, "data"),
    T(S.ESTABLISHED, E.TIMEOUT_RETRANSMIT, S.ESTABLISHED, "data", note=N_("retransmit data")),
    # --- release (四次挥手) ---
    T(S.ESTABLISHED, E.CLOSE, S.FIN_WAIT_1, "FIN", P.CLIENT, note=N_("active close")),
    T(S.ESTABLISHED, E.RCV_FIN, S.CLOSE_WAIT, "ACK", P.SERVER,
      note=N_("passive close: tell the application the peer has closed")),
    T(S.ESTABLISHED, E.ABORT, S.CLOSED, "RST"),
    T(S.ESTABLISHED, E.RCV_RST, S.CLOSED, "", note=N_("connection reset")),
    T(S.ESTABLISHED, E.GIVE_UP, S.CLOSED, "", note=N_("the peer stopped answering")),
    T(S.ESTABLISHED, E.TIMEOUT_USER, S.CLOSED, "", note=N_("user timeout")),
    T(S.FIN_WAIT_1, E.RCV_ACK, S.FIN_WAIT_2, "", P.CLIENT,
      note=N_("our direction is closed (半关闭)")),
    T(S.FIN_WAIT_1, E.RCV_FIN, S.CLOSING, "ACK", note=N_("simultaneous close")),
    T(S.FIN_WAIT_1, E.RCV_FIN_ACK, S.TIME_WAIT, "ACK",
      note=N_("the peer's FIN also acknowledges ours: start the 2MSL timer")),
    T(S.FIN_WAIT_1, E.ABORT, S.CLOSED, "RST"),
    T(S.FIN_WAIT_1, E.RCV_RST, S.CLOSED, "", note=N_("connection reset")),
    T(S.FIN_WAIT_1, E.TIMEOUT_RETRANSMIT, S.FIN_WAIT_1, "FIN", note=N_("retransmit data or FIN")),
    T(S.FIN_WAIT_1, E.GIVE_UP, S.CLOSED, "", note=N_("the peer stopped answering")),
    T(S.FIN_WAIT_1, E.TIMEOUT_USER, S.CLOSED, "", note=N_("user timeout")),
    T(S.FIN_WAIT_2, E.RCV_FIN, S.TIME_WAIT, "ACK", P.CLIENT, note=N_("start the 2MSL timer")),
    T(S.FIN_WAIT_2, E.ABORT, S.CLOSED, "RST"),
    T(S.FIN_WAIT_2, E.RCV_RST, S.CLOSED, "", note=N_("connection reset")),
    T(S.CLOSE_WAIT, E.SEND, S.CLOSE_WAIT, "data", note=N_("the half-closed side may still send")),
    T(S.CLOSE_WAIT, E.CLOSE, S.LAST_ACK, "FIN", P.SERVER),
    T(S.CLOSE_WAIT, E.ABORT, S.CLOSED, "RST"),
    T(S.CLOSE_WAIT, E.RCV_RST, S.CLOSED, "", note=N_("connection reset")),
    T(S.CLOSE_WAIT, E.TIMEOUT_RETRANSMIT, S.CLOSE_WAIT, "data", note=N_("retransmit data")),
    T(S.CLOSE_WAIT, E.GIVE_UP, S.CLOSED, "", note=N_("the peer stopped answering")),
    T(S.CLOSE_WAIT, E.TIMEOUT_USER, S.CLOSED, "", note=N_("user timeout")),
    T(S.CLOSING, E.RCV_ACK, S.TIME_WAIT, "", note=N_("start the 2MSL timer")),
    T(S.CLOSING, E.ABORT, S.CLOSED, ""),
    T(S.CLOSING, E.RCV_RST, S.CLOSED, ""),
    T(S.CLOSING, E.TIMEOUT_RETRANSMIT, S.CLOSING, "FIN", note=N_("retransmit the FIN")),
    T(S.CLOSING, E.GIVE_UP, S.CLOSED, "", note=N_("the peer stopped answering")),
    T(S.CLOSING, E.TIMEOUT_USER, S.CLOSED, "", note=N_("user timeout")),
    T(S.LAST_ACK, E.RCV_ACK, S.CLOSED, "", P.SERVER, note=N_("delete the TCB")),
    T(S.LAST_ACK, E.ABORT, S.CLOSED, ""),
    T(S.LAST_ACK, E.RCV_RST, S.CLOSED, ""),
    T(S.LAST_ACK, E.TIMEOUT_RETRANSMIT, S.LAST_ACK, "FIN", note=N_("retransmit the FIN")),
    T(S.LAST_ACK, E.GIVE_UP, S.CLOSED, "", note=N_("the peer stopped answering")),
    T(S.LAST_ACK, E.TIMEOUT_USER, S.CLOSED, "", note=N_("user timeout")),
    T(S.TIME_WAIT, E.TIMEOUT_2MSL, S.CLOSED, "", P.CLIENT, note=N_("delete the TCB")),
    T(S.TIME_WAIT, E.RCV_FIN, S.TIME_WAIT, "ACK",
      note=N_("the last ACK was lost and the FIN came again: acknowledge it, restart 2MSL")),
    T(S.TIME_WAIT, E.ABORT, S.CLOSED, ""),
    T(S.TIME_WAIT, E.RCV_RST, S.CLOSED, ""),
)

del S, E, P, T


def _replace(base: Iterable[Transition], replacements: Mapping[tuple, Transition]
             ) -> tuple[Transition, ...]:
    return tuple(replacements.get((t.source, t.event, t.when), t) for t in base)


#: The lecture's broken two-way handshake: the same table with two edges replaced.
TWO_WAY_TRANSITIONS: tuple[Transition, ...] = _replace(TRANSITIONS, {
    (State.LISTEN, Event.RCV_SYN, None): Transition(
        State.LISTEN, Event.RCV_SYN, State.ESTABLISHED, "SYN+ACK", Path.SERVER,
        note=N_("two-way handshake: established as soon as it answers")),
    (State.SYN_SENT, Event.RCV_SYN_ACK, None): Transition(
        State.SYN_SENT, Event.RCV_SYN_ACK, State.ESTABLISHED, "", Path.CLIENT,
        note=N_("two-way handshake: no third segment")),
})

#: What a SYN arriving in TIME-WAIT does (an option of the endpoint, each an extra edge):
#: "challenge-ack" (RFC 9293 with RFC 5961: answer with an ACK, stay; no extra edge),
#: "rfc793" (RFC 793's rule: a SYN in the window is an error: RST, CLOSED),
#: "reopen" (RFC 1122 §4.2.2.13: a SYN above the old sequence numbers reopens the
#: connection; if it turns out to be an old duplicate (RST), back to TIME-WAIT).
TIME_WAIT_SYN_RULES = ("challenge-ack", "rfc793", "reopen")

_TIME_WAIT_SYN_EDGES: dict[str, tuple[Transition, ...]] = {
    "challenge-ack": (),
    "rfc793": (
        Transition(State.TIME_WAIT, Event.RCV_SYN, State.CLOSED, "RST",
                   note=N_("RFC 793: a SYN inside the window is an error: "
                           "reset the connection")),
    ),
    "reopen": (
        Transition(State.TIME_WAIT, Event.RCV_SYN, State.SYN_RECEIVED, "SYN+ACK",
                   note=N_("RFC 1122 §4.2.2.13: a new SYN above the old numbers reopens "
                           "the connection, with an ISN above every number used before")),
        Transition(State.SYN_RECEIVED, Event.RCV_RST, State.TIME_WAIT, "", when="reopened",
                   note=N_("the SYN was an old duplicate: back to TIME-WAIT")),
        Transition(State.SYN_RECEIVED, Event.GIVE_UP, State.CLOSED, "", when="reopened",
                   note=N_("no ACK came")),
    ),
}

_TABLES = {(hs, rule): base + _TIME_WAIT_SYN_EDGES[rule]
           for hs, base in (("three-way", TRANSITIONS), ("two-way", TWO_WAY_TRANSITIONS))
           for rule in TIME_WAIT_SYN_RULES}


def _index(transitions: Iterable[Transition]) -> Mapping[State, Mapping[Event, tuple[Transition, ...]]]:
    index: dict[State, dict[Event, list[Transition]]] = {s: {} for s in State}
    for t in transitions:
        index[t.source].setdefault(t.event, []).append(t)
    return MappingProxyType({
        s: MappingProxyType({e: tuple(ts) for e, ts in events.items()})
        for s, events in index.items()
    })


_INDEXES = {key: _index(ts) for key, ts in _TABLES.items()}

HANDSHAKES = ("three-way", "two-way")


def _key(handshake: str, time_wait_syn: str) -> tuple[str, str]:
    if handshake not in HANDSHAKES:
        raise ValueError(f"handshake must be one of {', '.join(map(repr, HANDSHAKES))}, "
                         f"not {handshake!r}")
    if time_wait_syn not in TIME_WAIT_SYN_RULES:
        raise ValueError(f"time_wait_syn must be one of "
                         f"{', '.join(map(repr, TIME_WAIT_SYN_RULES))}, not {time_wait_syn!r}")
    return handshake, time_wait_syn


def table(handshake: str = "three-way", *, time_wait_syn: str = "challenge-ack"
          ) -> tuple[Transition, ...]:
    """All edges of the state machine for ``handshake`` ("three-way" or "two-way") and
    the rule for a SYN in TIME-WAIT (see :data:`TIME_WAIT_SYN_RULES`)."""
    return _TABLES[_key(handshake, time_wait_syn)]


def transitions_from(state: State, handshake: str = "three-way", *,
                     time_wait_syn: str = "challenge-ack") -> tuple[Transition, ...]:
    """The edges leaving ``state``, in table order."""
    index = _INDEXES[_key(handshake, time_wait_syn)]
    return tuple(t for ts in index[state].values() for t in ts)


def legal_events(state: State, kind: EventKind | None = None,
                 handshake: str = "three-way", *, time_wait_syn: str = "challenge-ack"
                 ) -> tuple[Event, ...]:
    """The events the table allows in ``state`` (of one kind, if given), in vocabulary order."""
    allowed = _INDEXES[_key(handshake, time_wait_syn)][state]
    return tuple(e for e in Event if e in allowed and (kind is None or e.kind is kind))


#: lookup()'s answers so far, by its arguments (a few hundred at most: the table is finite)
_FOUND: dict[tuple, Transition] = {}


def lookup(state: State, event: Event, *, passive: bool | None = None,
           handshake: str = "three-way", time_wait_syn: str = "challenge-ack",
           opened: str | None = None) -> Transition:
    """The edge the table takes for ``event`` in ``state``.

    ``opened`` says how the connection was opened, in the words of
    ``Transition.when`` ("passive": from LISTEN, "active": by connect(), so a
    SYN-RECEIVED is a simultaneous open, "reopened": from TIME-WAIT); an endpoint,
    its TCB and a :class:`Machine` keep it under the same name.  ``passive``
    (True/False) is a short form of the first two, for readers of the table.  It picks among edges that
    carry ``when``.  Raises :class:`IllegalEvent` if the table has no such edge.
    """
    # an endpoint asks this on every edge it takes: the answers found are remembered (a
    # key of Enum members and words: only well-formed questions find it)
    args = (state, event, passive, handshake, time_wait_syn, opened)
    try:
        return _FOUND[args]
    except (KeyError, TypeError):
        pass
    if not isinstance(state, State):
        raise TypeError(f"state must be a tcplab.State, got {state!r}")
    if not isinstance(event, Event):
        raise TypeError(f"event must be a tcplab.fsm.Event, got {event!r}")
    key = _key(handshake, time_wait_syn)
    candidates = _INDEXES[key][state].get(event, ())
    wanted = opened or (None if passive is None else ("passive" if passive else "active"))
    for t in candidates:
        if t.when is None or wanted is None or t.when == wanted:
            if type(opened) is str or opened is None:   # a hashable key: no look-alike
                _FOUND[args] = t
            return t
    kind = EventKind.CALL if event.kind is EventKind.CALL else None
    legal = legal_events(state, kind, handshake, time_wait_syn=time_wait_syn)
    opens = state is not State.CLOSED and event in (Event.CONNECT, Event.LISTEN)
    why = refusals.why(str(state), event.label, connected=opens,
                       only_when=candidates[0].when if candidates else None)
    raise IllegalEvent(
        refusals.refusal(str(state), event.label, event.call, why,
                         [e.call or e.label for e in legal]),
        state=state, event=event, legal=legal)


def _walk(path: Path) -> tuple[State, ...]:
    """Follow the edges of one usual path from CLOSED back to CLOSED."""
    states = [State.CLOSED]
    edges = {t.source: t for t in TRANSITIONS if t.path is path}
    while True:
        t = edges[states[-1]]
        states.append(t.target)
        if t.target is State.CLOSED:
            return tuple(states)


#: The client's usual path (thick solid line), in order, read off the table.
CLIENT_PATH: tuple[State, ...] = _walk(Path.CLIENT)
#: The server's usual path (thick dashed line), in order, read off the table.
SERVER_PATH: tuple[State, ...] = _walk(Path.SERVER)


def format_table(state: State | None = None, handshake: str = "three-way", *,
                 time_wait_syn: str = "challenge-ack", accepted: bool = False) -> str:
    """The transition table as text: one edge a line, grouped by state (or one state's edges).

    With ``accepted=True``, lines after the edges say what each state accepts
    without an edge (:func:`accepted_without_change`): data in ESTABLISHED is
    normal traffic, not an illegal event.
    """
    text = _format_edges(state, handshake, time_wait_syn)
    states = [s for s in State if state in (None, s) and accepted_without_change(s)]
    if not accepted or not states:
        return text
    column = max(len(str(s)) for s in states)
    return "\n".join([text, "", _("also accepted, without changing state (no edge):")]
                     + [f"{str(s):<{column}}  "
                        + _(", ").join(map(_, accepted_without_change(s))) for s in states])


def _format_edges(state: State | None, handshake: str, time_wait_syn: str) -> str:
    rows = [t for t in table(handshake, time_wait_syn=time_wait_syn)
            if state is None or t.source is state]
    paths = {Path.CLIENT: _("client"), Path.SERVER: _("server"), Path.OTHER: ""}
    cells = [(str(t.source), t.event.call or t.event.label
              + (f" [{_(_WHEN_SHORT[t.when])}]" if t.when else ""), t.action or "–",
              _("(stays)") if t.is_loop else str(t.target), paths[t.path])
             for t in rows]
    head = (_("state"), _("event"), _("send"), _("next state"), _("usual path"))
    widths = [max(width(c[i]) for c in cells + [head]) for i in range(len(head))]
    line = lambda c: "  ".join(ljust(x, w) for x, w in zip(c, widths)).rstrip()  # noqa: E731
    return "\n".join([line(head)] + [line(c) for c in cells])


class Machine:
    """The bare state machine: a state, how SYN-RECEIVED was reached, and the edges taken.

    No segments, no timers, no network: the table alone, walked one event at a
    time (lesson 05's StateMachineExplorer is its face).  It has the attributes a
    state diagram reads (``name``, ``state``, ``history``, ``transitions``,
    ``handshake``), so ``state_diagram(machine)`` draws it.
    """

    def __init__(self, name: str = "you", handshake: str = "three-way"):
        table(handshake)
        self.name = name
        self.handshake = handshake
        self.reset()

    def reset(self) -> None:
        self.state = State.CLOSED
        self.opened: str | None = None       # "passive" or "active", as Transition.when
        self.history: list[State] = [State.CLOSED]
        self.transitions: list[Transition] = []

    def legal(self) -> tuple[Event, ...]:
        events = legal_events(self.state, handshake=self.handshake)
        return tuple(e for e in events if self._edge(e) is not None)

    def _edge(self, event: Event) -> Transition | None:
        try:
            return lookup(self.state, event, opened=self.opened, handshake=self.handshake)
        except IllegalEvent:
            return None

    def fire(self, event: Event) -> Transition:
        """Take the table's edge for ``event``; IllegalEvent (nothing changed) if there is none."""
        t = lookup(self.state, event, opened=self.opened, handshake=self.handshake)
        if t.source is State.LISTEN and t.target is State.SYN_RECEIVED:
            self.opened = "passive"
        elif event is Event.CONNECT:
            self.opened = "active"
        if t.target in NO_CONNECTION:
            self.opened = None
        self.transitions.append(t)
        if t.target is not self.state:
            self.history.append(t.target)
        self.state = t.target
        return t
