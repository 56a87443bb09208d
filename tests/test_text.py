"""tcplab speaks Chinese: the message catalogue, set_language and TCPLAB_LANG."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tcplab
from tcplab import IllegalEvent, State, text
from tcplab.fsm import Event, lookup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.i18n import catalog  # noqa: E402

PLACEHOLDER = re.compile(r"\{(\w*)\}")




def refusal(state=State.CLOSED, event=Event.SEND):
    with pytest.raises(IllegalEvent) as info:
        lookup(state, event)
    return str(info.value)


def test_set_language_switches_an_illegal_event_and_back():
    english = refusal()
    assert english.startswith("send() is not legal in state CLOSED")
    tcplab.set_language("zh")
    try:
        assert tcplab.language() == "zh"
        chinese = refusal()
        assert "不能调用 send()" in chinese and "CLOSED" in chinese and "connect()" in chinese
        assert not re.search(r"\b(not legal|Legal calls)\b", chinese)
    finally:
        tcplab.set_language("en")
    assert refusal() == english and tcplab.language() == "en"


def test_a_refused_event_of_the_explorer_speaks_chinese_too(chinese):
    message = refusal(State.LISTEN, Event.RCV_ACK)
    assert message.startswith("事件「ACK」在 LISTEN 状态下不合法")
    assert "connect()、close()、abort()、SYN" in message


def test_a_state_explains_itself_in_the_language_spoken_and_keeps_the_lectures_line(chinese):
    assert State.TIME_WAIT.explanation.startswith("等待 2MSL")
    assert State.FIN_WAIT_2.explanation.endswith("（半关闭）")
    assert State.TIME_WAIT.chinese == "等待 2MSL，确保最后的确认到达且旧报文段消失"
    assert State.TIME_WAIT.lecture_name == "TIMED WAIT"
    assert Event.LISTEN.meaning == "被动打开：等待连接请求"


def test_an_empty_text_stays_empty_in_chinese(chinese):
    assert text._("") == ""          # gettext's "" would be the catalogue's header
    assert text._("none") == "无"


def test_the_language_is_spelt_as_people_spell_it_and_an_unknown_one_is_named():
    try:
        for spelling, code in (("zh_CN.UTF-8", "zh"), ("zh-Hans", "zh"), ("中文", "zh"),
                               ("EN", "en")):
            tcplab.set_language(spelling)
            assert tcplab.language() == code, spelling
    finally:
        tcplab.set_language("en")
    with pytest.raises(ValueError, match=r"does not speak 'fr'.*'en'.*'zh'"):
        tcplab.set_language("fr")
    with pytest.raises(TypeError):
        tcplab.set_language(None)
    assert tcplab.language() == "en"


def run_with(lang):
    code = ("import tcplab\n"
            "from tcplab.fsm import lookup, State, Event\n"
            "try:\n    lookup(State.CLOSED, Event.CLOSE)\n"
            "except tcplab.IllegalEvent as e:\n    print(tcplab.language(), e)\n")
    env = {**os.environ, "TCPLAB_LANG": lang, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=ROOT)


def test_tcplab_lang_is_read_at_import():
    out = run_with("zh")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("zh 在 CLOSED 状态下不能调用 close()：没有可以关闭的连接")


def test_an_unknown_tcplab_lang_warns_and_speaks_english():
    out = run_with("klingon")
    assert out.returncode == 0, out.stderr
    assert "TCPLAB_LANG='klingon' ignored" in out.stderr
    assert out.stdout.startswith("en close() is not legal in state CLOSED")


# ---------------------------------------------------------------- the catalogue is complete

def test_every_message_in_the_code_has_a_translation():
    po = catalog.read(catalog.po_path("zh"), "zh")
    missing = [m.id for m in catalog.template() if m.id and
               (m.id not in po or not po[m.id].string or po[m.id].fuzzy)]
    assert not missing, ("untranslated (python -m tools.i18n catalog, then translate "
                         f"tcplab/locale/zh/LC_MESSAGES/tcplab.po): {missing}")


def test_the_compiled_catalogue_is_the_translators_file():
    path = catalog.po_path("zh")
    assert path.with_suffix(".mo").read_bytes() == catalog.mo_bytes(catalog.read(path, "zh")), \
        "tcplab.mo is stale: run python -m tools.i18n catalog"


def test_translations_keep_their_placeholders():
    po = catalog.read(catalog.po_path("zh"), "zh")
    wrong = [(m.id, m.string) for m in po if m.id and m.string and
             sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))]
    assert not wrong, wrong
    assert any(PLACEHOLDER.search(m.id) for m in po if m.id), "the check has something to check"


def test_the_catalogue_is_shipped_and_read_without_babel():
    assert (text.LOCALE_DIR / "zh" / "LC_MESSAGES" / "tcplab.mo").is_file()
    code = ("import sys; sys.modules['babel'] = None\n"
            "import tcplab; tcplab.set_language('zh')\n"
            "print(tcplab.State.CLOSED.explanation)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert out.stdout.strip() == "没有任何连接", out.stderr


def test_a_text_table_lines_up_in_chinese(chinese):
    assert text.width("状态 ACK") == 8 and text.ljust("发送", 5) == "发送 "
    lines = tcplab.fsm.format_table(State.SYN_RECEIVED, accepted=True).splitlines()
    head, first = lines[0], lines[1]
    assert head.startswith("状态") and "下一状态" in head and "常规路径" in head
    assert first.startswith("SYN-RECEIVED  ACK")
    # the event column starts at the same screen column in the header and in the rows
    assert text.width(head[:head.index("事件")]) == text.width(first[:first.index("ACK")])
    assert "（不变）" in "\n".join(lines) and "RST [被动打开]" in "\n".join(lines)
    established = tcplab.fsm.format_table(State.ESTABLISHED, accepted=True)
    assert established.endswith("ESTABLISHED  数据、对数据的确认、窗口更新")
    assert tcplab.fsm.accepted_without_change(State.ESTABLISHED)[0] == "data"   # the API


def test_an_edge_explains_itself_in_the_language_spoken(chinese):
    t = lookup(State.LISTEN, Event.RCV_SYN)
    assert t.note == "remember the peer's ISN, choose our ISN y"      # the API stays English
    assert t.explanation == "记下对方的初始序号，选择本方的初始序号 y"
    assert lookup(State.CLOSE_WAIT, Event.CLOSE).explanation == ""    # no note, no header
    tcplab.set_language("en")
    assert t.explanation == t.note


def test_the_explorer_does_not_say_a_state_twice_in_chinese(chinese):
    from tcplab.widgets import StateMachineExplorer
    title = StateMachineExplorer().title.value
    assert "没有任何连接" in title and "（没有连接）" not in title
    tcplab.set_language("en")
    title = StateMachineExplorer().title.value
    assert "no connection at all" in title and "（没有连接）" in title
