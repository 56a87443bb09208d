"""The experiments' reports (lessons 03 and 04) speak Chinese; in English they are what
they were, byte for byte (tests/data/library_zh2_english.json was recorded from the code
before its messages were catalogued)."""

import json
import re
from pathlib import Path

import pytest

import tcplab
from tcplab.experiments import stale_syn_experiment, time_wait_experiment, time_wait_run
from tcplab.experiments.stale_syn import StaleSynResult
from tcplab.experiments.time_wait import TimeWaitResult, TimeWaitRun

RECORDED = Path(__file__).resolve().parent / "data" / "library_zh2_english.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


def renderings() -> dict[str, str]:
    """What the lessons show of the experiments, small enough to be quick."""
    out = {}
    r = stale_syn_experiment(n=20)
    out["ss_table"], out["ss_html"] = r.table(), r._repr_html_()
    t = time_wait_experiment(n=15)
    out["tw_table"], out["tw_html"] = t.table(), t._repr_html_()
    for tw in (0.25, 0.5, 2.0):
        for seed in range(4):
            out[f"tw_run_{tw}_{seed}"] = time_wait_run(time_wait=tw, seed=seed).summary()
    return out


@pytest.fixture
def chinese():
    tcplab.set_language("zh")
    yield
    tcplab.set_language("en")


def test_english_renderings_are_byte_identical():
    assert renderings() == json.loads(RECORDED.read_text(encoding="utf-8"))


def test_every_rendering_speaks_chinese(chinese):
    for name, shown in renderings().items():
        assert CJK.search(shown), name


def test_no_catalogued_message_is_left_in_english(chinese):
    english = json.loads(RECORDED.read_text(encoding="utf-8"))
    shown = "\n".join(renderings().values())
    messages = ([h for h in StaleSynResult.HEADERS[1:]] + list(TimeWaitResult.HEADERS[1:])
                + list(TimeWaitRun.FATES.values())
                + ["runs of two connections each", "runs per TIME-WAIT length",
                   "connected again", "the slow segment", "B's application got",
                   "runs: how many runs"])
    for message in messages:
        assert message in "\n".join(english.values()) or message in TimeWaitRun.FATES.values()
        assert message not in shown, message
    # the handshakes' names are data: the result is still indexed by the English names
    result = stale_syn_experiment(n=3)
    assert result["two-way"].runs == 3 and "两次握手" in result.table()


def test_chinese_text_table_lines_up_by_display_columns(chinese):
    lines = stale_syn_experiment(n=5).table().splitlines()[1:]
    assert len({tcplab.text.width(line) for line in lines}) == 1, lines


def test_a_fate_is_said_in_chinese_and_stays_english_data(chinese):
    run = time_wait_run(time_wait=0.25, seed=1)
    assert run.fate in TimeWaitRun.FATES                       # compared by code: English
    assert "→ " + tcplab.text._(TimeWaitRun.FATES[run.fate]) in run.summary()
    assert "在新连接期间到达" in run.summary()


# --------------------------------------------------------------------------- the real kernel

REAL_RECORDED = Path(__file__).resolve().parent / "data" / "library_zh2_real_english.json"


def real_renderings() -> dict[str, str]:
    """Lesson 08's outputs, replayed (deterministic: the recording's kernel)."""
    from tcplab import real
    out = {}
    m = real.mode()
    out["mode"], out["mode_html"] = repr(m), m._repr_html_()
    p = real.predict()
    out["predict"], out["predict_html"] = repr(p), p._repr_html_()
    s = real.real_story()
    out["story"], out["story_html"] = repr(s), s._repr_html_()
    out["histories"], out["look_again"] = s.histories(), repr(s.look_again())
    r = real.time_wait_syn()
    out["reopen"], out["reopen_html"], out["reopen_summary"] = repr(r), r._repr_html_(), \
        r.summary()
    a = real.abort_vs_close()
    out["abort"], out["abort_html"], out["abort_summary"] = repr(a), a._repr_html_(), \
        a.summary()
    return out


@pytest.fixture
def replay(monkeypatch):
    monkeypatch.setenv("TCPLAB_REAL", "replay")


def test_real_english_renderings_are_byte_identical(replay):
    # recorded with TCPLAB_REAL=replay from the code before its messages were catalogued
    assert real_renderings() == json.loads(REAL_RECORDED.read_text(encoding="utf-8"))


HEADINGS = ("socket (TCP_INFO)", "kernel's table", "tcplab predicts", "the programs",
            "A in tcplab", "(stays)", "(nothing)", "tcplab's prediction",
            "Replay: recorded on", "asks for the recording",
            "tcplab passes through", "B's listening socket stays in LISTEN",
            "accept() is no event of TCP", "A's socket reports CLOSED",
            "A's close() changes nothing", "The kernel's timer for A's TIME-WAIT",
            "A was seen in FIN-WAIT-1", "A recorded run of the kernel",
            "Here the kernel's table cannot be read again")


def test_the_kernel_comparison_speaks_chinese(replay, chinese):
    from tcplab import real
    shown = real_renderings()
    for name in ("mode", "predict", "story", "story_html", "look_again"):
        assert CJK.search(shown[name]), name
    # look_again's replay quotes what it said when recorded (English data): not here
    together = "\n".join(shown[k] for k in ("mode", "predict", "predict_html", "story",
                                            "story_html")).replace("&#x27;", "'")
    english = json.loads(REAL_RECORDED.read_text(encoding="utf-8"))
    for words in HEADINGS:
        assert words in "\n".join(english.values()), words     # the test means something
        assert words not in together, words
    for heading in ("套接字（TCP_INFO）", "内核的连接表", "tcplab 的预测", "注"):
        assert heading in shown["story"]
    # the recording's data stays as recorded: release, command, what look_again said
    made = real.recording.made()
    assert made["release"] in shown["story"] and made["command"] in shown["story"]
    assert "A's connection (127.0.0.1 port" in shown["look_again"]
    assert "这里无法再次读取内核的连接表" in shown["look_again"]


def test_notes_are_english_data_that_say_themselves(replay, chinese):
    from tcplab import real
    from tcplab.trace import say
    story = real.real_story()
    notes = story.notes()
    # the note itself is the English text (no Chinese in it), said in Chinese when shown
    assert notes and not any(CJK.search(str.__str__(n.text)) for n in notes)
    assert all(CJK.search(say(n.text)) for n in notes)
    # code compares the English: the mode's reason, the replay label
    assert "TCPLAB_REAL=replay" in real.mode().reason
    assert real.mode().label().startswith("Replay: recorded on Linux ")


def test_the_kernel_tables_line_up_in_chinese(replay, chinese):
    from tcplab import real, text
    prediction = real.predict()
    lines = repr(prediction).splitlines()[2:]
    # each row's third cell (tcplab's call, or （无）) starts at the same display column
    starts = {text.width(line[:line.index(row[2], 6)])
              for line, row in zip(lines, prediction._rows())}
    assert len(starts) == 1, starts


# --------------------------------------------------------------------------- hw3's stories

def test_a_storys_description_speaks_the_language_and_stays_english_data(chinese):
    from tcplab import conformance
    story = conformance.STORIES["old SYN"]
    assert story.description.startswith("B listens; an old SYN of A's (seq=40)")
    assert CJK.search(f"{story.name:<22} {story.description}")    # hw3's code cell
    assert f"{story.description}" == story.told


def test_a_storys_description_in_english_is_as_before():
    from tcplab import conformance
    assert (f"{conformance.STORIES['four-way close'].description}" ==
            "A and B connect; A closes at t=1 s, B at t=2 s; TIME-WAIT lasts 2MSL = 10 s.")


def test_the_live_mode_line_speaks_chinese(monkeypatch, chinese):
    from tcplab import real
    monkeypatch.setenv("TCPLAB_REAL", "live")
    line = repr(real.mode())
    assert "下面的故事在这台机器的内核上实时运行" in line and "TCPLAB_REAL=live 要求实时运行" in line
    assert "live" in real.mode().reason and real.mode().live


def test_reopen_and_releases_speak_chinese_and_keep_their_data(replay, chinese):
    from tcplab import real
    from tcplab.real import reopen
    shown = real_renderings()
    for name in ("reopen", "reopen_summary", "abort", "abort_summary", "reopen_html",
                 "abort_html"):
        assert CJK.search(shown[name]), name
    together = "\n".join(shown[k] for k in ("reopen", "reopen_summary", "abort",
                                            "abort_summary"))
    for english in ("what B's TIME-WAIT does with the SYN", "connected at once",
                    "The kernel did what", "A's program sent", "every byte arrived",
                    "kernel (recorded)", "the recorded Linux kernel"):
        assert english not in together, english
    # data stays English: outcomes compared, B's ending, the kernel's own error text
    result = real.time_wait_syn()
    assert result.rule("reopen").outcome == reopen.AT_ONCE == "connected at once"
    releases = real.abort_vs_close()
    assert releases.run("tcplab", "close").ending == "end of file"
    assert "ECONNRESET" in releases.run("kernel", "abort").ending
    assert "错误：ECONNRESET" in shown["abort_summary"]
    assert "文件结束（end of file）" in shown["abort_summary"]   # the term, in brackets
