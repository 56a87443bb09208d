"""abort() and an arriving RST in each state that has a connection: lesson 06's runs.

:func:`in_state` puts host A in SYN-RECEIVED or one of the synchronized states
(同步状态), with B in the state that goes with it; :func:`abort_and_reset`
plays, from there, what lesson 06's table shows: A's ``abort()``, an RST at
A's RCV.NXT and an RST just beside it.  :func:`rst_positions` shows where in
(or beyond) the receive window an RST must fall for A to obey it, and
:func:`resets_in_syn_sent` why tcplab's reset carries an ACK.
Every answer is read off a run of the library, never written down.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import seqnum, stories
from .fsm import State
from .network import Network
from .segment import Flag, Segment

__all__ = ["ORDER", "TABLE_STATES", "lose_next", "in_state", "AbortAndReset",
           "abort_and_reset", "RstProbe", "rst_positions", "resets_in_syn_sent"]

S = State

#: The synchronized states, in the order a connection meets them.
ORDER = (S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2, S.CLOSE_WAIT, S.CLOSING, S.LAST_ACK,
         S.TIME_WAIT)

#: The rows of lesson 06's abort/RST table: SYN-RECEIVED, then the synchronized states.
TABLE_STATES = (S.SYN_RECEIVED,) + ORDER


def lose_next(net: Network, src: str, flags: Flag) -> None:
    """Lose the next segment from ``src`` whose flags are exactly ``flags``."""
    net.drop(lambda s: s.src == src and s.flags == flags, count=1)


def _syn_received(x: int, y: int) -> tuple:
    """A listens, B connects, A's SYN+ACK is lost: A in SYN-RECEIVED, B in SYN-SENT."""
    net = Network(seed=0, delay=0.1)
    a = net.host("A", iss=x)
    b = net.host("B", iss=y)
    a.listen()
    lose_next(net, "A", Flag.SYN | Flag.ACK)
    b.connect("A")
    net.run(until=0.15)
    return net, a, b


def in_state(state: State, x: int = 100, y: int = 300) -> tuple:
    """(net, a, b) with A in ``state``, where it stays for at least 0.5 s.

    In SYN-RECEIVED, A listens and B connects, and A's SYN+ACK is lost: B is still
    in SYN-SENT (and retransmits its SYN only at t=1 s).  For a synchronized state
    the connection is opened at t=0 (A connects) and closed the usual way, by A or
    by B first; where A would leave ``state`` as soon as the next segment arrives,
    that segment is lost, so an RST sent now still finds A there.  B is in the state
    that goes with A's: ESTABLISHED, CLOSE-WAIT (A in FIN-WAIT-1 or -2), FIN-WAIT-2
    (A in CLOSE-WAIT), TIME-WAIT (A in CLOSING or LAST-ACK) or CLOSED (A in TIME-WAIT).
    """
    if state not in TABLE_STATES:
        raise ValueError(f"in_state() takes SYN-RECEIVED or a synchronized state "
                         f"({', '.join(map(str, ORDER))}), not {state!r}")
    if state is S.SYN_RECEIVED:
        net, a, b = _syn_received(x, y)
    else:
        net, a, b = stories.opened(a_iss=x, b_iss=y)
        _close_until(state, net, a, b)
    net.run(until=net.now + 0.5)
    assert a.state is state, (state, a.state)
    return net, a, b


def _close_until(state: State, net: Network, a, b) -> None:
    """Start closing the open connection so that A reaches the synchronized ``state``."""
    if state is S.FIN_WAIT_1:
        lose_next(net, "B", Flag.ACK)          # the ACK of A's FIN
        a.close()
    elif state is S.FIN_WAIT_2:
        a.close()
    elif state is S.CLOSE_WAIT:
        b.close()
    elif state is S.CLOSING:
        lose_next(net, "B", Flag.ACK)          # B's ACK of A's FIN: A stays in CLOSING
        a.close()
        b.close()
    elif state is S.LAST_ACK:
        b.close()
        net.run(until=1.5)
        lose_next(net, "B", Flag.ACK)          # B's ACK of A's FIN: A stays in LAST-ACK
        a.close()
    elif state is S.TIME_WAIT:
        a.close()
        net.run(until=1.5)
        b.close()


@dataclass(frozen=True)
class AbortAndReset:
    """What happens to A in ``state`` (and to B) on abort() and on an arriving RST."""

    state: State
    peer: State                    # B's state then
    abort_sends: Segment | None    # what A's abort() sends (None: nothing)
    peer_end: str                  # how B ends after A's abort()
    after_rst: State               # A's state after an RST with seq = A's RCV.NXT
    beside_answer: Segment | None  # what A answers to an RST with seq = RCV.NXT+1
    after_beside: State            # and A's state after it


def _reset_arrives(state: State, offset: int, x: int, y: int) -> tuple:
    """A in ``state`` receives an RST from B at RCV.NXT+offset: (A's state, A's answer)."""
    net, a, _ = in_state(state, x, y)
    sent = len(net.sent)
    net.inject(Segment("B", "A", Flag.RST, seqnum.add(a.endpoint.rcv_nxt, offset)))
    net.run(until=net.now + 0.15)
    answer = next((s for _, s in net.sent[sent:] if s.src == "A"), None)
    return a.state, answer


def abort_and_reset(state: State, x: int = 100, y: int = 300) -> AbortAndReset:
    """Play abort() and two RSTs on A in ``state`` (see :func:`in_state`)."""
    # 1. A's application calls abort(); then everything runs to its end
    net, a, b = in_state(state, x, y)
    peer = b.state
    mark, sent = len(net.trace), len(net.sent)
    a.abort()
    own = [s for _, s in net.sent[sent:] if s.src == "A"]
    net.run()
    reset = any(r.kind == "arrive" and r.host == "B" and Flag.RST in r.segment.flags
                and r.segment.src == "A" for r in net.trace[mark:])
    if peer is S.CLOSED:
        peer_end = "CLOSED already"
    elif reset:
        peer_end = "CLOSED: reset by A's RST" + (
            "" if own else " (A's answer to B's next segment)")
    else:
        peer_end = f"{peer} → {b.state} after its 2MSL, unaware of the abort"
    # 2. an RST arrives with seq = RCV.NXT (acceptable), or just beside it
    after_rst, _ = _reset_arrives(state, 0, x, y)
    after_beside, beside_answer = _reset_arrives(state, 1, x, y)
    return AbortAndReset(state, peer, own[0] if own else None, peer_end, after_rst,
                         beside_answer, after_beside)


@dataclass(frozen=True)
class RstProbe:
    """One RST sent to A: where its seq lies, what RFC 9293's base rule and tcplab do."""

    where: str                     # "RCV.NXT+1", …
    seq: int
    in_window: bool                # RCV.NXT <= seq < RCV.NXT+RCV.WND
    answer: Segment | None         # what A (tcplab: RFC 5961 §3) sends back
    after: State                   # A's state afterwards

    @property
    def base_rule(self) -> str:
        """RFC 9293 §3.5.3 without RFC 5961: any RST in the window resets."""
        return "reset" if self.in_window else "drop"


def rst_positions(state: State = S.ESTABLISHED, x: int = 100, y: int = 300) -> list[RstProbe]:
    """An RST at RCV.NXT, just after it, at the window's last number and just beyond it."""
    net, a, _ = in_state(state, x, y)
    rcv_nxt, wnd = a.endpoint.rcv_nxt, a.endpoint.rcv_wnd
    probes = []
    for where, offset in (("RCV.NXT", 0), ("RCV.NXT+1", 1), ("RCV.NXT+RCV.WND-1", wnd - 1),
                          ("RCV.NXT+RCV.WND", wnd)):
        after, answer = _reset_arrives(state, offset, x, y)
        probes.append(RstProbe(where, seqnum.add(rcv_nxt, offset), offset < wnd, answer,
                               after))
    return probes


def resets_in_syn_sent(x: int = 100, y: int = 300) -> list[tuple[Segment, State]]:
    """B in SYN-SENT (A in SYN-RECEIVED, A's SYN+ACK lost) receives A's reset two ways.

    First the reset A's abort() sends (tcplab: RST+ACK, ack = B's ISN+1); then, on a fresh
    copy, as RFC 9293 §3.10.5 writes it, ``<SEQ=SND.NXT><CTL=RST>`` without ACK.
    Returns (the reset, B's state 0.15 s later) for each.
    """
    results = []
    for with_ack in (True, False):
        net, a, b = in_state(S.SYN_RECEIVED, x, y)
        sent = len(net.sent)
        if with_ack:
            a.abort()
            reset = net.sent[sent][1]
        else:
            reset = Segment("A", "B", Flag.RST, a.endpoint.snd_nxt)
            net.inject(reset)
        net.run(until=net.now + 0.15)
        results.append((reset, b.state))
    return results
