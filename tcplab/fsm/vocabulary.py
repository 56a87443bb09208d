"""The state machine's vocabulary: the 11 states, the events, an edge (Transition), and
the error an illegal call raises.  The edges themselves are in ``edges.py``; the rules
that govern them head the package (``tcplab/fsm/__init__.py``)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cached_property

from ..text import N_, _


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

    # a member is one object, equal only to itself: hashed as such (Enum's hash, of the
    # member's name, is a call in Python, and an endpoint looks its edge up by state and
    # event on every segment)
    __hash__ = object.__hash__

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

    # as State's: hashed as the one object a member is (Enum's hash is a Python call)
    __hash__ = object.__hash__

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
