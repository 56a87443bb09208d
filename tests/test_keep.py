"""A long-running network stays flat in memory (issue 18): what a host keeps per
connection is bounded by its open connections, not by the connections it has had.

A host's single endpoint remembers every connection (``history``, ``transitions``,
``received``) unless the ``keep`` option bounds it; a host with ports forgets its
CLOSED connections by itself.  These tests count retained entries (not timings and not
RSS), so they are exact and fast."""

import pytest

from tcplab import Network, State
from tcplab.endpoint import Endpoint


def cycles(net, a, b, n, *, data=b"hello"):
    """``n`` connections one after the other between hosts ``a`` and ``b`` (single
    endpoints), each carrying ``data`` + its number and closed by both sides."""
    for i in range(n):
        b.listen()
        a.connect(b.name)
        a.send(data + b"%d" % i)
        net.run(until=net.now + 30)
        if a.state in (State.ESTABLISHED, State.SYN_SENT, State.CLOSE_WAIT):
            a.close()
        while not net.idle:
            net.step()
            if b.state is State.CLOSE_WAIT:
                b.close()
        if b.state is State.LISTEN:        # the SYN never got through: give up this one
            b.abort()


def faulty(keep, seed=5):
    net = Network(seed=seed, loss=0.05, duplicate=0.05, jitter=0.05, msl=2.0,
                  record=False, keep=keep)
    return net, net.host("A", time_wait=0.5), net.host("B", time_wait=0.5)


def test_without_keep_a_host_remembers_every_connection():
    net = Network(seed=1, msl=1.0)
    a, b = net.host("A"), net.host("B")
    cycles(net, a, b, 3)
    assert b.received == b"hello0hello1hello2"
    assert b.history.count(State.CLOSED) == 4           # the start and three ends
    assert net.keep is None and a.endpoint.keep is None


def test_keep_bounds_history_transitions_and_received_over_a_long_run():
    net, a, b = faulty(keep=1)
    sizes = []
    for block in range(4):
        cycles(net, a, b, 60)
        sizes.append(tuple(len(h.endpoint.history) + len(h.endpoint.transitions)
                           + len(h.endpoint._received) + len(h.endpoint._marks)
                           for h in (a, b)))
    assert net.counts["send"] > 2_000                  # hundreds of connections went by
    for h in (a, b):                                    # the last finished one, and no more
        assert h.history[0] is State.CLOSED
        assert h.history.count(State.CLOSED) <= 2
        assert len(h.endpoint._marks) <= 2
        assert len(h.received) <= len(b"hello239")
    # bounded: after 60 or after 240 connections, the same order of size
    assert max(max(s) for s in sizes) < 60


def test_keep_changes_no_behaviour_and_keeps_the_tail():
    (full, fa, fb), (kept, ka, kb) = faulty(keep=None), faulty(keep=2)
    cycles(full, fa, fb, 40)
    cycles(kept, ka, kb, 40)
    assert full.counts == kept.counts and full.now == kept.now   # the same run
    for f, k in ((fa, ka), (fb, kb)):
        assert f.state is k.state and f.error == k.error and f.iss == k.iss
        assert f.history[-len(k.history):] == k.history         # a suffix of the whole
        assert f.transitions[-len(k.transitions):] == k.transitions
        assert f.received.endswith(k.received)
        assert k.history.count(State.CLOSED) == 3               # the last two connections
        assert len(k.history) < len(f.history)


def test_keep_zero_keeps_only_the_current_connection():
    net = Network(seed=1, msl=1.0, keep=0)
    a, b = net.host("A"), net.host("B")
    cycles(net, a, b, 2)
    assert b.history == [State.CLOSED] and b.transitions == [] and b.received == b""
    b.listen()
    a.connect("B")
    a.send(b"now")
    net.run(until=net.now + 5)
    assert b.received == b"now"                         # the open connection is whole
    assert b.history[:2] == [State.CLOSED, State.LISTEN]


def test_a_host_option_overrides_the_network_and_copies_are_independent():
    net = Network(seed=1, msl=1.0, keep=0)
    a, b = net.host("A", keep=None), net.host("B")
    assert a.endpoint.keep is None and b.endpoint.keep == 0
    e = Endpoint("E", keep=1)
    e.listen(now=0.0)
    c = e.copy()
    c.close(now=0.0)                                    # LISTEN -> CLOSED: a mark in c only
    assert c._marks == [(0, 0, 0), (2, 2, 0)] and e._marks == [(0, 0, 0)]
    assert e.history == [State.CLOSED, State.LISTEN] and len(e.transitions) == 1


@pytest.mark.parametrize("bad", [-1, 1.5, "1", True])
def test_keep_must_be_a_whole_number(bad):
    with pytest.raises((TypeError, ValueError)):
        Network(keep=bad)
    with pytest.raises((TypeError, ValueError)):
        Endpoint("E", keep=bad)


def test_a_host_with_ports_holds_only_its_open_connections():
    net = Network(seed=3, msl=1.0, record=False)
    server = net.host("B")
    server.listen(port=80)
    clients = [net.host(f"A{i}") for i in range(5)]
    for _ in range(40):
        conns = [c.connect("B", port=80) for c in clients]
        net.run(until=net.now + 1)
        while server.accept() is not None:
            pass
        for c in conns:
            c.close()
        net.run(until=net.now + 1)
        for c in list(server.connections):
            if c.state is State.CLOSE_WAIT:
                c.close()
        net.run(until=net.now + 5)                  # past every TIME-WAIT (2 MSL)
    assert net.counts["send"] >= 40 * 5 * 7
    assert server.connections == []
    assert all(c.connections == [] for c in clients)
    assert len(server._table) == 0 and sum(server._port_users.values()) <= 1
    assert all(len(c._table) == len(c._port_users) == 0 for c in clients)
