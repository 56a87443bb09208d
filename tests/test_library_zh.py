"""The library's texts that lessons 01-05, 07 and 09 show speak Chinese, and English stays
what it was: the network's notes in the trace, the TCB table, the model checker's
reports, bounds and counterexamples (issue 14)."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import tcplab
from tcplab import Flag, Network
from tcplab.explore import (LESSON_BOUNDS, RECONNECT_SCRIPTS, Bounds, explore,
                            no_old_segment_accepted, no_unasked_connection)
from tcplab.trace import say

CJK = re.compile(r"[\u4e00-\u9fff]")
PO = Path(tcplab.__file__).parent / "locale" / "zh" / "LC_MESSAGES" / "tcplab.po"
AREAS = ("tcplab/network.py", "tcplab/tcb_table.py", "tcplab/explore/")


def faulty_network() -> Network:
    """A connection whose trace has a note of every kind the network writes."""
    net = Network(delay=0.1, msl=2)
    a, b = net.host("A"), net.host("B")
    b.listen()
    net.drop(lambda s: s.flags == Flag.SYN, count=1)
    a.connect("B")
    net.run(until=5)
    held = net.hold(lambda s: Flag.FIN in s.flags, count=1)
    a.close()
    net.run(until=6)
    held.release()
    net.run(until=7)
    net.postpone(lambda s: s.flags == Flag.ACK, count=1, by=45)
    net.duplicate(lambda s: Flag.FIN in s.flags, count=1)
    b.close()
    net.run(until=200)
    return net


def tcb_of_a_connecting_host():
    net = Network(delay=0.1)
    a, b = net.host("A"), net.host("B")
    b.listen()
    a.connect("B")
    net.run(until=0.15)
    return a.tcb_table()


def renderings() -> dict[str, str]:
    """What the lessons show of these texts, as printed and as HTML."""
    net = faulty_network()
    tcb = tcb_of_a_connecting_host()
    two = explore(no_unasked_connection, handshake="two-way", bounds=LESSON_BOUNDS)
    hasty = explore(no_old_segment_accepted, scripts=RECONNECT_SCRIPTS, time_wait=0,
                    bounds=LESSON_BOUNDS)
    three = explore(no_unasked_connection, bounds=LESSON_BOUNDS)
    return {"trace": str(net.trace), "notes": "\n".join(say(r.detail) for r in net.trace
                                                         if r.detail),
            "tcb": str(tcb), "tcb html": tcb._repr_html_(),
            "bounds": str(LESSON_BOUNDS.describe()),
            "report": str(two.report(timing=False)),
            "report html": two.report(timing=False)._repr_html_(),
            "holds": str(three.report(timing=False)), "timed": str(three.report()),
            "counterexample": str(two.counterexample),
            "old segment": str(hasty.counterexample),
            "counterexample html": hasty.counterexample._repr_html_()}


def our_messages() -> list:
    catalog = read_po(PO.open("rb"))
    return [m for m in catalog if m.id and any(
        path.startswith(area) for path, _line in m.locations for area in AREAS)]


def test_these_areas_have_their_messages_in_the_catalogue():
    ids = {m.id for m in our_messages()}
    assert {"dropped by a drop rule", "slow path: {extra:g} s extra in the network",
            "send queue", "VIOLATED — shortest counterexample: {count} steps",
            "no violation within these bounds", "at most {count} segments in flight",
            "arrives: {segment}", "B is never ESTABLISHED for a connection A never asked for."
            } <= ids
    assert len(ids) >= 80


@pytest.fixture(scope="module")
def chinese_renderings():
    tcplab.set_language("zh")
    try:
        return renderings()
    finally:
        tcplab.set_language("en")


@pytest.mark.parametrize("name", ["trace", "notes", "tcb", "tcb html", "bounds", "report",
                                  "report html", "holds", "timed", "counterexample",
                                  "old segment", "counterexample html"])
def test_in_chinese_no_catalogued_english_is_left(chinese_renderings, name):
    shown = chinese_renderings[name]
    assert CJK.search(shown), shown
    # every stretch of words of a message's English that its translation does not keep
    # (one word alone may be part of a name: no_unasked_connection)
    for message in our_messages():
        for piece in re.split(r"\{[^}]*\}", message.id):
            piece = piece.strip(" ;,:()")
            if re.search("[a-z]{2,} [a-z]{2,}", piece) and piece not in message.string:
                assert piece not in shown, (name, message.id)


def test_the_chinese_words_are_the_lectures(chinese_renderings):
    r = chinese_renderings
    assert "被丢弃规则丢弃" in r["notes"] and "慢路径：在网络中多走 45 s" in r["notes"]
    assert "超过 MSL（2 s）：消失" in r["notes"]
    assert "重传队列" in r["tcb"] and "初始接收序号（对方的初始序号 ISN）" in r["tcb"]
    assert "判定    违反 —— 最短反例：6 步" in r["report"]
    assert "在这些界限之内没有违反" in r["holds"]        # lesson 09's words
    assert "网络中最多 3 个报文段，0 次丢失，1 次复制，1 次重传，1 次乱序" == r["bounds"]
    assert "  2  1 s 后，A 的重传计时器到时；发送 A→B SYN, seq=x" in r["counterexample"]
    assert "时间等待计时器（2MSL）" in r["old segment"] and "化身" in r["old segment"]
    # the HTML table's "what happens" keeps the step and what it sends, not the changes
    assert "A 调用 connect(&#x27;B&#x27;)；发送 A→B SYN, seq=x</td>" in r["counterexample html"]


def test_a_chinese_tcb_table_lines_up(chinese_renderings):
    from tcplab.text import width
    rows = chinese_renderings["tcb"].splitlines()[1:]
    # the third column starts at the same place on every row
    starts = {width(row[:row.index(m)]) for row, m in zip(rows, (
        "连接的两端", "状态机", "已发送但", "下一个要", "发送窗口", "初始发送", "期望收到",
        "接收窗口", "初始接收", "已从应用", "已发送、", "在 RCV.NXT", "正在运行"))}
    assert len(starts) == 1


ENGLISH_TCB = """\
TCB (传输控制块) of A at t=0.150 s
  connection            A ↔ B                                       the two ends: host names (this toy network has no ports)
  state                 SYN-SENT                                    where the state machine is
  SND.UNA               3626764237                                  oldest sequence number not yet acknowledged
  SND.NXT               3626764238                                  next sequence number to send
  SND.WND               0                                           send window: what the peer advertised
  ISS                   3626764237                                  initial send sequence number (mine)
  RCV.NXT               –                                           next sequence number expected from the peer
  RCV.WND               4096                                        receive window: what I advertise
  IRS                   –                                           initial receive sequence number (the peer's ISN)
  send queue            empty                                       accepted from the application, not yet sent
  retransmission queue  seq=3626764237 SYN                          sent, not yet acknowledged
  reassembly queue      empty                                       arrived ahead of RCV.NXT
  timers                retransmit expires at 1.000 s (in 0.850 s)  running timers"""

ENGLISH_REPORT = """\
tcplab.explore
  property  no_unasked_connection: B is never ESTABLISHED for a connection A never asked for.
  model     two-way handshake; A: connect(), close() in ESTABLISHED; B: listen(), close() in CLOSE-WAIT, listen(); ISNs: A 100, B 300; MSL 30 s, TIME-WAIT 60 s
  bounds    at most 3 segments in flight, 0 losses, 1 duplicate, 1 retransmission, 1 re-ordering
  verdict   VIOLATED — shortest counterexample: 6 steps
  explored  141 states, 200 transitions, depth 6"""

ENGLISH_COUNTEREXAMPLE = """\
  0  A CLOSED, B CLOSED
  1  A calls connect('B'); A CLOSED → SYN-SENT; sends A→B SYN, seq=x
  2  1 s later, A's retransmission timer expires; sends A→B SYN, seq=x
  3  arrives: A→B SYN, seq=x; sends B→A RST+ACK, seq=0, ack=x+1
  4  B calls listen(); B CLOSED → LISTEN
  5  arrives: A→B SYN, seq=x; B LISTEN → ESTABLISHED; sends B→A SYN+ACK, seq=y, ack=x+1
  6  arrives: B→A RST+ACK, seq=0, ack=x+1; A SYN-SENT → CLOSED
     → A CLOSED, B ESTABLISHED: breaks no_unasked_connection (B is never ESTABLISHED for a connection A never asked for.)"""

ENGLISH_NOTES = [
    "dropped by a drop rule", "retransmission", "held in the network",
    "held segment put back on the wire", "the network made a copy",
    "slow path: 45 s extra in the network", "older than MSL (2 s): gone"]


def test_english_is_what_it_was_before_the_catalogue():
    r = renderings()
    assert r["tcb"] == ENGLISH_TCB
    assert r["report"] == ENGLISH_REPORT
    assert r["counterexample"] == ENGLISH_COUNTEREXAMPLE
    notes = r["notes"].splitlines()
    assert all(note in notes for note in ENGLISH_NOTES)
    assert r["bounds"] == ("at most 3 segments in flight, 0 losses, 1 duplicate, "
                           "1 retransmission, 1 re-ordering")
    assert Bounds(in_flight=1, losses=1, reorders=None, depth=5).describe() == (
        "at most 1 segment in flight, 1 loss, 1 duplicate, 1 retransmission, "
        "any re-ordering, at most 5 steps")
    assert "<th>variable</th><th>value</th><th>meaning</th>" in r["tcb html"]
    assert not CJK.search(r["report html"])


def test_texts_stay_english_as_data_in_chinese(chinese_renderings):
    """What code compares (a row's value, a record's note, a step's text) is the English."""
    tcplab.set_language("zh")
    try:
        net = faulty_network()
        assert "dropped by a drop rule" in [r.detail for r in net.trace]
        assert tcb_of_a_connecting_host()["send queue"] == "empty"
        report = explore(no_unasked_connection, handshake="two-way",
                         bounds=LESSON_BOUNDS).report(timing=False)
        assert dict(report.rows)["verdict"] == "VIOLATED — shortest counterexample: 6 steps"
        assert LESSON_BOUNDS.describe() == ENGLISH_REPORT.splitlines()[3].split("bounds    ")[1]
    finally:
        tcplab.set_language("en")
