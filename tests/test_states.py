"""Per-state tests of the endpoint, organised as smoltcp's tcp.rs tests are.

One section per state, in handshake order (CLOSED, LISTEN, SYN-SENT,
SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSING, TIME-WAIT,
CLOSE-WAIT, LAST-ACK); tests are named ``test_<state>_<stimulus>``; every
state has a ``_close`` and an ``_rst`` test.  Then: calls in every state,
multi-state stories, features (retransmission, window, wrap-around, the
two-way handshake), the sanity check of the builders against a real
two-host exchange, and a sweep of every state against a set of segments.

The endpoint under test is a bare, sans-IO ``Endpoint`` named A with ISS 100;
its peer B has ISS 300 (see ``tests/builders.py``).  ``recv(ep, seg)`` lets A
receive ``seg`` and returns what A transmits; ``seg(...)`` builds B's
segments, ``out(...)`` the ones A is expected to send.  The RFC sections
cited are RFC 9293's.

Run alone: ``.venv/bin/python -m pytest tests/test_states.py -q`` (with
``-p no:nbval`` add ``-o addopts=``: pyproject's addopts name nbval options).
"""

from __future__ import annotations

import pytest

from tcplab import Endpoint, Flag, IllegalEvent, Network, Segment, State
from tcplab import seqnum
from tcplab.endpoint import RETRANSMIT, TIME_WAIT, USER, Note, Transmit
from tcplab.fsm import Event, EventKind, legal_events, table, transitions_from

try:  # tests/ may or may not become a package; work either way
    from .builders import (ACK, ALL_BUILDERS, BUILDERS, FIN, LOCAL, LOCAL_ISS,
                           NETWORK_BUILDERS, REMOTE, REMOTE_ISS, RST, SYN, WINDOW,
                           changes, close_wait, closed, closing, established,
                           established_passive, expire, feed, fin_wait_1, fin_wait_2,
                           last_ack, listen, make, out, recv, seg, sent, snapshot,
                           started, stopped, syn_received, syn_received_active, syn_sent,
                           tcb, time_wait)
except ImportError:
    from builders import (ACK, ALL_BUILDERS, BUILDERS, FIN, LOCAL, LOCAL_ISS,
                          NETWORK_BUILDERS, REMOTE, REMOTE_ISS, RST, SYN, WINDOW,
                          changes, close_wait, closed, closing, established,
                          established_passive, expire, feed, fin_wait_1, fin_wait_2,
                          last_ack, listen, make, out, recv, seg, sent, snapshot,
                          started, stopped, syn_received, syn_received_active, syn_sent,
                          tcb, time_wait)

S = State
NO_FLAGS = Flag(0)
X, Y = LOCAL_ISS, REMOTE_ISS          # the lecture's x and y: 100 and 300


# --------------------------------------------------------------------------- assertions

#: The application calls DESIGN.md (after RFC 9293 §3.10.1-3.10.6) allows in each state.
LEGAL_CALLS = {
    S.CLOSED: {"listen", "connect"},
    S.LISTEN: {"connect", "close", "abort"},
    S.SYN_SENT: {"send", "close", "abort"},
    S.SYN_RECEIVED: {"send", "close", "abort"},
    S.ESTABLISHED: {"send", "close", "abort"},
    S.FIN_WAIT_1: {"abort"},
    S.FIN_WAIT_2: {"abort"},
    S.CLOSING: {"abort"},
    S.TIME_WAIT: {"abort"},
    S.CLOSE_WAIT: {"send", "close", "abort"},
    S.LAST_ACK: {"abort"},
}

CALL_ARGS = {"listen": (), "connect": (REMOTE,), "send": (b"data",), "close": (),
             "abort": ()}


def assert_illegal(ep: Endpoint, call: str) -> IllegalEvent:
    """``call`` raises IllegalEvent naming the state and the legal calls, and changes nothing."""
    before = snapshot(ep)
    state = ep.state
    with pytest.raises(IllegalEvent) as info:
        getattr(ep, call)(*CALL_ARGS[call])
    exc = info.value
    assert isinstance(exc, ValueError)
    assert exc.state is state
    assert exc.event.label == call
    message = str(exc)
    assert f"{call}()" in message
    assert str(state) in message
    legal = legal_events(state, EventKind.CALL, ep.handshake)
    assert {e.label for e in exc.legal} == LEGAL_CALLS[state] == {e.label for e in legal}
    for e in legal:
        assert e.call in message
    # nothing changed: state, history, every TCB field, timers, pending outputs
    assert snapshot(ep) == before
    return exc


def assert_history(ep: Endpoint, *states: State) -> None:
    assert ep.history == list(states)


def notes(outputs, kind: str) -> list[Note]:
    return [o for o in outputs if isinstance(o, Note) and o.kind == kind]


def run_retransmissions(ep: Endpoint) -> list[tuple[float, list[Segment], float | None]]:
    """Let the retransmission timer expire until it stops: (time, segments sent, next delay)."""
    log = []
    while RETRANSMIT in ep.timers:
        at = ep.timers[RETRANSMIT]
        outputs = expire(ep, RETRANSMIT)
        assert all(o.retransmission for o in outputs if isinstance(o, Transmit))
        log.append((at, sent(outputs), started(outputs).get(RETRANSMIT)))
        assert len(log) < 50, "the endpoint never gives up"
    return log


# RTO after each of the 6 retransmissions: doubling from 1 s, capped at 60 s.
DOUBLING = [2.0, 4.0, 8.0, 16.0, 32.0, 60.0]
# When the retransmission timer fires, counting from the first transmission at t=0.
FIRINGS = [1.0, 3.0, 7.0, 15.0, 31.0, 63.0, 123.0]


def assert_retransmits_then_gives_up(ep: Endpoint, segment: Segment, after: State) -> None:
    """6 retransmissions of ``segment`` at 1, 3, 7 ... s, then give up into ``after``."""
    history = list(ep.history)
    log = run_retransmissions(ep)
    assert [at for at, _, _ in log] == FIRINGS
    assert [segs for _, segs, _ in log[:-1]] == [[segment]] * 6
    assert [delay for _, _, delay in log[:-1]] == DOUBLING
    assert log[-1][1] == [] and log[-1][2] is None       # the last firing: give up, no send
    assert FIRINGS[-1] >= 100                              # RFC 9293's R2: at least 100 s
    assert ep.state is after
    assert ep.history == history + [after]
    assert ep.error is not None and ep.error.startswith("gave up after 6 retransmissions")
    assert ep.timers == {}


# =========================================================================== CLOSED

def test_closed_listen():
    ep = closed()
    outputs = ep.listen()
    assert sent(outputs) == []
    assert ep.state is S.LISTEN
    assert_history(ep, S.CLOSED, S.LISTEN)
    assert ep.timers == {}


def test_closed_connect():
    ep = closed()
    outputs = ep.connect(REMOTE)
    assert sent(outputs) == [out(SYN, X)]
    assert started(outputs) == {RETRANSMIT: 1.0}
    assert ep.state is S.SYN_SENT
    assert (ep.iss, ep.snd_una, ep.snd_nxt, ep.peer, ep.passive) == (X, X, X + 1, REMOTE, False)


def test_closed_close():
    exc = assert_illegal(closed(), "close")
    assert "no connection" in str(exc)


def test_closed_abort():
    assert_illegal(closed(), "abort")


def test_closed_send():
    assert_illegal(closed(), "send")


def test_closed_rst():
    ep = closed()
    outputs = feed(ep, seg(RST, 500))
    assert sent(outputs) == []                              # never answer an RST
    assert len(notes(outputs, "ignore")) == 1
    assert ep.state is S.CLOSED and ep.history == [S.CLOSED]


def test_closed_rst_ack():
    ep = closed()
    assert recv(ep, seg(RST | ACK, 500, 101)) == []
    assert ep.state is S.CLOSED


def test_closed_syn():
    # ACK off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (§3.10.7.1)
    ep = closed()
    outputs = feed(ep, seg(SYN, 500))
    assert sent(outputs) == [out(RST | ACK, 0, 501)]
    assert len(notes(outputs, "reply")) == 1
    assert ep.state is S.CLOSED and ep.history == [S.CLOSED]


def test_closed_syn_with_data():
    # SEG.LEN counts the SYN and every data byte
    assert recv(closed(), seg(SYN, 500, data=b"hello")) == [out(RST | ACK, 0, 506)]


def test_closed_fin():
    assert recv(closed(), seg(FIN, 700)) == [out(RST | ACK, 0, 701)]


def test_closed_data_without_ack():
    assert recv(closed(), seg(NO_FLAGS, 700, data=b"abc")) == [out(RST | ACK, 0, 703)]


def test_closed_ack():
    # ACK on: <SEQ=SEG.ACK><CTL=RST>
    ep = closed()
    assert recv(ep, seg(ACK, 301, 4242)) == [out(RST, 4242)]
    assert ep.state is S.CLOSED


def test_closed_syn_ack():
    # the lecture's old SYN: a SYN+ACK nobody asked for is answered with RST
    assert recv(closed(), seg(SYN | ACK, Y, 51)) == [out(RST, 51)]


def test_closed_fin_ack_with_data():
    assert recv(closed(), seg(FIN | ACK, 9, 77, b"xy")) == [out(RST, 77)]


def test_closed_rst_to_sender_of_segment():
    # the RST goes to whoever sent the segment, whatever its name
    assert recv(closed(), seg(SYN, 5, src="C")) == [out(RST | ACK, 0, 6, dst="C")]


def test_closed_segment_for_another_host():
    ep = closed()
    outputs = feed(ep, seg(SYN, 500, dst="Z"))
    assert sent(outputs) == []
    assert len(notes(outputs, "ignore")) == 1


def test_closed_rst_at_wrap():
    # SEG.SEQ+SEG.LEN wraps around 2**32
    assert recv(closed(), seg(SYN, 2**32 - 1)) == [out(RST | ACK, 0, 0)]


# =========================================================================== LISTEN

def test_listen_close():
    ep = listen()
    outputs = ep.close()
    assert sent(outputs) == []
    assert ep.state is S.CLOSED
    assert_history(ep, S.CLOSED, S.LISTEN, S.CLOSED)


def test_listen_abort():
    ep = listen()
    assert sent(ep.abort()) == []
    assert ep.state is S.CLOSED


def test_listen_send():
    assert_illegal(listen(), "send")


def test_listen_listen():
    assert_illegal(listen(), "listen")


def test_listen_connect():
    ep = listen()
    assert sent(ep.connect(REMOTE)) == [out(SYN, X)]
    assert ep.state is S.SYN_SENT
    assert ep.passive is False


def test_listen_syn():
    ep = listen()
    outputs = feed(ep, seg(SYN, Y, window=1000))
    assert sent(outputs) == [out(SYN | ACK, X, Y + 1)]
    assert started(outputs) == {RETRANSMIT: 1.0}
    assert ep.state is S.SYN_RECEIVED
    assert_history(ep, S.CLOSED, S.LISTEN, S.SYN_RECEIVED)
    assert (ep.peer, ep.passive, ep.irs, ep.rcv_nxt) == (REMOTE, True, Y, Y + 1)
    assert (ep.iss, ep.snd_una, ep.snd_nxt, ep.snd_wnd) == (X, X, X + 1, 1000)


def test_listen_rst():
    ep = listen()
    outputs = feed(ep, seg(RST, Y))
    assert sent(outputs) == []
    assert len(notes(outputs, "ignore")) == 1
    assert ep.state is S.LISTEN


def test_listen_rst_ack():
    ep = listen()
    assert recv(ep, seg(RST | ACK, Y, 101)) == []
    assert ep.state is S.LISTEN


def test_listen_ack():
    # an ACK acknowledges nothing here: <SEQ=SEG.ACK><CTL=RST> (§3.10.7.2)
    ep = listen()
    assert recv(ep, seg(ACK, Y, 1234)) == [out(RST, 1234)]
    assert ep.state is S.LISTEN and ep.peer is None


def test_listen_syn_ack():
    ep = listen()
    assert recv(ep, seg(SYN | ACK, Y, 55)) == [out(RST, 55)]
    assert ep.state is S.LISTEN


def test_listen_fin_without_ack():
    ep = listen()
    assert recv(ep, seg(FIN, Y)) == []
    assert ep.state is S.LISTEN


def test_listen_data_without_ack():
    ep = listen()
    assert recv(ep, seg(NO_FLAGS, Y, data=b"hi")) == []
    assert ep.state is S.LISTEN and ep.received == b""


# =========================================================================== SYN-SENT

def test_syn_sent_syn_ack():
    ep = syn_sent()
    outputs = feed(ep, seg(SYN | ACK, Y, X + 1, window=2000))
    assert sent(outputs) == [out(ACK, X + 1, Y + 1)]      # the third segment
    assert RETRANSMIT in stopped(outputs)
    assert ep.state is S.ESTABLISHED
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED)
    assert (ep.irs, ep.rcv_nxt, ep.snd_una, ep.snd_nxt, ep.snd_wnd) == (Y, Y + 1, X + 1,
                                                                         X + 1, 2000)
    assert ep.timers == {} and ep.error is None
    assert len(notes(outputs, "notify")) == 1


def test_syn_sent_syn_ack_with_data():
    ep = syn_sent()
    assert recv(ep, seg(SYN | ACK, Y, X + 1, b"hello")) == [out(ACK, X + 1, Y + 6)]
    assert ep.received == b"hello"
    assert ep.state is S.ESTABLISHED


def test_syn_sent_syn():
    # simultaneous open: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
    ep = syn_sent()
    outputs = feed(ep, seg(SYN, Y))
    assert sent(outputs) == [out(SYN | ACK, X, Y + 1)]
    assert ep.state is S.SYN_RECEIVED
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.SYN_RECEIVED)
    assert ep.passive is False
    assert RETRANSMIT in ep.timers                         # our SYN is still unacknowledged
    assert ep.snd_una == X and ep.snd_nxt == X + 1


def test_syn_sent_rst():
    # RST with an acceptable ACK: the connection is refused (§3.10.7.3)
    ep = syn_sent()
    outputs = feed(ep, seg(RST | ACK, 0, X + 1))
    assert sent(outputs) == []
    assert ep.state is S.CLOSED
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.CLOSED)
    assert ep.error.startswith("connection refused")
    assert ep.timers == {} and RETRANSMIT in stopped(outputs)


@pytest.mark.parametrize("ack", [X, X - 1, X + 2, 5000])
def test_syn_sent_rst_bad_ack(ack):
    # an RST whose ACK does not cover our SYN is dropped (and never answered)
    ep = syn_sent()
    before = tcb(ep)
    assert recv(ep, seg(RST | ACK, 0, ack)) == []
    assert tcb(ep) == before


def test_syn_sent_rst_no_ack():
    ep = syn_sent()
    assert recv(ep, seg(RST, Y)) == []
    assert ep.state is S.SYN_SENT and ep.error is None


@pytest.mark.parametrize("ack", [X, X - 50, X + 2, 5000])
def test_syn_sent_syn_ack_bad_ack(ack):
    # SEG.ACK =< ISS or SEG.ACK > SND.NXT: <SEQ=SEG.ACK><CTL=RST>, stay in SYN-SENT
    ep = syn_sent()
    assert recv(ep, seg(SYN | ACK, Y, ack)) == [out(RST, ack)]
    assert ep.state is S.SYN_SENT
    assert ep.irs is None and ep.rcv_nxt == 0


def test_syn_sent_ack_bad_ack():
    ep = syn_sent()
    assert recv(ep, seg(ACK, Y, 7)) == [out(RST, 7)]
    assert ep.state is S.SYN_SENT


def test_syn_sent_ack_without_syn():
    ep = syn_sent()
    assert recv(ep, seg(ACK, Y, X + 1)) == []
    assert ep.state is S.SYN_SENT and ep.snd_una == X


def test_syn_sent_fin():
    ep = syn_sent()
    assert recv(ep, seg(FIN, Y)) == []
    assert ep.state is S.SYN_SENT


def test_syn_sent_from_another_host():
    ep = syn_sent()
    assert recv(ep, seg(SYN | ACK, 900, X + 1, src="C")) == [out(RST, X + 1, dst="C")]
    assert ep.state is S.SYN_SENT and ep.peer == REMOTE


def test_syn_sent_close():
    ep = syn_sent()
    outputs = ep.close()
    assert sent(outputs) == []
    assert ep.state is S.CLOSED
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.CLOSED)
    assert ep.timers == {} and RETRANSMIT in stopped(outputs)


def test_syn_sent_abort():
    ep = syn_sent()
    assert sent(ep.abort()) == []                          # the peer knows nothing yet
    assert ep.state is S.CLOSED and ep.timers == {}


def test_syn_sent_send():
    # data is queued until ESTABLISHED, then rides on the third segment
    ep = syn_sent()
    outputs = ep.send(b"hello")
    assert sent(outputs) == []
    assert ep.unsent == b"hello" and ep.state is S.SYN_SENT
    assert recv(ep, seg(SYN | ACK, Y, X + 1)) == [out(ACK, X + 1, Y + 1, b"hello")]
    assert ep.unsent == b"" and ep.snd_nxt == X + 6


def test_syn_sent_connect():
    assert_illegal(syn_sent(), "connect")


def test_syn_sent_retransmit_syn():
    ep = syn_sent()
    outputs = expire(ep, RETRANSMIT)
    assert [o for o in outputs if isinstance(o, Transmit)] == [Transmit(out(SYN, X), True)]
    assert started(outputs) == {RETRANSMIT: 2.0}
    assert ep.state is S.SYN_SENT and ep.history == [S.CLOSED, S.SYN_SENT]


def test_syn_sent_give_up():
    ep = syn_sent()
    assert_retransmits_then_gives_up(ep, out(SYN, X), S.CLOSED)


def test_syn_sent_max_retries():
    ep = syn_sent(max_retries=2)
    log = run_retransmissions(ep)
    assert [at for at, _, _ in log] == [1.0, 3.0, 7.0]
    assert ep.state is S.CLOSED and "2 retransmissions" in ep.error


def test_syn_sent_rto_capped():
    ep = syn_sent(max_retries=9)
    log = run_retransmissions(ep)
    assert [d for _, _, d in log[:-1]] == DOUBLING + [60.0, 60.0, 60.0]


def test_syn_sent_user_timeout():
    ep = syn_sent(user_timeout=5.0)
    assert ep.timers[USER] == 5.0
    expire(ep, RETRANSMIT)                                 # t=1: SYN again
    outputs = expire(ep, USER)                             # t=5: give up
    assert sent(outputs) == []
    assert ep.state is S.CLOSED and ep.error.startswith("user timeout")
    assert ep.timers == {}


# =========================================================================== SYN-RECEIVED

def test_syn_received_ack():
    ep = syn_received()
    outputs = feed(ep, seg(ACK, Y + 1, X + 1))
    assert sent(outputs) == []                             # nothing to say
    assert ep.state is S.ESTABLISHED
    assert_history(ep, S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED)
    assert ep.snd_una == X + 1 and ep.timers == {}


def test_syn_received_ack_with_data():
    ep = syn_received()
    assert recv(ep, seg(ACK, Y + 1, X + 1, b"hi")) == [out(ACK, X + 1, Y + 3)]
    assert ep.received == b"hi" and ep.state is S.ESTABLISHED


def test_syn_received_ack_with_fin():
    ep = syn_received()
    assert recv(ep, seg(FIN | ACK, Y + 1, X + 1)) == [out(ACK, X + 1, Y + 2)]
    assert_history(ep, S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED, S.CLOSE_WAIT)


@pytest.mark.parametrize("ack", [X, X + 2, 5000])
def test_syn_received_bad_ack(ack):
    # not SND.UNA < SEG.ACK =< SND.NXT: <SEQ=SEG.ACK><CTL=RST> (§3.10.7.4, fifth)
    ep = syn_received()
    assert recv(ep, seg(ACK, Y + 1, ack)) == [out(RST, ack)]
    assert ep.state is S.SYN_RECEIVED


def test_syn_received_rst():
    # passive open: back to LISTEN, no error, and ready for the next SYN
    ep = syn_received()
    outputs = feed(ep, seg(RST, Y + 1))
    assert sent(outputs) == []
    assert ep.state is S.LISTEN
    assert_history(ep, S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.LISTEN)
    assert ep.error is None and ep.timers == {} and ep.peer is None
    assert recv(ep, seg(SYN, 700)) == [out(SYN | ACK, X, 701)]
    assert ep.state is S.SYN_RECEIVED


def test_syn_received_rst_active():
    # simultaneous open: the connection is refused, CLOSED
    ep = syn_received_active()
    assert recv(ep, seg(RST, Y + 1)) == []
    assert ep.state is S.CLOSED
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.SYN_RECEIVED, S.CLOSED)
    assert ep.error.startswith("connection refused")


def test_syn_received_rst_not_exact():
    # RFC 5961: in the window but not at RCV.NXT -> challenge ACK
    ep = syn_received()
    outputs = feed(ep, seg(RST, Y + 10))
    assert sent(outputs) == [out(ACK, X + 1, Y + 1)]
    assert ep.state is S.SYN_RECEIVED


def test_syn_received_rst_out_of_window():
    ep = syn_received()
    assert recv(ep, seg(RST, Y + 1 + WINDOW)) == []
    assert ep.state is S.SYN_RECEIVED


def test_syn_received_duplicate_syn():
    # the peer's SYN again (our SYN+ACK was lost): answered with our SYN+ACK again
    ep = syn_received()
    assert recv(ep, seg(SYN, Y)) == [out(SYN | ACK, X, Y + 1)]
    assert ep.state is S.SYN_RECEIVED
    assert_history(ep, S.CLOSED, S.LISTEN, S.SYN_RECEIVED)


def test_syn_received_syn_in_window():
    # §3.10.7.4 fourth: a SYN in a passive SYN-RECEIVED returns to LISTEN
    ep = syn_received()
    assert recv(ep, seg(SYN, Y + 50)) == []
    assert ep.state is S.LISTEN
    assert_history(ep, S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.LISTEN)


def test_syn_received_active_syn_in_window():
    # ... but in an active one it is a synchronized state's SYN: challenge ACK
    ep = syn_received_active()
    assert recv(ep, seg(SYN, Y + 50)) == [out(ACK, X + 1, Y + 1)]
    assert ep.state is S.SYN_RECEIVED


def test_syn_received_active_syn_ack():
    # simultaneous open, RFC 9293 Figure 7: the peer's SYN+ACK repeats the SYN we have;
    # its new part, the ACK of our SYN, takes us to ESTABLISHED with nothing more to send
    ep = syn_received_active()
    assert recv(ep, seg(SYN | ACK, Y, X + 1)) == []
    assert ep.state is S.ESTABLISHED
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.SYN_RECEIVED, S.ESTABLISHED)
    # a later plain ACK is just a duplicate
    assert recv(ep, seg(ACK, Y + 1, X + 1)) == []
    assert ep.state is S.ESTABLISHED


def test_syn_received_active_syn_ack_with_bad_ack():
    ep = syn_received_active()
    assert recv(ep, seg(SYN | ACK, Y, X + 7)) == [out(RST, X + 7)]
    assert ep.state is S.SYN_RECEIVED


def test_syn_received_out_of_window():
    ep = syn_received()
    assert recv(ep, seg(ACK, Y + 1 + WINDOW + 10, X + 1)) == [out(ACK, X + 1, Y + 1)]
    assert ep.state is S.SYN_RECEIVED


def test_syn_received_no_ack():
    ep = syn_received()
    assert recv(ep, seg(NO_FLAGS, Y + 1, data=b"x")) == []
    assert ep.state is S.SYN_RECEIVED and ep.received == b""


def test_syn_received_from_another_host():
    ep = syn_received()
    assert recv(ep, seg(SYN, 500, src="C")) == [out(RST | ACK, 0, 501, dst="C")]
    assert ep.state is S.SYN_RECEIVED and ep.peer == REMOTE


def test_syn_received_close():
    # §3.10.4: nothing queued, so the FIN goes at once -> FIN-WAIT-1
    ep = syn_received()
    assert sent(ep.close()) == [out(FIN | ACK, X + 1, Y + 1)]
    assert ep.state is S.FIN_WAIT_1
    assert recv(ep, seg(ACK, Y + 1, X + 1)) == []          # acknowledges the SYN only
    assert ep.state is S.FIN_WAIT_1
    assert recv(ep, seg(ACK, Y + 1, X + 2)) == []          # and now the FIN
    assert ep.state is S.FIN_WAIT_2


def test_syn_received_abort():
    ep = syn_received()
    assert sent(ep.abort()) == [out(RST | ACK, X + 1, Y + 1)]
    assert ep.state is S.CLOSED and ep.timers == {}


def test_syn_received_send():
    ep = syn_received()
    assert sent(ep.send(b"hello")) == []
    assert recv(ep, seg(ACK, Y + 1, X + 1)) == [out(ACK, X + 1, Y + 1, b"hello")]


def test_syn_received_connect():
    assert_illegal(syn_received(), "connect")


def test_syn_received_retransmit_syn_ack():
    ep = syn_received()
    outputs = expire(ep, RETRANSMIT)
    assert [o for o in outputs if isinstance(o, Transmit)] == [
        Transmit(out(SYN | ACK, X, Y + 1), True)]
    assert started(outputs) == {RETRANSMIT: 2.0}


def test_syn_received_give_up():
    # a passive SYN-RECEIVED that gets no ACK listens again
    ep = syn_received()
    assert_retransmits_then_gives_up(ep, out(SYN | ACK, X, Y + 1), S.LISTEN)
    assert recv(ep, seg(SYN, 900)) == [out(SYN | ACK, X, 901)]


def test_syn_received_active_give_up():
    ep = syn_received_active()
    log = run_retransmissions(ep)
    assert log[0][1] == [out(SYN | ACK, X, Y + 1)]
    assert ep.state is S.CLOSED and ep.error.startswith("gave up")


# =========================================================================== ESTABLISHED

def test_established_send():
    ep = established()
    outputs = ep.send(b"hello")
    assert sent(outputs) == [out(ACK, X + 1, Y + 1, b"hello")]
    assert started(outputs) == {RETRANSMIT: 1.0}
    assert (ep.snd_una, ep.snd_nxt) == (X + 1, X + 6)
    assert ep.history == [S.CLOSED, S.SYN_SENT, S.ESTABLISHED]


def test_established_send_acked():
    ep = established()
    ep.send(b"hello")
    outputs = feed(ep, seg(ACK, Y + 1, X + 6))
    assert sent(outputs) == [] and RETRANSMIT in stopped(outputs)
    assert ep.snd_una == X + 6 and ep.timers == {}


def test_established_send_partially_acked():
    ep = established(mss=5)
    ep.send(b"helloworld")                                 # two segments
    outputs = feed(ep, seg(ACK, Y + 1, X + 6), now=0.5)
    assert started(outputs) == {RETRANSMIT: 1.0}          # restarted for the rest
    assert ep.snd_una == X + 6
    assert [o.segment for o in expire(ep, RETRANSMIT) if isinstance(o, Transmit)] == [
        out(ACK, X + 6, Y + 1, b"world")]


def test_established_recv_data():
    ep = established()
    outputs = feed(ep, seg(ACK, Y + 1, X + 1, b"hello"))
    assert sent(outputs) == [out(ACK, X + 1, Y + 6)]
    assert ep.received == b"hello" and ep.rcv_nxt == Y + 6
    assert len(notes(outputs, "deliver")) == 1


def test_established_recv_data_cumulative():
    ep = established()
    assert recv(ep, seg(ACK, Y + 1, X + 1, b"abc")) == [out(ACK, X + 1, Y + 4)]
    assert recv(ep, seg(ACK, Y + 4, X + 1, b"def")) == [out(ACK, X + 1, Y + 7)]
    assert ep.received == b"abcdef"


def test_established_recv_out_of_order():
    ep = established()
    # "world" arrives before "hello": kept, and the ACK still asks for Y+1
    assert recv(ep, seg(ACK, Y + 6, X + 1, b"world")) == [out(ACK, X + 1, Y + 1)]
    assert ep.received == b""
    # the gap is filled: both delivered in order, one cumulative ACK
    assert recv(ep, seg(ACK, Y + 1, X + 1, b"hello")) == [out(ACK, X + 1, Y + 11)]
    assert ep.received == b"helloworld"


def test_established_recv_duplicate_data():
    ep = established()
    recv(ep, seg(ACK, Y + 1, X + 1, b"hello"))
    assert recv(ep, seg(ACK, Y + 1, X + 1, b"hello")) == [out(ACK, X + 1, Y + 6)]
    assert ep.received == b"hello"


def test_established_recv_overlapping_data():
    ep = established()
    recv(ep, seg(ACK, Y + 1, X + 1, b"hello"))
    assert recv(ep, seg(ACK, Y + 4, X + 1, b"loworld")) == [out(ACK, X + 1, Y + 11)]
    assert ep.received == b"helloworld"


def test_established_recv_beyond_window():
    ep = established(window=10)
    assert recv(ep, seg(ACK, Y + 1, X + 1, b"0123456789ABCDE")) == [
        out(ACK, X + 1, Y + 11, window=10)]
    assert ep.received == b"0123456789"


def test_established_recv_data_piggybacks_on_send():
    ep = established()
    ep.send(b"ping")
    # the reply acknowledges our data; our ACK of it carries nothing new
    assert recv(ep, seg(ACK, Y + 1, X + 5, b"pong")) == [out(ACK, X + 5, Y + 5)]
    assert ep.timers == {}


def test_established_duplicate_ack():
    ep = established()
    ep.send(b"hello")
    assert recv(ep, seg(ACK, Y + 1, X + 1)) == []          # acknowledges nothing new
    assert ep.snd_una == X + 1 and RETRANSMIT in ep.timers


def test_established_ack_future():
    # SEG.ACK > SND.NXT: send an ACK, drop the segment
    ep = established()
    assert recv(ep, seg(ACK, Y + 1, X + 500, b"zz")) == [out(ACK, X + 1, Y + 1)]
    assert ep.received == b"" and ep.snd_una == X + 1


def test_established_no_ack():
    ep = established()
    assert recv(ep, seg(NO_FLAGS, Y + 1, data=b"zz")) == []
    assert ep.received == b""


def test_established_fin():
    ep = established()
    outputs = feed(ep, seg(FIN | ACK, Y + 1, X + 1))
    assert sent(outputs) == [out(ACK, X + 1, Y + 2)]
    assert ep.state is S.CLOSE_WAIT
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.CLOSE_WAIT)
    assert [t.event for t in changes(outputs)] == [Event.RCV_FIN]


def test_established_fin_with_data():
    ep = established()
    assert recv(ep, seg(FIN | ACK, Y + 1, X + 1, b"bye")) == [out(ACK, X + 1, Y + 5)]
    assert ep.received == b"bye" and ep.state is S.CLOSE_WAIT


def test_established_fin_out_of_order():
    ep = established()
    assert recv(ep, seg(FIN | ACK, Y + 6, X + 1)) == [out(ACK, X + 1, Y + 1)]
    assert ep.state is S.ESTABLISHED                      # data before the FIN is missing
    assert recv(ep, seg(ACK, Y + 1, X + 1, b"hello")) == [out(ACK, X + 1, Y + 7)]
    assert ep.received == b"hello" and ep.state is S.CLOSE_WAIT


def test_established_syn():
    # RFC 5961 via §3.10.7.4 fourth: a SYN in a synchronized state -> challenge ACK
    ep = established()
    before = tcb(ep)
    assert recv(ep, seg(SYN, Y + 10)) == [out(ACK, X + 1, Y + 1)]
    assert tcb(ep) == before


def test_established_rst():
    ep = established()
    outputs = feed(ep, seg(RST, Y + 1))
    assert sent(outputs) == []
    assert ep.state is S.CLOSED
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.CLOSED)
    assert ep.error.startswith("connection reset")


def test_established_rst_ack():
    ep = established()
    assert recv(ep, seg(RST | ACK, Y + 1, X + 1)) == []
    assert ep.state is S.CLOSED


def test_established_rst_not_exact():
    # RFC 5961 §3: in the window but not RCV.NXT -> challenge ACK, no reset
    ep = established()
    before = tcb(ep)
    outputs = feed(ep, seg(RST, Y + 2))
    assert sent(outputs) == [out(ACK, X + 1, Y + 1)]
    assert tcb(ep) == before
    assert "challenge" in notes(outputs, "reply")[0].text


def test_established_rst_out_of_window():
    ep = established()
    before = tcb(ep)
    assert recv(ep, seg(RST, Y + 1 + WINDOW)) == []
    assert recv(ep, seg(RST, Y)) == []
    assert tcb(ep) == before


@pytest.mark.parametrize("seq", [Y - 2, Y - 100, Y + 1 + WINDOW, Y + 1 + 2**30])
def test_established_out_of_window(seq):
    ep = established()
    # "old" at Y-2 ends at Y: every byte already received (or all beyond the window)
    assert recv(ep, seg(ACK, seq, X + 1, b"old")) == [out(ACK, X + 1, Y + 1)]
    assert ep.received == b""


def test_established_old_data_straddling_rcv_nxt():
    # first byte old, the rest new: only the new part is processed (§3.10.7.4)
    ep = established()
    assert recv(ep, seg(ACK, Y, X + 1, b"old")) == [out(ACK, X + 1, Y + 3)]
    assert ep.received == b"ld"


def test_established_close():
    ep = established()
    outputs = ep.close()
    assert sent(outputs) == [out(FIN | ACK, X + 1, Y + 1)]
    assert started(outputs) == {RETRANSMIT: 1.0}
    assert ep.state is S.FIN_WAIT_1
    assert (ep.snd_una, ep.snd_nxt) == (X + 1, X + 2)


def test_established_close_after_data():
    ep = established()
    ep.send(b"hello")
    # FIN seq=u: u = the last byte sent + 1
    assert sent(ep.close()) == [out(FIN | ACK, X + 6, Y + 1)]


def test_established_abort():
    ep = established()
    ep.send(b"hello")
    assert sent(ep.abort()) == [out(RST | ACK, X + 6, Y + 1)]   # SEQ=SND.NXT
    assert ep.state is S.CLOSED and ep.timers == {}


def test_established_connect():
    assert_illegal(established(), "connect")


def test_established_listen():
    assert_illegal(established(), "listen")


def test_established_retransmit_data():
    ep = established()
    ep.send(b"hello")
    assert_retransmits_then_gives_up(ep, out(ACK, X + 1, Y + 1, b"hello"), S.CLOSED)


def test_established_user_timeout():
    ep = established(user_timeout=5.0)
    outputs = ep.send(b"hello")
    assert started(outputs) == {RETRANSMIT: 1.0, USER: 5.0}
    recv(ep, seg(ACK, Y + 1, X + 6))
    assert ep.timers == {}                                 # acknowledged: no user timeout
    ep.send(b"again", now=10.0)
    assert ep.timers[USER] == 15.0
    outputs = expire(ep, USER)
    assert sent(outputs) == []
    assert ep.state is S.CLOSED and ep.error.startswith("user timeout")


def test_established_passive_close():
    ep = established_passive()
    assert sent(ep.close()) == [out(FIN | ACK, X + 1, Y + 1)]
    assert_history(ep, S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED, S.FIN_WAIT_1)


# =========================================================================== FIN-WAIT-1

def test_fin_wait_1_ack():
    ep = fin_wait_1()
    outputs = feed(ep, seg(ACK, Y + 1, X + 2))
    assert sent(outputs) == []
    assert ep.state is S.FIN_WAIT_2
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2)
    assert ep.timers == {}


def test_fin_wait_1_ack_of_data_only():
    ep = established()
    ep.send(b"hello")
    ep.close()                                             # FIN is seq 106
    assert recv(ep, seg(ACK, Y + 1, X + 6)) == []
    assert ep.state is S.FIN_WAIT_1 and RETRANSMIT in ep.timers
    recv(ep, seg(ACK, Y + 1, X + 7))
    assert ep.state is S.FIN_WAIT_2


def test_fin_wait_1_fin():
    # simultaneous close: the peer's FIN does not acknowledge ours -> CLOSING
    ep = fin_wait_1()
    outputs = feed(ep, seg(FIN | ACK, Y + 1, X + 1))
    assert sent(outputs) == [out(ACK, X + 2, Y + 2)]
    assert ep.state is S.CLOSING
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.FIN_WAIT_1, S.CLOSING)
    assert RETRANSMIT in ep.timers                         # our FIN still unacknowledged


def test_fin_wait_1_fin_ack():
    # the peer's FIN also acknowledges ours: the table's direct edge to TIME-WAIT
    ep = fin_wait_1(time_wait=8.0)
    outputs = feed(ep, seg(FIN | ACK, Y + 1, X + 2))
    assert sent(outputs) == [out(ACK, X + 2, Y + 2)]
    assert ep.state is S.TIME_WAIT
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.FIN_WAIT_1, S.TIME_WAIT)
    assert S.FIN_WAIT_2 not in ep.history and S.CLOSING not in ep.history
    assert [t.event for t in changes(outputs)] == [Event.RCV_FIN_ACK]
    assert started(outputs) == {TIME_WAIT: 8.0}
    assert ep.timers == {TIME_WAIT: 8.0}


def test_fin_wait_1_recv_data():
    ep = fin_wait_1()
    assert recv(ep, seg(ACK, Y + 1, X + 1, b"more")) == [out(ACK, X + 2, Y + 5)]
    assert ep.received == b"more" and ep.state is S.FIN_WAIT_1


def test_fin_wait_1_syn():
    ep = fin_wait_1()
    assert recv(ep, seg(SYN, Y + 3)) == [out(ACK, X + 2, Y + 1)]
    assert ep.state is S.FIN_WAIT_1


def test_fin_wait_1_rst():
    ep = fin_wait_1()
    assert recv(ep, seg(RST, Y + 1)) == []
    assert ep.state is S.CLOSED and ep.error.startswith("connection reset")
    assert ep.timers == {}


def test_fin_wait_1_rst_not_exact():
    ep = fin_wait_1()
    assert recv(ep, seg(RST, Y + 5)) == [out(ACK, X + 2, Y + 1)]
    assert ep.state is S.FIN_WAIT_1


def test_fin_wait_1_close():
    exc = assert_illegal(fin_wait_1(), "close")
    assert "already" in str(exc)


def test_fin_wait_1_send():
    assert_illegal(fin_wait_1(), "send")


def test_fin_wait_1_abort():
    ep = fin_wait_1()
    assert sent(ep.abort()) == [out(RST | ACK, X + 2, Y + 1)]
    assert ep.state is S.CLOSED and ep.timers == {}


def test_fin_wait_1_retransmit_fin():
    ep = fin_wait_1()
    outputs = expire(ep, RETRANSMIT)
    assert [o for o in outputs if isinstance(o, Transmit)] == [
        Transmit(out(FIN | ACK, X + 1, Y + 1), True)]
    assert started(outputs) == {RETRANSMIT: 2.0}


def test_fin_wait_1_give_up():
    assert_retransmits_then_gives_up(fin_wait_1(), out(FIN | ACK, X + 1, Y + 1), S.CLOSED)


def test_fin_wait_1_fin_after_queued_data():
    # the FIN waits behind data the peer's window holds back
    ep = syn_sent(mss=4)
    recv(ep, seg(SYN | ACK, Y, X + 1, window=4))
    assert sent(ep.send(b"abcdefgh")) == [out(ACK, X + 1, Y + 1, b"abcd")]
    assert sent(ep.close()) == []
    assert ep.state is S.FIN_WAIT_1 and ep.unsent == b"efgh"
    # the last data goes, and the FIN right behind it (u = last byte sent + 1)
    assert recv(ep, seg(ACK, Y + 1, X + 5, window=4)) == [out(ACK, X + 5, Y + 1, b"efgh"),
                                                         out(FIN | ACK, X + 9, Y + 1)]
    recv(ep, seg(ACK, Y + 1, X + 9, window=4))
    assert ep.state is S.FIN_WAIT_1
    recv(ep, seg(ACK, Y + 1, X + 10, window=4))
    assert ep.state is S.FIN_WAIT_2


# =========================================================================== FIN-WAIT-2

def test_fin_wait_2_fin():
    ep = fin_wait_2(time_wait=8.0)
    outputs = feed(ep, seg(FIN | ACK, Y + 1, X + 2))
    assert sent(outputs) == [out(ACK, X + 2, Y + 2)]
    assert ep.state is S.TIME_WAIT
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2,
                   S.TIME_WAIT)
    assert started(outputs) == {TIME_WAIT: 8.0}


def test_fin_wait_2_recv_data():
    # half-closed (半关闭): the peer may still send, and we acknowledge
    ep = fin_wait_2()
    assert recv(ep, seg(ACK, Y + 1, X + 2, b"still")) == [out(ACK, X + 2, Y + 6)]
    assert ep.received == b"still" and ep.state is S.FIN_WAIT_2
    assert recv(ep, seg(FIN | ACK, Y + 6, X + 2)) == [out(ACK, X + 2, Y + 7)]
    assert ep.state is S.TIME_WAIT


def test_fin_wait_2_no_timers():
    assert fin_wait_2().timers == {}


def test_fin_wait_2_syn():
    ep = fin_wait_2()
    assert recv(ep, seg(SYN, Y + 1)) == [out(ACK, X + 2, Y + 1)]
    assert ep.state is S.FIN_WAIT_2


def test_fin_wait_2_out_of_window():
    ep = fin_wait_2()
    assert recv(ep, seg(FIN | ACK, Y - 5, X + 2)) == [out(ACK, X + 2, Y + 1)]
    assert ep.state is S.FIN_WAIT_2


def test_fin_wait_2_rst():
    ep = fin_wait_2()
    assert recv(ep, seg(RST, Y + 1)) == []
    assert ep.state is S.CLOSED and ep.error.startswith("connection reset")


def test_fin_wait_2_close():
    assert_illegal(fin_wait_2(), "close")


def test_fin_wait_2_send():
    assert_illegal(fin_wait_2(), "send")


def test_fin_wait_2_abort():
    ep = fin_wait_2()
    assert sent(ep.abort()) == [out(RST | ACK, X + 2, Y + 1)]
    assert ep.state is S.CLOSED


# =========================================================================== CLOSING

def test_closing_ack():
    ep = closing(time_wait=8.0)
    outputs = feed(ep, seg(ACK, Y + 2, X + 2))
    assert sent(outputs) == []
    assert ep.state is S.TIME_WAIT
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.FIN_WAIT_1, S.CLOSING,
                   S.TIME_WAIT)
    assert ep.timers == {TIME_WAIT: 8.0}


def test_closing_ack_not_covering_fin():
    ep = closing()
    assert recv(ep, seg(ACK, Y + 2, X + 1)) == []
    assert ep.state is S.CLOSING


def test_closing_retransmitted_fin():
    # the peer did not get our ACK of its FIN: acknowledge again
    ep = closing()
    assert recv(ep, seg(FIN | ACK, Y + 1, X + 1)) == [out(ACK, X + 2, Y + 2)]
    assert ep.state is S.CLOSING


def test_closing_retransmit_fin():
    ep = closing()
    outputs = expire(ep, RETRANSMIT)
    assert sent(outputs) == [out(FIN | ACK, X + 1, Y + 2)]
    assert started(outputs) == {RETRANSMIT: 2.0}


def test_closing_give_up():
    assert_retransmits_then_gives_up(closing(), out(FIN | ACK, X + 1, Y + 2), S.CLOSED)


def test_closing_syn():
    ep = closing()
    assert recv(ep, seg(SYN, Y + 9)) == [out(ACK, X + 2, Y + 2)]
    assert ep.state is S.CLOSING


def test_closing_rst():
    # §3.10.7.4: CLOSING + RST -> CLOSED; our FIN was never acknowledged, so the
    # connection ended abnormally and ``error`` says why
    ep = closing()
    assert recv(ep, seg(RST, Y + 2)) == []
    assert ep.state is S.CLOSED and ep.timers == {}
    assert ep.error == "connection reset by B (RST in CLOSING)"


def test_closing_rst_not_exact():
    ep = closing()
    assert recv(ep, seg(RST, Y + 3)) == [out(ACK, X + 2, Y + 2)]
    assert ep.state is S.CLOSING


def test_closing_close():
    assert_illegal(closing(), "close")


def test_closing_send():
    assert_illegal(closing(), "send")


def test_closing_abort():
    # §3.10.5: CLOSING, LAST-ACK, TIME-WAIT: delete the TCB, no RST
    ep = closing()
    assert sent(ep.abort()) == []
    assert ep.state is S.CLOSED and ep.timers == {}


# =========================================================================== TIME-WAIT

def test_time_wait_retransmitted_fin():
    # the lecture's reason (a) for 2MSL: our last ACK was lost, the FIN comes again
    ep = time_wait(time_wait=8.0)
    assert ep.timers == {TIME_WAIT: 8.0}
    history = list(ep.history)
    outputs = feed(ep, seg(FIN | ACK, Y + 1, X + 2), now=5.0)
    assert sent(outputs) == [out(ACK, X + 2, Y + 2)]
    assert started(outputs) == {TIME_WAIT: 8.0}           # 2MSL starts again
    assert ep.timers == {TIME_WAIT: 13.0}
    assert ep.state is S.TIME_WAIT and ep.history == history
    assert [(t.source, t.event, t.target) for t in changes(outputs)] == [
        (S.TIME_WAIT, Event.RCV_FIN, S.TIME_WAIT)]


def test_time_wait_timeout():
    ep = time_wait(time_wait=8.0)
    outputs = expire(ep, TIME_WAIT)
    assert sent(outputs) == []
    assert ep.state is S.CLOSED
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2,
                   S.TIME_WAIT, S.CLOSED)
    assert ep.error is None and ep.timers == {}


def test_time_wait_timeout_after_closing():
    ep = closing(time_wait=8.0)
    recv(ep, seg(ACK, Y + 2, X + 2))
    expire(ep, TIME_WAIT)
    assert ep.state is S.CLOSED


def test_time_wait_ack():
    ep = time_wait()
    assert recv(ep, seg(ACK, Y + 2, X + 2)) == []
    assert ep.state is S.TIME_WAIT


def test_time_wait_syn():
    ep = time_wait()
    deadline = ep.timers[TIME_WAIT]
    assert recv(ep, seg(SYN, Y + 1000)) == [out(ACK, X + 2, Y + 2)]
    assert ep.state is S.TIME_WAIT and ep.timers == {TIME_WAIT: deadline}


def test_time_wait_rst():
    ep = time_wait()
    assert recv(ep, seg(RST, Y + 2)) == []
    assert ep.state is S.CLOSED and ep.error is None and ep.timers == {}


def test_time_wait_close():
    assert_illegal(time_wait(), "close")


def test_time_wait_send():
    assert_illegal(time_wait(), "send")


def test_time_wait_connect():
    assert_illegal(time_wait(), "connect")


def test_time_wait_abort():
    ep = time_wait()
    assert sent(ep.abort()) == []
    assert ep.state is S.CLOSED and ep.timers == {}


# =========================================================================== CLOSE-WAIT

def test_close_wait_send():
    # the half-closed side may still send
    ep = close_wait()
    outputs = ep.send(b"reply")
    assert sent(outputs) == [out(ACK, X + 1, Y + 2, b"reply")]
    assert ep.state is S.CLOSE_WAIT
    assert recv(ep, seg(ACK, Y + 2, X + 6)) == []
    assert ep.timers == {}


def test_close_wait_retransmit_data():
    ep = close_wait()
    ep.send(b"reply")
    assert sent(expire(ep, RETRANSMIT)) == [out(ACK, X + 1, Y + 2, b"reply")]


def test_close_wait_retransmitted_fin():
    ep = close_wait()
    assert recv(ep, seg(FIN | ACK, Y + 1, X + 1)) == [out(ACK, X + 1, Y + 2)]
    assert ep.state is S.CLOSE_WAIT


def test_close_wait_syn():
    ep = close_wait()
    assert recv(ep, seg(SYN, Y + 2)) == [out(ACK, X + 1, Y + 2)]
    assert ep.state is S.CLOSE_WAIT


def test_close_wait_close():
    ep = close_wait()
    outputs = ep.close()
    assert sent(outputs) == [out(FIN | ACK, X + 1, Y + 2)]
    assert started(outputs) == {RETRANSMIT: 1.0}
    assert ep.state is S.LAST_ACK


def test_close_wait_rst():
    ep = close_wait()
    assert recv(ep, seg(RST, Y + 2)) == []
    assert ep.state is S.CLOSED and ep.error.startswith("connection reset")


def test_close_wait_rst_not_exact():
    ep = close_wait()
    assert recv(ep, seg(RST, Y + 1000)) == [out(ACK, X + 1, Y + 2)]
    assert ep.state is S.CLOSE_WAIT


def test_close_wait_abort():
    ep = close_wait()
    assert sent(ep.abort()) == [out(RST | ACK, X + 1, Y + 2)]
    assert ep.state is S.CLOSED


def test_close_wait_listen():
    assert_illegal(close_wait(), "listen")


# =========================================================================== LAST-ACK

def test_last_ack_ack():
    ep = last_ack()
    outputs = feed(ep, seg(ACK, Y + 2, X + 2))
    assert sent(outputs) == []
    assert ep.state is S.CLOSED
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.CLOSE_WAIT, S.LAST_ACK,
                   S.CLOSED)
    assert ep.error is None and ep.timers == {}


def test_last_ack_ack_not_covering_fin():
    ep = last_ack()
    assert recv(ep, seg(ACK, Y + 2, X + 1)) == []
    assert ep.state is S.LAST_ACK


def test_last_ack_retransmitted_fin():
    ep = last_ack()
    assert recv(ep, seg(FIN | ACK, Y + 1, X + 1)) == [out(ACK, X + 2, Y + 2)]
    assert ep.state is S.LAST_ACK


def test_last_ack_retransmit_fin():
    ep = last_ack()
    outputs = expire(ep, RETRANSMIT)
    assert sent(outputs) == [out(FIN | ACK, X + 1, Y + 2)]
    assert started(outputs) == {RETRANSMIT: 2.0}


def test_last_ack_give_up():
    assert_retransmits_then_gives_up(last_ack(), out(FIN | ACK, X + 1, Y + 2), S.CLOSED)


def test_last_ack_user_timeout():
    ep = last_ack(user_timeout=3.0)
    expire(ep, USER)
    assert ep.state is S.CLOSED and ep.error.startswith("user timeout")


def test_last_ack_rst():
    ep = last_ack()
    assert recv(ep, seg(RST, Y + 2)) == []
    assert ep.state is S.CLOSED and ep.error == "connection reset by B (RST in LAST-ACK)"


def test_last_ack_close():
    assert_illegal(last_ack(), "close")


def test_last_ack_send():
    assert_illegal(last_ack(), "send")


def test_last_ack_abort():
    ep = last_ack()
    assert sent(ep.abort()) == []
    assert ep.state is S.CLOSED and ep.timers == {}


# =========================================================== text after the peer's FIN

#: The states the peer's FIN has reached (RFC 9293 §3.10.7.4, seventh step: "This should
#: not occur since a FIN has been received from the remote side. Ignore the segment text."),
#: with A's SND.NXT there and an ACK that moves nothing (SND.UNA; RCV.NXT is Y+2 in each).
AFTER_FIN = {S.CLOSE_WAIT: (close_wait, X + 1, X + 1), S.CLOSING: (closing, X + 2, X + 1),
             S.LAST_ACK: (last_ack, X + 2, X + 1), S.TIME_WAIT: (time_wait, X + 2, X + 2)}


@pytest.mark.parametrize("state", list(AFTER_FIN), ids=[str(s) for s in AFTER_FIN])
def test_after_fin_text_is_ignored_silently(state):
    build, _, una = AFTER_FIN[state]
    ep = build()
    before = tcb(ep)
    timers = dict(ep.timers)
    outputs = feed(ep, seg(ACK, Y + 2, una, b"late"), now=0.0)
    assert sent(outputs) == []                       # no ACK: the text is ignored
    assert ep.received == b""
    assert tcb(ep) == before and ep.timers == timers
    ignored = notes(outputs, "ignore")
    assert len(ignored) == 1 and ignored[0].segment.data == b"late"


@pytest.mark.parametrize("state", list(AFTER_FIN), ids=[str(s) for s in AFTER_FIN])
def test_after_fin_unacceptable_text_is_still_acked(state):
    # the first step (sequence number) comes before the seventh: old text is answered
    build, snd_nxt, una = AFTER_FIN[state]
    ep = build()
    assert recv(ep, seg(ACK, Y - 50, una, b"old")) == [out(ACK, snd_nxt, Y + 2)]
    assert ep.state is state


@pytest.mark.parametrize("state", list(AFTER_FIN), ids=[str(s) for s in AFTER_FIN])
def test_after_fin_retransmitted_fin_is_still_acked(state):
    build, snd_nxt, una = AFTER_FIN[state]
    ep = build()
    assert recv(ep, seg(FIN | ACK, Y + 1, una)) == [out(ACK, snd_nxt, Y + 2)]
    assert ep.state is state


# =========================================================================== every state

STATE_IDS = [str(s) for s in BUILDERS]


@pytest.mark.parametrize("state", list(BUILDERS), ids=STATE_IDS)
def test_legal_calls(state):
    ep = BUILDERS[state]()
    assert {e.label for e in ep.legal_calls()} == LEGAL_CALLS[state]


ILLEGAL = [(s, c) for s in BUILDERS for c in CALL_ARGS if c not in LEGAL_CALLS[s]]


@pytest.mark.parametrize("state,call", ILLEGAL, ids=[f"{s}-{c}" for s, c in ILLEGAL])
def test_illegal_call_changes_nothing(state, call):
    assert_illegal(BUILDERS[state](), call)


# abort (§3.10.5): which states send <SEQ=SND.NXT><CTL=RST>
ABORT_SENDS_RST = {
    S.LISTEN: False, S.SYN_SENT: False, S.SYN_RECEIVED: True, S.ESTABLISHED: True,
    S.FIN_WAIT_1: True, S.FIN_WAIT_2: True, S.CLOSE_WAIT: True, S.CLOSING: False,
    S.LAST_ACK: False, S.TIME_WAIT: False,
}


@pytest.mark.parametrize("state", list(ABORT_SENDS_RST), ids=[str(s) for s in ABORT_SENDS_RST])
def test_abort(state):
    ep = BUILDERS[state]()
    snd_nxt, rcv_nxt, history = ep.snd_nxt, ep.rcv_nxt, list(ep.history)
    outputs = ep.abort()
    expected = [out(RST | ACK, snd_nxt, rcv_nxt)] if ABORT_SENDS_RST[state] else []
    assert sent(outputs) == expected
    assert ep.state is S.CLOSED and ep.history == history + [S.CLOSED]
    assert ep.timers == {}
    assert_illegal(ep, "abort")                            # nothing left to abort


SYNCHRONIZED_BUILDERS = [S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2, S.CLOSING,
                         S.TIME_WAIT, S.CLOSE_WAIT, S.LAST_ACK]


@pytest.mark.parametrize("state", SYNCHRONIZED_BUILDERS, ids=[str(s) for s in
                                                             SYNCHRONIZED_BUILDERS])
@pytest.mark.parametrize("kind", ["syn", "rst_in_window", "out_of_window", "old_syn_ack"])
def test_synchronized_challenge_ack(state, kind):
    # §3.10.7.4: all four are answered <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and change nothing
    ep = BUILDERS[state]()
    stimulus = {
        "syn": seg(SYN, ep.rcv_nxt + 1),
        "rst_in_window": seg(RST, ep.rcv_nxt + 1),
        "out_of_window": seg(ACK, ep.rcv_nxt + WINDOW, ep.snd_nxt, b"x"),
        "old_syn_ack": seg(SYN | ACK, Y, X + 1),
    }[kind]
    before = snapshot(ep)
    assert recv(ep, stimulus) == [out(ACK, ep.snd_nxt, ep.rcv_nxt)]
    after = snapshot(ep)
    assert after == before


@pytest.mark.parametrize("state", SYNCHRONIZED_BUILDERS, ids=[str(s) for s in
                                                             SYNCHRONIZED_BUILDERS])
def test_synchronized_rst_at_rcv_nxt(state):
    ep = BUILDERS[state]()
    history = list(ep.history)
    assert recv(ep, seg(RST, ep.rcv_nxt)) == []
    assert ep.state is S.CLOSED and ep.history == history + [S.CLOSED]
    assert ep.timers == {}


# =========================================================================== stories (two endpoints)

def _pair(**options):
    net = Network(seed=0, delay=0.1)
    return net, net.host("A", iss=X, **options), net.host("B", iss=Y, **options)


def _numbers(net):
    return [(s.src, str(s.flags), s.seq, s.ack, s.data) for _, s in net.sent]


def test_three_way_handshake():
    net, a, b = _pair()
    b.listen()
    a.connect("B")
    net.run()
    assert _numbers(net) == [("A", "SYN", 100, 0, b""), ("B", "SYN+ACK", 300, 101, b""),
                             ("A", "ACK", 101, 301, b"")]
    assert a.history == [S.CLOSED, S.SYN_SENT, S.ESTABLISHED]
    assert b.history == [S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED]


def test_four_way_close_with_half_close():
    net, a, b = _pair(time_wait=4.0)
    b.listen()
    a.connect("B")
    net.run()
    del net.sent[:]
    a.close()                                   # FIN, seq=u
    net.run(until=net.now + 0.5)
    b.send(b"late")                             # B may still send (半关闭)
    net.run(until=net.now + 0.5)
    b.close()                                   # FIN+ACK, seq=w, ack=u+1
    net.run(until=net.now + 0.5)
    assert _numbers(net) == [
        ("A", "FIN+ACK", 101, 301, b""), ("B", "ACK", 301, 102, b""),
        ("B", "ACK", 301, 102, b"late"), ("A", "ACK", 102, 305, b""),
        ("B", "FIN+ACK", 305, 102, b""), ("A", "ACK", 102, 306, b""),
    ]
    assert a.state is S.TIME_WAIT and b.state is S.CLOSED and a.received == b"late"
    net.run()
    assert a.history == [S.CLOSED, S.SYN_SENT, S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2,
                         S.TIME_WAIT, S.CLOSED]
    assert b.history == [S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED, S.CLOSE_WAIT,
                         S.LAST_ACK, S.CLOSED]
    assert a.error is None and b.error is None


def test_simultaneous_open():
    net, a, b = _pair()
    a.connect("B")
    b.connect("A")
    net.run()
    for h in (a, b):
        assert h.state is S.ESTABLISHED
        assert h.history == [S.CLOSED, S.SYN_SENT, S.SYN_RECEIVED, S.ESTABLISHED]
    a.send(b"x")
    net.run()
    assert b.received == b"x"


def test_simultaneous_close():
    net, a, b = _pair(time_wait=4.0)
    b.listen()
    a.connect("B")
    net.run()
    a.close()
    b.close()
    net.run(until=net.now + 0.5)
    assert a.state is S.TIME_WAIT and b.state is S.TIME_WAIT
    assert S.CLOSING in a.history and S.CLOSING in b.history
    net.run()
    assert a.state is S.CLOSED and b.state is S.CLOSED


def test_time_wait_lost_last_ack():
    # the lecture's reason (a) for 2MSL, end to end: the last ACK is lost once
    net, a, b = _pair(time_wait=60.0)
    b.listen()
    a.connect("B")
    net.run()
    a.close()
    net.run(until=net.now + 0.5)
    net.drop(lambda s: s.src == "A" and s.flags == ACK, count=1)
    b.close()
    net.run(until=net.now + 5)
    assert b.state is S.CLOSED and a.state is S.TIME_WAIT
    assert [str(s.flags) for _, s in net.sent[-4:]] == ["FIN+ACK", "ACK", "FIN+ACK", "ACK"]


@pytest.mark.parametrize("handshake", ["three-way", "two-way"])
def test_old_syn(handshake):
    # the lecture's §3: an old SYN from A reaches B long after A gave that connection up
    net, a, b = _pair(handshake=handshake)
    b.listen()
    net.inject(Segment("A", "B", SYN, 50))
    net.run(until=5.0)
    if handshake == "three-way":
        # A answers B's SYN+ACK with RST; B never reaches ESTABLISHED
        assert ("A", "RST", 51, 0, b"") in _numbers(net)
        assert b.state is S.LISTEN
        assert b.history == [S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.LISTEN]
    else:
        # B believes in the connection; A ignores the SYN+ACK without RST
        assert [s.src for _, s in net.sent] == ["B"]
        assert b.state is S.ESTABLISHED
    assert a.state is S.CLOSED and a.history == [S.CLOSED]


# =========================================================================== features

def test_window_limit():
    # never more than the peer's window in flight; segments no longer than mss
    ep = syn_sent(mss=4)
    recv(ep, seg(SYN | ACK, Y, X + 1, window=10))
    first = sent(ep.send(b"0123456789abcdefghijklmnopqrstuvwxyz"))
    assert first == [out(ACK, X + 1, Y + 1, b"0123"), out(ACK, X + 5, Y + 1, b"4567"),
                     out(ACK, X + 9, Y + 1, b"89")]
    assert ep.unacked == 10
    # 4 bytes acknowledged: room for 4 more
    assert recv(ep, seg(ACK, Y + 1, X + 5, window=10)) == [out(ACK, X + 11, Y + 1, b"abcd")]
    assert ep.unacked == 10
    # the window shrinks to 6 with 6 bytes in flight: nothing more
    assert recv(ep, seg(ACK, Y + 1, X + 9, window=6)) == []
    assert ep.unacked == 6
    # everything acknowledged, window 5: one 4-byte and one 1-byte segment
    assert recv(ep, seg(ACK, Y + 1, X + 15, window=5)) == [out(ACK, X + 15, Y + 1, b"efgh"),
                                                          out(ACK, X + 19, Y + 1, b"i")]


def test_window_drains_whole_buffer():
    ep = syn_sent(mss=4)
    recv(ep, seg(SYN | ACK, Y, X + 1, window=8))
    data = bytes(range(50))
    segments = sent(ep.send(data))
    got = b"".join(s.data for s in segments)
    while ep.unsent or ep.unacked:
        assert ep.unacked <= 8
        assert all(len(s.data) <= 4 for s in segments)
        segments = recv(ep, seg(ACK, Y + 1, ep.snd_nxt, window=8))
        got += b"".join(s.data for s in segments)
    assert got == data


def test_mss():
    ep = established(mss=100)
    segments = sent(ep.send(b"z" * 250))
    assert [(s.seq, len(s.data)) for s in segments] == [(101, 100), (201, 100), (301, 50)]


def test_wrap_around():
    # ISNs just below 2**32: every number wraps through 0
    ep = make(iss=2**32 - 1)
    assert sent(ep.connect(REMOTE)) == [out(SYN, 2**32 - 1)]
    y = 2**32 - 3
    assert recv(ep, seg(SYN | ACK, y, 0)) == [out(ACK, 0, 2**32 - 2)]
    assert ep.state is S.ESTABLISHED and ep.snd_una == 0
    # our data starts at 0
    assert sent(ep.send(b"hello")) == [out(ACK, 0, 2**32 - 2, b"hello")]
    # the peer's data spans the wrap: 4294967294, 4294967295, 0, 1, ...
    assert recv(ep, seg(ACK, 2**32 - 2, 5, b"abcdef")) == [out(ACK, 5, 4)]
    assert ep.received == b"abcdef" and ep.timers == {}
    # out of order across the wrap, then filled
    assert recv(ep, seg(ACK, 7, 5, b"jk")) == [out(ACK, 5, 4)]
    assert recv(ep, seg(ACK, 4, 5, b"ghi")) == [out(ACK, 5, 9)]
    assert ep.received == b"abcdefghijk"
    # an old duplicate from before the wrap is recognised as old
    assert recv(ep, seg(ACK, 2**32 - 2, 5, b"abcdef")) == [out(ACK, 5, 9)]
    assert ep.received == b"abcdefghijk"
    # close across the numbers: FIN seq 5, acknowledged by 6
    assert sent(ep.close()) == [out(FIN | ACK, 5, 9)]
    recv(ep, seg(FIN | ACK, 9, 6))
    assert ep.state is S.TIME_WAIT


def test_wrap_around_passive():
    # SND.UNA < SEG.ACK =< SND.NXT across the wrap: ISS 2**32-1, the ACK of the SYN is 0
    ep = listen(iss=2**32 - 1)
    assert recv(ep, seg(SYN, 2**32 - 1)) == [out(SYN | ACK, 2**32 - 1, 0)]
    assert recv(ep, seg(ACK, 0, 2**32 - 1)) == [out(RST, 2**32 - 1)]   # acknowledges nothing
    assert recv(ep, seg(ACK, 0, 0, b"hi")) == [out(ACK, 0, 2)]
    assert ep.state is S.ESTABLISHED and ep.received == b"hi"


def test_wrap_around_syn_sent_bad_ack():
    # SEG.ACK =< ISS must be judged on the circle: ack 2**32-1 is the ISS itself
    ep = make(iss=2**32 - 1)
    ep.connect(REMOTE)
    assert recv(ep, seg(SYN | ACK, Y, 2**32 - 1)) == [out(RST, 2**32 - 1)]
    assert recv(ep, seg(SYN | ACK, Y, 1)) == [out(RST, 1)]
    assert ep.state is S.SYN_SENT


def test_two_way_listen_syn():
    # the broken handshake: ESTABLISHED as soon as it answers the SYN
    ep = listen(handshake="two-way")
    outputs = feed(ep, seg(SYN, Y))
    assert sent(outputs) == [out(SYN | ACK, X, Y + 1)]
    assert ep.state is S.ESTABLISHED
    assert_history(ep, S.CLOSED, S.LISTEN, S.ESTABLISHED)
    assert sent(ep.send(b"hi")) == [out(ACK, X + 1, Y + 1, b"hi")]


def test_two_way_syn_sent_syn_ack():
    # the client sends no third segment
    ep = syn_sent(handshake="two-way")
    assert recv(ep, seg(SYN | ACK, Y, X + 1)) == []
    assert ep.state is S.ESTABLISHED
    assert_history(ep, S.CLOSED, S.SYN_SENT, S.ESTABLISHED)
    assert ep.timers == {}


def test_two_way_closed_syn_ack():
    ep = closed(handshake="two-way")
    outputs = feed(ep, seg(SYN | ACK, Y, 51))
    assert sent(outputs) == []
    assert len(notes(outputs, "ignore")) == 1
    assert ep.state is S.CLOSED


def test_two_way_syn_sent_unexpected_syn_ack():
    ep = syn_sent(handshake="two-way")
    assert recv(ep, seg(SYN | ACK, Y, 51)) == []
    assert ep.state is S.SYN_SENT


def test_two_way_closed_still_resets_other_segments():
    assert recv(closed(handshake="two-way"), seg(ACK, Y, 51)) == [out(RST, 51)]


# =========================================================================== builders

@pytest.mark.parametrize("name", list(ALL_BUILDERS))
def test_builder_matches_network(name):
    built = ALL_BUILDERS[name]()
    reached = NETWORK_BUILDERS[name]().endpoint
    assert tcb(built) == tcb(reached)


# =========================================================================== sweep

SWEEP_FLAGS = [SYN, SYN | ACK, ACK, FIN | ACK, RST, RST | ACK, FIN, NO_FLAGS]


def _sweep_segments(ep: Endpoint) -> list[Segment]:
    rcv = ep.rcv_nxt if ep.irs is not None else Y + 1
    una, nxt = (ep.snd_una, ep.snd_nxt) if ep.iss is not None else (X, X + 1)
    seqs = [rcv, rcv + 7, rcv - 1, rcv + WINDOW + 100, rcv + 2**31]
    acks = [nxt, una, nxt + 1000, una - 1]
    segments = []
    for flags in SWEEP_FLAGS:
        for s in seqs:
            for a in (acks if ACK in flags else [0]):
                segments.append(seg(flags, s, a))
                if not flags & (SYN | RST):
                    segments.append(seg(flags, s, a, b"data!"))
    segments.append(seg(SYN, rcv, src="C"))
    segments.append(seg(ACK, rcv, nxt, src="C"))
    return segments


def _established_busy(**options) -> Endpoint:
    """ESTABLISHED with data both ways: 5 bytes of ours unacknowledged, 3 of B's received."""
    ep = established(**options)
    ep.send(b"hello")
    recv(ep, seg(ACK, Y + 1, X + 1, b"abc"))
    return ep


def _fin_wait_1_busy(**options) -> Endpoint:
    """FIN-WAIT-1 with data and FIN unacknowledged, and an out-of-order segment of B's kept."""
    ep = _established_busy(**options)
    ep.close()
    recv(ep, seg(ACK, Y + 10, X + 1, b"later"))
    return ep


SWEEP_BUILDERS = {**ALL_BUILDERS, "established_busy": _established_busy,
                  "fin_wait_1_busy": _fin_wait_1_busy}

SWEEP = [(name, hs) for hs in ("three-way", "two-way") for name in SWEEP_BUILDERS
         if not (hs == "two-way" and name in ("syn_received", "established_passive"))]


def _assert_edges(ep: Endpoint, start: State, history: list, outputs, handshake: str,
                  where: str) -> None:
    """The outputs' state changes are edges of the table, chained from ``start``."""
    edges = set(table(handshake))
    state = start
    for t in changes(outputs):
        assert t in edges, where
        assert t.source is state, where
        state = t.target
    assert ep.state is state, where
    assert ep.history == history + [t.target for t in changes(outputs) if not t.is_loop], where


@pytest.mark.parametrize("name,handshake", SWEEP, ids=[f"{n}-{h}" for n, h in SWEEP])
def test_sweep_segments(name, handshake):
    build = SWEEP_BUILDERS[name]
    reference = build(handshake=handshake)
    start = reference.state
    allowed = {start} | {t.target for t in transitions_from(start, handshake)}
    for s in _sweep_segments(reference):
        ep = build(handshake=handshake)
        history = list(ep.history)
        outputs = ep.receive(s, now=0.5)                            # never raises
        where = f"{start} + {s}"
        # every state change is an edge of the table, chained from the start state
        _assert_edges(ep, start, history, outputs, handshake, where)
        if len(changes(outputs)) <= 1:
            assert ep.state in allowed, where
        # answers go to the sender, and an RST is never answered with an RST
        for answer in sent(outputs):
            assert answer.src == LOCAL and answer.dst == s.src, where
            if RST in s.flags:
                assert RST not in answer.flags, where


@pytest.mark.parametrize("name,handshake", SWEEP, ids=[f"{n}-{h}" for n, h in SWEEP])
def test_sweep_timers(name, handshake):
    # every timer that runs may expire (again and again) and only takes edges of the table
    build = SWEEP_BUILDERS[name]
    ep = build(handshake=handshake, user_timeout=30.0)
    for timer in sorted(ep.timers):
        ep = build(handshake=handshake, user_timeout=30.0)
        while timer in ep.timers:
            start, history = ep.state, list(ep.history)
            outputs = expire(ep, timer)
            _assert_edges(ep, start, history, outputs, handshake, f"{start}: {timer}")
        if ep.state in (S.CLOSED, S.LISTEN):
            assert ep.timers == {}
    # a timer that is not running expires harmlessly
    ep = build(handshake=handshake)
    before = tcb(ep)
    for timer in (RETRANSMIT, TIME_WAIT, USER):
        if timer not in ep.timers:
            assert sent(ep.timer_expired(timer, now=1.0)) == []
    assert tcb(ep) == before


@pytest.mark.parametrize("name", list(SWEEP_BUILDERS))
@pytest.mark.parametrize("call", list(CALL_ARGS))
def test_sweep_calls(name, call):
    # a legal call takes the table's edge for it; an illegal one changes nothing
    ep = SWEEP_BUILDERS[name]()
    start, history = ep.state, list(ep.history)
    if call not in LEGAL_CALLS[start]:
        assert_illegal(ep, call)
        return
    outputs = getattr(ep, call)(*CALL_ARGS[call])
    taken = changes(outputs)
    assert taken and taken[0].event.label == call
    _assert_edges(ep, start, history, outputs, "three-way", f"{start}: {call}()")


@pytest.mark.parametrize("s", _sweep_segments(closed()), ids=str)
def test_closed_any_segment(s):
    # §3.10.7.1, for every kind of segment: RST is dropped; otherwise
    # ACK on: <SEQ=SEG.ACK><CTL=RST>; ACK off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
    ep = closed()
    answer = recv(ep, s)
    if RST in s.flags:
        assert answer == []
    elif ACK in s.flags:
        assert answer == [out(RST, s.ack, dst=s.src)]
    else:
        assert answer == [out(RST | ACK, 0, seqnum.add(s.seq, s.len), dst=s.src)]
    assert ep.state is S.CLOSED and ep.history == [S.CLOSED]
