"""Every exercise speaks Chinese after set_language("zh"), and English as before.

For every exercise of tcplab.checks (so every module of tcplab.exercises): its question,
the feedback on a right answer, on no answer and on wrong answers (with their hints)
are Chinese — they contain Chinese characters, every catalogued message they use has a
translation, and no run of four English words is left outside code, quotes and the
RFC's state and flag names.  Switching the language back gives the English renderings
again, and a switch in the middle of a session changes the next feedback.
"""

import inspect
import re

import pytest

import tcplab
from tcplab import State, checks, text
from tcplab.fsm import Event
from tcplab.widgets import ConnectionLab, StateMachineExplorer
from test_variants import VARYING, answer_of

CJK = re.compile(r"[\u4e00-\u9fff]")
#: what may stay English in a Chinese sentence: quoted text (code, answers, button
#: names), code such as checks.check(...), lab=lab, x+1, and names in capitals
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”")
_CODE = re.compile(r"\S*[=()._<>{}\[\]/+|]\S*")
_ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z]+(?:[ ,;:]+[A-Za-z][a-z]+){3,}\b")


def _labs() -> dict:
    """The lab exercises driven to their right answer, as the lessons ask."""
    close = ConnectionLab.from_scenario("close")
    close.step_button.click()
    close.step_button.click()
    close.panels["B"].buttons["close"].click()
    close.step_button.click()
    close.step_button.click()
    stale = ConnectionLab.from_scenario("stale-syn")
    stale.held_box.children[0].click()
    stale.run_button.click()
    lost = ConnectionLab.from_scenario("lost-last-ack")
    for _ in range(4):
        lost.step_button.click()
    corner = ConnectionLab.from_scenario("simultaneous-close")
    corner.reset_button.click()
    corner.panels["B"].buttons["listen"].click()
    corner.panels["A"].buttons["connect"].click()
    corner.run_button.click()
    corner.panels["A"].buttons["close"].click()
    corner.fault_buttons["drop"].click()
    corner.step_button.click()
    corner.panels["B"].buttons["close"].click()
    corner.step_button.click()
    explorer = StateMachineExplorer()
    for e in (Event.CONNECT, Event.RCV_SYN, Event.RCV_ACK, Event.CLOSE, Event.RCV_FIN):
        assert explorer.fire(e)
    return {"close-lab": dict(lab=close), "stale-syn-lab": dict(lab=stale),
            "time-wait-lab": dict(lab=lost), "corner-lab": dict(lab=corner),
            "fsm-explorer-closing": dict(explorer=explorer)}


def _right() -> dict:
    return {
        # the exercises whose numbers vary per student: the answers of the student now
        **{key: answer_of(key, checks.exercises()) for key in VARYING},
        "predict-b-after-syn": dict(state="SYN-RECEIVED", bits="SYN+ACK"),
        "predict-lost-syn": dict(b="LISTEN", sends="SYN", at=1.0),
        "predict-b-after-fin": dict(state="CLOSE-WAIT", bits="ACK"),
        "predict-a-after-fin": dict(b="LAST-ACK", a="TIME-WAIT"),
        "predict-who-time-wait": dict(who="A", b="CLOSE-WAIT"),
        "predict-simultaneous-close": dict(first="CLOSING", then="TIME-WAIT"),
        "predict-simultaneous-open": dict(state="SYN-RECEIVED", bits="SYN+ACK"),
        "predict-closed-port": dict(bits="RST+ACK", a="CLOSED"),
        "predict-rst-off-by-one": dict(sends="ACK", state="ESTABLISHED"),
        "close-state-after-ack": dict(a="FIN-WAIT-2", b="CLOSE-WAIT"),
        "close-abort-with-data": dict(bits="RST+ACK", queued=0, b_state="CLOSED",
                                      told="connection reset"),
        "fsm-close-wait-calls": dict(calls=["send", "close", "abort"]),
        "fsm-close-illegal": dict(states=["CLOSED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSING",
                                          "TIME-WAIT", "LAST-ACK"]),
        "corner-simultaneous-close": dict(state="CLOSING", ack=902, b_closed=61.2),
        "corner-fin-ack": dict(seq=6001, ack=4002, state="TIME-WAIT"),
        "corner-retransmit": dict(seq=601, state="FIN-WAIT-1", fin_wait_2=6.2),
        "corner-time-wait-syn": dict(reopen_4000="ACK", rfc793_4000="ACK",
                                     reopen_9500="SYN+ACK", rfc793_9500="ACK"),
        "explore-no-copies": dict(two_way=True, three_way=False),
        "real-server-closes-first": dict(call="shutdown(SHUT_WR)", state="FIN-WAIT-2"),
        "real-time-wait-length": dict(tcplab=240, linux=60),
        "real-time-wait-count": dict(connections=30000),
        "real-abort": dict(received=200, sends="RST", told="ECONNRESET"),
        "predict-stale-syn": dict(two_way="ESTABLISHED", three_way="LISTEN"),
        "predict-stale-syn-time-wait": dict(a="CLOSED", b="LISTEN"),
        "predict-lost-last-ack": dict(bits="FIN+ACK", a="TIME-WAIT"),
        "predict-old-duplicate": dict(corrupted=True),
        "wireshark-relative-fin": dict(fin_seq=41, fin_ack=1, b_ack=42),
        "production-port-rate": dict(rate=470),
        "production-close-wait": dict(side="server", call="close"),
        "production-syn-flood": dict(without="SYN-SENT", cookies="ESTABLISHED"),
        "production-linger": dict(control="RST", lost=800),
    }


KEYS = [e.key for e in checks.exercises()]
#: wrong answers to try on every part: numbers, names of states and flags, nonsense
WRONG = [0, 1, 700, 0.5, 61.2, "bogus", "CLOSED", "SYN-SENT", "TIME-WAIT", "TIMED WAIT",
         "LISTEN", "SYN+ACK", "RST", "ACK", "nothing", "A", "B", True, False, [1, 2],
         ["CLOSED", "LISTEN"], "CLOSED, LISTENING", ["send", "close"], State.LISTEN,
         "connection reset", "eof", "close"]


@pytest.fixture(scope="module")
def right():
    return {**_right(), **_labs()}


@pytest.fixture
def zh():
    text.set_language("zh")
    yield
    text.set_language("en")


class _Recorder:
    """A gettext translation that notes every English message it had no Chinese for."""

    def __init__(self, inner):
        self.inner, self.untranslated = inner, set()

    def gettext(self, message):
        said = self.inner.gettext(message)
        if said == message and not CJK.search(message) and re.search(r"[a-z]{2}", message):
            self.untranslated.add(message)
        return said


def _renderings(key: str, right_answer: dict) -> list[str]:
    """What a student can see of exercise ``key``: question, no/right/wrong answers."""
    shown = [repr(checks.ask(key)), checks.ask(key)._repr_html_(), checks.check(key).text()]
    shown.append(checks.check(key, **right_answer).text())
    shown.append(checks.check(key, typo=1).text())
    ex = next(e for e in checks.exercises() if e.key == key)
    parts = [p for p in inspect.signature(ex.checker).parameters.values()
             if p.kind is p.POSITIONAL_OR_KEYWORD]
    for part in parts:
        for value in WRONG:
            shown.append(checks.check(key, **{**right_answer, part.name: value}).text())
    return shown


def _english_left(said: str) -> list[str]:
    return _ENGLISH_RUN.findall(_CODE.sub(" ", _QUOTED.sub(" ", said)))


def test_every_exercise_has_a_right_answer_here(right):
    assert set(right) == set(KEYS)
    for key in KEYS:
        fb = checks.check(key, **right[key])
        assert fb.correct, (key, fb.text())


@pytest.mark.parametrize("key", KEYS)
def test_the_exercise_speaks_chinese(key, right, zh, monkeypatch):
    recorder = _Recorder(text._translation)
    monkeypatch.setattr(text, "_translation", recorder)
    shown = _renderings(key, right[key])
    assert not recorder.untranslated, recorder.untranslated
    assert checks.check(key, **right[key]).correct
    for said in shown:
        assert CJK.search(said), said
        assert not _english_left(said), (_english_left(said), said)
    wrong = [s for s in shown if s.startswith("✘")]
    assert wrong and all("还不对" in s for s in wrong)
    assert "正确" in checks.check(key, **right[key]).text()


@pytest.mark.parametrize("key", KEYS)
def test_the_exercise_speaks_english_again_after_chinese(key, right):
    english = _renderings(key, right[key])
    text.set_language("zh")
    try:
        chinese = _renderings(key, right[key])
    finally:
        text.set_language("en")
    assert _renderings(key, right[key]) == english
    assert chinese != english
    # the English renderings hold no Chinese but the lecture's terms the English quotes
    for said in english:
        assert not re.search(r"还不对|正确|练习|没有回答", said), said


def test_switching_the_language_mid_session_changes_the_next_feedback():
    wrong = dict(seq=700, ack=4000)
    before = checks.check("handshake-third-segment", **wrong)
    tcplab.set_language("zh")
    try:
        during = checks.check("handshake-third-segment", **wrong)
        question = repr(checks.ask("handshake-third-segment"))
        # a Feedback checked before the switch stays whole, heading and lines, in English
        assert before.text().startswith("✘ Not quite.\n  seq=700 is not right.")
    finally:
        tcplab.set_language("en")
    after = checks.check("handshake-third-segment", **wrong)
    assert before.text().startswith("✘ Not quite.") and "700 is x" in before.text()
    assert during.text().startswith("✘ 还不对。") and "700 是 x" in during.text()
    assert "还不对" in during._repr_html_()
    assert question.startswith("练习 handshake-third-segment：")
    assert after.text() == before.text()


def test_the_heuristic_finds_english_left_in_a_sentence():
    assert _english_left("A is still waiting for the answer.")
    assert not _english_left("A 处于 SYN-SENT，请用 checks.check('x', seq=...) 作答。")
    assert not _english_left("请点击 'deliver next'，然后 'drop next'。")


# --------------------------------------------------------------------------- the homework's matrix

def _conformance_table() -> dict:
    """A table with every kind of verdict: right, wrong, ignored, missing, half, unreadable,
    and cells that are left out with a note."""
    from tcplab.grading.conformance import CELLS
    table = {c.key: (str(c.expected.target), c.expected.action or "") for c in CELLS}
    table[("FIN-WAIT-1", "FIN")] = ("CLOSED", "ACK")        # wrong next state
    table[("TIME-WAIT", "FIN")] = ("TIME-WAIT", "")          # half: nothing sent
    table[("LISTEN", "SYN")] = (None, "")                    # ignored
    table[("FIN-WAIT-2", "FIN")] = ("NOWHERE", "ACK")        # unreadable
    del table[("CLOSING", "ACK")]                            # missing
    table[("BOGUS", "SYN")] = ("CLOSED", "")                 # notes
    table[("ESTABLISHED", "FIN")] = ("CLOSE-WAIT", "ACK")
    return table


@pytest.mark.parametrize("reveal", [True, False])
def test_the_conformance_report_speaks_chinese(reveal, zh, monkeypatch):
    from tcplab import conformance
    recorder = _Recorder(text._translation)
    monkeypatch.setattr(text, "_translation", recorder)
    report = conformance.check_table(_conformance_table(), reveal=reveal)
    said = report.text()
    page = report.html(ladders=False)
    assert not recorder.untranslated, recorder.untranslated
    assert said.startswith("你的表的一致性：") and "（无）" in said and "（忽略）" in said
    assert {"✘ 错", "✘ 缺少", "✘ 无法读取", "✘ ½：发送的报文段不对", "✔ 对"} <= \
        {w for line in said.splitlines() for w in re.findall(r"[✔✘] \S+", line)}
    for r in report.wrong():
        assert CJK.search(r.explanation()) and not _english_left(r.explanation()), \
            r.explanation()
    assert ("RFC 9293 进入" in said) is reveal
    assert "注：" in said and "<b>你的表的一致性</b>" in page
    # the columns still line up in screen columns (a Chinese character takes two):
    # the verdict starts at the same column in every row, under its heading
    head, *rows = said.split("\n\n")[0].splitlines()[1:]
    starts = {text.width(r[:r.index("✔" if "✔" in r else "✘")]) for r in rows}
    assert starts == {text.width(head[:head.index("判定")])}


def test_the_conformance_report_in_english_is_the_same_after_chinese():
    from tcplab import conformance
    table = _conformance_table()
    english = conformance.check_table(table).text()
    text.set_language("zh")
    try:
        chinese = conformance.check_table(table).text()
    finally:
        text.set_language("en")
    assert conformance.check_table(table).text() == english != chinese
    assert english.startswith("Conformance of your table: ")
    assert conformance.STORIES["old SYN"].description.startswith(
        "B listens; an old SYN of A's (seq=40)")
