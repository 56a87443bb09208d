"""The labs, the trace table and the pictures in Chinese (issue 14): what a student sees
speaks the language; what code reads (kinds, causes, states) does not change; the English
output is what it was."""

import re
import xml.etree.ElementTree as ET

import pytest

import tcplab
from tcplab import Flag, Network, Segment, State
from tcplab.diagrams import sequence_diagram, state_diagram
from tcplab.diagrams import state as state_module
from tcplab.diagrams.fonts import CJK_FONTS, family, text_width
from tcplab.diagrams.ladder.style import FONT
from tcplab.fsm import Event
from tcplab.text import width
from tcplab.widgets import ConnectionLab, LabConfig, Session, StateMachineExplorer

HAN = re.compile(r"[\u4e00-\u9fff]")




def handshake(lab):
    lab.panels["B"].buttons["listen"].click()
    lab.panels["A"].buttons["connect"].click()
    for _ in range(3):
        lab.step_button.click()


def svg_texts(svg):
    root = ET.fromstring(svg)
    return ["".join(e.itertext()) for e in root.iter() if e.tag.endswith("text")]


# ---------------------------------------------------------------- the lab

def test_the_lab_speaks_chinese_and_keeps_the_calls_names(chinese):
    lab = ConnectionLab()
    handshake(lab)
    assert lab.step_button.description == "投递下一个"
    assert HAN.search(lab.step_button.tooltip) and HAN.search(lab.run_button.description)
    assert [f.description for f in lab.fault_buttons.values()] == \
        ["丢弃下一个", "扣留下一个", "复制下一个"]
    assert lab.legal_only.description == "只启用合法的调用"
    assert lab.loss.description == "丢失率" and lab.delay.description == "时延 (s)"
    # a button that is code keeps its name; its tooltip explains it in Chinese
    connect = lab.panels["A"].buttons["connect"]
    assert connect.description == "connect()" and connect.tooltip.startswith("主动打开")
    assert "主机 A" in lab.panels["A"].title.value
    assert lab.summary() == "ConnectionLab，t = 0.300 s：A ESTABLISHED, B ESTABLISHED"
    assert "运行这个笔记本" in lab.snapshot_html()
    log = re.sub(r"<[^>]+>", "", lab.event_log.value)
    assert log.splitlines()[0].split() == ["时间", "主机", "事件", "报文段", "状态", "/", "说明"]
    assert "发送" in log and "到达" in log and "ESTABLISHED" in log


def test_the_labs_messages_speak_chinese(chinese):
    lab = ConnectionLab()
    lab.step_button.disabled = False
    lab.step_button.click()
    assert "没有可投递的事件" in lab.message.value
    lab.undo_button.disabled = False
    lab.undo_button.click()
    assert "没有可撤销的操作" in lab.message.value
    with pytest.raises(ValueError, match="没有编号为 3 的被扣留报文段"):
        Session().do("release", 3)
    with pytest.raises(ValueError, match="这个实验里的主机是 A, B，没有 'C'"):
        Session().host("C")
    with pytest.raises(TypeError, match="inject 操作接受的是一个 tcplab.Segment"):
        Session().do("inject", "RST")


def test_a_held_segment_is_released_by_a_chinese_button(chinese):
    lab = ConnectionLab()
    lab.fault_buttons["hold"].click()
    lab.panels["B"].buttons["listen"].click()
    lab.panels["A"].buttons["connect"].click()
    lab.step_button.click()          # the network takes the SYN off the wire
    (release,) = lab.held_box.children
    assert release.description == "放行 A→B SYN, seq=x"
    assert release.tooltip == "现在把被扣留的报文段放回网络"
    assert "扣留" in svg_texts(lab.ladder.value)


def test_the_explorer_speaks_chinese(chinese):
    ex = StateMachineExplorer()
    assert "状态：" in ex.title.value and ex.undo_button.description == "撤销"
    assert ex.legal_only.description == "只启用合法的事件"
    assert ex.buttons[Event.CONNECT].description == "connect()"
    ex.fire(Event.LISTEN)
    ex.fire(Event.RCV_SYN)
    ex.fire(Event.RCV_ACK)
    assert ex.state is State.ESTABLISHED
    assert not ex.fire(Event.RCV_SYN)
    assert "仍然接受普通的报文段" in ex.message.value
    assert "在这个状态下还接受" in ex.accepted.value


def test_the_explorer_in_english_is_as_before():
    ex = StateMachineExplorer()
    assert ex.title.value.startswith('<div style="font-family:sans-serif;font-size:15px">state: '
                                     '<b class="tcplab-state">CLOSED</b>')
    assert ex._repr_mimebundle_()["text/plain"] == "StateMachineExplorer in CLOSED"


# ---------------------------------------------------------------- the trace


def _handshake():
    """A (ISN 100) connects to B (ISN 300), 0.1 s apart, to the end: (net, A, B)."""
    net = Network(seed=1, delay=0.1)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    b.listen()
    a.connect("B")
    net.run()
    return net, a, b

def test_the_trace_shows_chinese_words_and_keeps_its_kinds(chinese):
    net, a, b = _handshake()
    table = net.trace.table("symbolic")
    lines = table.splitlines()
    assert lines[0].split()[:4] == ["时间", "主机", "事件", "报文段"]
    assert {"调用", "发送", "到达", "状态"} <= {line.split()[2] for line in lines[1:]}
    # padded by screen columns: every segment starts in the same column
    sends = [line for line in lines if " 发送 " in line]
    starts = {width(line[:re.search("SYN|ACK", line).start()]) for line in sends}
    assert len(sends) == 3 and len(starts) == 1
    # the machine words are untouched
    assert [r.kind for r in net.trace.of("send")] == ["send"] * 3


def test_the_trace_in_english_is_as_before():
    net, _, _ = _handshake()
    lines = net.trace.table().splitlines()
    assert lines[0].split() == ["time", "host", "what", "segment", "state", "/", "detail"]
    assert lines[1].split() == ["0.000", "B", "call", "listen()"]


# ---------------------------------------------------------------- the pictures

def test_the_state_diagrams_legend_speaks_chinese_in_cells_that_fit(chinese):
    d = state_diagram()
    texts = svg_texts(d.svg())
    assert "客户的常规路径（主动打开，主动关闭）" in texts and "其他状态转换" in texts
    assert "TCP 有限状态机" in d.svg()
    cells = re.findall(r'<td align="left" width="(\d+)" height="13" fixedsize="true">'
                       r'<font point-size="10" face="([^"]+)">([^<]+)</font>', d.source)
    assert len(cells) == 4
    for cell_width, face, words in cells:
        assert CJK_FONTS in face
        # a Chinese character is one em: the cell holds the text as a CJK font draws it
        assert int(cell_width) >= 10 * sum(1 for ch in words if HAN.match(ch))
        assert int(cell_width) >= text_width(words, 10)
    # the state names and edge labels stay the RFC's
    assert "ESTABLISHED" in texts and "TIME-WAIT" in texts


def test_the_english_state_diagram_is_unchanged_by_a_chinese_one():
    english = state_diagram().svg()
    assert "fixedsize" not in state_diagram().source and "CJK" not in english
    tcplab.set_language("zh")
    try:
        assert state_diagram().svg() != english
    finally:
        tcplab.set_language("en")
    assert state_diagram().svg() == english
    assert "client's usual path" in english.replace("&#39;", "'")


def lossy_net():
    net = Network(seed=1, delay=0.1)
    net.host("A", iss=100)
    net.host("B", iss=300).listen()
    net.drop(lambda s: s.flags == Flag.SYN | Flag.ACK, count=1)
    net.hosts["A"].connect("B")
    net.run()
    return net


def test_the_ladder_speaks_chinese_and_names_cjk_fonts(chinese):
    svg = sequence_diagram(lossy_net()).svg()
    texts = svg_texts(svg)
    assert "时间 (s)" in texts and "被丢弃" in texts
    assert any(t.startswith("现在：t = ") for t in texts) and "重传" in texts
    assert f'font-family="{family(FONT)}"' in svg and CJK_FONTS in family(FONT)
    assert family(FONT).endswith(", sans-serif")
    assert "<title" in svg and "时序图（A 和 B）" in svg


def test_the_english_ladder_names_no_cjk_font():
    svg = sequence_diagram(lossy_net()).svg()
    assert f'font-family="{FONT}"' in svg and "CJK" not in svg
    assert "time (s)" in svg_texts(svg)


def test_a_chinese_character_is_one_em_wide():
    assert text_width("状态", 10) == 20.0
    assert text_width("（）", 10) == 20.0
    assert text_width("SYN", 10) == pytest.approx(10 * (.635 + .611 + .748))
    assert family("A, sans-serif") == "A, sans-serif"     # English: as it was


def test_an_injected_segment_in_chinese_is_noted_in_chinese(chinese):
    net = Network(seed=1, delay=0.1)
    net.host("A", iss=100)
    net.host("B", iss=300).listen()
    net.inject(Segment("A", "B", Flag.RST, 5, 0))
    net.run()
    assert "注入" in " ".join(svg_texts(sequence_diagram(net).svg()))
    assert "注入" in net.trace.table()


def test_lab_config_errors_in_chinese(chinese):
    with pytest.raises(ValueError, match="iss 给出了 1 个初始序号"):
        LabConfig(iss=(1,)).build()


def test_the_logs_details_speak_chinese_and_stay_english_for_code(chinese):
    net, a, b = _handshake()
    b.abort()
    net.run()
    table = net.trace.table()
    assert "连接已建立" in table and "连接被 B 复位（ESTABLISHED 状态下收到 RST）" in table
    # what code reads is the English text, whatever the language spoken
    assert a.error == "connection reset by B (RST in ESTABLISHED)"
    assert "connection established" in [r.detail for r in net.trace.of("notify")]
    lab = ConnectionLab(actions=[("call", "B", "listen"), ("call", "A", "connect", "B"),
                                 ("run",), ("call", "B", "abort"), ("run",)])
    assert "连接被 B 复位" in lab.panels["A"].title.value
    assert "连接已建立" in lab.event_log.value


def test_a_detail_printed_speaks_chinese_and_compares_as_english(chinese):
    net, _, _ = _handshake()
    net.hosts["B"].abort()
    net.run()
    error = net.hosts["A"].error
    assert f"{error}" == str(error) == "连接被 B 复位（ESTABLISHED 状态下收到 RST）"
    assert error == "connection reset by B (RST in ESTABLISHED)" and "reset" in error
    assert error.split(":")[0] == "connection reset by B (RST in ESTABLISHED)"
    tcplab.set_language("en")
    assert f"{error}" == "connection reset by B (RST in ESTABLISHED)"


def test_words_made_of_words_keep_their_english_text(chinese):
    from tcplab.trace import words
    inner = words("connection reset by {peer} (RST in {state})", peer="B", state="ESTABLISHED")
    outer = words("connection closed: {error}", error=inner)
    assert outer == "connection closed: connection reset by B (RST in ESTABLISHED)"
    assert str(outer) == "连接已关闭：连接被 B 复位（ESTABLISHED 状态下收到 RST）"


def test_a_chinese_png_from_graphviz_pure_is_refused_in_words(chinese, tmp_path):
    # graphviz-pure rasterises with its Latin fonts only: a Chinese legend would be boxes
    with pytest.raises(ValueError, match="graphviz-pure.*PNG.*svg"):
        state_diagram().save(tmp_path / "fsm.png")
    state_diagram().save(tmp_path / "fsm.svg")
    assert "其他状态转换" in (tmp_path / "fsm.svg").read_text(encoding="utf-8")


def test_in_the_browser_the_chinese_diagrams_come_from_the_bundle(chinese, monkeypatch):
    import subprocess

    from tcplab.diagrams import layouts, wasm
    monkeypatch.setattr(wasm, "IN_BROWSER", True)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("a program was run"))
    monkeypatch.setattr(wasm, "render_svg", lambda dot: pytest.fail(f"viz.js asked: {dot[:60]}"))
    state_module.clear_cache()
    try:
        for handshake in ("three-way", "two-way"):
            svg = state_diagram(handshake=handshake).svg()
            assert "其他状态转换" in svg
        # a lab's first click away from the classic view is bundled in Chinese too
        lab = ConnectionLab()
        lab.panels["A"].buttons["connect"].click()
        lab.panels["A"].buttons["abort"].click()
        assert "客户的常规路径" in lab.panels["A"].diagram.value
        assert layouts.entries()
    finally:
        state_module.clear_cache()
