"""The toy network's contract (DESIGN.md, "Public API contract")."""

import dataclasses
import math

import pytest

from tcplab import Flag, Network, Segment, State, TraceRecord
from tcplab.seqnum import MOD

SYN = lambda s: s.flags == Flag.SYN                     # noqa: E731  the first segment only
SYN_ACK = lambda s: s.flags == Flag.SYN | Flag.ACK      # noqa: E731


def pair(net, iss_a=100, iss_b=300, **options):
    return net.host("A", iss=iss_a, **options), net.host("B", iss=iss_b, **options)


def handshake(net, a, b):
    b.listen()
    a.connect("B")
    net.run()


def state_records(net, host):
    return [r for r in net.trace if r.kind == "state" and r.host == host]


def story(seed, loss=0.0, duplicate=0.0, jitter=0.0, iss=None):
    """A full connection with data both ways, under faults; returns the network."""
    net = Network(seed=seed, loss=loss, duplicate=duplicate, jitter=jitter)
    a, b = net.host("A", iss=iss), net.host("B", iss=iss)
    b.listen()
    a.connect("B")
    a.send(b"hello, B" * 40)
    net.run(until=5)
    if b.state in (State.ESTABLISHED, State.CLOSE_WAIT):
        b.send(b"hi A" * 30)
    net.run(until=10)
    if a.state in (State.ESTABLISHED, State.SYN_SENT, State.SYN_RECEIVED, State.CLOSE_WAIT):
        a.close()
    net.run(until=20)
    if b.state in (State.ESTABLISHED, State.CLOSE_WAIT, State.SYN_RECEIVED):
        b.close()
    net.run()
    return net


# --------------------------------------------------------------------------- constructor

def test_defaults():
    net = Network()
    assert net.seed == 0
    assert net.delay == 0.1
    assert net.loss_rate == 0.0 and net.duplicate_rate == 0.0
    assert net.msl == 30.0
    assert net.jitter == 0.0
    assert net.now == 0.0
    assert net.sent == [] and list(net.trace) == []
    assert net.step() is None          # nothing to do yet
    assert net.now == 0.0


@pytest.mark.parametrize("kwargs, error", [
    (dict(seed="0"), TypeError),
    (dict(seed=1.5), TypeError),
    (dict(seed=None), TypeError),
    (dict(seed=True), TypeError),
    (dict(delay="0.1"), TypeError),
    (dict(delay=None), TypeError),
    (dict(delay=-0.1), ValueError),
    (dict(delay=math.nan), ValueError),
    (dict(loss=1.5), ValueError),
    (dict(loss=-0.1), ValueError),
    (dict(loss="high"), TypeError),
    (dict(loss=True), TypeError),
    (dict(duplicate=2), ValueError),
    (dict(duplicate=-1), ValueError),
    (dict(duplicate=None), TypeError),
    (dict(msl=0), ValueError),
    (dict(msl=-30), ValueError),
    (dict(msl="30"), TypeError),
    (dict(jitter=-1), ValueError),
    (dict(jitter="a lot"), TypeError),
    (dict(delay=31.0, msl=30.0), ValueError),        # every segment would die on the wire
])
def test_constructor_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error) as info:
        Network(**kwargs)
    name = next(iter(kwargs))
    assert name in str(info.value)                   # the message names the argument


def test_constructor_keeps_its_arguments():
    net = Network(seed=7, delay=0.25, loss=0.3, duplicate=0.2, msl=10, jitter=0.05)
    assert (net.seed, net.delay, net.loss_rate, net.duplicate_rate, net.msl, net.jitter) == \
        (7, 0.25, 0.3, 0.2, 10.0, 0.05)
    # net.duplicate is the fault-rule method, not the probability
    assert callable(net.duplicate)
    rule = net.duplicate(SYN)
    assert rule.action == "duplicate"
    assert net.duplicate_rate == 0.2


def test_probabilities_zero_and_one_are_allowed():
    net = Network(loss=0, duplicate=1)
    assert net.loss_rate == 0.0 and net.duplicate_rate == 1.0


# --------------------------------------------------------------------------- hosts

def test_host_names():
    net = Network()
    a = net.host("A")
    assert a.name == "A" and net["A"] is a and net.hosts == {"A": a}
    assert a.state is State.CLOSED and a.history == [State.CLOSED]
    assert a.received == b"" and a.error is None
    with pytest.raises(ValueError, match="already a host named 'A'"):
        net.host("A")
    assert net["A"] is a
    with pytest.raises(TypeError):
        net.host(1)
    with pytest.raises((TypeError, ValueError)):
        net.host("")


def test_host_rejects_bad_options():
    net = Network()
    with pytest.raises(ValueError, match="handshake"):
        net.host("A", handshake="one-way")
    with pytest.raises(ValueError, match="iss"):
        net.host("B", iss="random")
    with pytest.raises(ValueError, match="iss"):
        net.host("C", iss=-1)
    with pytest.raises(ValueError, match="iss"):
        net.host("D", iss=MOD)
    with pytest.raises(TypeError, match="iss"):
        net.host("E", iss=1.5)
    with pytest.raises(ValueError, match="time_wait"):
        net.host("F", time_wait=-1)
    # the endpoint's private flag (a server's connections skip checking the host's
    # options again) is no option of a host: it cannot let bad options through
    with pytest.raises(TypeError, match="has no option '_checked'"):
        net.host("G", mss=-1, _checked=True)
    assert net.hosts == {}                    # nothing half-made is left behind


def test_a_servers_connections_take_the_hosts_checked_options():
    net = Network(seed=0)
    a, b = net.host("A"), net.host("B", mss=100, window=1000)
    b.listen(port=80)
    client = a.connect("B", port=80)
    net.run(until=1)
    server = b.accept()
    assert (server.endpoint.mss, server.endpoint.window) == (100, 1000)
    assert client.state is server.state is State.ESTABLISHED


def test_iss_int_is_fixed_for_every_connection():
    net = Network(seed=0)
    a = net.host("A", iss=100)
    assert a.iss is None                      # no connection yet
    a.connect("P")
    assert a.iss == 100 and net.sent[-1][1].seq == 100
    a.abort()
    net.run(until=1)
    a.connect("P")
    assert a.iss == 100


def test_iss_none_is_random_per_connection_and_deterministic_per_seed():
    def isns(seed):
        net = Network(seed=seed)
        a = net.host("A")
        a.connect("P")
        first = a.iss
        a.abort()
        a.connect("P")
        return first, a.iss

    for seed in (0, 1, 2):
        first, second = isns(seed)
        assert 0 <= first < MOD and 0 <= second < MOD
        assert first != second                     # chosen afresh for each connection
        assert isns(seed) == (first, second)       # the same seed chooses the same numbers
    assert len({isns(seed) for seed in range(5)}) == 5


def test_iss_clock_reads_the_4_microsecond_clock():
    net = Network()
    a = net.host("A", iss="clock")
    net.run(until=2.0)
    a.connect("P")
    assert a.iss == 2 * 250_000
    a.abort()
    net.run(until=3.5)
    a.connect("P")
    assert a.iss == int(3.5 * 250_000)


@pytest.mark.parametrize("msl, time_wait, expected", [
    (30.0, None, 60.0),          # default: 2*msl
    (5.0, None, 10.0),
    (5.0, 3.0, 3.0),
])
def test_time_wait_lasts_time_wait_default_2msl(msl, time_wait, expected):
    net = Network(msl=msl)
    a, b = pair(net, time_wait=time_wait)
    handshake(net, a, b)
    a.close()
    net.run(until=net.now + 1)
    b.close()
    net.run()
    recs = state_records(net, "A")
    entered = next(r.time for r in recs if r.state is State.TIME_WAIT)
    closed = recs[-1]
    assert closed.state is State.CLOSED
    assert closed.time - entered == pytest.approx(expected)
    assert a.history[-2:] == [State.TIME_WAIT, State.CLOSED]


# --------------------------------------------------------------------------- determinism

@pytest.mark.parametrize("seed", [0, 1, 42])
def test_same_seed_same_run_bit_for_bit(seed):
    one = story(seed, loss=0.2, duplicate=0.2, jitter=0.3)
    two = story(seed, loss=0.2, duplicate=0.2, jitter=0.3)
    assert one.sent == two.sent
    assert list(one.trace) == list(two.trace)
    assert str(one.trace) == str(two.trace)
    assert repr(one.sent) == repr(two.sent)          # times too, float for float
    assert one.now == two.now


def test_different_seeds_may_differ_under_loss():
    tables = {str(story(seed, loss=0.3, iss=100).trace) for seed in range(8)}
    assert len(tables) > 1


def test_without_faults_fixed_isns_do_not_depend_on_the_seed():
    assert story(0, iss=100).sent == story(99, iss=100).sent


# --------------------------------------------------------------------------- delay and jitter

@pytest.mark.parametrize("delay", [0.0, 0.1, 0.25, 3.0])
def test_each_segment_arrives_exactly_delay_after_it_was_sent(delay):
    net = Network(delay=delay)
    a, b = pair(net)
    handshake(net, a, b)
    a.send(b"data")
    net.run()
    assert b.received == b"data"
    arrivals = net.trace.of("arrive")
    assert len(arrivals) == len(net.sent) >= 5     # no loss: each one arrives (a long
    for arrive in arrivals:                         # delay also means retransmissions)
        assert (arrive.sent_at, arrive.segment) in net.sent
        assert arrive.time == arrive.sent_at + delay


def test_step_returns_events_at_the_right_times():
    net = Network(delay=0.25)
    a, b = pair(net)
    b.listen()
    a.connect("B")
    ev = net.step()
    assert (ev.time, ev.kind, ev.host, ev.segment.flags) == (0.25, "arrive", "B", Flag.SYN)
    assert net.now == 0.25 and b.state is State.SYN_RECEIVED
    ev = net.step()
    assert (ev.time, ev.kind, ev.host, ev.segment.flags) == (0.5, "arrive", "A",
                                                             Flag.SYN | Flag.ACK)
    ev = net.step()
    assert (ev.time, ev.host, ev.segment.flags) == (0.75, "B", Flag.ACK)
    assert a.state is b.state is State.ESTABLISHED
    assert net.step() is None                  # idle: nothing left, not even a timer
    assert net.now == 0.75


def test_jitter_reorders_but_every_segment_arrives():
    net = Network(seed=3, delay=0.1, jitter=0.5)
    for i in range(30):
        net.inject(Segment("Y", "Z", Flag.ACK, i, 1))
    net.run()
    got = net.trace.of("unroutable")
    seqs = [r.segment.seq for r in got]
    assert sorted(seqs) == list(range(30))     # every one, once
    assert seqs != list(range(30))             # not in the order they were sent
    for r in got:
        assert 0.1 <= r.time - r.sent_at < 0.6
    assert [r.time for r in got] == sorted(r.time for r in got)


def test_jitter_between_endpoints_reorders_data_yet_delivers_it_in_order():
    net = Network(seed=1, jitter=0.3)
    a, b = net.host("A"), net.host("B")
    handshake(net, a, b)
    data = bytes(range(256)) * 20
    a.send(data)
    net.run()
    assert b.received == data
    seqs = [r.segment.seq for r in net.trace.of("arrive") if r.host == "B" and r.segment.data]
    assert seqs != sorted(seqs)


def test_no_segment_lives_longer_than_msl():
    net = Network(seed=0, delay=0.5, jitter=2.0, msl=1.0)
    for i in range(40):
        net.inject(Segment("Y", "Z", Flag.ACK, i, 1))
    net.run()
    expired, arrived = net.trace.of("expire"), net.trace.of("unroutable")
    assert expired and arrived
    assert sorted(r.segment.seq for r in expired + arrived) == list(range(40))
    for r in expired:
        assert r.time == r.sent_at + 1.0
    for r in arrived:
        assert r.time - r.sent_at <= 1.0


# --------------------------------------------------------------------------- random faults

def test_loss_one_loses_everything():
    net = Network(loss=1.0)
    a, b = pair(net)
    b.listen()
    a.connect("B")
    net.run()
    assert b.state is State.LISTEN and a.state is State.CLOSED and a.error
    assert len(net.trace.of("lost")) == len(net.sent) == 7
    assert net.trace.of("arrive") == []


def test_duplicate_one_delivers_two_copies_of_everything():
    net = Network(duplicate=1.0)
    a, b = pair(net)
    handshake(net, a, b)
    assert a.state is b.state is State.ESTABLISHED
    copies = net.trace.of("duplicate")
    sends = net.trace.of("send")
    assert len(copies) == len(sends)
    assert len(net.trace.of("arrive")) == 2 * len(sends)
    # the network's copies are not emitted segments
    assert len(net.sent) == len(sends)


# --------------------------------------------------------------------------- fault rules

@pytest.mark.parametrize("method", ["drop", "duplicate", "hold"])
def test_rules_validate_their_arguments(method):
    net = Network()
    rule = getattr(net, method)
    with pytest.raises(TypeError, match="match"):
        rule(Flag.SYN)
    for bad in (0, -1, 1.5, True, "1"):
        with pytest.raises(ValueError, match="count"):
            rule(SYN, count=bad)


def test_drop_with_count_takes_that_many():
    net = Network()
    a, b = pair(net)
    rule = net.drop(SYN, count=2)
    assert rule.active
    handshake(net, a, b)
    assert rule.taken == 2 and not rule.active
    drops = net.trace.of("drop")
    assert [r.time for r in drops] == [0.0, 1.0]
    assert all(r.segment.flags == Flag.SYN and r.host == "A" for r in drops)
    # the third SYN (retransmitted at 3 s) gets through; the SYN+ACK was not matched
    assert state_records(net, "A")[-1].time == pytest.approx(3.2)
    assert a.state is b.state is State.ESTABLISHED


def test_drop_all_and_cancel():
    net = Network()
    a, b = pair(net)
    rule = net.drop(SYN_ACK)                       # count=None: all of them
    handshake(net, a, b)
    assert rule.taken >= 7 and rule.active
    assert b.state is State.LISTEN and b.error     # the passive side gave up: listen again
    assert a.state is State.CLOSED and a.error
    rule.cancel()
    assert not rule.active
    a.connect("B")
    net.run()
    assert a.state is b.state is State.ESTABLISHED


def test_drop_predicate_sees_every_segment():
    net = Network()
    a, b = pair(net)
    seen = []
    net.drop(lambda s: seen.append(s) and False)   # never matches
    handshake(net, a, b)
    assert seen == [s for _, s in net.sent]
    assert a.state is State.ESTABLISHED


def test_duplicate_rule():
    net = Network()
    a, b = pair(net)
    rule = net.duplicate(SYN, count=1)
    handshake(net, a, b)
    assert rule.taken == 1
    assert [s.flags for _, s in net.sent].count(Flag.SYN) == 1     # sent once
    syn_arrivals = [r for r in net.trace.of("arrive") if r.segment.flags == Flag.SYN]
    assert len(syn_arrivals) == 2                                  # arrived twice
    assert len(net.trace.of("duplicate")) == 1
    assert a.state is b.state is State.ESTABLISHED


def test_hold_keeps_a_segment_until_release():
    net = Network(msl=5.0)
    a, b = pair(net)
    held = net.hold(SYN)                        # count=1 by default
    assert held.count == 1
    net.drop(SYN)                               # the retransmissions die
    b.listen()
    a.connect("B")
    net.run(until=20.0)                         # much longer than msl
    assert held.segments == [Segment("A", "B", Flag.SYN, 100)]
    assert net.held == held.segments
    assert b.state is State.LISTEN and a.state is State.SYN_SENT
    hold_rec = net.trace.of("hold")
    assert len(hold_rec) == 1 and hold_rec[0].time == 0.0
    released = held.release()
    assert released == [Segment("A", "B", Flag.SYN, 100)]
    assert held.segments == [] and net.held == []
    net.run(until=20.5)
    # the usual delay after release, and not cut off by msl
    assert net.trace.of("expire") == []
    arrival = next(r for r in net.trace.of("arrive") if r.segment.flags == Flag.SYN)
    assert arrival.time == 20.0 + net.delay
    assert [r.time for r in net.trace.of("release")] == [20.0]
    assert a.state is b.state is State.ESTABLISHED
    assert held.release() == []                 # nothing more to release


def test_hold_count_none_holds_every_match_in_order():
    net = Network()
    a, b = pair(net)
    held = net.hold(SYN, count=None)
    b.listen()
    a.connect("B")
    net.run(until=3.5)                          # SYN at 0, 1 and 3
    assert len(held.segments) == 3 and held.taken == 3
    assert net.trace.of("arrive") == []
    held.cancel()
    held.release()
    net.run(until=4.0)
    assert a.state is State.ESTABLISHED


def test_rules_apply_first_match_in_order_of_creation():
    net = Network()
    a, b = pair(net)
    first = net.drop(SYN, count=1)
    second = net.hold(SYN, count=1)
    b.listen()
    a.connect("B")
    net.run(until=1.5)
    assert (first.taken, second.taken) == (1, 1)
    assert [r.kind for r in net.trace if r.kind in ("drop", "hold")] == ["drop", "hold"]


def test_a_failing_predicate_is_reported_clearly_and_leaves_the_run_whole():
    net = Network()
    a, b = pair(net)
    rule = net.drop(lambda s: s.data[0] == 0)          # IndexError on a segment without data
    b.listen()
    with pytest.raises(ValueError, match="match function of a drop rule") as info:
        a.connect("B")
    assert isinstance(info.value.__cause__, IndexError)
    # the call itself was legal and happened: the SYN is on the wire, the trace is whole
    assert a.state is State.SYN_SENT and rule.taken == 0
    assert net.sent == [(0.0, Segment("A", "B", Flag.SYN, 100))]
    assert [r.state for r in net.trace.of("state")] == [State.LISTEN, State.SYN_SENT]
    rule.cancel()
    net.run()
    assert a.state is b.state is State.ESTABLISHED
    assert [t for t, s in net.sent] == [0.0, 0.1, 0.2]   # no retransmission: nothing was lost


def test_a_failing_predicate_during_run_finishes_the_step_then_raises():
    net = Network()
    a, b = pair(net)
    handshake(net, a, b)
    a.send(b"x")
    rule = net.drop(lambda s: s.data[0] == 0)           # B's pure ACK has no data
    with pytest.raises(ValueError, match="match function"):
        net.run()
    # the step in which B received the byte completed: delivered and acknowledged
    assert b.received == b"x"
    assert net.sent[-1][1] == Segment("B", "A", Flag.ACK, 301, 102)
    rule.cancel()
    net.run()
    assert net.idle and a.endpoint.unacked == 0


# --------------------------------------------------------------------------- inject and unknown names

def test_inject_from_a_name_with_no_host():
    net = Network()
    b = net.host("B", iss=300)
    b.listen()
    net.run(until=1.0)
    syn = Segment("Z", "B", Flag.SYN, 5000)
    net.inject(syn)
    inj = net.trace.of("inject")
    assert len(inj) == 1 and inj[0].segment == syn and inj[0].host == "Z" and inj[0].time == 1.0
    assert net.sent == []                  # only endpoints' segments are listed in sent
    ev = net.step()
    assert (ev.time, ev.kind, ev.host, ev.segment) == (1.0 + net.delay, "arrive", "B", syn)
    assert b.state is State.SYN_RECEIVED
    assert net.sent[-1][1] == Segment("B", "Z", Flag.SYN | Flag.ACK, 300, 5001)
    ev = net.step()
    assert ev.segment.dst == "Z"
    lost = net.trace.of("unroutable")
    assert len(lost) == 1 and "no host named 'Z'" in lost[0].detail


def test_inject_rejects_non_segments():
    net = Network()
    with pytest.raises(TypeError):
        net.inject(("A", "B", "SYN"))


def test_connect_to_nobody_retransmits_then_gives_up():
    net = Network(seed=0)
    a = net.host("A", iss=100)
    a.connect("P")                         # legal: nobody answers
    assert a.state is State.SYN_SENT
    net.run()
    assert [t for t, _ in net.sent] == [0, 1, 3, 7, 15, 31, 63]
    assert all(s == Segment("A", "P", Flag.SYN, 100) for _, s in net.sent)
    unroutable = net.trace.of("unroutable")
    assert len(unroutable) == 7
    assert all("'P'" in r.detail for r in unroutable)
    assert [r.time for r in unroutable] == [t + 0.1 for t in (0, 1, 3, 7, 15, 31, 63)]
    assert a.state is State.CLOSED
    assert a.error and "P" in a.error
    give_up = net.trace.of("give-up")
    assert len(give_up) == 1 and give_up[0].time == 123.0 and give_up[0].host == "A"
    assert state_records(net, "A")[-1].time == 123.0
    assert net.now == 123.0
    assert a.history == [State.CLOSED, State.SYN_SENT, State.CLOSED]


# --------------------------------------------------------------------------- step / run

def test_run_until_leaves_now_at_until():
    net = Network()
    a, b = pair(net)
    b.listen()
    a.connect("B")
    assert net.run(until=0.15) is net
    assert net.now == 0.15
    assert b.state is State.SYN_RECEIVED and a.state is State.SYN_SENT
    net.run(until=0.2)                  # an event exactly at `until` is processed
    assert a.state is State.ESTABLISHED and b.state is State.SYN_RECEIVED
    net.run(until=100)                  # idle long before: still now == until
    assert net.now == 100.0
    with pytest.raises(ValueError, match="past"):
        net.run(until=50)
    with pytest.raises((TypeError, ValueError)):
        net.run(until="soon")
    assert net.now == 100.0
    a.send(b"x")                        # calls happen at the current time
    assert net.sent[-1][0] == 100.0


def test_run_without_until_stops_when_idle():
    net = Network()
    a, b = pair(net)
    handshake(net, a, b)
    assert net.now == pytest.approx(0.3)
    assert net.idle and net.step() is None and net.now == pytest.approx(0.3)


def test_timer_events_from_step():
    net = Network()
    a = net.host("A", iss=100)
    a.connect("P")
    kinds = []
    while (ev := net.step()) is not None:
        kinds.append((ev.time, ev.kind))
    assert (1.0, "timer") in kinds and (123.0, "timer") in kinds
    assert kinds == sorted(kinds)


# --------------------------------------------------------------------------- net.sent

def test_sent_lists_every_emitted_segment_even_dropped_lost_or_held():
    net = Network(seed=7, loss=0.3)    # this seed loses some segments
    a, b = pair(net)
    net.drop(SYN, count=1)
    held = net.hold(SYN_ACK, count=1)
    b.listen()
    a.connect("B")
    net.run(until=30)
    held.release()
    net.run()
    sends = net.trace.of("send")
    assert [(r.time, r.segment) for r in sends] == net.sent
    for kind in ("drop", "hold", "lost"):
        recs = net.trace.of(kind)
        assert recs, kind
        for r in recs:
            assert (r.time, r.segment) in net.sent


# --------------------------------------------------------------------------- the trace

def test_trace_record_fields():
    net = Network()
    a, b = pair(net)
    handshake(net, a, b)
    assert net.trace and all(isinstance(r, TraceRecord) for r in net.trace)
    for r in net.trace:
        assert {"time", "kind", "host", "segment", "state"} <= {f.name for f in
                                                               dataclasses.fields(r)}
        assert (r.state is not None) == (r.kind == "state")
        assert r.host in ("A", "B")
        if r.kind in ("send", "arrive"):
            assert isinstance(r.segment, Segment)
        if r.kind in ("call", "state"):
            assert r.segment is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        net.trace[0].time = 5
    states = [(r.host, r.state) for r in net.trace.of("state")]
    assert states == [("B", State.LISTEN), ("A", State.SYN_SENT), ("B", State.SYN_RECEIVED),
                      ("A", State.ESTABLISHED), ("B", State.ESTABLISHED)]
    # the state records agree with the histories
    for h in (a, b):
        assert [State.CLOSED] + [r.state for r in net.trace.of("state") if r.host == h.name] \
            == h.history
    times = [r.time for r in net.trace]
    assert times == sorted(times)


def test_trace_prints_as_a_table():
    net = Network()
    a, b = pair(net)
    handshake(net, a, b)
    text = str(net.trace)
    assert text == repr(net.trace) == net.trace.table()
    lines = text.splitlines()
    assert len(lines) == len(net.trace) + 1          # a header, then one line per record
    assert lines[0].split() == ["time", "host", "what", "segment", "state", "/", "detail"]
    assert "SYN seq=100" in text and "SYN+ACK seq=300 ack=101" in text
    assert net.trace.table("numeric") == text


def test_symbolic_table_has_the_lectures_labels():
    net = Network(seed=4)
    a, b = net.host("A"), net.host("B")                 # random ISNs: letters hide them
    handshake(net, a, b)
    lines = net.trace.table("symbolic").splitlines()

    def line(kind, host, label):
        return [l for l in lines if l.split()[1:3] == [host, kind] and label in l]

    assert line("send", "A", "SYN, seq=x")
    assert line("arrive", "B", "SYN, seq=x")
    assert line("send", "B", "SYN+ACK, seq=y, ack=x+1")
    assert line("send", "A", "ACK, seq=x+1, ack=y+1")
    assert line("state", "A", "SYN-SENT")
    assert line("state", "B", "SYN-RECEIVED")
    assert len([l for l in lines if "ESTABLISHED" in l]) == 2
    assert str(a.iss) not in "\n".join(l for l in lines if "seq=" in l)


def test_table_filters_and_rejects_unknown_notation():
    net = Network()
    a, b = pair(net)
    handshake(net, a, b)
    only = net.trace.table(kinds=["send"]).splitlines()
    assert len(only) == 1 + 3 and all(" send " in l for l in only[1:])
    with pytest.raises(ValueError, match="notation"):
        net.trace.table("lecture")


# --------------------------------------------------------------------------- kinds, causes, journeys

from tcplab.network import Cause, InFlight, Kind  # noqa: E402

STARTS = ("send", "inject", "duplicate")           # records that begin a journey
ENDS = ("arrive", "lost", "drop", "expire", "unroutable")


def faulty(seed, until=None):
    """A connection on a lossy, duplicating, jittery network, with a held SYN released
    late, a postponed data segment, a stray RST and a segment injected to a name with
    no host; stopped before the first event after ``until`` (None: run to the end)."""
    net = Network(seed=seed, loss=0.15, duplicate=0.2, jitter=0.15, msl=5.0)
    a, b = pair(net)
    held = net.hold(SYN, count=2)
    net.postpone(lambda s: bool(s.data), by=6.0)
    net.drop(SYN_ACK, count=1)
    b.listen()
    a.connect("B")
    net.inject(Segment("B", "A", Flag.RST, seq=7))      # SYN-SENT ignores it
    end = float("inf") if until is None else until
    net.run(until=min(end, 1.5))
    if end < 1.5:
        return net
    held.release()
    net.inject(Segment("P", "Z", Flag.SYN, seq=1))
    a_sent = False
    while net.next_time() is not None and net.next_time() <= end:
        if not a_sent and a.state is State.ESTABLISHED:
            a.send(b"data")
            a_sent = True
        net.step()
    return net


def test_trace_kind_is_an_enum_equal_to_its_word():
    net = story(3, loss=0.2, duplicate=0.2)
    assert net.trace and all(isinstance(r.kind, Kind) for r in net.trace)
    assert Kind.SEND == "send" and "send" == Kind.SEND and Kind("give-up") is Kind.GIVE_UP
    assert str(Kind.SEND) == "send" and f"{Kind.SEND:<6}|" == "send  |"
    assert {r.kind for r in net.trace} <= {k.value for k in Kind}
    assert net.trace.of("send") == [r for r in net.trace if r.kind is Kind.SEND]
    assert all(type(k) is str for k in net.counts)      # counts keep plain words
    assert net.counts["send"] == len(net.trace.of(Kind.SEND))


def test_a_retransmission_has_its_cause_and_the_same_words():
    net = Network(seed=0)
    a, b = pair(net)
    net.drop(SYN, count=1)
    b.listen()
    a.connect("B")
    net.run(until=5)
    first, again = [r for r in net.trace if r.kind == "send" and r.host == "A"][:2]
    assert first.cause is None and first.detail == ""
    assert again.cause is Cause.RETRANSMISSION and again.detail == "retransmission"
    assert again.time == pytest.approx(1.0) and again.segment == first.segment
    assert all(r.cause is None for r in net.trace if r.kind != "send")


def test_every_record_of_a_segment_on_the_wire_belongs_to_an_earlier_journey():
    answered = set()
    for seed in range(12):
        net = faulty(seed)
        started: dict[int, TraceRecord] = {}
        ended: set[int] = set()
        arrived: dict[int, TraceRecord] = {}
        for r in net.trace:
            if r.segment is None or r.kind in ("ignore", "reply", "notify", "deliver", "timer",
                                               "give-up"):
                if r.journey is not None:    # the receiver's word on a segment that arrived
                    about = arrived[r.journey]
                    assert (about.time, about.host, about.segment) == (r.time, r.host, r.segment)
                    answered.add(r.kind)
                continue
            assert r.journey is not None, r
            if r.kind in STARTS:
                assert r.journey not in started, f"journey {r.journey} starts twice"
                started[r.journey] = r
            else:
                assert r.journey in started, f"{r} ends a journey that never started"
                assert started[r.journey].segment == r.segment
                assert r.journey not in ended, f"journey {r.journey} ends twice"
            if r.kind in ENDS:
                ended.add(r.journey)
            if r.kind == "arrive":
                arrived[r.journey] = r
            if r.kind in ("arrive", "expire", "unroutable"):
                begun = started[r.journey].time
                released = [x.time for x in net.trace if x.kind == "release"
                            and x.journey == r.journey]
                assert r.sent_at == (released[0] if released else begun)
        numbers = sorted(started)
        assert numbers == list(range(1, len(numbers) + 1))     # numbered in order
        assert len([r for r in net.trace if r.kind in ("send", "inject")]) == \
            len([r for r in started.values() if r.kind != "duplicate"])
    assert answered >= {"ignore", "reply"}


def test_a_copy_is_a_journey_of_its_own_linked_to_its_original():
    net = Network(seed=0)
    a, b = pair(net)
    net.duplicate(SYN_ACK, count=1)
    b.listen()
    a.connect("B")
    net.run(until=1)
    send = next(r for r in net.trace if r.kind == "send" and r.host == "B")
    dup = next(r for r in net.trace if r.kind == "duplicate")
    assert dup.copy_of == send.journey and dup.journey != send.journey
    assert dup.segment == send.segment and dup.time == send.time
    arrivals = [r for r in net.trace if r.kind == "arrive" and r.segment == send.segment]
    assert sorted(r.journey for r in arrivals) == sorted([send.journey, dup.journey])
    assert all(r.copy_of is None for r in net.trace if r.kind != "duplicate")


def test_a_held_segment_keeps_its_journey_through_the_release():
    net = Network(seed=0)
    a, b = pair(net)
    h = net.hold(SYN)
    b.listen()
    a.connect("B")
    net.run(until=0.5)
    send = net.trace.of("send")[0]
    assert [r.kind for r in net.trace if r.journey == send.journey] == ["send", "hold"]
    assert net.in_flight() == [InFlight(send.journey, send.segment, None, None, "held")]
    h.release()
    net.run(until=net.now + 0.05)
    (w,) = [w for w in net.in_flight() if w.journey == send.journey]
    assert w.fate == "arrive" and w.sent_at == 0.5 and w.arrives == pytest.approx(0.6)
    net.run()
    assert [r.kind for r in net.trace if r.journey == send.journey] == \
        ["send", "hold", "release", "arrive"]


def test_in_flight_says_what_will_arrive_and_when():
    fates = set()
    for seed in range(8):
        whole = faulty(seed)
        slow = [r.time + 1 for r in whole.trace.of("postpone")]    # expires on the wire
        for stop in [1.0, whole.trace[len(whole.trace) // 2].time] + slow:
            net = faulty(seed, until=stop)
            flying = net.in_flight()
            fates |= {w.fate for w in flying}
            assert flying == sorted(flying, key=lambda w: (w.fate == "held", w.arrives or 0))
            net.run()
            for w in flying:
                end = [r for r in net.trace if r.journey == w.journey and r.kind in ENDS]
                if w.fate == "held":         # not released in this run: never arrives
                    assert end == [] and w in net.in_flight()
                    continue
                assert len(end) == 1
                assert (end[0].time, end[0].sent_at) == (w.arrives, w.sent_at)
                assert end[0].kind == ("expire" if w.fate == "expire" else "unroutable"
                                       if w.segment.dst not in net.hosts else "arrive")
            assert all(w.fate == "held" for w in net.in_flight())
    assert fates == {"arrive", "expire", "held"}
