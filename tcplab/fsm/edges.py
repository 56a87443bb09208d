"""The transition table itself: every edge, for both handshakes and each rule for a SYN
in TIME-WAIT, and the two usual paths read off it.  Nothing here answers questions about
the table: that is ``queries.py``."""

from __future__ import annotations

from typing import Iterable, Mapping

from ..text import N_
from .vocabulary import Event, Path, State, Transition

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
