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
