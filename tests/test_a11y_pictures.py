"""The pictures read without sight: title and description in the SVG, the same text as
a table under the picture, highlighting not by colour alone, WCAG AA contrast."""

from __future__ import annotations

import base64
import html
import re
import xml.etree.ElementTree as ET

import pytest

from tcplab import Network, State, stories
from tcplab.diagrams.a11y import contrast
from tcplab.diagrams.ladder import sequence_diagram
from tcplab.diagrams.ladder import style as ladder_style
from tcplab.diagrams.state import HOST_COLOURS, STYLES, state_diagram
from tcplab.fsm import transitions_from
from tcplab.text import language, set_language

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(params=["en", "zh"])
def lang(request):
    before = language()
    set_language(request.param)
    yield request.param
    set_language(before)


def handshake_half_done():
    net = Network(seed=0)
    a, b = net.host("A"), net.host("B")
    b.listen()
    a.connect("B")
    net.run(until=0.25)          # A has the SYN+ACK, B waits for the ACK
    return net, a, b


def closed_both_ways():
    """Opened, A closes at t=1 s, B at t=2 s, run to the end (the lessons' story)."""
    return stories.closed_by("A")


def labelled(svg: str):
    """The root's title and description, checked to be what aria points at."""
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    title, desc = root[0], root[1]        # first children: read before anything drawn
    assert title.tag == NS + "title" and desc.tag == NS + "desc"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    return title.text, desc.text


def table_rows(bundle_html: str):
    """The rows of the collapsible table under the picture, as lists of cell texts."""
    m = re.search(r"<details[^>]*>.*?<tbody>(.*?)</tbody></table></details>", bundle_html, re.S)
    assert m, "no collapsible table under the picture"
    return [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", m.group(1))]


# ------------------------------------------------------------------ the state diagram

def test_state_diagram_names_each_hosts_state_and_the_legal_transitions(lang):
    _net, a, b = handshake_half_done()
    assert (a.state, b.state) == (State.ESTABLISHED, State.SYN_RECEIVED)
    d = state_diagram(a, b)
    title, desc = labelled(d.svg())
    assert "A ESTABLISHED" in title and "B SYN-RECEIVED" in title
    assert title.startswith("TCP state diagram" if lang == "en" else "TCP 有限状态机：")
    assert ("A is in ESTABLISHED" if lang == "en" else "A 处于 ESTABLISHED") in desc
    legal_b = transitions_from(State.SYN_RECEIVED)
    for t in legal_b:
        assert f"B: SYN-RECEIVED --{t.label}--> {t.target}" in desc
    rows = table_rows(d._repr_mimebundle_()["text/html"])
    assert [r for r in rows if r[0] == "B"] == [["B", "SYN-RECEIVED", t.label, str(t.target)]
                                                for t in legal_b]
    assert len(rows) == len(transitions_from(State.ESTABLISHED)) + len(legal_b)


def test_state_diagram_after_a_close_and_with_the_path(lang):
    _net, a, b = closed_both_ways()
    d = state_diagram(a, b, path=True)
    title, desc = labelled(d.svg())
    assert "A CLOSED" in title and "B CLOSED" in title
    # A's whole way, active open and active close, through TIME-WAIT
    assert ("CLOSED → SYN-SENT → ESTABLISHED → FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT → CLOSED"
            in desc)
    assert "A: CLOSED --listen / –--> LISTEN" in desc
    # the <img> of the HTML output has the title as its alt text
    page = d._repr_mimebundle_()["text/html"]
    alt = html.unescape(re.search(r'<img [^>]*alt="([^"]*)"', page).group(1))
    assert alt == title


def test_the_explorers_walker_is_you_in_both_languages(lang):
    from tcplab.fsm import Event
    from tcplab.fsm.machine import Machine as Walker
    from tcplab.text import _
    walker = Walker(name=_("you"))                # as StateMachineExplorer names it
    walker.fire(Event.LISTEN)
    _title, desc = labelled(state_diagram(walker, path=True).svg())
    assert ("you are in LISTEN" if lang == "en" else "你处于 LISTEN") in desc
    assert "you is in" not in desc


def test_the_plain_diagram_lists_every_edge_drawn():
    d = state_diagram()
    title, desc = labelled(d.svg())
    assert title == "TCP state diagram"
    rows = table_rows(d._repr_mimebundle_()["text/html"])
    drawn = [(str(s), line, str(t)) for s, t, joined in d.edges for line in joined.split("\n")]
    assert [tuple(r[1:]) for r in rows] == drawn
    assert "ESTABLISHED --close / FIN--> FIN-WAIT-1" in desc


def test_two_pictures_on_a_page_have_their_own_ids():
    _net, a, b = handshake_half_done()
    one = ET.fromstring(state_diagram(a).svg()).get("aria-labelledby")
    two = ET.fromstring(state_diagram(b).svg()).get("aria-labelledby")
    assert one != two


def test_highlighting_is_not_by_colour_alone():
    """The current state: a thick border and the host's name beside it; the last
    transition: the thickest line with a bold label; the path: thicker than any usual
    path; no faded (translucent) colours."""
    _net, a, b = handshake_half_done()
    svg = state_diagram(a, b, path=True).svg()
    css = re.search(r"<style>(.*?)</style>", svg, re.S).group(1)
    assert "opacity" not in css
    edge = STYLES["edge"]
    usual = float(edge["client"]["penwidth"])
    assert float(edge["active"]["penwidth"]) > float(edge["visited"]["penwidth"]) > usual
    assert re.search(r"#edge-SYN_SENT-ESTABLISHED text \{[^}]*font-weight: bold", css)
    assert f"stroke-width: {STYLES['node']['active']['penwidth']}" in css
    marks = re.findall(r'<text class="host-mark"[^>]*>.*?</text>', svg, re.S)
    assert len(marks) == 2 and any(">A<" in m for m in marks) and any(">B<" in m for m in marks)


# ------------------------------------------------------------------ the ladder

def test_ladder_describes_the_handshake_segment_by_segment(lang):
    net, _a, _b = handshake_half_done()
    net.run(until=1)
    d = sequence_diagram(net)
    title, desc = labelled(d.svg())
    assert title == ("Time-sequence diagram of A and B" if lang == "en" else title)
    assert "A" in title and "B" in title
    rows = table_rows(d._repr_mimebundle_()["text/html"])
    segments = [r for r in rows if r[2]]
    # time, from, to, segment in the lecture's notation, states entered
    assert [r[:3] for r in segments] == [["0.000", "A", "B"], ["0.100", "B", "A"],
                                         ["0.200", "A", "B"]]
    assert [r[3].split(" ")[0] for r in segments] == ["SYN,", "SYN+ACK,", "ACK,"]
    assert "seq=x" in segments[0][3] and "ack=x+1" in segments[1][3]
    assert segments[0][4] == ("A SYN-SENT, B SYN-RECEIVED" if lang == "en"
                              else "A SYN-SENT、B SYN-RECEIVED")
    assert segments[1][4] == "A ESTABLISHED" and segments[2][4] == "B ESTABLISHED"
    assert rows[0][1] == "B" and rows[0][4] == "B LISTEN"      # listen(): no segment
    enters = "enters" if lang == "en" else "进入"
    assert f"B {enters} SYN-RECEIVED" in desc
    # the table is the trace: one row per segment sent
    assert len(segments) == len(net.sent)


def test_ladder_describes_the_close_and_time_wait(lang):
    net, _a, _b = closed_both_ways()
    d = sequence_diagram(net)
    _title, desc = labelled(d.svg())
    rows = table_rows(d._repr_mimebundle_()["text/html"])
    segments = [r for r in rows if r[2]]
    assert len(segments) == len(net.sent) == 7
    fin, ack, fin_b, last = segments[3:]
    assert (fin[1], fin[2]) == ("A", "B") and fin[3].startswith("FIN+ACK, seq=u")
    assert "A FIN-WAIT-1" in fin[4] and "B CLOSE-WAIT" in fin[4]
    assert ack[4] == "A FIN-WAIT-2"
    assert "A TIME-WAIT" in fin_b[4] and "B LAST-ACK" in fin_b[4]
    assert last[4] == "B CLOSED"
    # TIME-WAIT ends on a timer, with no segment: a row of its own, 2MSL later
    assert rows[-1][0] == "62.100" and rows[-1][4] == "A CLOSED" and rows[-1][2] == ""
    assert desc.splitlines()[-1].startswith("62.100 s")


# ------------------------------------------------------------------ contrast

def test_contrast_ratio_is_wcag_s():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#ffffff") == pytest.approx(1.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)   # the known AA grey


@pytest.mark.parametrize("colour", HOST_COLOURS)
def test_host_colours_are_readable_as_text(colour):
    assert contrast(colour) >= 4.5                       # the hosts' names are drawn in them
    assert contrast(colour, STYLES["node"]["active"]["fillcolor"]) >= 3.0


def test_the_state_diagrams_palette_meets_aa():
    edge, node = STYLES["edge"], STYLES["node"]
    assert contrast(edge["default"]["fontcolor"]) >= 4.5          # edge labels
    assert contrast(edge["client"]["fontcolor"]) >= 4.5
    assert contrast(edge["default"]["color"]) >= 3.0               # lines
    assert contrast(node["default"]["color"]) >= 3.0
    assert contrast("#000000", node["active"]["fillcolor"]) >= 4.5  # a highlighted state's name


def test_the_ladders_palette_meets_aa():
    s = ladder_style
    for text in (s.INK, s.GREY, s.ACCENT):
        assert contrast(text) >= 4.5
    assert contrast(s.STATE_INK, s.STATE_FILL) >= 4.5             # state names in their boxes
    for line in (s.LIGHT, s.STATE_LINE):
        assert contrast(line) >= 3.0


def test_every_colour_the_ladder_draws_with_meets_aa_for_graphics():
    net, _a, _b = closed_both_ways()
    svg = sequence_diagram(net).svg()
    colours = set(re.findall(r'(?:stroke|fill)="(#[0-9a-fA-F]{6})"', svg)) - {
        ladder_style.STATE_FILL, "#ffffff"}
    assert colours and all(contrast(c) >= 3.0 for c in colours), \
        {c: round(contrast(c), 2) for c in colours}


def test_the_img_is_the_svg_itself():
    d = state_diagram()
    page = d._repr_mimebundle_()["text/html"]
    uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)
    assert base64.b64decode(uri).decode("utf-8") == d.svg()
