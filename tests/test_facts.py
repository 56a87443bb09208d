"""Issue 12's new stories and library pieces: the lost third segment, abort with data,
RFC 6528's ISNs against an off-path guess, and the TCB in full."""

from __future__ import annotations

import pytest

from tcplab import Flag, Network, State, stories
from tcplab.isn import KeyedIsn, clock_isn, predict_clock
from tcplab.scenarios import play
from tcplab.trace import Kind

S = State


def _sent(net, src=None):
    return [s for _, s in net.sent if src is None or s.src == src]


# ------------------------------------------------------------------ the lost third segment

def test_lost_third_ack_b_retransmits_and_a_acks_again():
    net, a, b = stories.lost_third_ack()
    assert a.history == [S.CLOSED, S.SYN_SENT, S.ESTABLISHED]
    assert b.history == [S.CLOSED, S.LISTEN, S.SYN_RECEIVED, S.ESTABLISHED]
    syn_acks = [(t, s) for t, s in net.sent if s.has(Flag.SYN | Flag.ACK)]
    assert [round(t, 3) for t, _ in syn_acks] == [0.1, 1.1]        # B's timer: 1 s
    acks = [(round(t, 3), s) for t, s in net.sent if s.src == "A" and s.flags == Flag.ACK]
    assert [t for t, _ in acks] == [0.2, 1.2]                      # A answers the repeat
    assert acks[0][1] == acks[1][1]                                # with the same ACK
    entered = [r.time for r in net.trace if r.kind == Kind.STATE and r.host == "B"
               and r.state is S.ESTABLISHED]
    assert entered == [pytest.approx(1.3)]


def test_lost_third_ack_data_completes_the_handshake():
    net, a, b = stories.lost_third_ack(data_at=0.5)
    assert b.state is S.ESTABLISHED and b.received == b"hello"
    entered = [r.time for r in net.trace if r.kind == Kind.STATE and r.host == "B"
               and r.state is S.ESTABLISHED]
    assert entered == [pytest.approx(0.6)]
    syn_acks = [s for s in _sent(net, "B") if s.has(Flag.SYN | Flag.ACK)]
    assert len(syn_acks) == 1                                      # no retransmission


def test_lost_third_ack_scenario():
    session = play("lost-third-ack")
    assert [h.state for h in session.hosts] == [S.SYN_SENT, S.SYN_RECEIVED]
    session.do("run")
    net = session.net
    drops = [r for r in net.trace if r.kind == Kind.DROP]
    assert len(drops) == 1 and drops[0].segment.src == "A" and drops[0].segment.flags == Flag.ACK
    assert session.host("B").history[-2:] == [S.SYN_RECEIVED, S.ESTABLISHED]


# ------------------------------------------------------------------ abort with data

def test_abort_flushes_queued_data_and_resets_the_peer():
    net, a, b = stories.pair(window=1000)
    stories.play(net, stories.opening() + (("call", "A", "send", b"x" * 3000), ("run", 1.05)))
    table = a.tcb_table()
    assert table["send queue"] == "2000 bytes"
    assert table["retransmission queue"].count("data") == 2
    a.abort()
    rst = _sent(net)[-1]
    assert rst.flags == Flag.RST | Flag.ACK and rst.seq == 100 + 1001     # SND.NXT
    net.run()
    assert a.state is S.CLOSED and b.state is S.CLOSED
    assert b.error.startswith("connection reset")
    assert len(b.received) == 1000                  # what was already on the wire
    assert not any(s.flags & Flag.FIN for s in _sent(net))


def test_abort_with_data_story():
    net, a, b = stories.abort_with_data()
    rsts = [s for s in _sent(net, "A") if Flag.RST in s.flags]
    assert rsts[0].flags == Flag.RST | Flag.ACK and rsts[0].seq == 100 + 1001
    assert a.error is None and b.error.startswith("connection reset")
    assert b.history[-1] is S.CLOSED and S.CLOSE_WAIT not in b.history
    assert len(b.received) == 1000


def test_abort_with_data_scenario():
    session = play("abort-with-data")
    a, b = session.hosts
    assert a.endpoint.tcb.rtx and a.state is S.ESTABLISHED
    session.do("call", "A", "abort")
    session.do("run")
    assert a.state is S.CLOSED and b.state is S.CLOSED and b.error


# ------------------------------------------------------------------ ISNs

def test_keyed_isn_is_clock_plus_a_secret_offset():
    f = KeyedIsn.from_seed(0, "A")
    assert f(5.0, "A", "B") == (clock_isn(5.0) + f.offset("A", "B")) % 2**32
    assert f.offset("A", "B") != f.offset("A", "C")
    assert KeyedIsn.from_seed(1, "A").offset("A", "B") != f.offset("A", "B")
    assert KeyedIsn.from_seed(0, "A")(5.0, "A", "B") == f(5.0, "A", "B")   # deterministic
    assert f(6.0, "A", "B") - f(5.0, "A", "B") == 250_000                  # the clock ticks
    with pytest.raises(TypeError, match="secret"):
        KeyedIsn(b"")


def test_network_rfc6528_isn_per_connection():
    net = Network(seed=3)
    a, b = net.host("A", iss="rfc6528"), net.host("B", iss="rfc6528")
    b.listen()
    a.connect("B")
    assert a.iss == KeyedIsn.from_seed(3, "A")(0.0, "A", "B")
    net.run(until=1.0)
    assert b.iss == KeyedIsn.from_seed(3, "B")(0.1, "B", "A")
    with pytest.raises(ValueError, match="'rfc6528'"):
        net.host("C", iss="md5")


def test_predict_clock():
    assert predict_clock(clock_isn(1.0), 1.0, 10.0) == clock_isn(10.0)


def test_isn_guess_resets_a_clock_connection():
    g = stories.isn_guess("clock")
    assert g.guess == g.actual
    assert g.b.state is S.CLOSED and g.b.error.startswith("connection reset by A")
    injected = [r for r in g.net.trace if r.kind == Kind.INJECT]
    assert len(injected) == 1 and injected[0].segment.seq == (g.actual + 1) % 2**32


def test_isn_guess_fails_against_rfc6528():
    g = stories.isn_guess("rfc6528")
    assert g.guess != g.actual
    assert g.b.state is S.ESTABLISHED and g.b.error is None
    arrived = [r for r in g.net.trace if r.host == "B" and r.kind == Kind.IGNORE
               and r.segment is not None and Flag.RST in r.segment.flags]
    assert len(arrived) == 1


# ------------------------------------------------------------------ the TCB in full

def test_tcb_table_reads_the_tcb():
    net, a, b = stories.opened()
    t = b.tcb_table()
    assert t["connection"] == "B ↔ A" and t["state"] == "ESTABLISHED"
    assert (t["ISS"], t["IRS"], t["SND.NXT"], t["RCV.NXT"]) == ("300", "100", "301", "101")
    assert t["timers"] == "empty"
    text = str(t)
    assert "传输控制块" in text and "RCV.WND" in text
    assert "<table" in t._repr_html_() and "SND.UNA" in t._repr_html_()
    with pytest.raises(KeyError, match="no row 'nope'"):
        t["nope"]


def test_tcb_table_without_connection_and_with_timers():
    net, a, b = stories.pair()
    t = a.tcb_table()
    assert t["connection"] == "A ↔ –" and t["SND.NXT"] == "–" and t["ISS"] == "–"
    a.connect("B")
    t = a.tcb_table()
    assert t["retransmission queue"] == "seq=100 SYN" and "retransmit expires at 1.000 s" in t["timers"]


def test_a_synchronized_syn_is_described_as_syn_ack():
    from tcplab.tcb import Unacked
    u = Unacked(300, Flag.SYN, b"", 0.0)
    assert u.describe() == "SYN" and u.describe(synchronized=True) == "SYN+ACK"
    net2, a2, b2 = stories.pair()
    b2.listen()
    a2.connect("B")
    net2.run(until=0.15)
    assert b2.tcb_table()["retransmission queue"] == "seq=300 SYN+ACK"


# ------------------------------------------------------------------ lessons 01 and 02

@pytest.mark.parametrize("name, minutes, following", [
    ("01-three-way-handshake", 30, "02-four-way-close.ipynb"),
    ("02-four-way-close", 30, "03-why-three-way.ipynb"),
])
def test_lesson_has_objectives_time_references_and_next_link(name, minutes, following):
    import json
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "notebooks" / f"{name}.ipynb"
    cells = ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]
             if c["cell_type"] == "markdown"]
    assert f"**Time:** about {minutes} minutes" in cells[0]
    assert "After this lesson you can" in cells[0]
    assert any(c.startswith("### References") and "RFC 9293" in c and "谢希仁" in c
               for c in cells)
    assert f"]({following})" in cells[-1]
