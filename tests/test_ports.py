"""Ports and socket pairs (issue 16): segments, ephemeral ports, traces, pcap.

The port-less segments of a host's single connection must read, compare and export
exactly as they did before ports existed; segments of a connection with ports carry
them everywhere a reader looks.
"""

from __future__ import annotations

import pytest

from tcplab import Flag, Network, Segment, State, pcap, sequence_diagram
from tcplab.ports import EPHEMERAL, NoFreePort, PortChooser, check_port, check_range


def served(seed=1, **a_options):
    net = Network(seed=seed)
    a, b = net.host("A", **a_options), net.host("B")
    b.listen(port=80)
    return net, a, b


# --------------------------------------------------------------------------- Segment

def test_segment_without_ports_reads_as_before():
    s = Segment("A", "B", Flag.SYN | Flag.ACK, 1, 2, b"x")
    assert s.sport is None and s.dport is None and not s.ports
    assert repr(s) == ("Segment(src='A', dst='B', flags=<Flag.SYN|ACK: 3>, seq=1, ack=2, "
                       "data=b'x', window=4096)")
    assert str(s) == "A→B SYN+ACK seq=1 ack=2 len=1"


def test_segment_with_ports_shows_its_socket_pair():
    s = Segment("A", "B", Flag.SYN, 7, sport=49152, dport=80)
    assert str(s) == "A:49152→B:80 SYN seq=7"
    assert "sport=49152, dport=80" in repr(s)
    assert s != Segment("A", "B", Flag.SYN, 7) and s != Segment("A", "B", Flag.SYN, 7,
                                                                 sport=49153, dport=80)


@pytest.mark.parametrize("bad", [-1, 65536, "80", True, 1.5])
def test_segment_bad_port_is_refused(bad):
    with pytest.raises(ValueError, match="sport must be None or a port number"):
        Segment("A", "B", Flag.SYN, 7, sport=bad, dport=80)


@pytest.mark.parametrize("bad, error", [(0, ValueError), (70000, ValueError),
                                        ("http", TypeError), (None, TypeError)])
def test_check_port_says_what_a_port_is(bad, error):
    with pytest.raises(error, match="from 1 to 65535"):
        check_port(bad)


def test_check_range():
    assert check_range((1000, 1001)) == (1000, 1001)
    with pytest.raises(ValueError, match="low <= high"):
        check_range((2, 1))
    with pytest.raises(TypeError, match="two port numbers"):
        check_range(5)


# --------------------------------------------------------------------------- ephemeral ports

def test_ephemeral_ports_are_linux_range_even_first_and_distinct():
    net, a, b = served()
    conns = [a.connect("B", port=80) for _ in range(50)]
    ports = [c.local_port for c in conns]
    assert EPHEMERAL == (32768, 60999)
    assert all(32768 <= p <= 60999 and p % 2 == 0 for p in ports)
    assert len(set(ports)) == 50
    net.run(until=2)
    assert len(b.connections) == 50 and all(c.state is State.ESTABLISHED for c in conns)


def test_ephemeral_ports_same_seed_same_ports():
    def ports(seed):
        a = served(seed=seed)[1]
        return [a.connect("B", port=80).local_port for _ in range(5)]
    assert ports(5) == ports(5) != ports(6)


def test_port_chooser_uses_odd_ports_when_even_ones_are_gone():
    chooser = PortChooser(b"k", 100, 103)
    used = set()
    for _ in range(4):
        used.add(chooser.choose("B", 80, lambda p: p not in used))
    assert used == {100, 101, 102, 103}
    assert chooser.choose("B", 80, lambda p: p not in used) is None


def test_ephemeral_range_runs_out_with_a_clear_error():
    net, a, b = served(port_range=(50000, 50003))
    for _ in range(4):
        a.connect("B", port=80)
    with pytest.raises(NoFreePort, match="all 4 ports of the range 50000-50003 are taken"):
        a.connect("B", port=80)


def test_explicit_local_port():
    net, a, b = served()
    conn = a.connect("B", port=80, local_port=1234)
    net.run(until=1)
    assert conn.local == ("A", 1234) and b.accept().remote == ("A", 1234)


# --------------------------------------------------------------------------- trace, pcap, ladder

def test_trace_shows_ports_only_for_connections_with_ports():
    net, a, b = served()
    conn = a.connect("B", port=80)
    net.run(until=1)
    text = net.trace.table()
    assert f"A:{conn.local_port}" in text and "B:80" in text
    assert f"{conn.local_port}→80 SYN" in text
    old = Network(seed=1)
    x, y = old.host("A"), old.host("B")
    y.listen()
    x.connect("B")
    old.run()
    assert all(r.port is None and r.where == r.host for r in old.trace)


def test_pcap_uses_the_segments_ports():
    net, a, b = served()
    conn = a.connect("B", port=80)
    net.run(until=1)
    captured = pcap.read(pcap.dumps(net))
    assert {(p.sport, p.dport) for p in captured} == {(conn.local_port, 80),
                                                       (80, conn.local_port)}


def test_pcap_of_a_portless_trace_keeps_its_made_up_ports():
    net = Network(seed=1)
    a, b = net.host("A"), net.host("B")
    b.listen()
    a.connect("B")
    net.run()
    assert {(p.sport, p.dport) for p in pcap.read(pcap.dumps(net))} == {(49152, 8000),
                                                                         (8000, 49152)}


def test_ladder_labels_show_ports():
    net, a, b = served()
    conn = a.connect("B", port=80)
    net.run(until=1)
    assert f"{conn.local_port}→80 SYN" in sequence_diagram(net, notation="numeric").svg()


def test_rfc6528_isn_counts_the_ports():
    net = Network(seed=2)
    a, b = net.host("A", iss="rfc6528"), net.host("B")
    first = a.connect("B", port=80, local_port=1000)
    second = a.connect("B", port=80, local_port=1001)
    # the same instant, the same hosts: only the ports differ, and so do the ISNs
    assert first.iss != second.iss


def test_tshark_reads_two_connections_with_their_own_ports(tmp_path):
    import shutil
    import subprocess
    tshark = shutil.which("tshark")
    if tshark is None:
        pytest.fail("tshark is not installed: install it with `bash tools/system-deps.sh` "
                    "(Debian/Ubuntu: apt-get install tshark), then run the tests again.")
    net, a, b = served()
    conns = [a.connect("B", port=80) for _ in range(2)]
    net.run(until=1)
    path = tmp_path / "two.pcap"
    pcap.write(net, path)
    out = subprocess.run([tshark, "-n", "-r", str(path), "-T", "fields", "-e", "tcp.stream",
                          "-e", "tcp.srcport", "-e", "tcp.dstport"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    rows = {tuple(line.split("\t")) for line in out.splitlines()}
    streams = {}
    for stream, sport, dport in rows:
        streams.setdefault(stream, set()).add(frozenset((int(sport), int(dport))))
    # Wireshark sees two TCP streams, one per socket pair
    assert sorted(map(sorted, (map(tuple, v) for v in streams.values()))) == sorted(
        [[tuple(sorted((c.local_port, 80)))] for c in conns])
