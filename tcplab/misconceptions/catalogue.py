"""The catalogue: classic mistakes about TCP connection management, each a mutant.

Every :class:`Misconception` has a key, a name and an explanation (catalogued messages:
shown through ``_()`` in the language spoken), the :class:`~tcplab.misconceptions.mutants.Mutant`
that plays it, and the exercises whose wrong answer it predicts exactly
(:mod:`tcplab.misconceptions.recognise`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..fsm import Event, State
from ..text import N_, _
from .mutants import Mutant, Numbering, edge

__all__ = ["Misconception", "CATALOGUE", "get"]

S, E = State, Event


def _one_msl(v: dict) -> float:
    return v.get("msl", 30.0)


def _two_rtt(v: dict) -> float:
    return round(4 * v.get("delay", 0.1), 9)


@dataclass(frozen=True)
class Misconception:
    key: str
    name: str               # N_: shown through _()
    explanation: str        # N_: what is wrong, and the right rule
    mutant: Mutant
    exercises: tuple[str, ...]

    def title(self) -> str:
        return _(self.name)

    def explained(self) -> str:
        return _(self.explanation)


CATALOGUE: tuple[Misconception, ...] = (
    Misconception(
        "ack-names-last", N_("The ACK number names the last number received"),
        N_("The acknowledgment number is the next sequence number expected, not the last "
           "one received: after a SYN with seq=y the answer carries ack=y+1, not y."),
        Mutant(numbering=Numbering(ack_offset=-1)),
        ("handshake-third-segment", "trace-handshake", "wireshark-relative-fin",
         "trace-close", "trace-fsm-close", "trace-open-and-reset")),
    Misconception(
        "syn-no-number", N_("A SYN takes no sequence number"),
        N_("A SYN occupies one sequence number (the ISN x itself): the first data byte, or "
           "the next segment, is numbered x+1, and the SYN is acknowledged with x+1."),
        Mutant(numbering=Numbering(syn=0)),
        ("handshake-third-segment", "handshake-syn-ack", "trace-handshake", "corner-fin-ack",
         "wireshark-relative-fin")),
    Misconception(
        "fin-no-number", N_("A FIN takes no sequence number"),
        N_("A FIN occupies one sequence number, as a SYN does, so that it can be "
           "acknowledged: a FIN with seq=u is acknowledged with ack=u+1."),
        Mutant(numbering=Numbering(fin=0)),
        ("close-fin-seq", "close-half-close-fin", "wireshark-relative-fin", "trace-close",
         "trace-fsm-close")),
    Misconception(
        "ack-takes-number", N_("A bare ACK takes a sequence number"),
        N_("A segment with only the ACK bit and no data occupies no sequence number: it is "
           "never acknowledged nor retransmitted, and the next segment has the same seq."),
        Mutant(numbering=Numbering(bare_ack=1)),
        ("close-fin-seq", "close-half-close-fin", "wireshark-relative-fin")),
    Misconception(
        "data-not-counted", N_("Data does not move the FIN's number"),
        N_("Every data byte occupies one sequence number: a FIN sent after n bytes from x+1 "
           "has seq=x+1+n, not x+1."),
        Mutant(numbering=Numbering(data=False)),
        ("close-fin-seq", "close-half-close-fin", "trace-fsm-close",
         "trace-open-and-reset")),
    Misconception(
        "two-way-server", N_("The server is ESTABLISHED as soon as it sends SYN+ACK"),
        N_("That is two-way-handshake thinking. The server waits in SYN-RECEIVED until the "
           "ACK of its own SYN arrives: only the third segment tells it that the client "
           "heard it (and that the SYN was not an old duplicate)."),
        Mutant(cells=(edge(S.LISTEN, E.RCV_SYN, S.ESTABLISHED, "SYN+ACK"),)),
        ("handshake-lost-syn-ack", "fsm-server-path", "trace-handshake")),
    Misconception(
        "no-half-close", N_("The closing side is CLOSED once its FIN is acknowledged"),
        N_("A FIN closes one direction only. After the ACK of its FIN, A waits in "
           "FIN-WAIT-2 for B's FIN, still receiving B's data (the half-close, 半关闭)."),
        Mutant(cells=(edge(S.FIN_WAIT_1, E.RCV_ACK, S.CLOSED),)),
        ("close-state-after-ack",)),
    Misconception(
        "fin-at-once", N_("The passive closer sends its FIN at once with the ACK"),
        N_("B's FIN comes from B's application calling close(), which may be much later: "
           "B first acknowledges A's FIN and waits in CLOSE-WAIT, still able to send data. "
           "Usually that makes four segments; only when B's application closes at once may "
           "the ACK ride on B's FIN (three)."),
        Mutant(cells=(edge(S.ESTABLISHED, E.RCV_FIN, S.LAST_ACK, "FIN"),)),
        ("close-state-after-ack", "fsm-server-path", "predict-b-after-fin")),
    Misconception(
        "time-wait-passive", N_("TIME-WAIT is on the passive closer"),
        N_("TIME-WAIT belongs to the side that closed first (it sends the last ACK). The "
           "side that closed second is CLOSED as soon as the ACK of its FIN arrives."),
        Mutant(cells=(edge(S.LAST_ACK, E.RCV_ACK, S.TIME_WAIT),
                      edge(S.FIN_WAIT_2, E.RCV_FIN, S.CLOSED, "ACK"))),
        ("fsm-server-path",)),
    Misconception(
        "no-time-wait", N_("FIN-WAIT-2 leads straight to CLOSED"),
        N_("After B's FIN arrives, A sends the last ACK and waits 2MSL in TIME-WAIT: that "
           "ACK may be lost (B will repeat its FIN), and old duplicates of this connection "
           "must die out before the same pair of sockets is used again."),
        Mutant(cells=(edge(S.FIN_WAIT_2, E.RCV_FIN, S.CLOSED, "ACK"),)),
        ("close-time-wait",)),
    Misconception(
        "time-wait-msl", N_("TIME-WAIT lasts one MSL"),
        N_("TIME-WAIT lasts 2MSL: one MSL for the last ACK to reach the peer (or die), one "
           "more for a repeated FIN to come back; and all old segments must have died out."),
        Mutant(host_options=(("time_wait", _one_msl),)),
        ("close-time-wait", "corner-simultaneous-close", "time-wait-closed-at")),
    Misconception(
        "time-wait-rtt", N_("TIME-WAIT is to wait for late data, a couple of round trips"),
        N_("The lecture's two reasons are: the last ACK may be lost, and old duplicate "
           "segments must die out. Both are about the maximum segment lifetime, not the "
           "round-trip time: TIME-WAIT lasts 2MSL, however fast the network (Linux "
           "waits a fixed 60 s)."),
        Mutant(host_options=(("time_wait", _two_rtt),)),
        ("close-time-wait", "corner-simultaneous-close", "time-wait-closed-at")),
    Misconception(
        "no-closing", N_("There is no CLOSING state"),
        N_("When both close at once, each one's FIN arrives before the ACK of its own FIN: "
           "FIN-WAIT-1 then goes to CLOSING, and only the ACK of its FIN moves it on to "
           "TIME-WAIT."),
        Mutant(cells=(edge(S.FIN_WAIT_1, E.RCV_FIN, S.TIME_WAIT, "ACK"),)),
        ("corner-simultaneous-close", "trace-fsm-close")),
    Misconception(
        "abort-is-close", N_("abort() is an orderly close"),
        N_("abort() is the abortive release: it flushes what is still queued and sends an "
           "RST at once; the peer's connection ends (CLOSED, 'connection reset'), with no "
           "FIN, no CLOSE-WAIT and no TIME-WAIT. Only close() sends the queue and then a FIN."),
        Mutant(cells=(edge(S.ESTABLISHED, E.ABORT, S.FIN_WAIT_1, "FIN"),
                      edge(S.CLOSE_WAIT, E.ABORT, S.LAST_ACK, "FIN"))),
        ("close-abort-with-data", "corner-abort", "trace-open-and-reset")),
    Misconception(
        "reset-time-wait", N_("A reset connection still waits in TIME-WAIT"),
        N_("TIME-WAIT belongs to the orderly close. An acceptable RST deletes the TCB at "
           "once: the side that receives it is CLOSED, with no TIME-WAIT."),
        Mutant(cells=(edge(S.FIN_WAIT_2, E.RCV_RST, S.TIME_WAIT),)),
        ("corner-abort",)),
    Misconception(
        "rst-ack-checked", N_("An RST carries an acknowledgment number the peer checks"),
        N_("A reset is judged by its sequence number, not by an ACK (RFC 9293 §3.5.3): in "
           "every state but SYN-SENT it is valid if its seq is in the receive window (RFC "
           "5961 and Linux: exactly RCV.NXT; elsewhere in the window a challenge ACK). Only "
           "in SYN-SENT, where the RST answers our first SYN, is it acceptable when its ACK "
           "field acknowledges that SYN. A reset that answers a segment carrying an ACK has "
           "no ACK at all: <SEQ=SEG.ACK><CTL=RST>."),
        Mutant(resets_by_ack=True),
        ("corner-rst-syn-received",)),
)


def get(key: str) -> Misconception:
    """The misconception called ``key`` (KeyError if there is none)."""
    for m in CATALOGUE:
        if m.key == key:
            return m
    raise KeyError(key)
