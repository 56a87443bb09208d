"""tcplab.pcap: traces exported as pcap files that Wireshark reads.

Two independent checks of every file: a parser written here from the formats'
specifications (pcap, Ethernet II, IPv4 RFC 791, TCP RFC 9293 §3.1, checksums
RFC 1071), and Debian's tshark (Wireshark's dissectors; installed by
tools/system-deps.sh), which must report the same flags, sequence and
acknowledgment numbers as ``net.sent``, good checksums and no malformed packet.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess

import pytest

from tcplab import Flag, Network, Segment, State, pcap

S = State
EPOCH_2026 = 1767225600      # 2026-01-01 00:00:00 UTC
BITS = {Flag.FIN: 0x01, Flag.SYN: 0x02, Flag.RST: 0x04, Flag.PSH: 0x08, Flag.ACK: 0x10}


# --------------------------------------------------------------------------- stories

def pair(handshake="three-way", **kw):
    net = Network(seed=kw.pop("seed", 0), delay=0.1, msl=30.0, **kw)
    return (net, net.host("A", iss=100, handshake=handshake),
            net.host("B", iss=300, handshake=handshake))


def handshake_story():
    net, a, b = pair()
    b.listen()
    a.connect("B")
    net.run()
    assert a.state is b.state is S.ESTABLISHED
    return net


def close_story():
    net, a, b = pair()
    b.listen()
    a.connect("B")
    net.run(until=1.0)
    a.send(b"hello")
    net.run(until=2.0)
    a.close()
    net.run(until=3.0)
    b.send(b"still here")             # half-close: B sends on from CLOSE-WAIT
    net.run(until=4.0)
    b.close()
    net.run()
    assert a.state is b.state is S.CLOSED
    return net


def stale_syn_story():
    """Lesson 03: A's first SYN is held in a router, released after the connection
    it belonged to is gone; B answers it, A refuses with RST."""
    net, a, b = pair()
    stuck = net.hold(lambda s: s.src == "A" and s.flags == Flag.SYN, count=1)
    b.listen()
    a.connect("B")                    # held; A retransmits at t=1
    net.run(until=2.0)
    a.close()
    net.run(until=3.0)
    b.close()
    net.run()
    b.listen()
    stuck.release()
    net.run()
    assert b.state is S.LISTEN and any(Flag.RST in s.flags for _, s in net.sent)
    return net


def faulty_story():
    """Loss, a network duplicate and an injected segment from a name with no host."""
    net, a, b = pair()
    net.drop(lambda s: s.src == "B" and s.flags == Flag.SYN | Flag.ACK, count=1)
    net.duplicate(lambda s: s.src == "A" and bool(s.data), count=1)
    b.listen()
    a.connect("B")
    net.run(until=3.0)
    a.send(b"twice")
    net.run(until=4.0)
    net.inject(Segment("P", "B", Flag.SYN, seq=7))
    net.run(until=5.0)
    return net


STORIES = {"handshake": handshake_story, "close": close_story, "stale-syn": stale_syn_story}
ALL_STORIES = {**STORIES, "faults": faulty_story}


# --------------------------------------------------------------------------- an independent parser

def ones_complement_ok(data: bytes) -> bool:
    """RFC 1071: the 16-bit one's complement sum over data with its checksum is 0xFFFF."""
    if len(data) % 2:
        data += b"\0"
    total = 0
    for i in range(0, len(data), 2):
        total += data[i] << 8 | data[i + 1]
        total = (total & 0xFFFF) + (total >> 16)
    return total == 0xFFFF


def parse(blob: bytes) -> list[dict]:
    magic, major, minor, zone, sigfigs, snaplen, linktype = struct.unpack("<IHHiIII", blob[:24])
    assert (magic, major, minor, zone, sigfigs, snaplen, linktype) == (
        0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    assert blob[:4] == bytes.fromhex("d4c3b2a1")          # little-endian, microseconds
    out, pos = [], 24
    while pos < len(blob):
        sec, usec, incl, orig = struct.unpack("<IIII", blob[pos:pos + 16])
        assert incl == orig and usec < 1_000_000
        frame = blob[pos + 16:pos + 16 + incl]
        assert len(frame) == incl
        pos += 16 + incl
        dst_mac, src_mac, ethertype = frame[:6], frame[6:12], frame[12:14]
        assert ethertype == b"\x08\x00"
        assert src_mac[0] == dst_mac[0] == 0x02            # locally administered, unicast
        ip = frame[14:]
        assert ip[0] == 0x45 and ip[1] == 0                 # IPv4, 20-byte header
        total, ident, frag, ttl, proto = struct.unpack("!HHHBB", ip[2:10])
        assert total == len(ip) and frag == 0x4000 and ttl == 64 and proto == 6
        assert ones_complement_ok(ip[:20])
        src, dst = ip[12:16], ip[16:20]
        assert src[:3] == dst[:3] == bytes([192, 0, 2])    # TEST-NET-1
        assert (src_mac[5], dst_mac[5]) == (src[3], dst[3])
        tcp = ip[20:]
        sport, dport, seq, ack, offset, flags, window, _csum, urgent = struct.unpack(
            "!HHIIBBHHH", tcp[:20])
        assert offset == 5 << 4 and urgent == 0             # no options
        pseudo = src + dst + bytes([0, 6]) + len(tcp).to_bytes(2, "big")
        assert ones_complement_ok(pseudo + tcp)
        out.append(dict(time=(sec - EPOCH_2026) + usec / 1e6, src=".".join(map(str, src)),
                        dst=".".join(map(str, dst)), sport=sport, dport=dport, seq=seq,
                        ack=ack, flags=flags, window=window, data=tcp[20:], ip_id=ident,
                        length=incl))
    return out


def expected(net, segments=None):
    """What the file must hold for these (time, Segment) pairs (default net.sent)."""
    ip = {"A": "192.0.2.1", "B": "192.0.2.2", "P": "192.0.2.3"}
    rows = []
    for t, s in (net.sent if segments is None else segments):
        rows.append(dict(time=t, src=ip[s.src], dst=ip[s.dst],
                         flags=sum(bit for f, bit in BITS.items() if f in s.flags),
                         seq=s.seq, ack=s.ack, window=s.window, data=s.data))
    return rows


def comparable(rows):
    return [dict(time=round(r["time"], 6), **{k: r[k] for k in
                                               ("src", "dst", "flags", "seq", "ack", "window",
                                                "data")}) for r in rows]


# --------------------------------------------------------------------------- the file, checked here

@pytest.mark.parametrize("story", STORIES.values(), ids=STORIES.keys())
def test_file_holds_every_segment_sent_with_valid_headers_and_checksums(story):
    net = story()
    rows = parse(pcap.dumps(net))
    assert comparable(rows) == comparable(expected(net))
    assert {(r["src"], r["sport"]) for r in rows} <= {("192.0.2.1", 49152), ("192.0.2.2", 8000)}
    assert all(r["length"] == 54 + len(r["data"]) for r in rows)


def test_timestamps_are_virtual_time_after_2026_01_01_to_the_microsecond():
    net = close_story()
    blob = pcap.dumps(net)
    secs = [struct.unpack("<II", blob[pos:pos + 8]) for pos in record_offsets(blob)]
    assert secs[0] == (EPOCH_2026, 0)
    assert [s + u / 1e6 - EPOCH_2026 for s, u in secs] == pytest.approx(
        [t for t, _ in net.sent], abs=1e-6)
    assert pcap.EPOCH == EPOCH_2026


def record_offsets(blob):
    pos, out = 24, []
    while pos < len(blob):
        out.append(pos)
        pos += 16 + struct.unpack("<I", blob[pos + 8:pos + 12])[0]
    return out


def test_the_same_story_gives_the_same_bytes():
    for story in STORIES.values():
        assert pcap.dumps(story()) == pcap.dumps(story())


def test_write_returns_the_path_and_a_list_of_pairs_gives_the_same_file(tmp_path):
    net = stale_syn_story()
    path = pcap.write(net, tmp_path / "stale.pcap")
    assert path == tmp_path / "stale.pcap" and path.read_bytes() == pcap.dumps(net)
    assert pcap.dumps(net.sent) == pcap.dumps(net)
    assert pcap.write(net.sent, str(tmp_path / "s.pcap")).read_bytes() == path.read_bytes()


def test_addresses_and_ports_follow_the_documented_plan():
    net = faulty_story()
    assert pcap.addresses(net) == {"A": "192.0.2.1", "B": "192.0.2.2", "P": "192.0.2.3"}
    assert pcap.ports(net) == {"A": 49152, "B": 8000, "P": 49154}
    # simultaneous open: each host asks before it is asked, so both are clients
    net2, a, b = pair()
    a.connect("B")
    b.connect("A")
    net2.run(until=2.0)
    assert pcap.ports(net2) == {"A": 49152, "B": 49153}
    # B created first: B is 192.0.2.1
    net3 = Network(seed=0)
    net3.host("B").listen()
    net3.host("A").connect("B")
    net3.run(until=1.0)
    assert pcap.addresses(net3) == {"B": "192.0.2.1", "A": "192.0.2.2"}
    assert pcap.ports(net3) == {"B": 8000, "A": 49153}
    rows = parse(pcap.dumps(net3, addresses={"A": "192.0.2.77"}, ports={"B": 443}))
    assert (rows[0]["src"], rows[0]["sport"], rows[0]["dport"]) == ("192.0.2.77", 49153, 443)


def test_vantage_points():
    net = faulty_story()
    sender = pcap.packets(net)
    lost = [r.segment for r in net.trace if r.kind == "drop"]
    injected = [r.segment for r in net.trace if r.kind == "inject"]
    on_wire = [(r.time, r.segment) for r in net.trace if r.kind in ("send", "inject")]
    assert [(p.time, p.segment) for p in sender] == on_wire
    assert len(on_wire) == len(net.sent) + 1 and (4.0, injected[0]) in on_wire
    assert lost and lost[0] in [p.segment for p in sender]
    arrivals = [(r.time, r.segment) for r in net.trace if r.kind == "arrive"]
    receiver = pcap.packets(net, "receiver")
    assert [(p.time, p.segment) for p in receiver] == arrivals
    count = lambda seg, packets: sum(p.segment == seg for p in packets)  # noqa: E731
    assert count(lost[0], receiver) == count(lost[0], sender) - 1
    data = [p for p in receiver if p.segment.data]
    assert len(data) == 2 and data[0].segment == data[1].segment   # the network's copy
    at_a = pcap.packets(net, "A")
    assert [(p.time, p.segment) for p in at_a] == [
        (r.time, r.segment) for r in net.trace if r.kind in ("send", "arrive") and r.host == "A"]
    assert {p.kind for p in at_a} == {"send", "arrive"}
    times = [p.time for p in at_a]
    assert times == sorted(times)          # an arrival, then the answer it caused
    at_p = pcap.packets(net, "P")
    assert [p.segment for p in at_p] == injected
    for p in at_a + at_p:
        assert p.kind in ("send", "inject", "arrive")


def test_ip_identification_tells_a_retransmission_from_a_network_copy():
    net = faulty_story()
    ids = [(p.segment, r["ip_id"]) for p, r in zip(pcap.packets(net, "receiver"),
                                                   parse(pcap.dumps(net, "receiver")))]
    copies = [i for s, i in ids if s.data]
    assert len(copies) == 2 and copies[0] == copies[1]
    sent = parse(pcap.dumps(net))
    syn_ids = [r["ip_id"] for r in sent if r["flags"] == 0x12]   # B's SYN+ACK, sent again
    assert len(syn_ids) >= 2 and len(set(syn_ids)) == len(syn_ids)
    a_ids = [r["ip_id"] for r in sent if r["src"] == "192.0.2.1"]
    assert a_ids == list(range(1, len(a_ids) + 1))


def test_a_held_segment_arrives_with_the_identification_it_was_sent_with():
    net = stale_syn_story()
    at_b = parse(pcap.dumps(net, "B"))
    syns = [r for r in at_b if r["flags"] == 0x02]
    assert [r["ip_id"] for r in syns] == [2, 1]     # the retransmission, then the old one


def test_twin_segments_sent_at_once_keep_their_own_identification():
    """Two identical RSTs leave A at the same instant (one for each copy of a stray
    SYN+ACK): two datagrams, two numbers, and each arrives with its own."""
    net, a, b = pair()
    b.listen()
    net.duplicate(lambda s: s.src == "B", count=1)
    net.inject(Segment("B", "A", Flag.SYN | Flag.ACK, seq=500, ack=1000))
    net.run()
    rsts = [r for r in net.trace if r.kind == "send" and r.segment.flags == Flag.RST]
    assert len(rsts) == 2 and rsts[0].segment == rsts[1].segment
    assert rsts[0].time == rsts[1].time and rsts[0].journey != rsts[1].journey
    sent = [r["ip_id"] for r in parse(pcap.dumps(net, "A")) if r["flags"] == 0x04]
    arrived = [r["ip_id"] for r in parse(pcap.dumps(net, "B")) if r["flags"] == 0x04]
    assert sent == [1, 2] and sorted(arrived) == [1, 2]


def test_identification_follows_each_journey_of_a_faulty_network():
    for seed in range(6):
        net = Network(seed=seed, loss=0.1, duplicate=0.3, jitter=0.2)
        net.host("A"), net.host("B")
        held = net.hold(lambda s: s.flags == Flag.SYN)
        net["B"].listen()
        net["A"].connect("B")
        net.run(until=2)
        held.release()
        net.run()
        number, counter = {}, {}
        for r in net.trace:
            if r.kind in ("send", "inject"):
                counter[r.host] = counter.get(r.host, 0) + 1
                number[r.journey] = counter[r.host]
            elif r.kind == "duplicate":
                number[r.journey] = number[r.copy_of]
        want = [number[r.journey] for r in net.trace if r.kind == "arrive"]
        assert [r["ip_id"] for r in parse(pcap.dumps(net, "receiver"))] == want


def test_read_gives_back_what_was_written(tmp_path):
    net = close_story()
    path = pcap.write(net, tmp_path / "close.pcap")
    got = pcap.read(path)
    assert [(c.flags, c.seq, c.ack, c.payload, c.window) for c in got] == [
        (s.flags, s.seq, s.ack, s.data, s.window) for _, s in net.sent]
    assert [c.number for c in got] == list(range(1, len(got) + 1))
    assert [c.time for c in got] == pytest.approx([t for t, _ in net.sent])
    assert all(c.ip_checksum_ok and c.tcp_checksum_ok for c in got)
    assert pcap.read(path.read_bytes()) == got


def test_read_notices_a_damaged_checksum():
    blob = bytearray(pcap.dumps(handshake_story()))
    blob[24 + 16 + 14 + 20 + 4] ^= 0x01            # the first frame's seq
    got = pcap.read(bytes(blob))
    assert got[0].ip_checksum_ok and not got[0].tcp_checksum_ok
    assert all(c.tcp_checksum_ok for c in got[1:])
    assert "[bad checksum]" in pcap.table(bytes(blob)).splitlines()[1]


def test_table_reads_as_wireshark_packet_list():
    net = handshake_story()
    blob = pcap.dumps(net)
    assert pcap.table(blob).splitlines() == [
        "No.      Time  Source     Destination  Protocol  Length  Info",
        "  1  0.000000  192.0.2.1  192.0.2.2    TCP           54  49152 → 8000 [SYN] Seq=100 "
        "Win=4096 Len=0",
        "  2  0.100000  192.0.2.2  192.0.2.1    TCP           54  8000 → 49152 [SYN, ACK] "
        "Seq=300 Ack=101 Win=4096 Len=0",
        "  3  0.200000  192.0.2.1  192.0.2.2    TCP           54  49152 → 8000 [ACK] Seq=101 "
        "Ack=301 Win=4096 Len=0"]
    assert [line.split("]", 1)[1] for line in pcap.table(blob, relative=True).splitlines()[1:]] \
        == [" Seq=0 Win=4096 Len=0", " Seq=0 Ack=1 Win=4096 Len=0", " Seq=1 Ack=1 Win=4096 Len=0"]


def test_an_empty_trace_is_an_empty_capture():
    blob = pcap.dumps(Network(seed=0))
    assert len(blob) == 24 and blob == pcap.dumps([])
    assert pcap.read(blob) == [] and pcap.flow(blob) == []
    assert pcap.table(blob) == "No.  Time  Source  Destination  Protocol  Length  Info"
    assert pcap.flow_graph(blob) == "time"


def test_wrong_arguments_are_explained():
    net = handshake_story()
    with pytest.raises(ValueError, match="vantage must be 'sender', 'receiver' or a host"):
        pcap.packets(net, "C")
    with pytest.raises(ValueError, match="only the senders' view"):
        pcap.packets(net.sent, "receiver")
    with pytest.raises(TypeError, match="Network or \\(time, Segment\\) pairs such as net.sent"):
        pcap.packets([1, 2])
    with pytest.raises(ValueError, match="IPv4 address"):
        pcap.packets(net, addresses={"A": "10.0.0"})
    with pytest.raises(ValueError, match="port of 'B'"):
        pcap.packets(net, ports={"B": 70000})
    with pytest.raises(ValueError, match="not a classic pcap"):
        pcap.read(b"\x0a\x0d\x0d\x0a" + bytes(30))


def test_sequence_numbers_near_wrap_around_survive(tmp_path):
    net = Network(seed=0)
    a, b = net.host("A", iss=2**32 - 2), net.host("B", iss=2**32 - 1)
    b.listen()
    a.connect("B")
    net.run(until=1.0)
    a.send(b"xyz")
    net.run(until=2.0)
    rows = parse(pcap.dumps(net))
    assert [(r["seq"], r["ack"]) for r in rows] == [(s.seq, s.ack) for _, s in net.sent]
    assert any(r["ack"] < 10 for r in rows)


# ---------------------------------------------------------------- the file, checked by tshark

TSHARK_FIELDS = ("frame.number", "frame.time_epoch", "ip.src", "ip.dst", "tcp.srcport",
                 "tcp.dstport", "tcp.flags", "tcp.flags.str", "tcp.seq_raw", "tcp.ack_raw",
                 "tcp.seq", "tcp.ack", "tcp.len", "tcp.window_size_value",
                 "tcp.checksum.status", "ip.checksum.status", "_ws.expert.severity",
                 "_ws.col.Info")
PROBLEMS = ("_ws.malformed || _ws.expert.severity == error || tcp.checksum.status != 1 "
            "|| ip.checksum.status != 1")   # a display filter for anything wrong
GOOD = "1"                            # Wireshark's checksum status: 0 bad, 1 good, 2 unverified
ERROR_SEVERITY = 0x00800000           # PI_ERROR in Wireshark's expert info


@pytest.fixture(scope="module")
def tshark():
    path = shutil.which("tshark")
    if path is None:
        pytest.fail("tshark is not installed: these tests check the pcap files with "
                    "Wireshark's dissectors. Install it with `bash tools/system-deps.sh` "
                    "(Debian/Ubuntu: apt-get install tshark), then run the tests again.")
    return path


def run_tshark(tshark, path, *args):
    result = subprocess.run(
        [tshark, "-n", "-r", str(path), "-o", "tcp.check_checksum:TRUE",
         "-o", "ip.check_checksum:TRUE", *args],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def tshark_rows(tshark, path):
    out = run_tshark(tshark, path, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
                     *[x for f in TSHARK_FIELDS for x in ("-e", f)])
    return [dict(zip(TSHARK_FIELDS, line.split("\t"))) for line in out.splitlines()]


def flags_of(bits: int) -> Flag:
    out = Flag(0)
    for f, b in BITS.items():
        if bits & b:
            out |= f
    return out


@pytest.mark.parametrize("name", STORIES, ids=STORIES.keys())
def test_tshark_reads_the_same_segments_with_good_checksums(tshark, tmp_path, name):
    net = STORIES[name]()
    path = pcap.write(net, tmp_path / f"{name}.pcap")
    rows = tshark_rows(tshark, path)
    assert len(rows) == len(net.sent)
    ip = pcap.addresses(net)
    for i, (row, (t, s)) in enumerate(zip(rows, net.sent), start=1):
        assert row["frame.number"] == str(i)
        assert float(row["frame.time_epoch"]) == pytest.approx(EPOCH_2026 + t, abs=1e-6)
        assert (row["ip.src"], row["ip.dst"]) == (ip[s.src], ip[s.dst])
        assert flags_of(int(row["tcp.flags"], 16)) == s.flags, row
        assert int(row["tcp.seq_raw"]) == s.seq and int(row["tcp.ack_raw"]) == s.ack, row
        assert int(row["tcp.len"]) == len(s.data)
        assert int(row["tcp.window_size_value"]) == s.window
        assert row["tcp.checksum.status"] == GOOD and row["ip.checksum.status"] == GOOD, row
        severities = [int(x) for x in row["_ws.expert.severity"].split(",") if x]
        assert all(sev < ERROR_SEVERITY for sev in severities), row
    # Wireshark's own word on the flags of the handshake's three segments
    if name == "handshake":
        assert [r["tcp.flags.str"].replace("\u00b7", ".") for r in rows] == [
            "..........S.", ".......A..S.", ".......A...."]


@pytest.mark.parametrize("name", ALL_STORIES, ids=ALL_STORIES.keys())
def test_tshark_finds_nothing_malformed_and_no_error(tshark, tmp_path, name):
    net = ALL_STORIES[name]()
    for vantage in ("sender", "receiver", *pcap.addresses(net)):
        path = pcap.write(net, tmp_path / f"{name}-{vantage}.pcap", vantage=vantage)
        assert run_tshark(tshark, path, "-Y", PROBLEMS) == "", vantage
        assert len(run_tshark(tshark, path).splitlines()) == len(pcap.packets(net, vantage))


@pytest.mark.parametrize("name", ALL_STORIES, ids=ALL_STORIES.keys())
def test_relative_numbers_and_info_column_match_wireshark(tshark, tmp_path, name):
    net = ALL_STORIES[name]()
    for vantage in ("sender", "receiver", *pcap.addresses(net)):
        path = pcap.write(net, tmp_path / f"{name}-{vantage}.pcap", vantage=vantage)
        rows = tshark_rows(tshark, path)
        ours = pcap.table(path, relative=True).splitlines()[1:]
        assert len(ours) == len(rows)
        for row, line in zip(rows, ours):
            theirs = re.sub(r"\[TCP [^]]*\] ?", "", row["_ws.col.Info"]).strip()
            assert line.split("  ")[-1] == theirs, (vantage, row)


def test_tshark_sees_a_damaged_checksum(tshark, tmp_path):
    # the check above would pass on a dissector that never verifies: make sure it does
    blob = bytearray(pcap.dumps(handshake_story()))
    blob[24 + 16 + 14 + 20 + 4] ^= 0x01
    path = tmp_path / "bad.pcap"
    path.write_bytes(bytes(blob))
    rows = tshark_rows(tshark, path)
    assert [r["tcp.checksum.status"] for r in rows] == ["0", GOOD, GOOD]
    assert [line.split()[0] for line in run_tshark(tshark, path, "-Y", PROBLEMS).splitlines()] \
        == ["1"]
    # and a header that lies about its length is reported malformed
    blob = bytearray(pcap.dumps(handshake_story()))
    blob[24 + 16 + 14 + 20 + 12] = 0xF0             # data offset 15 words in a 20-byte header
    path.write_bytes(bytes(blob))
    assert len(run_tshark(tshark, path, "-Y", "_ws.malformed").splitlines()) == 1


def tshark_flow(tshark, path, relative):
    """The arrows of ``tshark -z flow,tcp,network``: (label, comment, from port, to port)."""
    out = run_tshark(tshark, path, "-q", "-z", "flow,tcp,network",
                     "-o", f"tcp.relative_sequence_numbers:{'TRUE' if relative else 'FALSE'}")
    arrows, pending = [], None
    for line in out.splitlines():
        fields = [f.strip() for f in line.split("|")]
        if re.fullmatch(r"\d+\.\d{6}", next((f for f in fields if f), "x")) or (
                len(fields) > 2 and re.fullmatch(r"\d+\.\d{6}", fields[1])):
            texts = [f for f in fields if f]
            time_at = next(i for i, f in enumerate(texts) if re.fullmatch(r"\d+\.\d{6}", f))
            pending = (texts[time_at + 1], texts[-1])
        elif pending and ("-->" in line or "<--" in line):
            left, right = map(int, re.findall(r"\((\d+)\)", line))
            sport, dport = (left, right) if "-->" in line else (right, left)
            arrows.append((*pending, sport, dport))
            pending = None
    return arrows


@pytest.mark.parametrize("name", ALL_STORIES, ids=ALL_STORIES.keys())
def test_flow_graph_labels_match_wiresharks_flow_graph(tshark, tmp_path, name):
    net = ALL_STORIES[name]()
    for vantage in ("sender", "receiver", *pcap.addresses(net)):
        path = pcap.write(net, tmp_path / f"{name}-{vantage}.pcap", vantage=vantage)
        for relative in (True, False):
            ours = [(f.label, f.comment, f.sport, f.dport)
                    for f in pcap.flow(path, relative=relative)]
            assert ours == tshark_flow(tshark, path, relative), (vantage, relative)
            assert len(ours) == len(pcap.packets(net, vantage))


def test_flow_graph_text_draws_the_ladder():
    net = handshake_story()
    names = {ip: name for name, ip in pcap.addresses(net).items()}
    assert pcap.flow_graph(pcap.dumps(net), names=names).splitlines() == [
        "time      192.0.2.1           192.0.2.2",
        "          A 49152             B 8000",
        "0.000000  |------- SYN ------>|  Seq = 0",
        "0.100000  |<---- SYN, ACK ----|  Seq = 0 Ack = 1",
        "0.200000  |------- ACK ------>|  Seq = 1 Ack = 1"]
    raw = pcap.flow_graph(pcap.dumps(net), relative=False).splitlines()
    assert [line.split("|")[-1].strip() for line in raw[2:]] == [
        "Seq = 100", "Seq = 300 Ack = 101", "Seq = 101 Ack = 301"]


# --------------------------------------------------------------------------- what lesson 10 says

def test_lesson_09_relative_numbers_of_the_close():
    net = close_story()
    arrows = pcap.flow(pcap.dumps(net))
    fins = [a for a in arrows if a.label == "FIN, ACK"]
    assert [a.comment for a in fins] == ["Seq = 6 Ack = 1", "Seq = 11 Ack = 7"]
    u = next(s for _, s in net.sent if Flag.FIN in s.flags).seq
    assert u == 100 + 6
    assert any(a.label == "ACK" and a.comment == "Seq = 1 Ack = 7" for a in arrows)


def test_lesson_09_wireshark_marks_the_old_syn_a_retransmission(tshark, tmp_path):
    net = stale_syn_story()
    path = pcap.write(net, tmp_path / "stale-at-b.pcap", vantage="B")
    rows = tshark_rows(tshark, path)
    first = next(r.time for r in net.trace if r.kind == "arrive" and r.host == "B")
    assert first == pytest.approx(1.1)
    assert float(rows[0]["frame.time_epoch"]) == pytest.approx(EPOCH_2026 + 1.1)
    late = rows[-3:]
    assert [r["tcp.flags"] for r in late] == ["0x0002", "0x0012", "0x0004"]
    assert all("[TCP Retransmission]" in r["_ws.col.Info"] for r in late[:2])
    assert [r["tcp.seq"] for r in late] == ["0", "0", "1"]
    detail = run_tshark(tshark, path, "-V", "-Y", "frame.number == 3")
    assert "Sequence Number: 1    (relative sequence number)" in detail
    assert "Sequence Number (raw): 101" in detail
