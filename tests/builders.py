"""Fixture builders and drivers for the per-state tests (``tests/test_states.py``).

Modelled on smoltcp's tcp.rs tests: a bare, sans-IO :class:`~tcplab.Endpoint`
is driven by hand-made segments and its answers are read off the outputs.

* The endpoint under test is ``"A"`` with ISS 100; its peer is ``"B"`` with
  ISS 300, so every sequence and acknowledgment number is exact.
* ``recv(ep, seg, ...)`` lets the endpoint receive segments and returns the
  segments it transmitted in answer (smoltcp's ``send!``/``recv!`` pair in one
  call); ``feed`` returns all the outputs; ``sent`` extracts the segments.
* One builder per state (``established()``, ``fin_wait_1()``, ``closing()``
  ...) puts an endpoint into that state by feeding it real segments, never by
  assigning fields.  ``network_*`` functions reach the same states through a
  two-host exchange on a :class:`tcplab.Network`, for the sanity test.

Every builder works at virtual time 0 (so the RTO stays 1 s) and accepts
Endpoint keyword options (``mss=``, ``window=``, ``handshake=``, ``iss=`` ...).
"""

from __future__ import annotations

import copy
from typing import Callable, Iterable

from tcplab import Endpoint, Flag, Network, Notation, Segment, State, stories
from tcplab.endpoint import Output, StartTimer, StateChange, StopTimer, Transmit
from tcplab.segment import DEFAULT_WINDOW

LOCAL, REMOTE = "A", "B"
LOCAL_ISS, REMOTE_ISS = 100, 300
WINDOW = DEFAULT_WINDOW

SYN, ACK, FIN, RST = Flag.SYN, Flag.ACK, Flag.FIN, Flag.RST


# --------------------------------------------------------------------------- segments

def seg(flags: Flag, seq: int, ack: int = 0, data: bytes = b"", *, window: int = WINDOW,
        src: str = REMOTE, dst: str = LOCAL) -> Segment:
    """A segment the peer (B) sends to the endpoint under test (A)."""
    return Segment(src, dst, flags, seq % 2**32, ack % 2**32, data, window)


def out(flags: Flag, seq: int, ack: int = 0, data: bytes = b"", *, window: int = WINDOW,
        dst: str = REMOTE) -> Segment:
    """A segment the endpoint under test (A) is expected to send."""
    return Segment(LOCAL, dst, flags, seq % 2**32, ack % 2**32, data, window)


def symbolic(net: Network) -> list[str]:
    """Every segment sent, in the lecture's notation: "A→B SYN, seq=x"."""
    n = Notation.from_segments(net.sent)
    return [f"{s.src}→{s.dst} {s.describe(n, when=t)}" for t, s in net.sent]


def numeric(net: Network) -> list[str]:
    """Every segment sent, with its numbers: "A→B SYN seq=100"."""
    return [f"{s.src}→{s.dst} {s.describe()}" for _, s in net.sent]


# --------------------------------------------------------------------------- driving

def make(**options) -> Endpoint:
    """A fresh endpoint A (CLOSED) with ISS 100 unless ``iss=`` says otherwise."""
    options.setdefault("iss", LOCAL_ISS)
    return Endpoint(LOCAL, **options)


def feed(ep: Endpoint, *segments: Segment, now: float = 0.0) -> list[Output]:
    """The endpoint receives ``segments`` in order; all its outputs."""
    outputs: list[Output] = []
    for s in segments:
        outputs += ep.receive(s, now=now)
    return outputs


def sent(outputs: Iterable[Output]) -> list[Segment]:
    """The segments among ``outputs``."""
    return [o.segment for o in outputs if isinstance(o, Transmit)]


def recv(ep: Endpoint, *segments: Segment, now: float = 0.0) -> list[Segment]:
    """The endpoint receives ``segments``; the segments it transmits in answer."""
    return sent(feed(ep, *segments, now=now))


def started(outputs: Iterable[Output]) -> dict[str, float]:
    """Timers (re)started among ``outputs``: name -> delay (the last start wins)."""
    return {o.timer: o.delay for o in outputs if isinstance(o, StartTimer)}


def stopped(outputs: Iterable[Output]) -> set[str]:
    return {o.timer for o in outputs if isinstance(o, StopTimer)}


def changes(outputs: Iterable[Output]) -> list:
    """The table edges taken, in order (self-loops included)."""
    return [o.transition for o in outputs if isinstance(o, StateChange)]


def expire(ep: Endpoint, timer: str) -> list[Output]:
    """Let the running ``timer`` expire at its deadline; the outputs."""
    assert timer in ep.timers, f"{timer} timer is not running in {ep.state}: {ep.timers}"
    return ep.timer_expired(timer, now=ep.timers[timer])


def snapshot(ep: Endpoint) -> dict:
    """Everything the endpoint holds (a deep copy of its attributes)."""
    return copy.deepcopy({k: v for k, v in vars(ep).items() if k != "_iss_source"})


def tcb(ep: Endpoint) -> dict:
    """The observable connection state, for comparing two endpoints.

    Timer deadlines depend on when things happened, so only timer names are
    compared; retransmission-queue entries are compared without their send times.
    """
    return {
        "state": ep.state, "history": list(ep.history), "peer": ep.peer,
        "passive": ep.passive, "iss": ep.iss, "irs": ep.irs,
        "snd_una": ep.snd_una, "snd_nxt": ep.snd_nxt, "snd_wnd": ep.snd_wnd,
        "rcv_nxt": ep.rcv_nxt, "received": ep.received, "unsent": ep.unsent,
        "error": ep.error, "timers": sorted(ep.timers),
        "rtx": [(u.seq, u.flags, u.data) for u in ep.tcb.rtx],
        "fin_seq": ep.tcb.fin_seq, "fin_wanted": ep.tcb.fin_wanted,
    }


# --------------------------------------------------------------------------- one builder per state
# A's numbers in each state (B's ISN is 300):
#   SYN-SENT      SND.UNA=100 SND.NXT=101
#   SYN-RECEIVED  SND.UNA=100 SND.NXT=101 RCV.NXT=301
#   ESTABLISHED   SND.UNA=SND.NXT=101     RCV.NXT=301
#   FIN-WAIT-1    SND.UNA=101 SND.NXT=102 RCV.NXT=301   (A's FIN is seq 101)
#   FIN-WAIT-2    SND.UNA=SND.NXT=102     RCV.NXT=301
#   CLOSING       SND.UNA=101 SND.NXT=102 RCV.NXT=302   (B's FIN is seq 301)
#   TIME-WAIT     SND.UNA=SND.NXT=102     RCV.NXT=302
#   CLOSE-WAIT    SND.UNA=SND.NXT=101     RCV.NXT=302
#   LAST-ACK      SND.UNA=101 SND.NXT=102 RCV.NXT=302

def _expect(ep: Endpoint, state: State) -> Endpoint:
    assert ep.state is state, f"builder reached {ep.state}, not {state}: {ep.history}"
    return ep


def closed(**options) -> Endpoint:
    return _expect(make(**options), State.CLOSED)


def listen(**options) -> Endpoint:
    ep = make(**options)
    ep.listen()
    return _expect(ep, State.LISTEN)


def syn_sent(**options) -> Endpoint:
    ep = make(**options)
    ep.connect(REMOTE)
    return _expect(ep, State.SYN_SENT)


def syn_received(**options) -> Endpoint:
    """Passive open: LISTEN, then B's SYN (seq 300)."""
    ep = listen(**options)
    recv(ep, seg(SYN, REMOTE_ISS))
    return _expect(ep, State.SYN_RECEIVED)


def syn_received_active(**options) -> Endpoint:
    """Simultaneous open: SYN-SENT, then B's own SYN (seq 300) crosses ours."""
    ep = syn_sent(**options)
    recv(ep, seg(SYN, REMOTE_ISS))
    return _expect(ep, State.SYN_RECEIVED)


def established(**options) -> Endpoint:
    """Active open: SYN-SENT, then B's SYN+ACK (seq 300, ack 101)."""
    ep = syn_sent(**options)
    recv(ep, seg(SYN | ACK, REMOTE_ISS, LOCAL_ISS + 1))
    return _expect(ep, State.ESTABLISHED)


def established_passive(**options) -> Endpoint:
    """Passive open: SYN-RECEIVED, then B's ACK (seq 301, ack 101)."""
    ep = syn_received(**options)
    recv(ep, seg(ACK, REMOTE_ISS + 1, LOCAL_ISS + 1))
    return _expect(ep, State.ESTABLISHED)


def fin_wait_1(**options) -> Endpoint:
    """ESTABLISHED, then close(): A's FIN (seq 101) is out, unacknowledged."""
    ep = established(**options)
    ep.close()
    return _expect(ep, State.FIN_WAIT_1)


def fin_wait_2(**options) -> Endpoint:
    """FIN-WAIT-1, then B's ACK of the FIN (seq 301, ack 102)."""
    ep = fin_wait_1(**options)
    recv(ep, seg(ACK, REMOTE_ISS + 1, LOCAL_ISS + 2))
    return _expect(ep, State.FIN_WAIT_2)


def closing(**options) -> Endpoint:
    """FIN-WAIT-1, then B's FIN (seq 301) that does not acknowledge A's FIN (ack 101)."""
    ep = fin_wait_1(**options)
    recv(ep, seg(FIN | ACK, REMOTE_ISS + 1, LOCAL_ISS + 1))
    return _expect(ep, State.CLOSING)


def time_wait(**options) -> Endpoint:
    """FIN-WAIT-2, then B's FIN (seq 301, ack 102): the client's usual path."""
    ep = fin_wait_2(**options)
    recv(ep, seg(FIN | ACK, REMOTE_ISS + 1, LOCAL_ISS + 2))
    return _expect(ep, State.TIME_WAIT)


def close_wait(**options) -> Endpoint:
    """ESTABLISHED, then B's FIN (seq 301, ack 101)."""
    ep = established(**options)
    recv(ep, seg(FIN | ACK, REMOTE_ISS + 1, LOCAL_ISS + 1))
    return _expect(ep, State.CLOSE_WAIT)


def last_ack(**options) -> Endpoint:
    """CLOSE-WAIT, then close(): A's FIN (seq 101) is out, unacknowledged."""
    ep = close_wait(**options)
    ep.close()
    return _expect(ep, State.LAST_ACK)


#: One builder per state, in handshake order (SYN-RECEIVED: the passive one).
BUILDERS: dict[State, Callable[..., Endpoint]] = {
    State.CLOSED: closed,
    State.LISTEN: listen,
    State.SYN_SENT: syn_sent,
    State.SYN_RECEIVED: syn_received,
    State.ESTABLISHED: established,
    State.FIN_WAIT_1: fin_wait_1,
    State.FIN_WAIT_2: fin_wait_2,
    State.CLOSING: closing,
    State.TIME_WAIT: time_wait,
    State.CLOSE_WAIT: close_wait,
    State.LAST_ACK: last_ack,
}

#: Every builder, including the second ways into SYN-RECEIVED and ESTABLISHED.
ALL_BUILDERS: dict[str, Callable[..., Endpoint]] = {
    **{b.__name__: b for b in BUILDERS.values()},
    "syn_received_active": syn_received_active,
    "established_passive": established_passive,
}


# --------------------------------------------------------------------------- the same states, through a Network
# Host A has ISS 100, host B ISS 300; a state is reached by real exchanges, and
# segments that would take A further are held in the network.

def _net() -> tuple[Network, object, object]:
    return stories.pair(a_iss=LOCAL_ISS, b_iss=REMOTE_ISS)


def _settle(net: Network) -> None:
    """Let the segments in flight arrive, well before any retransmission timer."""
    net.run(until=net.now + 0.5)


def _net_established(passive: bool = False):
    net, a, b = _net()
    client, server = (REMOTE, LOCAL) if passive else (LOCAL, REMOTE)
    stories.play(net, stories.opening(None, client=client, server=server))
    return net, a, b


def network_closed():
    net, a, b = _net()
    return a


def network_listen():
    net, a, b = _net()
    a.listen()
    return a


def network_syn_sent():
    net, a, b = _net()
    b.listen()
    net.hold(lambda s: s.src == LOCAL)
    a.connect(REMOTE)
    _settle(net)
    return a


def network_syn_received():
    net, a, b = _net()
    a.listen()
    net.hold(lambda s: s.src == LOCAL)
    b.connect(LOCAL)
    _settle(net)
    return a


def network_syn_received_active():
    net, a, b = _net()
    net.hold(lambda s: s.flags == SYN | ACK, count=None)
    a.connect(REMOTE)
    b.connect(LOCAL)
    _settle(net)
    return a


def network_established():
    return _net_established()[1]


def network_established_passive():
    return _net_established(passive=True)[1]


def network_fin_wait_1():
    net, a, b = _net_established()
    net.hold(lambda s: s.src == REMOTE)
    a.close()
    _settle(net)
    return a


def network_fin_wait_2():
    net, a, b = _net_established()
    a.close()
    _settle(net)
    return a


def network_closing():
    net, a, b = _net_established()
    net.hold(lambda s: s.src == REMOTE and s.flags == ACK, count=None)
    a.close()
    b.close()
    _settle(net)
    return a


def network_time_wait():
    net, a, b = _net_established()
    a.close()
    _settle(net)
    b.close()
    _settle(net)
    return a


def network_close_wait():
    net, a, b = _net_established()
    b.close()
    _settle(net)
    return a


def network_last_ack():
    net, a, b = _net_established()
    b.close()
    _settle(net)
    net.hold(lambda s: s.src == REMOTE)
    a.close()
    _settle(net)
    return a


NETWORK_BUILDERS: dict[str, Callable[[], object]] = {
    name: globals()[f"network_{name}"] for name in ALL_BUILDERS
}
