"""A property of the host's demultiplexing: random clients, losses and SYN floods.

Several clients (hosts C0, C1 ...) each open connections with ports to server S's
listening socket, send bytes that name their connection, and close; meanwhile the
network loses segments at random and spoofed SYNs (from names with no host behind
them) flood the listening socket, with or without SYN cookies, with a small backlog.
Whatever happens:

* no connection is ever matched to the wrong socket pair: every connection a host holds
  is under its own pair, and a server connection that reached ESTABLISHED has, as its
  peer's ISN, the ISN of the client connection at the other end of its pair;
* no data crosses between connections: what a server connection received is a prefix
  of what its own client connection sent (each connection's bytes name it).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tcplab import Flag, Network, Segment, State

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

stories = st.fixed_dictionaries({
    "seed": st.integers(min_value=0, max_value=2**16),
    "loss": st.sampled_from([0.0, 0.1, 0.3]),
    "clients": st.integers(min_value=1, max_value=4),
    "per_client": st.integers(min_value=1, max_value=3),
    "flood": st.sampled_from([0, 5, 30]),
    "cookies": st.booleans(),
    "backlog": st.integers(min_value=1, max_value=4),
    "same_port": st.booleans(),
})


def _flood(net, count, rng_seed):
    for i in range(count):
        net.inject(Segment(f"X{i % 7}", "S", Flag.SYN, (rng_seed * 7919 + i * 104729) % 2**32,
                           sport=1024 + i, dport=80))


@SETTINGS
@given(stories)
def test_no_connection_takes_another_ones_pair_or_data(story):
    net = Network(seed=story["seed"], loss=story["loss"])
    server = net.host("S", syn_cookies=story["cookies"])
    server.listen(port=80, backlog=story["backlog"])
    clients = [net.host(f"C{i}") for i in range(story["clients"])]
    sent = {}                                  # (client, port) -> bytes its connection sent
    conns = []
    for c in clients:
        for k in range(story["per_client"]):
            local = 5000 if story["same_port"] else None
            conn = c.connect("S", port=80, local_port=local and local + k)
            conns.append(conn)
            sent[conn.local] = b""
    _flood(net, story["flood"], story["seed"])
    accepted = []
    for t in range(1, 60):
        net.run(until=float(t))
        while (got := server.accept()) is not None:
            accepted.append(got)
        for conn in conns:
            if conn.state is State.ESTABLISHED and len(sent[conn.local]) < 40:
                data = f"<{conn.local[0]}:{conn.local[1]}>".encode()
                conn.send(data)
                sent[conn.local] += data
        _check(net, server, clients, conns, accepted, sent)
    net.run(until=400)
    _check(net, server, clients, conns, accepted, sent)
    if story["loss"] == 0 and (story["flood"] == 0 or story["cookies"]):
        # nothing lost and no queue stays full for long: every connection did its work
        got = {conn.remote: conn.received for conn in accepted}
        assert all(got.get(pair) == data and data for pair, data in sent.items())


def _check(net, server, clients, conns, accepted, sent):
    by_pair = {conn.local: conn for conn in conns}
    servers = {conn.remote: conn for conn in set(server.connections) | set(accepted)}
    for client in conns:                    # the client side of each pair
        other = servers.get(client.local)
        if (State.ESTABLISHED in client.history and client.state is not State.CLOSED
                and other is not None and other.state not in _NO_TCB):
            assert client.endpoint.irs == other.iss
    for host in [server] + clients:
        for key, conn in host._table.items():
            assert key == conn.key and conn.local[0] == host.name
    for conn in set(server.connections) | set(accepted):
        assert conn.local == ("S", 80)
        client = by_pair.get(conn.remote)
        if client is None:                     # a spoofed SYN's half-open connection
            assert conn.remote[0].startswith("X") and conn.received == b""
            assert S_PAST_SYN_RECEIVED.isdisjoint(conn.history)
            continue
        if State.ESTABLISHED in conn.history and conn.state not in _NO_TCB:
            assert conn.endpoint.irs == client.iss
        assert sent[client.local].startswith(conn.received)
        mine = f"<{client.local[0]}:{client.local[1]}>".encode()
        assert conn.received == mine * (len(conn.received) // len(mine))


_NO_TCB = (State.CLOSED, State.LISTEN)    # the TCB is gone: no numbers to compare
S_PAST_SYN_RECEIVED = frozenset(State) - {State.CLOSED, State.LISTEN, State.SYN_RECEIVED}
