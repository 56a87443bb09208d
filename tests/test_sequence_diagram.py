"""The time-sequence (ladder) diagram: what it draws, where, and that it is a clean SVG.

Every story is told with the public API; the SVG is parsed with xml.etree and
read back through the classes and data-* attributes the module writes.
"""

import xml.etree.ElementTree as ET

import pytest

from tcplab import Flag, Network, Segment, stories
from tcplab.diagrams.picture import Picture
from tcplab.diagrams import SequenceDiagram, sequence_diagram

NS = "{http://www.w3.org/2000/svg}"


# --------------------------------------------------------------------------- stories

def pair(seed=0, **kw):
    net = Network(seed=seed, delay=0.1, **kw)
    a = net.host("A", iss=100)
    b = net.host("B", iss=300)
    return net, a, b


# the lecture's stories (tcplab.stories): opened at t=1 s, the four-way close played to
# the end (A waits 2MSL in TIME-WAIT, then CLOSED), and the old SYN released at last
handshake = stories.opened
four_way_close = stories.closed_by
stale_syn = stories.stale_syn


# --------------------------------------------------------------------------- reading the SVG

def parse(diagram):
    return ET.fromstring(diagram.svg())


def classes(el):
    return el.get("class", "").split()


def find(root, cls, tag=None):
    return [e for e in root.iter() if cls in classes(e)
            and (tag is None or e.tag == NS + tag)]


def labels(root):
    """Segment labels as (text, y of their centre), top to bottom."""
    out = []
    for e in find(root, "label", "text"):
        y = float(e.get("y")) - 0.35 * float(e.get("font-size"))
        out.append((e.text, y))
    return sorted(out, key=lambda p: p[1])


def label_texts(root):
    return [t for t, _ in labels(root)]


def segments(root):
    """The groups of the segments' journeys, in the order they left."""
    return find(root, "seg", "g")


def arrow(group):
    """(x1, y1, x2, y2) of the main line of a segment's group."""
    for e in group:
        if "arrow" in classes(e):
            if e.tag == NS + "line":
                return tuple(float(e.get(k)) for k in ("x1", "y1", "x2", "y2"))
            return tuple(float(e.get("data-" + k)) for k in ("x1", "y1", "x2", "y2"))
    raise AssertionError("no arrow in group")


def label_of(root, group):
    """The label text of a segment's group (matched by sender and time)."""
    for e in find(root, "label", "text"):
        if (e.get("data-src"), e.get("data-sent")) == (group.get("data-src"),
                                                        group.get("data-sent")):
            return e.text
    return None


def lifeline_x(root, host):
    xs = {float(e.get("x1")) for e in find(root, "lifeline", "line")
          if e.get("data-host") == host}
    assert len(xs) == 1
    return xs.pop()


def states(root, host):
    """(state name, y of the moment on the line, x of the box centre) for host, in order."""
    out = []
    for g in find(root, "state", "g"):
        if g.get("data-host") != host:
            continue
        text = next(e for e in g if e.tag == NS + "text").text
        rect = next(e for e in g if e.tag == NS + "rect")
        dot = [e for e in g if e.tag == NS + "circle"]
        y = float(dot[0].get("cy")) if dot else None
        x = float(rect.get("x")) + float(rect.get("width")) / 2
        out.append((text, y, x))
    return out


# --------------------------------------------------------------------------- the handshake

def test_handshake_labels_top_to_bottom_and_arrows_slope_down():
    net, a, b = handshake()
    d = sequence_diagram(net)
    assert isinstance(d, SequenceDiagram) and isinstance(d, Picture)
    root = parse(d)
    assert label_texts(root) == ["SYN, seq=x", "SYN+ACK, seq=y, ack=x+1",
                                 "ACK, seq=x+1, ack=y+1"]
    xa, xb = lifeline_x(root, "A"), lifeline_x(root, "B")
    assert xa < xb                                   # A left, B right
    groups = segments(root)
    assert [(g.get("data-src"), g.get("data-dst")) for g in groups] == [
        ("A", "B"), ("B", "A"), ("A", "B")]
    ys = []
    for g in groups:
        x1, y1, x2, y2 = arrow(g)
        assert y2 > y1                               # time runs down: arrival below departure
        sender, receiver = ((xa, xb) if g.get("data-src") == "A" else (xb, xa))
        assert (x1, x2) == (pytest.approx(sender), pytest.approx(receiver))
        assert len([e for e in g if "head" in classes(e)]) == 1
        ys.append((y1, y2))
    # each arrow leaves where the previous one arrived; all take one delay
    assert ys[1][0] == pytest.approx(ys[0][1]) and ys[2][0] == pytest.approx(ys[1][1])
    spans = [y2 - y1 for y1, y2 in ys]
    assert max(spans) - min(spans) < 0.2


def test_handshake_numeric_labels():
    net, a, b = handshake()
    root = parse(sequence_diagram(net, "numeric"))
    assert label_texts(root) == ["SYN seq=100", "SYN+ACK seq=300 ack=101",
                                 "ACK seq=101 ack=301"]


def test_labels_sit_beside_their_arrow_and_do_not_overlap():
    net, a, b = four_way_close()
    root = parse(sequence_diagram(net))
    placed = labels(root)
    for (t1, y1), (t2, y2) in zip(placed, placed[1:]):
        assert y2 - y1 > 12, (t1, t2)                # one line of 12 px text each
    for g in segments(root):
        x1, y1, x2, y2 = arrow(g)
        text = next(e for e in find(root, "label", "text")
                    if e.get("data-sent") == g.get("data-sent")
                    and e.get("data-src") == g.get("data-src"))
        cx = float(text.get("x"))
        cy = float(text.get("y")) - 0.35 * float(text.get("font-size"))
        assert min(x1, x2) < cx < max(x1, x2)
        line_y = y1 + (y2 - y1) * (cx - x1) / (x2 - x1)
        assert 0 < abs(cy - line_y) < 20             # beside the line, not on it


def test_states_written_on_each_line_where_they_change():
    net, a, b = handshake()
    root = parse(sequence_diagram(net))
    xa, xb = lifeline_x(root, "A"), lifeline_x(root, "B")
    sa, sb = states(root, "A"), states(root, "B")
    assert [s[0] for s in sa] == ["CLOSED", "SYN-SENT", "ESTABLISHED"]
    assert [s[0] for s in sb] == ["CLOSED", "LISTEN", "SYN-RECEIVED", "ESTABLISHED"]
    # ESTABLISHED on A's line below SYN-SENT, at the moment the SYN+ACK arrives
    assert sa[2][1] > sa[1][1]
    synack = segments(root)[1]
    assert sa[2][1] == pytest.approx(arrow(synack)[3])
    # B enters SYN-RECEIVED when the SYN arrives
    assert sb[2][1] == pytest.approx(arrow(segments(root)[0])[3])
    # A's states are written left of A's line, B's right of B's line
    assert all(x < xa for _, y, x in sa if y is not None)
    assert all(x > xb for _, y, x in sb if y is not None)


# --------------------------------------------------------------------------- closing

def test_four_way_close_and_time_wait_fit_on_one_screen():
    net, a, b = four_way_close()
    assert net.now == pytest.approx(62.1)   # TIME-WAIT from 2.1 s, 2MSL = 60 s
    d = sequence_diagram(net)
    root = parse(d)
    assert label_texts(root)[3:] == ["FIN+ACK, seq=u, ack=y+1", "ACK, seq=v, ack=u+1",
                                     "FIN+ACK, seq=w, ack=u+1", "ACK, seq=u+1, ack=w+1"]
    sa = states(root, "A")
    assert [s[0] for s in sa][-5:] == ["ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
                                       "TIME-WAIT", "CLOSED"]
    assert [s[0] for s in states(root, "B")][-3:] == ["CLOSE-WAIT", "LAST-ACK", "CLOSED"]
    # the 60 s of TIME-WAIT are drawn short, with a broken axis saying how long
    gaps = [e.text for e in find(root, "gap", "text")]
    assert "≈ 60 s" in gaps
    time_wait, closed = sa[-2][1], sa[-1][1]
    assert 0 < closed - time_wait < 150
    assert d.height < 900 and float(root.get("height")) == pytest.approx(d.height, abs=0.1)


def test_half_close_with_data_from_the_passive_side():
    net, a, b = handshake()
    a.close()
    net.run(until=2)
    b.send(b"still talking")
    net.run(until=3)
    b.close()
    net.run()
    texts = label_texts(parse(sequence_diagram(net)))
    assert texts[3:] == ["FIN+ACK, seq=u, ack=y+1", "ACK, seq=v, ack=u+1",
                         "ACK, seq=v, ack=u+1, len=13", "ACK, seq=u+1, ack=v+13",
                         "FIN+ACK, seq=w, ack=u+1", "ACK, seq=u+1, ack=w+1"]


# --------------------------------------------------------------------------- faults

def test_dropped_segment_ends_in_a_cross_half_way_and_is_retransmitted():
    net, a, b = handshake()
    net.drop(lambda s: s.src == "A" and s.data, count=1)
    a.send(b"hello")
    net.run(until=4)
    root = parse(sequence_diagram(net))
    xa, xb = lifeline_x(root, "A"), lifeline_x(root, "B")
    dropped = [g for g in segments(root) if "drop" in classes(g)]
    assert len(dropped) == 1
    g = dropped[0]
    x1, y1, x2, y2 = arrow(g)
    assert x1 == pytest.approx(xa)
    assert x2 == pytest.approx((xa + xb) / 2, abs=0.1)        # mid-way
    assert y2 > y1
    crosses = [e for e in g if "cross" in classes(e)]
    assert len(crosses) == 1
    assert (float(crosses[0].get("data-x")), float(crosses[0].get("data-y"))) == (
        pytest.approx(x2), pytest.approx(y2))
    assert not [e for e in g if "head" in classes(e)]           # it never arrives
    assert "dropped" in [e.text for e in find(root, "mark", "text")]
    # the retransmission, one RTO later, carries the same label and reaches B
    again = [s for s in segments(root) if "retransmission" in classes(s)]
    assert len(again) == 1 and "arrive" in classes(again[0])
    assert label_of(root, again[0]) == label_of(root, g) == "ACK, seq=x+1, ack=y+1, len=5"
    rx1, ry1, rx2, ry2 = arrow(again[0])
    assert ry1 > y2 and rx2 == pytest.approx(xb)
    assert "retransmission" in [e.text for e in find(root, "note", "text")]


def test_random_loss_is_a_cross_too():
    net = Network(seed=3, delay=0.1, loss=0.5)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    b.listen()
    a.connect("B")
    net.run(until=30)
    lost = sum(1 for r in net.trace if r.kind == "lost")
    assert lost > 0
    root = parse(sequence_diagram(net))
    assert len([g for g in segments(root) if "lost" in classes(g)]) == lost
    assert len(find(root, "cross")) == lost


def test_held_segment_waits_in_a_held_box_and_is_released_later():
    net, a, b = stale_syn()
    root = parse(sequence_diagram(net))
    xa, xb = lifeline_x(root, "A"), lifeline_x(root, "B")
    held = [g for g in segments(root) if "hold" in classes(g)]
    assert len(held) == 1
    g = held[0]
    x1, y1, x2, y2 = arrow(g)
    line = next(e for e in g if "arrow" in classes(e))
    assert line.get("stroke-dasharray")                         # drawn dashed
    assert x1 == pytest.approx(xa) and xa < x2 < xb and y2 > y1
    box = next(e for e in g if "held" in classes(e))
    bx, by = float(box.get("data-x")), float(box.get("data-y"))
    assert (bx, by) == (pytest.approx(x2), pytest.approx(y2))   # the dashed line stops there
    wait = next(e for e in g if "wait" in classes(e))
    assert float(wait.get("y1")) == pytest.approx(by)
    # the release, 63 s later, leaves the box at the release time and reaches B
    released = [s for s in segments(root) if "released" in classes(s)]
    assert len(released) == 1
    rx1, ry1, rx2, ry2 = arrow(released[0])
    assert rx1 == pytest.approx(bx) and ry1 > by + 300
    assert float(wait.get("y2")) == pytest.approx(ry1)
    assert rx2 == pytest.approx(xb) and ry2 > ry1
    assert label_of(root, released[0]) == label_of(root, g) == "SYN, seq=x"
    # the rest of the stale-SYN story: B answers, A resets, B listens again
    texts = label_texts(root)
    assert texts[-3:] == ["SYN, seq=x", "SYN+ACK, seq=y, ack=x+1", "RST, seq=x+1"]
    assert [s[0] for s in states(root, "B")][-3:] == ["LISTEN", "SYN-RECEIVED", "LISTEN"]


def test_segment_still_held_at_the_end_waits_down_to_the_bottom():
    net, a, b = pair()
    net.hold(lambda s: s.flags == Flag.SYN)
    b.listen()
    a.connect("B")
    net.run(until=0.5)
    root = parse(sequence_diagram(net))
    g = [s for s in segments(root) if "hold" in classes(s)][0]
    wait = next(e for e in g if "wait" in classes(e))
    end_line = find(root, "end-line", "line")[0]
    assert float(wait.get("y2")) == pytest.approx(float(end_line.get("y1")))


def test_duplicate_is_a_second_marked_arrow_with_the_same_label():
    net, a, b = handshake()
    net.duplicate(lambda s: s.src == "A" and s.data, count=1)
    a.send(b"hi")
    net.run(until=2)
    root = parse(sequence_diagram(net))
    data = [g for g in segments(root) if label_of(root, g) == "ACK, seq=x+1, ack=y+1, len=2"]
    assert len(data) == 2
    original, copy = data
    assert "copy" not in classes(original) and "copy" in classes(copy)
    # same departure and arrival, but the copy bows out so that both can be seen
    assert arrow(original) == pytest.approx(arrow(copy))
    assert next(e for e in copy if "arrow" in classes(e)).tag == NS + "path"
    assert "duplicate" in [e.text for e in find(root, "note", "text")]
    assert label_texts(root).count("ACK, seq=x+1, ack=y+1, len=2") == 2


def test_segment_in_flight_at_the_end_is_dashed_down_to_the_now_line():
    net, a, b = pair()
    b.listen()
    a.connect("B")
    net.run(until=0.04)                        # the SYN is on the wire
    root = parse(sequence_diagram(net))
    xa, xb = lifeline_x(root, "A"), lifeline_x(root, "B")
    (g,) = segments(root)
    assert "inflight" in classes(g)
    x1, y1, x2, y2 = arrow(g)
    line = next(e for e in g if "arrow" in classes(e))
    assert line.get("stroke-dasharray")
    end_y = float(find(root, "end-line", "line")[0].get("y1"))
    assert y2 == pytest.approx(end_y) and y2 > y1
    assert x2 == pytest.approx(xa + 0.4 * (xb - xa), abs=0.2)  # 0.04 s of a 0.1 s trip
    assert not [e for e in g if "head" in classes(e)]
    assert "in flight" in [e.text for e in find(root, "note", "text")]
    assert find(root, "end", "text")[0].text == "now: t = 0.04 s"


def test_names_without_a_host_get_their_own_line():
    net, a, b = pair()
    b.listen()
    net.inject(Segment("M", "B", Flag.SYN, seq=7))
    a.connect("P")
    net.run(until=0.5)
    d = sequence_diagram(net)
    assert d.hosts == ["A", "B", "M", "P"] and d.ghosts == ["M", "P"]
    root = parse(d)
    injected = [g for g in segments(root) if "injected" in classes(g)]
    assert len(injected) == 1 and arrow(injected[0])[0] == pytest.approx(lifeline_x(root, "M"))
    nowhere = [g for g in segments(root) if "unroutable" in classes(g)]
    assert {g.get("data-dst") for g in nowhere} == {"M", "P"}   # B's SYN+ACK to M, A's SYN to P
    for g in nowhere:
        assert arrow(g)[2] == pytest.approx(lifeline_x(root, g.get("data-dst")))
        assert [e for e in g if "cross" in classes(e)]
    assert "(no host)" in [e.text for e in root.iter(NS + "text")]


def test_hosts_selects_and_orders_the_lines():
    net, a, b = handshake()
    root = parse(sequence_diagram(net, hosts=["B", "A"]))
    assert lifeline_x(root, "B") < lifeline_x(root, "A")
    net2, a2, b2 = handshake()
    c = net2.host("C")
    root = parse(sequence_diagram(net2, hosts=["A", "B"]))
    assert {e.get("data-host") for e in find(root, "lifeline")} == {"A", "B"}


# --------------------------------------------------------------------------- long traces

def test_time_window_keeps_what_happens_inside_and_cuts_the_rest():
    net, a, b = four_way_close()
    d = sequence_diagram(net, start=0.95, end=2.15)
    root = parse(d)
    texts = label_texts(root)
    assert "SYN, seq=x" not in texts and "FIN+ACK, seq=u, ack=y+1" in texts
    # B's FIN leaves at 2.0 and arrives at 2.1: inside; A's last ACK leaves at 2.1,
    # arrives at 2.2: cut at the bottom, drawn as still in flight
    last = segments(root)[-1]
    assert label_of(root, last) == "ACK, seq=u+1, ack=w+1"
    x1, y1, x2, y2 = arrow(last)
    assert y2 == pytest.approx(float(find(root, "end-line", "line")[0].get("y1")))
    # the states in force at the start are written at the top
    assert states(root, "A")[0][:2] == ("ESTABLISHED", None)
    assert [s[0] for s in states(root, "A")][1:] == ["FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT"]
    ticks = [float(e.get("data-t")) for e in find(root, "tick", "text")]
    assert min(ticks) >= 0.95 - 1e-9 and max(ticks) <= 2.15 + 1e-9
    assert find(root, "end", "text")[0].text == "end of window: t = 2.15 s"


def test_max_segments_folds_a_long_trace_and_says_so():
    net, a, b = four_way_close()
    d = sequence_diagram(net, max_segments=3)
    root = parse(d)
    assert label_texts(root) == ["SYN, seq=x", "SYN+ACK, seq=y, ack=x+1",
                                 "ACK, seq=x+1, ack=y+1"]
    note = find(root, "folded", "text")[0].text
    assert "4 more segments" in note and "t = 1 s" in note
    assert d.drawn == 3 and d.folded == 4
    full = sequence_diagram(net, max_segments=None)
    assert len(label_texts(parse(full))) == 7 and not find(parse(full), "folded")


# --------------------------------------------------------------------------- the SVG itself

def test_svg_is_accessible_sized_and_in_the_right_fonts(tmp_path):
    net, a, b = handshake()
    d = sequence_diagram(net)
    root = parse(d)
    assert root.tag == NS + "svg"
    w, h = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert 300 < w < 1200 and 200 < h < 600
    assert "DejaVu Sans" in root.get("font-family") and "sans-serif" in root.get("font-family")
    title = root.find(NS + "title")
    assert title.text == "Time-sequence diagram of A and B"
    desc_el = root.find(NS + "desc")
    desc = desc_el.text
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc_el.get("id")
    # two pictures on one notebook page do not share ids
    other = parse(sequence_diagram(net, "numeric")).find(NS + "title").get("id")
    assert other != title.get("id")
    assert "A → B SYN, seq=x" in desc and "A enters ESTABLISHED" in desc
    assert d._repr_svg_() == d.svg()
    path = d.save(tmp_path / "ladder.svg")
    assert path.read_text(encoding="utf-8") == d.svg()
    with pytest.raises(ValueError, match=r"\.svg"):
        d.save(tmp_path / "ladder.png")


def test_same_trace_same_bytes_and_a_snapshot():
    first = sequence_diagram(stale_syn()[0]).svg()
    second = sequence_diagram(stale_syn()[0]).svg()
    assert first == second
    net, a, b = handshake()
    d = sequence_diagram(net)
    before = d.svg()
    a.close()
    net.run()
    assert d.svg() == before                      # drawing the trace as it was
    assert sequence_diagram(net).svg() != before


def test_numbers_have_fixed_precision():
    net = Network(seed=0, delay=0.0333, jitter=0.01)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    b.listen()
    a.connect("B")
    net.run(until=1 / 3)
    root = parse(sequence_diagram(net))
    for e in root.iter():
        for k in ("x", "y", "x1", "y1", "x2", "y2", "width", "height"):
            v = e.get(k)
            if v is not None:
                assert len(v.split(".")[1]) == 1, (k, v)


def test_text_is_escaped():
    net = Network(seed=0)
    a, b = net.host("<A&1>", iss=1), net.host('B"2', iss=2)
    b.listen()
    a.connect('B"2')
    net.run(until=1)
    root = parse(sequence_diagram(net))
    names = [e.text for e in find(root, "host", "text")]
    assert names == ["<A&1>", 'B"2']


def test_empty_trace_draws_the_lines():
    net, a, b = pair()
    root = parse(sequence_diagram(net))
    assert segments(root) == [] and len(find(root, "lifeline")) == 2
    assert [s[0] for s in states(root, "A")] == ["CLOSED"]


def test_bad_arguments_are_clear_errors():
    net, a, b = handshake()
    with pytest.raises(ValueError, match="notation must be 'symbolic'.*'numeric'"):
        sequence_diagram(net, "lecture")
    with pytest.raises(ValueError, match="start .* is after end"):
        sequence_diagram(net, start=0.5, end=0.2)
    with pytest.raises(ValueError, match="no host or segment address named 'C'"):
        sequence_diagram(net, hosts=["A", "C"])
    with pytest.raises(ValueError, match="at least one host"):
        sequence_diagram(net, hosts=[])
    with pytest.raises(ValueError, match="max_segments"):
        sequence_diagram(net, max_segments=0)
    with pytest.raises(ValueError, match="start"):
        sequence_diagram(net, start=-1)
    with pytest.raises(TypeError, match="end must be a number"):
        sequence_diagram(net, end="soon")
    with pytest.raises(TypeError, match="draws a tcplab Network"):
        sequence_diagram(net.trace)


# --------------------------------------------------------------------------- journeys

def overtaking_copy():
    """A jittery network on which the network's copy of A's data overtakes the original."""
    for seed in range(100):
        net, a, b = pair(seed=seed, jitter=0.08)
        b.listen()
        a.connect("B")
        net.run(until=1)
        net.duplicate(lambda s: s.src == "A" and s.data, count=1)
        a.send(b"hi")
        net.run(until=2)
        dup = net.trace.of("duplicate")[0]
        end = {r.journey: r.time for r in net.trace.of("arrive")}
        if end[dup.journey] < end[dup.copy_of]:
            return net, end[dup.copy_of], end[dup.journey]
    raise AssertionError("no seed lets the copy overtake its original")


def test_a_copy_that_overtakes_its_original_is_still_the_copy():
    net, original_end, copy_end = overtaking_copy()
    root = parse(sequence_diagram(net))
    data = [g for g in segments(root) if label_of(root, g) == "ACK, seq=x+1, ack=y+1, len=2"]
    assert len(data) == 2
    original, copy = data
    assert "copy" not in classes(original) and "copy" in classes(copy)
    # each arrow ends where its own journey ended, though the copy arrived first
    assert float(original.get("data-end")) == pytest.approx(original_end)
    assert float(copy.get("data-end")) == pytest.approx(copy_end) and copy_end < original_end


def test_segments_in_flight_end_where_the_network_will_deliver_them():
    net, a, b = pair(seed=4, jitter=0.5)
    b.listen()
    a.connect("B")
    net.run(until=1.3)
    a.send(b"one")
    net.run(until=1.31)
    a.send(b"two")
    net.run(until=1.35)
    flying = {(w.segment.src, w.sent_at): w.arrives for w in net.in_flight()}
    assert len(flying) >= 2 and len(set(flying.values())) == len(flying)
    root = parse(sequence_diagram(net))
    drawn = [g for g in segments(root) if "inflight" in classes(g)]
    assert len(drawn) == len(flying)
    for g in drawn:
        key = (g.get("data-src"), float(g.get("data-sent")))
        assert float(g.get("data-end")) == pytest.approx(flying[key], abs=1e-6)


def test_the_segment_that_the_receiver_ignores_says_so():
    net, a, b = pair()
    b.listen()
    net.inject(Segment("A", "B", Flag.RST, seq=5))     # LISTEN drops an RST
    net.inject(Segment("A", "B", Flag.RST, seq=5))     # the same again, at once
    net.run(until=0.1)
    ignored = [r for r in net.trace if r.kind == "ignore"]
    assert [r.journey for r in ignored] == [1, 2]       # each arrival's own word
    root = parse(sequence_diagram(net))
    notes = [e.text for e in find(root, "note", "text")]
    assert notes == ["injected, ignored by B"] * 2


def test_no_label_is_cut_off_at_the_bottom_or_the_right():
    """A crowded ladder (a burst of data in flight, copies) may place a label below the
    bottom line: the picture grows to hold it (lesson 02's lab once cut one off)."""
    import re
    checked = 0
    for seed in range(6):
        net = Network(seed=seed, delay=0.1, jitter=0.05, duplicate=0.2)
        a, b = net.host("A"), net.host("B")
        b.listen()
        a.connect("B")
        net.run(until=0.35)
        a.send(b"x" * 3000)
        while net.now < 0.6 and net.step():
            svg = sequence_diagram(net).svg()
            width, height = map(float, re.search(
                r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
            for x, y in re.findall(r'<text x="([\d.-]+)" y="([\d.-]+)"[^>]*class="(?:label|note)"',
                                   svg):
                assert float(y) <= height - 1 and float(x) <= width
                checked += 1
    assert checked > 100
