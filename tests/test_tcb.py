"""The endpoint's TCB (tcplab.tcb), its snapshots (Endpoint.copy/key) and its table= option.

The connection's variables live in one :class:`~tcplab.tcb.Tcb`; a copy of an endpoint
shares nothing mutable with it; two endpoints that will behave alike have equal keys; a
reopened connection that goes back to TIME-WAIT starts its 2MSL timer once; an endpoint
follows the transition table it is given (a patched one, as a student's table is played).
"""

import pytest

from builders import ACK, FIN, RST, SYN, expire, feed, make, out, recv, seg, sent, time_wait
from tcplab import Event, IllegalEvent, Network, State, Transition
from tcplab.endpoint import TIME_WAIT, StartTimer
from tcplab.tables import LIBRARY_TABLE, PatchedTable
from tcplab.tcb import ReassemblyQueue, RttEstimator, Tcb, Timer


# --------------------------------------------------------------------------- the TCB

def test_an_endpoints_numbers_are_its_tcbs():
    ep = time_wait()
    assert isinstance(ep.tcb, Tcb)
    assert (ep.iss, ep.irs, ep.snd_una, ep.snd_nxt, ep.rcv_nxt) == \
        (ep.tcb.iss, ep.tcb.irs, ep.tcb.snd_una, ep.tcb.snd_nxt, ep.tcb.rcv_nxt) == \
        (100, 300, 102, 102, 302)
    assert ep.peer == "B" and ep.passive is False and ep.reopened is False
    assert ep.opened == "active"


@pytest.mark.parametrize("opened, passive, reopened", [
    (None, None, False), ("passive", True, False), ("active", False, False),
    ("reopened", False, True)])
def test_how_a_connection_was_opened_has_one_name(opened, passive, reopened):
    # one field, in the words of Transition.when; passive and reopened are views of it
    tcb = Tcb(1.0)
    tcb.opened = opened
    assert (tcb.passive, tcb.reopened) == (passive, reopened)


def test_a_passive_open_and_a_reopen_say_so():
    from tcplab import stories
    net, a, b = stories.opened()
    assert (a.endpoint.opened, b.endpoint.opened) == ("active", "passive")
    net, a, b = stories.syn_in_time_wait("reopen", old_iss=300, new_iss=9000)
    net.run(until=3.15)
    assert a.state is State.SYN_RECEIVED and a.endpoint.opened == "reopened"


def test_a_tcb_copy_shares_nothing_mutable():
    tcb = Tcb(1.0, iss=100)
    tcb.send_buffer += b"abc"
    tcb.reassembly.keep(10, b"x")
    again = tcb.copy()
    assert again == tcb
    again.send_buffer += b"d"
    again.reassembly.keep(20, b"y")
    again.rtx.append(None)
    assert tcb.send_buffer == b"abc" and list(tcb.reassembly.segments) == [10]
    assert tcb.rtx == []


def test_rtt_estimator_follows_rfc_6298():
    rtt = RttEstimator(1.0)
    assert rtt.computed(1.0, 60.0) == 1.0
    rtt = rtt.sampled(2.0)                     # first sample: SRTT = R, RTTVAR = R/2
    assert (rtt.srtt, rtt.rttvar) == (2.0, 1.0)
    assert rtt.settled(1.0, 60.0).rto == 2.0 + 4 * 1.0
    rtt = rtt.sampled(2.0)
    assert (rtt.srtt, rtt.rttvar) == (2.0, 0.75)
    assert rtt.backed_off(60.0).rto == 2.0 and rtt.backed_off(1.5).rto == 1.5
    # §5.7: after a SYN timed out, data starts with an RTO of 3 s
    assert RttEstimator(1.0).backed_off(60.0, syn=True).computed(1.0, 60.0) == 3.0


def test_reassembly_hands_out_what_continues_rcv_nxt_in_order():
    queue = ReassemblyQueue()
    queue.keep(105, b"fghij")
    queue.keep(100, b"abcde")
    queue.keep(98, b"zz")                      # wholly before: dropped
    assert queue.pull(100) == [b"abcde", b"fghij"]
    assert queue.segments == {}
    queue.fin = 110
    assert not queue.fin_due(109) and queue.fin_due(110) and queue.fin is None


def test_timers_are_named_as_before():
    assert Timer.RETRANSMIT == "retransmit" and TIME_WAIT == "time-wait"
    assert repr(Timer.USER) == "'user'" and f"{Timer.TIME_WAIT}" == "time-wait"
    assert repr(StartTimer(Timer.RETRANSMIT, 1.0)) == "StartTimer(timer='retransmit', delay=1.0)"


# --------------------------------------------------------------------------- copy and key

def test_a_copy_goes_on_alone():
    ep = make()
    ep.connect("B")
    again = ep.copy()
    assert again.key(0.0) == ep.key(0.0) and again.history == ep.history
    recv(again, seg(SYN | ACK, 300, 101))
    assert again.state is State.ESTABLISHED and ep.state is State.SYN_SENT
    assert ep.history == [State.CLOSED, State.SYN_SENT]
    assert ep.timers == {"retransmit": 1.0} and again.timers == {}
    assert again.key(0.0) != ep.key(0.0)


def test_the_key_is_relative_to_now_and_follows_every_event():
    a, b = make(), make()
    a.connect("B", now=0.0)
    b.connect("B", now=5.0)
    assert a.key(0.0) == b.key(5.0)            # the same, five seconds later
    assert a.key(0.0) != a.key(1.0)            # the SYN has waited a second longer
    before = a.key(0.0)
    recv(a, seg(SYN | ACK, 300, 101))
    assert a.key(0.0) != before                # not a stale cached key


def test_a_copy_may_take_another_isn_source():
    ep = make()
    again = ep.copy(iss=7000)
    again.connect("B")
    ep.connect("B")
    assert (ep.iss, again.iss) == (100, 7000)


# --------------------------------------------------------------------------- reopen

def test_time_wait_reopened_then_reset_starts_the_2msl_timer_once():
    ep = time_wait(time_wait_syn="reopen")
    assert recv(ep, seg(SYN, 5000)) == [out(SYN | ACK, 102 + 2**16, 5001)]
    assert ep.state is State.SYN_RECEIVED and ep.reopened
    outputs = feed(ep, seg(RST, 5001))
    assert ep.state is State.TIME_WAIT and sent(outputs) == []
    starts = [o for o in outputs if isinstance(o, StartTimer) and o.timer == TIME_WAIT]
    assert len(starts) == 1
    # ... back to the old connection, as it was
    assert (ep.iss, ep.snd_nxt, ep.rcv_nxt, ep.reopened) == (100, 102, 302, False)
    assert ep.opened == "active"
    assert ep.tcb.before_reopen is None
    assert ep.timers == {TIME_WAIT: ep.time_wait}
    expire(ep, TIME_WAIT)
    assert ep.state is State.CLOSED


# --------------------------------------------------------------------------- table=

def test_the_default_table_is_the_librarys():
    assert make().table is LIBRARY_TABLE
    with pytest.raises(TypeError, match="lookup"):
        make(table={})


def test_a_patched_table_without_a_cell_ignores_segments_and_refuses_calls():
    ep = make(table=PatchedTable({(State.LISTEN, Event.RCV_SYN): None,
                                  (State.CLOSED, Event.CONNECT): None}))
    with pytest.raises(IllegalEvent):
        ep.connect("B")
    ep.listen()
    assert recv(ep, seg(SYN, 300)) == []
    assert ep.state is State.LISTEN
    assert "no edge in this table" in ep.last_transition.note


def test_patched_syn_received_cells_apply_only_after_a_passive_open():
    to_closed = Transition(State.SYN_RECEIVED, Event.RCV_ACK, State.CLOSED, "")
    passive = make(table=PatchedTable({(State.SYN_RECEIVED, Event.RCV_ACK): to_closed}))
    passive.listen()
    recv(passive, seg(SYN, 300), seg(ACK, 301, 101))
    assert passive.state is State.CLOSED
    active = make(table=PatchedTable({(State.SYN_RECEIVED, Event.RCV_ACK): to_closed}))
    active.connect("B")
    recv(active, seg(SYN, 300), seg(ACK, 301, 101))     # simultaneous open
    assert active.state is State.ESTABLISHED


def test_a_patched_ack_on_the_way_to_closed_leaves_before_the_tcb_is_deleted():
    ack_and_close = Transition(State.ESTABLISHED, Event.RCV_FIN, State.CLOSED, "ACK")
    ep = make(table=PatchedTable({(State.ESTABLISHED, Event.RCV_FIN): ack_and_close}))
    ep.connect("B")
    recv(ep, seg(SYN | ACK, 300, 101))
    assert recv(ep, seg(FIN | ACK, 301, 101)) == [out(ACK, 101, 302)]
    assert ep.state is State.CLOSED


def test_a_host_takes_a_table_and_the_table_endpoint_follows_time_wait_syn():
    from tcplab.conformance import TableEndpoint
    net = Network(seed=0)
    a = net.host("A", iss=100, table=PatchedTable({}))
    assert a.endpoint.table == PatchedTable({})
    # a student's table with the rfc793 rule: a SYN in TIME-WAIT resets (was a TypeError)
    ep = TableEndpoint("A", {}, iss=100, time_wait_syn="rfc793")
    ep.connect("B")
    recv(ep, seg(SYN | ACK, 300, 101))
    ep.close()
    recv(ep, seg(ACK, 301, 102), seg(FIN | ACK, 301, 102))
    assert ep.state is State.TIME_WAIT
    assert recv(ep, seg(SYN, 303)) == [out(RST | ACK, 0, 304)]
    assert ep.state is State.CLOSED
