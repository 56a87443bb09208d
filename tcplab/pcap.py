"""Export a trace as a pcap file that Wireshark and tshark open, and read one back.

    from tcplab import pcap
    pcap.write(net, "handshake.pcap")            # every segment sent, at its send time
    pcap.write(net, "at-b.pcap", vantage="B")    # what a capture on B's interface shows
    print(pcap.table("handshake.pcap"))          # the packet list, as Wireshark shows it

The file is classic libpcap (magic 0xa1b2c3d4, little-endian, microsecond
timestamps, link type 1 = Ethernet), written with :mod:`struct` alone.  Each
segment becomes one Ethernet frame holding a real IPv4 header and a real TCP
header with correct checksums, so Wireshark decodes it like a capture from a
real network.

What the workbook's segments do not say is made up, the same way every time:

addresses   host names map to addresses of the documentation range TEST-NET-1
            (192.0.2.0/24, RFC 5737), which never appears on a real network:
            the first name gets 192.0.2.1, the next 192.0.2.2, and so on.  For a
            :class:`~tcplab.Network` the names come in the order the hosts were
            created (A → 192.0.2.1, B → 192.0.2.2 in every lesson), then any other
            name seen in the trace (an injected segment's sender, a host that does
            not exist); for a list of segments, in order of first appearance.
ports       a segment that carries ports (a connection made with ports:
            ``listen(port=80)``, ``connect("B", port=80)``) is written with its
            own.  A host's single, port-less connection has none, so each host
            gets one port for the whole file.  A host that is sent connection requests
            (SYN without ACK) but never sends one is a *server* and uses port 8000
            (one for which Wireshark has no application dissector, so it shows
            every segment as plain TCP); every other host is a *client* and uses
            the ephemeral-looking port 49152 + its index (A: 49152).  The ports
            stay the same across connections, so a new connection between the
            same two hosts is a new incarnation of the same connection (same four
            numbers), exactly as in lesson 04; Wireshark notes it as "TCP Port
            numbers reused" (or, when the ISN is the same again, takes the new
            SYN for a retransmission).
MAC         02:00:00:00:00:NN (a locally administered address; NN = the last
            byte of the host's IP address).
IPv4        no options, DF set, TTL 64, identification counting the datagrams
            each host sends (1, 2, ...): a retransmission gets a new number, a
            copy the network made keeps the original's.
TCP         no options (data offset 5), the segment's flags, seq, ack, window and
            data; urgent pointer 0.
time        virtual time + 2026-01-01 00:00:00 UTC, rounded to the microsecond,
            so Wireshark shows a sensible date and the bytes never change.

Which events become packets is the **vantage point** of the capture:

``"sender"`` (default)
    every segment put on the wire (each ``send`` record and each ``inject``
    record), once, at the time it left: what captures on the senders' own
    interfaces show, merged.  These are exactly ``net.sent`` (plus injected
    segments), lost, dropped and held ones included, in the order they were
    sent, so Wireshark's flow graph draws the same ladder as
    :func:`tcplab.sequence_diagram`, read by the sending ends.
``"receiver"``
    every segment that reached a host (``arrive`` records) at its arrival time:
    lost segments never appear, a duplicated one appears twice, a held one when
    it finally arrives.
a host name, e.g. ``"A"``
    what a capture on that host's interface (tcpdump on A) shows: its own sends
    (and segments injected in its name) at send time and the segments that
    reach it at arrival time.  A real capture: the other host's lost segments
    and its timing are invisible.

Frames of equal time keep the trace's order.  Nothing else of the trace (states,
timers, drops) is in the file: pcap holds packets only.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence, Union

from .segment import Flag, Segment

__all__ = ["write", "dumps", "packets", "read", "table", "info", "flow", "flow_graph",
           "addresses", "ports", "Packet", "Captured", "FlowItem", "EPOCH", "SERVER_PORT",
           "CLIENT_PORT_BASE", "VANTAGES", "checksum"]

EPOCH = 1767225600                 # 2026-01-01 00:00:00 UTC, added to virtual time
SERVER_PORT = 8000
CLIENT_PORT_BASE = 49152           # first port of the dynamic range (RFC 6335)
VANTAGES = ("sender", "receiver")  # or a host name
NETWORK = "192.0.2."               # TEST-NET-1, RFC 5737
LINKTYPE_ETHERNET = 1
SNAPLEN = 65535
MAGIC = 0xA1B2C3D4                 # microsecond timestamps
MAGIC_NS = 0xA1B23C4D              # nanosecond timestamps (read only)

_FLAG_BITS = ((Flag.FIN, 0x01), (Flag.SYN, 0x02), (Flag.RST, 0x04), (Flag.PSH, 0x08),
              (Flag.ACK, 0x10))
_WIRESHARK_ORDER = ((0x01, "FIN"), (0x02, "SYN"), (0x04, "RST"), (0x08, "PSH"),
                    (0x10, "ACK"), (0x20, "URG"), (0x40, "ECE"), (0x80, "CWR"))

Source = Union["Network", Iterable]  # a Network, or (time, Segment) pairs  # noqa: F821


# --------------------------------------------------------------------------- checksums

def checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071): one's complement of the one's complement sum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _tcp_checksum(src_ip: bytes, dst_ip: bytes, tcp: bytes) -> int:
    pseudo = src_ip + dst_ip + struct.pack("!BBH", 0, 6, len(tcp))
    return checksum(pseudo + tcp)


# --------------------------------------------------------------------------- the plan

@dataclass(frozen=True)
class Packet:
    """One packet of the capture: when, which segment, and the Ethernet frame's bytes."""

    time: float          # virtual time, seconds
    segment: Segment
    frame: bytes
    kind: str            # the trace record it comes from: send, inject, arrive (or "sent")


def _is_network(source) -> bool:
    return hasattr(source, "trace") and hasattr(source, "hosts")


def _events(source, vantage: str) -> list[tuple[float, str, Segment, int]]:
    """(time, kind, segment, ip id) for each packet the vantage point sees, in order."""
    if not _is_network(source):
        if vantage != "sender":
            raise ValueError("a list of (time, Segment) pairs has only the senders' view: "
                             f"vantage must be 'sender', got {vantage!r}")
        counter: dict[str, int] = {}
        out = []
        for t, seg in _pairs(source):
            counter[seg.src] = counter.get(seg.src, 0) + 1
            out.append((float(t), "sent", seg, counter[seg.src]))
        return out
    names = _names_of(source)
    if vantage not in VANTAGES and vantage not in names:
        raise ValueError(f"vantage must be 'sender', 'receiver' or a host name "
                         f"({', '.join(map(repr, names))}), got {vantage!r}")
    counter = {}
    ident: dict[int, int] = {}       # journey → IPv4 identification of its datagram
    out = []
    for r in source.trace:
        seg = r.segment
        if seg is None:
            continue
        if r.kind in ("send", "inject"):
            counter[seg.src] = counter.get(seg.src, 0) + 1
            ident[r.journey] = counter[seg.src]
            if vantage == "sender" or vantage == seg.src:
                out.append((r.time, r.kind, seg, counter[seg.src]))
        elif r.kind == "duplicate":         # a copy keeps its original's number
            ident[r.journey] = ident.get(r.copy_of, 0)
        elif r.kind == "arrive":            # a released segment kept its journey's number
            if vantage == "receiver" or vantage == seg.dst:
                out.append((r.time, r.kind, seg, ident.get(r.journey, 0)))
    return out


def _pairs(source) -> list[tuple[float, Segment]]:
    pairs = list(source)
    for item in pairs:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Segment)
                and isinstance(item[0], (int, float)) and not isinstance(item[0], bool)):
            raise TypeError("pcap takes a tcplab.Network or (time, Segment) pairs such as "
                            f"net.sent, got {item!r}")
    return pairs


def _names_of(source) -> list[str]:
    if _is_network(source):
        names = list(source.hosts)
        segments = [r.segment for r in source.trace if r.segment is not None]
    else:
        names = []
        segments = [seg for _, seg in _pairs(source)]
    for seg in segments:
        for name in (seg.src, seg.dst):
            if name not in names:
                names.append(name)
    return names


def _address_plan(source: Source) -> dict[str, str]:
    """Host name → IPv4 address (192.0.2.1, 192.0.2.2, ... in the documented order)."""
    names = _names_of(source)
    if len(names) > 254:
        raise ValueError(f"192.0.2.0/24 has 254 host addresses; this trace names {len(names)}")
    return {name: f"{NETWORK}{i + 1}" for i, name in enumerate(names)}


def _port_plan(source: Source) -> dict[str, int]:
    """Host name → TCP port: 8000 for a host that is sent connection requests (SYN
    without ACK) but never sends one, 49152 + its index for every other host
    (both hosts of a simultaneous open are clients)."""
    names = _names_of(source)
    segments = ([r.segment for r in source.trace if r.kind in ("send", "inject")]
                if _is_network(source) else [seg for _, seg in _pairs(source)])
    requests = [s for s in segments if Flag.SYN in s.flags and Flag.ACK not in s.flags]
    asked = {s.dst for s in requests} - {s.src for s in requests}
    return {name: SERVER_PORT if name in asked else CLIENT_PORT_BASE + i
            for i, name in enumerate(names)}


def _mac(ip: str) -> bytes:
    return bytes([2, 0, 0, 0, 0, int(ip.rsplit(".", 1)[1])])


def _frame(seg: Segment, ip_id: int, addr: Mapping[str, str], port: Mapping[str, int]) -> bytes:
    src_ip = bytes(map(int, addr[seg.src].split(".")))
    dst_ip = bytes(map(int, addr[seg.dst].split(".")))
    flags = sum(bit for flag, bit in _FLAG_BITS if flag in seg.flags)
    if len(seg.data) > SNAPLEN - 14 - 40:
        raise ValueError(f"a segment of {len(seg.data)} data bytes does not fit in one "
                         "IPv4 datagram")
    sport = port[seg.src] if seg.sport is None else seg.sport
    dport = port[seg.dst] if seg.dport is None else seg.dport
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seg.seq, seg.ack,
                      5 << 4, flags, seg.window, 0, 0) + seg.data
    tcp = tcp[:16] + struct.pack("!H", _tcp_checksum(src_ip, dst_ip, tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), ip_id & 0xFFFF, 0x4000, 64, 6,
                     0, src_ip, dst_ip)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    ether = _mac(addr[seg.dst]) + _mac(addr[seg.src]) + b"\x08\x00"
    return ether + ip + tcp


def packets(source: Source, vantage: str = "sender", *,
            addresses: Mapping[str, str] | None = None,
            ports: Mapping[str, int] | None = None) -> list[Packet]:
    """The packets a capture at ``vantage`` sees, each with its Ethernet frame's bytes.

    ``source`` is a :class:`~tcplab.Network` or ``(time, Segment)`` pairs such as
    ``net.sent`` (then the vantage is "sender").  ``addresses`` and ``ports``
    override the made-up ones (name → "a.b.c.d", name → port) for some names.
    """
    addr = _addresses(source, addresses)
    port = {**_port_plan(source), **(ports or {})}
    for name, number in port.items():
        if isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 65536:
            raise ValueError(f"the port of {name!r} must be a whole number from 1 to 65535, "
                             f"got {number!r}")
    return [Packet(t, seg, _frame(seg, ip_id, addr, port), kind)
            for t, kind, seg, ip_id in _events(source, vantage)]


addresses = _address_plan
ports = _port_plan


def _addresses(source, override) -> dict[str, str]:
    addr = {**_address_plan(source), **(override or {})}
    for name, ip in addr.items():
        parts = ip.split(".") if isinstance(ip, str) else []
        if len(parts) != 4 or not all(p.isdigit() and int(p) < 256 for p in parts):
            raise ValueError(f"the address of {name!r} must be an IPv4 address such as "
                             f"'192.0.2.1', got {ip!r}")
    return addr


def _timestamp(t: float) -> tuple[int, int]:
    micro = round(t * 1_000_000)
    if micro < 0:
        raise ValueError(f"a packet's time cannot be negative, got {t!r}")
    return EPOCH + micro // 1_000_000, micro % 1_000_000


def dumps(source: Source, vantage: str = "sender", **options) -> bytes:
    """The pcap file's bytes (see :func:`packets` for the arguments)."""
    out = [struct.pack("<IHHiIII", MAGIC, 2, 4, 0, 0, SNAPLEN, LINKTYPE_ETHERNET)]
    for p in packets(source, vantage, **options):
        sec, usec = _timestamp(p.time)
        out.append(struct.pack("<IIII", sec, usec, len(p.frame), len(p.frame)))
        out.append(p.frame)
    return b"".join(out)


def write(source: Source, path: str | os.PathLike, vantage: str = "sender",
          **options) -> Path:
    """Write the capture to ``path`` (a .pcap file) and return the path.

    Open it with Wireshark, or ``tshark -r path``.  See the module's help for
    ``vantage`` (default "sender": every segment sent, once, at its send time).
    """
    path = Path(path)
    path.write_bytes(dumps(source, vantage, **options))
    return path


# --------------------------------------------------------------------------- reading

@dataclass(frozen=True)
class Captured:
    """One TCP/IPv4 packet read from a pcap file."""

    number: int          # frame number, from 1 as in Wireshark
    time: float          # seconds since the first packet (Wireshark's Time column)
    epoch: float         # seconds since 1970-01-01 UTC
    src: str
    dst: str
    sport: int
    dport: int
    seq: int
    ack: int
    flag_bits: int       # the TCP header's flag byte
    window: int
    payload: bytes
    ip_checksum_ok: bool
    tcp_checksum_ok: bool
    ip_id: int
    length: int          # frame length in bytes

    @property
    def flags(self) -> Flag:
        """The flags as a :class:`tcplab.Flag` (SYN, ACK, FIN, RST, PSH)."""
        out = Flag(0)
        for flag, bit in _FLAG_BITS:
            if self.flag_bits & bit:
                out |= flag
        return out

    def wireshark_flags(self) -> str:
        """``SYN, ACK`` as Wireshark's Info column writes them."""
        return ", ".join(name for bit, name in _WIRESHARK_ORDER if self.flag_bits & bit)


def read(source: str | os.PathLike | bytes) -> list[Captured]:
    """The TCP/IPv4 packets of a classic pcap file (a path, or the file's bytes).

    Link types Ethernet (1) and raw IPv4 (101/228) are understood; checksums are
    verified, not trusted.  Frames that are not TCP over IPv4 are skipped.
    """
    data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    if len(data) < 24:
        raise ValueError("not a pcap file: shorter than its 24-byte header")
    for order in ("<", ">"):
        magic, = struct.unpack(order + "I", data[:4])
        if magic in (MAGIC, MAGIC_NS):
            break
    else:
        raise ValueError(f"not a classic pcap file (magic {data[:4].hex()}); pcapng is not "
                         "read here")
    scale = 1e-6 if magic == MAGIC else 1e-9
    _, _, _, _, _, linktype = struct.unpack(order + "HHiIII", data[4:24])
    out: list[Captured] = []
    pos, number, first = 24, 0, None
    while pos + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(order + "IIII", data[pos:pos + 16])
        frame = bytes(data[pos + 16:pos + 16 + incl])
        if len(frame) < incl:
            raise ValueError(f"the file ends inside frame {number + 1}")
        pos += 16 + incl
        number += 1
        epoch = sec + frac * scale
        first = epoch if first is None else first
        if linktype == LINKTYPE_ETHERNET:
            if len(frame) < 14 or frame[12:14] != b"\x08\x00":
                continue
            ip = frame[14:]
        elif linktype in (101, 228):
            ip = frame
        else:
            raise ValueError(f"link type {linktype} is not read here")
        if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
            continue
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack("!H", ip[2:4])[0]
        ip = ip[:total]
        tcp = ip[ihl:]
        offset = (tcp[12] >> 4) * 4
        sport, dport, seq, ack = struct.unpack("!HHII", tcp[:12])
        window = struct.unpack("!H", tcp[14:16])[0]
        out.append(Captured(
            number=number, time=round(epoch - first, 9), epoch=epoch,
            src=".".join(map(str, ip[12:16])), dst=".".join(map(str, ip[16:20])),
            sport=sport, dport=dport, seq=seq, ack=ack, flag_bits=tcp[13], window=window,
            payload=bytes(tcp[offset:]), ip_checksum_ok=checksum(ip[:ihl]) == 0,
            tcp_checksum_ok=_tcp_checksum(ip[12:16], ip[16:20], tcp) == 0,
            ip_id=struct.unpack("!H", ip[4:6])[0], length=orig))
    return out


def _relative(captured: Sequence[Captured]) -> list[tuple[int, int]]:
    """Wireshark's relative (seq, ack) for each packet: each direction of a
    connection counts from its ISN (the SYN is 0, the first byte after it 1)."""
    base: dict[tuple, int] = {}
    out = []
    for p in captured:
        fwd = (p.src, p.sport, p.dst, p.dport)
        rev = (p.dst, p.dport, p.src, p.sport)
        if p.flag_bits & 0x02:                  # a SYN sets its direction's ISN
            if p.flag_bits & 0x10 == 0 and fwd in base and p.seq != base[fwd]:
                base.pop(rev, None)             # a new connection: forget the old ISNs
            base[fwd] = p.seq
        elif fwd not in base:                   # no SYN seen: count from here
            base[fwd] = (p.seq - 1) % 2**32
        seq = (p.seq - base[fwd]) % 2**32
        ack = (p.ack - base[rev]) % 2**32 if p.flag_bits & 0x10 and rev in base else p.ack
        out.append((seq, ack))
    return out


def info(p: Captured, seq: int | None = None, ack: int | None = None) -> str:
    """Wireshark's Info column for a TCP packet: ``49152 → 8000 [SYN] Seq=0 Win=4096 Len=0``."""
    seq = p.seq if seq is None else seq
    ack = p.ack if ack is None else ack
    parts = [f"{p.sport} → {p.dport} [{p.wireshark_flags()}] Seq={seq}"]
    if p.flag_bits & 0x10:
        parts.append(f"Ack={ack}")
    parts.append(f"Win={p.window} Len={len(p.payload)}")
    return " ".join(parts)


def table(source: str | os.PathLike | bytes | Sequence[Captured], *,
          relative: bool = False) -> str:
    """The packet list as Wireshark shows it: No., Time, Source, Destination,
    Protocol, Length, Info.

    ``relative=False`` writes the sequence and acknowledgment numbers as they are
    in the headers (Wireshark with "Relative sequence numbers" turned off);
    ``relative=True`` as Wireshark does by default, each direction counted from
    its ISN.  A packet whose checksum is wrong is marked ``[bad checksum]``.
    """
    captured = list(source) if isinstance(source, (list, tuple)) else read(source)
    numbers = _relative(captured) if relative else [(p.seq, p.ack) for p in captured]
    head = ("No.", "Time", "Source", "Destination", "Protocol", "Length", "Info")
    rows = []
    for p, (seq, ack) in zip(captured, numbers):
        text = info(p, seq, ack)
        if not (p.ip_checksum_ok and p.tcp_checksum_ok):
            text += " [bad checksum]"
        rows.append((str(p.number), f"{p.time:.6f}", p.src, p.dst, "TCP", str(p.length), text))
    widths = [max([len(head[i])] + [len(r[i]) for r in rows]) for i in range(len(head) - 1)]
    fmt = lambda row: "  ".join(  # noqa: E731
        [c.rjust(w) if i in (0, 1, 5) else c.ljust(w) for i, (c, w) in
         enumerate(zip(row, widths))] + [row[-1]]).rstrip()
    return "\n".join([fmt(head)] + [fmt(r) for r in rows])


# --------------------------------------------------------------------------- the flow graph

@dataclass(frozen=True)
class FlowItem:
    """One arrow of Wireshark's flow graph (Statistics ▸ Flow Graph, TCP flows)."""

    number: int
    time: float
    src: str
    dst: str
    sport: int
    dport: int
    label: str           # over the arrow: the flags, "ACK - Len: 5" with data
    comment: str         # at the right: "Seq = 0 Ack = 1"


def flow(source: str | os.PathLike | bytes | Sequence[Captured], *,
         relative: bool = True) -> list[FlowItem]:
    """The arrows of Wireshark's TCP flow graph for a pcap file, labelled as Wireshark
    labels them (relative numbers by default, as Wireshark's default)."""
    captured = list(source) if isinstance(source, (list, tuple)) else read(source)
    numbers = _relative(captured) if relative else [(p.seq, p.ack) for p in captured]
    out = []
    for p, (seq, ack) in zip(captured, numbers):
        label = p.wireshark_flags() + (f" - Len: {len(p.payload)}" if p.payload else "")
        comment = f"Seq = {seq}" + (f" Ack = {ack}" if p.flag_bits & 0x10 else "")
        out.append(FlowItem(p.number, p.time, p.src, p.dst, p.sport, p.dport, label, comment))
    return out


def flow_graph(source: str | os.PathLike | bytes | Sequence[Captured], *,
               relative: bool = True, names: Mapping[str, str] | None = None) -> str:
    """Wireshark's TCP flow graph as text: one column per address, time running down,
    one arrow per packet with its flags above and its numbers at the right.

    ``names`` maps an address to a host name for the heading (e.g. the inverse of
    :func:`addresses`).
    """
    items = flow(source, relative=relative)
    nodes: list[str] = []
    ports_of: dict[str, set[int]] = {}
    for it in items:
        for addr, port in ((it.src, it.sport), (it.dst, it.dport)):
            if addr not in nodes:
                nodes.append(addr)
            ports_of.setdefault(addr, set()).add(port)
    width = max([20] + [len(it.label) + 8 for it in items] + [len(n) + 4 for n in nodes])
    span = (len(nodes) - 1) * width + 1 if nodes else 1
    times = [f"{it.time:.6f}" for it in items]
    tw = max([4] + [len(t) for t in times])

    def heading(texts: list[str]) -> str:
        line = [" "] * (span + width)
        for i, text in enumerate(texts):
            start = i * width
            line[start:start + len(text)] = text
        return "".join(line).rstrip()

    names = names or {}
    lines = ["time".ljust(tw) + "  " + heading(nodes),
             " " * tw + "  " + heading([
                 " ".join(filter(None, [names.get(n, ""),
                                        "/".join(map(str, sorted(ports_of[n])))]))
                 for n in nodes])]
    for it, t in zip(items, times):
        row = [" "] * span
        for i in range(len(nodes)):
            row[i * width] = "|"
        a, b = nodes.index(it.src) * width, nodes.index(it.dst) * width
        lo, hi = min(a, b), max(a, b)
        for x in range(lo + 1, hi):
            row[x] = "-"
        if b > a:
            row[hi - 1] = ">"
        else:
            row[lo + 1] = "<"
        text = f" {it.label} "
        start = lo + (hi - lo - len(text)) // 2 + 1
        row[start:start + len(text)] = text
        lines.append(t.rjust(tw) + "  " + "".join(row) + "  " + it.comment)
    return "\n".join(line.rstrip() for line in lines).rstrip()
