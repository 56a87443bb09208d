"""Segment, Flag, and the lecture's two ways of writing a segment (numeric, symbolic)."""

import dataclasses

import pytest

from tcplab import Flag, Network, Notation, Segment
from tcplab.seqnum import MOD


# --------------------------------------------------------------------------- Flag

def test_flag_strings_are_the_lectures():
    assert str(Flag.SYN | Flag.ACK) == "SYN+ACK"
    assert str(Flag.ACK | Flag.SYN) == "SYN+ACK"          # order of | does not matter
    assert str(Flag.FIN | Flag.ACK) == "FIN+ACK"
    assert str(Flag.RST | Flag.ACK) == "RST+ACK"
    assert str(Flag.SYN) == "SYN"
    assert str(Flag.ACK) == "ACK"
    assert str(Flag.RST) == "RST"
    assert str(Flag(0)) == "-"


def test_flags_combine():
    f = Flag.SYN | Flag.ACK
    assert Flag.SYN in f and Flag.ACK in f and Flag.FIN not in f


# --------------------------------------------------------------------------- Segment: a frozen value

def test_segment_fields_and_defaults():
    s = Segment("A", "B", Flag.SYN, 100)
    assert (s.src, s.dst, s.flags, s.seq, s.ack, s.data) == ("A", "B", Flag.SYN, 100, 0, b"")


def test_segment_is_frozen():
    s = Segment("A", "B", Flag.SYN, 100)
    for name, value in [("seq", 1), ("ack", 1), ("flags", Flag.ACK), ("data", b"x"),
                        ("src", "C"), ("dst", "C")]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(s, name, value)
    assert s.seq == 100 and s.src == "A"


def test_segment_is_a_hashable_value():
    a = Segment("A", "B", Flag.SYN | Flag.ACK, 300, 101)
    b = Segment("A", "B", Flag.SYN | Flag.ACK, 300, 101)
    assert a == b and hash(a) == hash(b)
    assert a != dataclasses.replace(a, seq=301)
    assert len({a, b}) == 1


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(seq=-1), ValueError, "seq"),
    (dict(seq=MOD), ValueError, "seq"),
    (dict(flags=Flag.ACK, ack=-1), ValueError, "ack"),
    (dict(flags=Flag.ACK, ack=MOD), ValueError, "ack"),
    (dict(flags=Flag.SYN, ack=5), ValueError, "ACK flag"),     # ack must be 0 without ACK
    (dict(ack=1), ValueError, "ACK flag"),
    (dict(seq=1.0), TypeError, "seq"),
    (dict(seq="1"), TypeError, "seq"),
    (dict(seq=True), TypeError, "seq"),
    (dict(flags=Flag.ACK, ack=2.5), TypeError, "ack"),
    (dict(data="hello"), TypeError, "bytes"),
    (dict(data=[1, 2]), TypeError, "bytes"),
    (dict(flags=2), TypeError, "Flag"),
    (dict(flags="SYN"), TypeError, "Flag"),
    (dict(flags=None), TypeError, "Flag"),
    (dict(src=1), TypeError, "host names"),
    (dict(dst=None), TypeError, "host names"),
])
def test_segment_rejects_bad_fields_with_clear_errors(kwargs, error, words):
    fields = dict(src="A", dst="B")
    fields.update(kwargs)
    with pytest.raises(error, match=words):
        Segment(**fields)


def test_segment_accepts_the_extremes():
    s = Segment("A", "B", Flag.ACK, MOD - 1, MOD - 1)
    assert s.seq == MOD - 1 and s.ack == MOD - 1
    assert Segment("A", "B", Flag.SYN, 0).seq == 0


def test_bytes_like_data_becomes_bytes():
    s = Segment("A", "B", Flag.ACK, 1, 1, bytearray(b"hi"))
    assert s.data == b"hi" and type(s.data) is bytes


# --------------------------------------------------------------------------- len / end

@pytest.mark.parametrize("flags, data, length", [
    (Flag.SYN, b"", 1),
    (Flag.SYN | Flag.ACK, b"", 1),
    (Flag.ACK, b"", 0),                 # a pure ACK occupies no sequence number
    (Flag.ACK, b"hello", 5),
    (Flag.FIN | Flag.ACK, b"", 1),
    (Flag.FIN | Flag.ACK, b"bye", 4),
    (Flag.SYN | Flag.FIN, b"ab", 4),
    (Flag.RST, b"", 0),
])
def test_len_counts_syn_fin_and_data(flags, data, length):
    ack = 7 if Flag.ACK in flags else 0
    s = Segment("A", "B", flags, 1000, ack, data)
    assert s.len == length
    assert s.end == 1000 + length


def test_end_wraps_around():
    s = Segment("A", "B", Flag.ACK, MOD - 2, 1, b"abcd")
    assert s.end == 2


def test_has():
    s = Segment("A", "B", Flag.SYN | Flag.ACK, 1, 2)
    assert s.has(Flag.SYN) and s.has(Flag.SYN | Flag.ACK)
    assert not s.has(Flag.SYN | Flag.FIN)


# --------------------------------------------------------------------------- numeric notation

def test_numeric_describe():
    assert Segment("A", "B", Flag.SYN, 100).describe() == "SYN seq=100"
    assert Segment("B", "A", Flag.SYN | Flag.ACK, 300, 101).describe() == "SYN+ACK seq=300 ack=101"
    assert Segment("A", "B", Flag.ACK, 101, 301).describe() == "ACK seq=101 ack=301"
    assert Segment("A", "B", Flag.ACK, 101, 301, b"hello").describe() == \
        "ACK seq=101 ack=301 len=5"
    assert Segment("A", "B", Flag.ACK, 101, 301, b"hello").describe(data=False) == \
        "ACK seq=101 ack=301"
    assert Segment("A", "B", Flag.RST, 7).describe() == "RST seq=7"   # no ack without ACK


def test_str_names_the_hosts():
    text = str(Segment("A", "B", Flag.SYN, 100))
    assert text.startswith("A") and "B" in text and text.endswith("SYN seq=100")


# --------------------------------------------------------------------------- symbolic notation

def _story(iss_a=100, iss_b=300, seed=0, data=b""):
    """The lecture's story: handshake, (optional data A->B), four-way close with a pause."""
    net = Network(seed=seed)
    a, b = net.host("A", iss=iss_a), net.host("B", iss=iss_b)
    b.listen()
    a.connect("B")
    net.run()
    if data:
        a.send(data)
        net.run()
    a.close()
    net.run(until=net.now + 1.0)     # B is in CLOSE-WAIT: half-closed for a while
    b.close()
    net.run()
    return net, a, b


LECTURE = [
    "SYN, seq=x",
    "SYN+ACK, seq=y, ack=x+1",
    "ACK, seq=x+1, ack=y+1",
    "FIN+ACK, seq=u, ack=y+1",
    "ACK, seq=v, ack=u+1",
    "FIN+ACK, seq=w, ack=u+1",
    "ACK, seq=u+1, ack=w+1",
]


@pytest.mark.parametrize("iss_a, iss_b, seed", [
    (100, 300, 0),
    (MOD - 1, MOD - 2, 0),   # numbers wrap during the story: letters must not care
    (None, None, 1),         # random ISNs chosen by the network
    (None, None, 2),
])
def test_symbolic_handshake_and_close_story(iss_a, iss_b, seed):
    net, a, b = _story(iss_a, iss_b, seed)
    notation = Notation.from_segments(net.sent)
    lines = [seg.describe(notation, when=t) for t, seg in net.sent]
    assert lines == LECTURE
    # who said what: A, B, A, A, B, B, A
    assert [seg.src for _, seg in net.sent] == list("ABAABBA")


def test_the_same_number_is_x_plus_1_then_u():
    net, a, b = _story(100, 300)
    notation = Notation.from_segments(net.sent)
    (t_ack, ack), (t_fin, fin) = net.sent[2], net.sent[3]
    assert ack.seq == fin.seq == 101               # the very same number ...
    assert ack.describe(notation, when=t_ack) == "ACK, seq=x+1, ack=y+1"
    assert fin.describe(notation, when=t_fin) == "FIN+ACK, seq=u, ack=y+1"   # ... now u
    # u's anchor has a `since`: it is the time the FIN was sent (and no end: no new SYN)
    inf = float("inf")
    u = [e for e in notation.anchors["A"] if e[0] == "u"]
    assert u == [("u", 101, t_fin, inf)]
    assert notation.anchors["A"][0] == ("x", 100, -inf, inf)
    assert notation.anchors["B"][0] == ("y", 300, -inf, inf)


def test_symbolic_story_with_data():
    net, a, b = _story(100, 300, data=b"hello")
    assert b.received == b"hello"
    notation = Notation.from_segments(net.sent)
    lines = [seg.describe(notation, when=t) for t, seg in net.sent]
    assert lines[:3] == LECTURE[:3]
    assert lines[3] == "ACK, seq=x+1, ack=y+1, len=5"
    assert lines[4] == "ACK, seq=y+1, ack=x+6"
    assert lines[5:] == LECTURE[3:]                      # u = x+6 is now called u
    t_fin, fin = net.sent[5]
    assert fin.seq == 106


def test_notation_accepts_plain_segments_too():
    net, a, b = _story()
    by_pairs = Notation.from_segments(net.sent)
    segs = [seg for _, seg in net.sent]
    by_segments = Notation.from_segments(segs)
    # letters are the same; only the `since` times differ (indices instead of times)
    strip = lambda n: {h: [e[:2] for e in es] for h, es in n.anchors.items()}  # noqa: E731
    assert strip(by_pairs) == strip(by_segments)


def test_notation_by_hand():
    n = Notation({"A": [("x", 100)], "B": [("y", 300), ("w", 305, 10.0)]})
    assert n.name("A", 100) == "x"
    assert n.name("A", 150) == "x+50"
    assert n.name("A", 99) == "99"                 # before every anchor: as it is
    assert n.name("C", 7) == "7"                   # a space with no anchor
    assert n.name("B", 306, when=5.0) == "y+6"     # w is not in force yet
    assert n.name("B", 306, when=10.0) == "w+1"
    assert n.name("B", 306) == "w+1"


def test_notation_anchor_with_an_end():
    n = Notation({"A": [("x", 100), ("u", 150, 5.0, 9.0)]})
    assert n.name("A", 151, when=4.0) == "x+51"
    assert n.name("A", 151, when=5.0) == "u+1"
    assert n.name("A", 151, when=8.9) == "u+1"
    assert n.name("A", 151, when=9.0) == "x+51"    # `until` is not included
    assert n.name("A", 151) == "x+51"              # at the end of time u is over


def test_a_new_connection_attempt_ends_u_v_w():
    net, a, b = _story(100, 300)
    end_of_story = len(net.sent)
    net.run(until=net.now + 1)
    b.listen()
    a.connect("B")                                 # the same ISN 100 again: x again
    net.run()
    notation = Notation.from_segments(net.sent)
    lines = [seg.describe(notation, when=t) for t, seg in net.sent]
    assert lines[:end_of_story] == LECTURE         # the first story keeps its letters
    t_syn = net.sent[end_of_story][0]
    for host in "AB":
        for letter, value, since, until in notation.anchors[host]:
            assert until == (float("inf") if letter in "xy" else t_syn)
    assert lines[end_of_story] == "SYN, seq=x"
    assert lines[end_of_story + 2] == "ACK, seq=x+1, ack=y+1"   # not "seq=u" any more


def test_describe_with_notation():
    n = Notation({"A": [("x", 100)], "B": [("y", 300)]})
    assert Segment("A", "B", Flag.SYN, 100).describe(n) == "SYN, seq=x"
    assert Segment("B", "A", Flag.SYN | Flag.ACK, 300, 101).describe(n) == \
        "SYN+ACK, seq=y, ack=x+1"
    assert Segment("A", "B", Flag.ACK, 101, 301, b"abc").describe(n) == \
        "ACK, seq=x+1, ack=y+1, len=3"
