"""A server with many connections: 10,000 connections opened and closed on one server,
against the same number of segments on one host pair, connection after connection.

Many: host B listens on port 80 (backlog 10,000, so that no SYN is dropped); host A
opens 10,000 connections from ephemeral ports, all at once; B accepts them all; A
closes each, B closes each when A's FIN has arrived (CLOSE-WAIT), A waits out
TIME-WAIT.  Seven segments a connection: SYN, SYN+ACK, ACK, FIN, ACK, FIN, ACK.

Single: the host pair of the first lessons without ports (``b.listen()``,
``a.connect("B")``): the same seven segments, 10,000 times, one connection after the
other on one network.

Both on a network with ``record=False`` (counts instead of a trace, as a long run
does), delay 0.1 s, no loss.  Figures:

* segments per second (wall clock) of the whole run, the fastest of three runs of each,
  taken in turn after a garbage collection (a run of two seconds that creates 20,000
  endpoints is at the mercy of the collector's state and of other processes): what the
  host's demultiplexer
  (the socket-pair table, the listener's queues, the ephemeral port choice) costs
  against one endpoint per host;
* memory per connection while ESTABLISHED, both ends together: Python's own count
  (tracemalloc) of what the network holds with the 10,000 connections open, over
  10,000; for the single pair, what one open connection adds to its network;
* what is left once everything has closed (the hosts forget a CLOSED connection), per
  connection: not nothing, as measured (10,000 connections: about 120 bytes each): a
  Python dict keeps its size when entries are deleted (the socket-pair table), and the
  host keeps a count of users for every local port it used (0 once closed) — bounded by
  the port range, so a long-running server does not grow without end.

Run:  .venv/bin/python benchmarks/bench_many.py      (or: make bench)
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_all import Row, print_rows  # noqa: E402

from tcplab import Network, State  # noqa: E402

CONNECTIONS = 10_000
SEGMENTS_EACH = 7
#: the many-connection server should keep at least this share of the single pair's rate
TARGET_SHARE = 0.5
#: runs of each, taken in turn; the fastest counts
REPEATS = 3


def many(count: int = CONNECTIONS, measure=None) -> tuple[int, float]:
    """The server run; returns (segments sent, seconds).  ``measure(label)`` is called
    when all connections are open and when all have closed."""
    net = Network(seed=0, record=False)
    a, b = net.host("A"), net.host("B")
    b.listen(port=80, backlog=count)
    t0 = time.perf_counter()
    clients = [a.connect("B", port=80) for _ in range(count)]
    net.run(until=1)
    servers = [b.accept() for _ in range(count)]
    assert all(c.state is State.ESTABLISHED for c in clients) and None not in servers
    if measure:
        measure("open", net)
    for conn in clients:
        conn.close()
    net.run(until=2)
    for conn in servers:
        assert conn.state is State.CLOSE_WAIT
        conn.close()
    net.run()
    seconds = time.perf_counter() - t0
    assert not a.connections and not b.connections
    del clients, servers, conn            # the application lets its sockets go
    if measure:
        measure("closed", net)
    return net.counts["send"], seconds


def single(count: int = CONNECTIONS) -> tuple[int, float]:
    """One host pair, ``count`` connections one after the other; (segments, seconds)."""
    net = Network(seed=0, record=False)
    a, b = net.host("A"), net.host("B")
    t0 = time.perf_counter()
    for _ in range(count):
        b.listen()
        a.connect("B")
        net.run(until=net.now + 1)
        a.close()
        net.run(until=net.now + 1)
        b.close()
        net.run()
        assert a.state is b.state is State.CLOSED
    return net.counts["send"], time.perf_counter() - t0


def single_connection_bytes() -> int:
    """What one ESTABLISHED connection of the single pair adds to its network."""
    net = Network(seed=0, record=False)
    a, b = net.host("A"), net.host("B")
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    b.listen()
    a.connect("B")
    net.run(until=1)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return held


def many_connection_bytes(count: int = CONNECTIONS) -> dict[str, float]:
    """Bytes per connection the server run holds with all open, and once all closed."""
    figures: dict[str, float] = {}
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]

    def measure(label, net):
        gc.collect()
        figures[label] = (tracemalloc.get_traced_memory()[0] - base) / count

    many(count, measure)
    tracemalloc.stop()
    return figures


def fastest(runs: dict, repeats: int = REPEATS) -> dict:
    """Each run's (segments, best rate in segments per second) over ``repeats`` rounds
    taken in turn."""
    best = dict.fromkeys(runs, (0, 0.0))
    for _round in range(repeats):
        for name, run in runs.items():
            gc.collect()
            segments, seconds = run()
            best[name] = max(best[name], (segments, segments / seconds), key=lambda b: b[1])
    return best


def main() -> list[Row]:
    best = fastest({"many": many, "single": single})
    (seg_many, rate_many), (seg_single, rate_single) = best["many"], best["single"]
    print(f"many:   {CONNECTIONS:,} connections on B:80 from A, all at once: "
          f"{seg_many:,} segments in {seg_many / rate_many:.2f} s = {rate_many:,.0f} "
          f"segments/s (fastest of {REPEATS})")
    print(f"single: {CONNECTIONS:,} connections on one host pair, one after the other: "
          f"{seg_single:,} segments in {seg_single / rate_single:.2f} s = "
          f"{rate_single:,.0f} segments/s (fastest of {REPEATS})")
    per = many_connection_bytes()
    one = single_connection_bytes()
    print(f"memory per ESTABLISHED connection, both ends: many {per['open'] / 1024:.1f} kB, "
          f"single {one / 1024:.1f} kB; left after all closed: "
          f"{per['closed']:.0f} bytes per connection")
    share = rate_many / rate_single
    return [
        Row(f"{CONNECTIONS:,} connections on one server: segments/s",
            f"{rate_many:,.0f}/s ({share:.2f}x single)", f">= {TARGET_SHARE:g}x single",
            f"single pair: {rate_single:,.0f}/s", share >= TARGET_SHARE),
        Row("memory per ESTABLISHED connection (both ends)", f"{per['open'] / 1024:.1f} kB",
            "", f"single pair: {one / 1024:.1f} kB", None),
        Row("memory left per connection once all closed", f"{per['closed']:.0f} B",
            "", "the hosts' tables keep their size; a counter per port used", None),
    ]


if __name__ == "__main__":
    print_rows(main(), "many connections")
