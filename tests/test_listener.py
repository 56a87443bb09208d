"""The listening socket and the host's many connections (issue 16), story by story.

Organised as tests/test_states.py: the listening socket first (a SYN, the queues), then
SYN cookies, refused and stray segments, the socket options (SO_REUSEADDR, tw_reuse,
linger=0), and what the host's single-connection attributes mean once it has many.
Every network here is a real two-host network in virtual time (delay 0.1 s).
"""

from __future__ import annotations

import pytest

from tcplab import Flag, Network, Segment, State
from tcplab.ports import NoFreePort, PortInUse
from tcplab.sockets import ManySockets

S = State


def pair(**b_options):
    net = Network(seed=7)
    return net, net.host("A"), net.host("B", **b_options)


def spoofed_syns(net, count, port=80, first=0):
    """SYNs from addresses with no host behind them (a SYN flood)."""
    for i in range(first, first + count):
        net.inject(Segment(f"X{i}", "B", Flag.SYN, 1000 * i, sport=1024 + i, dport=port))


def ignored(net, words):
    return [r for r in net.trace if r.kind == "ignore" and words in r.detail]


# --------------------------------------------------------------------------- LISTEN

def test_listen_port_stays_in_listen_and_makes_a_connection_per_syn():
    net, a, b = pair()
    listener = b.listen(port=80, backlog=5)
    c1 = a.connect("B", port=80)
    c2 = a.connect("B", port=80)
    net.run(until=1)
    assert listener.state is S.LISTEN
    assert c1.local != c2.local and c1.remote == c2.remote == ("B", 80)
    assert [c.state for c in b.connections] == [S.ESTABLISHED, S.ESTABLISHED]
    s1, s2 = b.accept(), b.accept()
    assert b.accept() is None
    assert {s1.remote, s2.remote} == {c1.local, c2.local}
    assert s1.local == s2.local == ("B", 80)
    # the connection a listening socket makes starts as its copy
    assert s1.history == [S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED]


def test_listen_without_port_keeps_the_rfc_single_tcb():
    net, a, b = pair()
    assert b.listen() is None and a.connect("B") is None
    net.run(until=1)
    assert b.history == [S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED]
    assert b.connections == [] and all(r.port is None for r in net.trace)


def test_listen_data_goes_to_its_own_connection():
    net, a, b = pair()
    b.listen(port=80)
    c1, c2 = a.connect("B", port=80), a.connect("B", port=80)
    net.run(until=1)
    c1.send(b"one")
    c2.send(b"two")
    net.run(until=2)
    by_remote = {s.remote: s for s in b.connections}
    assert by_remote[c1.local].received == b"one"
    assert by_remote[c2.local].received == b"two"


def test_listen_syn_queue_full_drops_the_syn_and_the_client_retransmits():
    net, a, b = pair()
    listener = b.listen(port=80, backlog=2)
    spoofed_syns(net, 2)
    net.run(until=0.5)
    assert len(listener.syn_queue) == 2 and listener.syn_queue_full
    conn = a.connect("B", port=80)
    net.run(until=5)
    assert conn.state is S.SYN_SENT
    assert ignored(net, "SYN queue of B:80 full")
    assert listener.drops >= 2
    assert any(r.kind == "send" and r.cause == "retransmission" and r.host == "A"
               for r in net.trace)
    # both sides give up after the same retransmissions; then the queue is free again
    net.run(until=200)
    assert conn.state is S.CLOSED and "gave up" in conn.error and listener.syn_queue == []
    again = a.connect("B", port=80)
    net.run(until=201)
    assert again.state is S.ESTABLISHED


def test_listen_accept_queue_holds_backlog_plus_one_then_drops_syns():
    net, a, b = pair()
    listener = b.listen(port=80, backlog=1)
    conns = [a.connect("B", port=80) for _ in range(3)]
    net.run(until=0.5)
    # one SYN queue place: the second and third SYNs wait for retransmission
    net.run(until=10)
    assert len(listener.accept_queue) == 2           # Linux: full when more than backlog
    assert listener.accept_queue_full and listener.overflows >= 1
    assert ignored(net, "accept queue of B:80 full")
    assert [c.state for c in conns].count(S.ESTABLISHED) == 2
    b.accept()
    net.run(until=40)
    assert all(c.state is S.ESTABLISHED for c in conns)


def test_listen_accept_queue_full_drops_the_completing_ack():
    net, a, b = pair()
    listener = b.listen(port=80, backlog=2)
    first = [a.connect("B", port=80) for _ in range(2)]
    net.run(until=0.35)
    late = [a.connect("B", port=80) for _ in range(2)]
    net.run(until=0.7)
    assert all(c.state is S.ESTABLISHED for c in first + late)   # the clients believe it
    assert len(listener.accept_queue) == 3
    half_open = listener.syn_queue
    assert len(half_open) == 1 and half_open[0].state is S.SYN_RECEIVED
    assert ignored(net, "the ACK that completes the handshake is dropped")


def test_listen_close_resets_the_queued_connections():
    net, a, b = pair()
    listener = b.listen(port=80)
    conn = a.connect("B", port=80)
    net.run(until=1)
    listener.close()
    net.run(until=2)
    assert listener.state is S.CLOSED and b.connections == []
    assert conn.state is S.CLOSED and "reset" in conn.error


def test_listen_port_twice_is_port_in_use():
    net, a, b = pair()
    b.listen(port=80)
    with pytest.raises(PortInUse, match="already listens on port 80"):
        b.listen(port=80)


# --------------------------------------------------------------------------- SYN cookies

def test_syn_cookies_let_a_client_in_through_a_flood():
    net, a, b = pair(syn_cookies=True)
    listener = b.listen(port=80, backlog=2)
    spoofed_syns(net, 20)
    net.run(until=0.5)
    assert len(listener.syn_queue) == 2 and listener.cookies_sent == 18
    conn = a.connect("B", port=80)
    net.run(until=1)
    assert conn.state is S.ESTABLISHED and listener.cookies_accepted == 1
    server = b.accept()
    assert server.remote == conn.local and server.iss == conn.endpoint.irs
    assert server.history[-1] is S.ESTABLISHED
    conn.send(b"through the flood")
    net.run(until=2)
    assert server.received == b"through the flood"


def test_syn_cookies_off_the_same_flood_keeps_the_client_out():
    net, a, b = pair()
    b.listen(port=80, backlog=2)
    spoofed_syns(net, 20)
    net.run(until=0.5)
    conn = a.connect("B", port=80)
    net.run(until=30)
    assert conn.state is S.SYN_SENT


def test_syn_cookies_a_forged_ack_is_refused():
    net, a, b = pair(syn_cookies=True)
    b.listen(port=80, backlog=1)
    net.inject(Segment("X", "B", Flag.ACK, 5001, 12345, sport=4000, dport=80))
    net.run(until=1)
    assert b.connections == []
    rst = [r.segment for r in net.trace if r.kind == "send" and r.host == "B"]
    assert rst and rst[0].flags == Flag.RST and rst[0].seq == 12345 and rst[0].dport == 4000


# --------------------------------------------------------------------------- refused, stray

def test_closed_port_syn_is_refused_with_rst():
    net, a, b = pair()
    conn = a.connect("B", port=81)
    net.run(until=1)
    assert conn.state is S.CLOSED and "refused" in conn.error
    replies = [r for r in net.trace if r.kind == "reply" and r.host == "B"]
    assert "nobody listens on port 81 of B" in replies[0].detail


def test_closed_port_refusal_mentions_a_portless_listen():
    net, a, b = pair()
    b.listen()
    a.connect("B", port=80)
    net.run(until=1)
    assert any("listens without a port" in r.detail for r in net.trace if r.kind == "reply")
    assert b.state is S.LISTEN


def test_wrong_port_segment_is_reset_and_touches_no_connection():
    net, a, b = pair()
    b.listen(port=80)
    conn = a.connect("B", port=80)
    net.run(until=1)
    server = b.accept()
    stray = Segment("A", "B", Flag.ACK, conn.endpoint.snd_nxt, server.iss + 1, b"evil",
                    sport=conn.local_port + 1, dport=80)
    net.inject(stray)
    net.run(until=2)
    assert server.received == b"" and server.state is S.ESTABLISHED
    assert any(r.kind == "send" and r.segment.flags == Flag.RST
               and r.segment.dport == conn.local_port + 1 for r in net.trace)


def test_an_rst_to_no_connection_is_dropped():
    net, a, b = pair()
    net.inject(Segment("A", "B", Flag.RST, 1, sport=1, dport=9))
    net.run()
    assert net.trace.of("ignore") and not [r for r in net.trace if r.host == "B"
                                             and r.kind == "send"]


# --------------------------------------------------------------------------- socket options

def server_closes_first(net, a, b, **listen):
    listener = b.listen(port=80, **listen)
    conn = a.connect("B", port=80)
    net.run(until=1)
    server = b.accept()
    server.close()
    net.run(until=2)
    conn.close()
    net.run(until=3)
    return listener, server, conn


def test_so_reuseaddr_lets_a_server_listen_while_time_wait_lasts():
    net, a, b = pair()
    listener, server, _ = server_closes_first(net, a, b)
    assert server.state is S.TIME_WAIT and server in b.connections
    listener.close()
    with pytest.raises(PortInUse, match="Address already in use") as caught:
        b.listen(port=80)
    assert caught.value.errno == 98 and "TIME-WAIT" in str(caught.value)
    again = b.listen(port=80, reuse_address=True)
    assert again.state is S.LISTEN


def test_local_port_in_use_without_reuse_address():
    net, a, b = pair()
    b.listen(port=80)
    b.listen(port=81)
    a.connect("B", port=80, local_port=5000)
    with pytest.raises(PortInUse):
        a.connect("B", port=81, local_port=5000)
    second = a.connect("B", port=81, local_port=5000, reuse_address=True)
    with pytest.raises(PortInUse, match="in use"):
        a.connect("B", port=81, local_port=5000, reuse_address=True)   # same socket pair
    net.run(until=1)
    assert second.state is S.ESTABLISHED


def client_in_time_wait(**a_options):
    net = Network(seed=3)
    a = net.host("A", port_range=(40000, 40000), **a_options)
    b = net.host("B")
    b.listen(port=80)
    conn = a.connect("B", port=80)
    net.run(until=1)
    conn.close()
    net.run(until=2)
    b.accept().close()
    net.run(until=2.5)
    assert conn.state is S.TIME_WAIT
    return net, a, b, conn


def test_time_wait_holds_the_only_ephemeral_port():
    net, a, b, old = client_in_time_wait()
    with pytest.raises(NoFreePort, match="1 of them by connections in TIME-WAIT") as caught:
        a.connect("B", port=80)
    assert caught.value.errno == 99


def test_tw_reuse_takes_the_time_wait_pair_with_a_higher_isn():
    net, a, b, old = client_in_time_wait(tw_reuse=True)
    entered = old.time_wait_since
    net.run(until=entered + 0.5)
    with pytest.raises(NoFreePort):                 # less than 1 s in TIME-WAIT
        a.connect("B", port=80)
    net.run(until=entered + 1.0)
    new = a.connect("B", port=80)
    assert new.local == old.local and old not in a.connections
    assert new.iss == (old.endpoint.tcb.snd_nxt + 65537) % 2**32
    net.run(until=entered + 2)
    assert new.state is S.ESTABLISHED
    net.run(until=200)                               # the old TIME-WAIT timer is dead
    assert new.state is S.ESTABLISHED


def test_linger_zero_close_sends_rst_and_skips_time_wait():
    net, a, b = pair()
    b.listen(port=80)
    conn = a.connect("B", port=80, linger=0)
    net.run(until=1)
    server = b.accept()
    conn.close()
    net.run(until=2)
    assert conn.state is S.CLOSED and S.TIME_WAIT not in conn.history
    assert server.state is S.CLOSED and "reset" in server.error
    assert a.connections == [] and b.connections == []


def test_linger_is_inherited_from_the_listening_socket():
    net, a, b = pair()
    b.listen(port=80, linger=0)
    conn = a.connect("B", port=80)
    net.run(until=1)
    b.accept().close()
    net.run(until=2)
    assert conn.state is S.CLOSED and "reset" in conn.error


# --------------------------------------------------------------------------- the host

def test_host_single_attributes_follow_its_one_socket():
    net, a, b = pair()
    conn = a.connect("B", port=80)
    assert a.state is S.SYN_SENT and a.history == conn.history
    net.run(until=1)
    assert a.state is S.CLOSED and a.error == conn.error     # refused: the last one


def test_host_with_many_sockets_says_to_use_the_connections():
    net, a, b = pair()
    b.listen(port=80)
    a.connect("B", port=80)
    net.run(until=1)
    with pytest.raises(ManySockets, match="holds 2 sockets"):
        b.state
    with pytest.raises(ManySockets, match="connections"):
        b.close()
    assert "1 connections, 1 listening" in repr(b)


@pytest.mark.parametrize("call, error", [
    (lambda a: a.connect("B", port=0), "from 1 to 65535"),
    (lambda a: a.connect("B", port="80"), "whole number"),
    (lambda a: a.connect("B", local_port=5000), "give the port"),
    (lambda a: a.connect("B", port=80, linger=5), "linger must be None"),
    (lambda a: a.listen(port=80, backlog=0), "backlog must be"),
    (lambda a: a.listen(backlog=5), "give its port"),
    (lambda a: a.accept(), "no listening socket"),
])
def test_bad_calls_say_what_is_wrong(call, error):
    net, a, b = pair()
    with pytest.raises((TypeError, ValueError), match=error):
        call(a)
    assert a.state is S.CLOSED and net.trace == []


def test_host_with_only_a_listening_socket_reads_as_listen():
    net, a, b = pair()
    listener = b.listen(port=80)
    assert b.state is S.LISTEN and b.history == [S.CLOSED, S.LISTEN]
    assert "LISTEN" in str(b.tcb_table())
    listener.close()
    assert b.state is S.CLOSED and b.listeners == []


def test_syn_cookie_is_valid_two_minutes_at_most():
    from tcplab import syncookies
    pair_ = ("A", 5000, "B", 80)
    cookie = syncookies.make(b"secret", pair_, 1234, 1460, now=10.0)
    assert syncookies.check(b"secret", pair_, 1234, cookie, now=70.0) == 1460
    assert syncookies.check(b"secret", pair_, 1234, cookie, now=130.0) is None    # too old
    assert syncookies.check(b"other", pair_, 1234, cookie, now=10.0) is None      # forged
    assert syncookies.check(b"secret", pair_, 99999, cookie, now=10.0) is None    # not its SYN


def test_two_way_server_listening_socket_queues_at_once():
    net = Network(seed=4)
    a, b = net.host("A", handshake="two-way"), net.host("B", handshake="two-way")
    b.listen(port=80)
    conn = a.connect("B", port=80)
    net.run(until=0.15)
    server = b.accept()
    assert server is not None and server.state is S.ESTABLISHED
    net.run(until=1)
    assert conn.state is S.ESTABLISHED


@pytest.mark.parametrize("options, error", [
    ({"syn_cookies": "yes"}, "syn_cookies must be True or False"),
    ({"tw_reuse": 1}, "tw_reuse must be True or False"),
    ({"port_range": (5, 1)}, "low <= high"),
])
def test_bad_host_options_say_what_is_wrong(options, error):
    with pytest.raises((TypeError, ValueError), match=error):
        Network().host("A", **options)
