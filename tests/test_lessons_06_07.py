"""Exercises of lessons 06 and 07, the corner cases, and the helpers their notebooks use.

For each exercise: the right answer is accepted (also in other spellings), each typical
mistake gets the hint that teaches, answers of the wrong type get a sentence (never a
traceback), and the question does not give the answer away.
"""

import json
from pathlib import Path

import pytest

from tcplab import Flag, Network, Segment, State, checks
from tcplab.checks import Feedback
from tcplab.exercises import corner_cases, corner_closing, corner_lab
from tcplab.exercises.corner_cases import ORDER, TABLE_STATES, abort_and_reset, in_state
from tcplab.fsm import SYNCHRONIZED
from tcplab.widgets import ConnectionLab

S = State
OPENING, CLOSING = "06-open-and-reset", "07-close-and-retransmit"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
#: which lesson asks each exercise (the lab exercise is lesson 07's)
LESSON_OF = {"corner-simultaneous-open": OPENING, "corner-closed-port": OPENING,
             "corner-rst-syn-received": OPENING, "corner-abort": OPENING,
             "corner-simultaneous-close": CLOSING, "corner-fin-ack": CLOSING,
             "corner-retransmit": CLOSING, "corner-time-wait-syn": CLOSING,
             "corner-lab": CLOSING}

RIGHT = {
    "corner-simultaneous-open": dict(seq=2000, ack=7001, segments=4),
    "corner-simultaneous-close": dict(state="CLOSING", ack=902, b_closed=61.2),
    "corner-fin-ack": dict(seq=6001, ack=4002, state="TIME-WAIT"),
    "corner-abort": dict(sends="RST", seq=1021, b="CLOSED"),
    "corner-closed-port": dict(flags="RST+ACK", seq=0, ack=3001, a="CLOSED"),
    "corner-rst-syn-received": dict(seq=651, passive="LISTEN", active="CLOSED"),
    "corner-retransmit": dict(seq=601, state="FIN-WAIT-1", fin_wait_2=6.2),
    "corner-time-wait-syn": dict(reopen_4000="ACK", rfc793_4000="ACK",
                                 reopen_9500="SYN+ACK", rfc793_9500="ACK"),
}


def line(fb: Feedback, part: str) -> str:
    """The feedback line about ``part`` (exactly one)."""
    found = [l for l in fb.lines if l.startswith(part + "=") or l.startswith(part + " ")
             or l.startswith(part + ":")]
    assert len(found) == 1, fb.text()
    return found[0]


def check(key, **changes):
    """Check the right answer of ``key`` with some parts changed."""
    return checks.check(key, **{**RIGHT[key], **changes})


# --------------------------------------------------------------------------- registry

def test_each_lesson_registers_one_exercise_per_case_and_07_the_lab():
    assert set(LESSON_OF) == set(RIGHT) | {"corner-lab"}
    for lesson in (OPENING, CLOSING):
        assert {e.key for e in checks.exercises(lesson, "answer")} == \
            {key for key, where in LESSON_OF.items() if where == lesson}
    assert corner_cases.LESSON == OPENING
    assert corner_closing.LESSON == corner_lab.LESSON == CLOSING


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_right_answers_are_accepted(key):
    fb = checks.check(key, **RIGHT[key])
    assert fb.correct and fb.score == 1.0, fb.text()
    assert fb.lines and "✔" in fb._repr_html_()


@pytest.mark.parametrize("key, answers", [
    ("corner-simultaneous-open", dict(seq=2000.0, ack=7001, segments=4.0)),
    ("corner-simultaneous-close", dict(state=S.CLOSING, ack=902, b_closed=61.2)),
    ("corner-simultaneous-close", dict(state="closing", ack=902, b_closed=1.2 + 60)),
    ("corner-fin-ack", dict(seq=6001, ack=4002, state="time wait")),
    ("corner-fin-ack", dict(seq=6001, ack=4002, state="State.TIME_WAIT")),
    ("corner-abort", dict(sends="RST+ACK", seq=1021, b=S.CLOSED)),
    ("corner-abort", dict(sends=Flag.RST, seq=1021, b="closed")),
    ("corner-abort", dict(sends="rst, ack", seq=1021, b="CLOSED")),
    ("corner-closed-port", dict(flags=Flag.RST | Flag.ACK, seq=0, ack=3001, a=S.CLOSED)),
    ("corner-closed-port", dict(flags="ack+rst", seq=0, ack=3001, a="closed")),
    ("corner-closed-port", dict(flags=["RST", "ACK"], seq=0, ack=3001, a="CLOSED")),
    ("corner-rst-syn-received", dict(seq=651.0, passive=S.LISTEN, active=S.CLOSED)),
    ("corner-retransmit", dict(seq=601, state="fin_wait_1", fin_wait_2=6.2)),
    ("corner-retransmit", dict(seq=601, state="FIN WAIT 1", fin_wait_2=5 + 1 + 0.2)),
    ("corner-time-wait-syn", dict(reopen_4000=Flag.ACK, rfc793_4000="ack",
                                  reopen_9500="syn-ack", rfc793_9500=" ACK ")),
    ("corner-time-wait-syn", dict(reopen_4000="ACK", rfc793_4000="ACK",
                                  reopen_9500=Flag.SYN | Flag.ACK, rfc793_9500="ACK")),
])
def test_other_spellings_are_accepted(key, answers):
    fb = checks.check(key, **answers)
    assert fb.correct, fb.text()


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_no_answer_yet_names_each_part(key):
    fb = checks.check(key)
    assert not fb.correct and fb.score == 0
    for part in RIGHT[key]:
        assert f"{part}: no answer yet" in fb.text()


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_questions_do_not_give_the_answer_away(key):
    question = repr(checks.ask(key))
    assert f"checks.check('{key}'" in question
    for part, value in RIGHT[key].items():
        if isinstance(value, str):
            continue
        assert f"={value:g} " not in question and f"={value:g}," not in question
        assert f" {value:g} " not in question


@pytest.mark.parametrize("key", sorted(RIGHT))
@pytest.mark.parametrize("bad", ["x", True, [1], 3.5j, object(), {"a": 1}, -1])
def test_wrong_types_get_a_sentence_for_every_part(key, bad):
    for part in RIGHT[key]:
        fb = check(key, **{part: bad})
        assert isinstance(fb, Feedback) and not fb.correct
        text = line(fb, part)
        assert "Traceback" not in text and len(text.split()) >= 5, text
        assert "is not right" in text or "should be" in text


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_positional_and_unknown_parts_get_sentences(key):
    assert not checks.check(key, 1, 2).correct
    fb = checks.check(key, **RIGHT[key], typo=1)
    assert not fb.correct and "no part called typo" in fb.text()


# --------------------------------------------------------------------------- typical mistakes

MISTAKES = [
    # 1. simultaneous open
    ("corner-simultaneous-open", dict(seq=2001), "seq", "same number x"),
    ("corner-simultaneous-open", dict(seq=7001), "seq", "A's own sequence space"),
    ("corner-simultaneous-open", dict(ack=7000), "ack", "acknowledges y+1"),
    ("corner-simultaneous-open", dict(ack=2001), "ack", "names B's next number"),
    ("corner-simultaneous-open", dict(segments=3), "segments", "nobody is the server"),
    ("corner-simultaneous-open", dict(segments=6), "segments", "No separate ACK"),
    ("corner-simultaneous-open", dict(segments=2), "segments", "neither is acknowledged"),
    # 2. simultaneous close
    ("corner-simultaneous-close", dict(state="TIME-WAIT"), "state", "does not acknowledge"),
    ("corner-simultaneous-close", dict(state="FIN-WAIT-2"), "state", "needs the ACK"),
    ("corner-simultaneous-close", dict(state="LAST-ACK"), "state", "both closed at once"),
    ("corner-simultaneous-close", dict(state="CLOSE-WAIT"), "state", "has closed already"),
    ("corner-simultaneous-close", dict(state="CLOSNG"), "state", "not the name of a state"),
    ("corner-simultaneous-close", dict(ack=901), "ack", "occupies one"),
    ("corner-simultaneous-close", dict(ack=502), "ack", "A's own sequence space"),
    ("corner-simultaneous-close", dict(b_closed=1.2), "b_closed", "waits 2MSL there"),
    ("corner-simultaneous-close", dict(b_closed=31.2), "b_closed", "one MSL"),
    ("corner-simultaneous-close", dict(b_closed=60), "b_closed", "not from t=0"),
    ("corner-simultaneous-close", dict(b_closed=61.0), "b_closed", "not from the close()"),
    ("corner-simultaneous-close", dict(b_closed=61.1), "b_closed", "not when A's FIN"),
    ("corner-simultaneous-close", dict(b_closed="61.2 s"), "b_closed", "number of seconds"),
    # 3. FIN+ACK in FIN-WAIT-1
    ("corner-fin-ack", dict(state="FIN-WAIT-2"), "state", "brings both at once"),
    ("corner-fin-ack", dict(state="CLOSING"), "state", "FINs crossed"),
    ("corner-fin-ack", dict(state="CLOSED"), "state", "waits 2MSL"),
    ("corner-fin-ack", dict(state="LAST-ACK"), "state", "closes second"),
    ("corner-fin-ack", dict(seq=6000), "seq", "y+1"),
    ("corner-fin-ack", dict(seq=4002), "seq", "A's sequence space"),
    ("corner-fin-ack", dict(ack=4001), "ack", "occupies one number"),
    ("corner-fin-ack", dict(ack=6002), "ack", "ack names A's"),
    # 4. abort
    ("corner-abort", dict(sends="FIN"), "sends", "what close() sends"),
    ("corner-abort", dict(sends="nothing"), "sends", "§3.10.5"),
    ("corner-abort", dict(sends="ACK"), "sends", "nothing new"),
    ("corner-abort", dict(sends="SYN"), "sends", "reset"),
    ("corner-abort", dict(seq=1020), "seq", "x+21"),
    ("corner-abort", dict(seq=1022), "seq", "A sent no FIN"),
    ("corner-abort", dict(seq=5002), "seq", "B's sequence space"),
    ("corner-abort", dict(seq=0), "seq", "its own next number"),
    ("corner-abort", dict(b="TIME-WAIT"), "b", "without TIME-WAIT"),
    ("corner-abort", dict(b="FIN-WAIT-2"), "b", "exactly B's RCV.NXT"),
    ("corner-abort", dict(b="LAST-ACK"), "b", "closes second"),
    # 5. a closed port
    ("corner-closed-port", dict(flags="RST"), "flags", "<SEQ=0><ACK=SEG.SEQ+SEG.LEN>"),
    ("corner-closed-port", dict(flags="SYN+ACK"), "flags", "not listening"),
    ("corner-closed-port", dict(flags="nothing"), "flags", "closed port"),
    ("corner-closed-port", dict(flags="RTS"), "flags", "Name the control bits"),
    ("corner-closed-port", dict(seq=3001), "seq", "ack field"),
    ("corner-closed-port", dict(seq=8000), "seq", "chose no ISN"),
    ("corner-closed-port", dict(ack=3000), "ack", "SEG.LEN=1"),
    ("corner-closed-port", dict(a="SYN-SENT"), "a", "acknowledges A's SYN"),
    ("corner-closed-port", dict(a="LISTEN"), "a", "never listened"),
    # 6. SYN-RECEIVED and RST
    ("corner-rst-syn-received", dict(passive="CLOSED"), "passive", "asked to listen"),
    ("corner-rst-syn-received", dict(passive="SYN-SENT"), "passive", "never sent a SYN"),
    ("corner-rst-syn-received", dict(active="LISTEN"), "active", "never listened"),
    ("corner-rst-syn-received", dict(active="SYN-RECEIVED"), "active", "leaves SYN-RECEIVED"),
    ("corner-rst-syn-received", dict(active="SYN-SENT"), "active", "does not start again"),
    ("corner-rst-syn-received", dict(passive="SYN-RECEIVED"), "passive", "judged by its seq"),
    ("corner-rst-syn-received", dict(seq=650), "seq", "old SYN's own number"),
    ("corner-rst-syn-received", dict(seq=4000), "seq", "B's ISN"),
    ("corner-rst-syn-received", dict(seq=4001), "seq", "acknowledges nothing"),
    ("corner-rst-syn-received", dict(seq=0), "seq", "without ACK"),
    # 7. retransmitted FIN
    ("corner-retransmit", dict(seq=602), "seq", "very same FIN again"),
    ("corner-retransmit", dict(seq=600), "seq", "A's SYN"),
    ("corner-retransmit", dict(state="FIN-WAIT-2"), "state", "the FIN was lost"),
    ("corner-retransmit", dict(state="ESTABLISHED"), "state", "took A out of ESTABLISHED"),
    ("corner-retransmit", dict(state="CLOSED"), "state", "does not give up"),
    ("corner-retransmit", dict(fin_wait_2=5.2), "fin_wait_2", "was lost"),
    ("corner-retransmit", dict(fin_wait_2=6.0), "fin_wait_2", "round trip"),
    ("corner-retransmit", dict(fin_wait_2=6.1), "fin_wait_2", "another 0.1 s"),
    ("corner-retransmit", dict(fin_wait_2=7.2), "fin_wait_2", "doubles only"),
    # 8. a SYN in TIME-WAIT
    ("corner-time-wait-syn", dict(reopen_4000="SYN+ACK"), "reopen_4000", "old duplicate"),
    ("corner-time-wait-syn", dict(reopen_4000="RST"), "reopen_4000", "never a reset"),
    ("corner-time-wait-syn", dict(rfc793_4000="RST"), "rfc793_4000", "inside the window"),
    ("corner-time-wait-syn", dict(rfc793_4000="SYN+ACK"), "rfc793_4000", "Only the 'reopen'"),
    ("corner-time-wait-syn", dict(reopen_9500="ACK"), "reopen_9500", "above the old numbers"),
    ("corner-time-wait-syn", dict(rfc793_9500="RST"), "rfc793_9500", "beyond the window"),
    ("corner-time-wait-syn", dict(rfc793_9500="nothing"), "rfc793_9500", "answered with an ACK"),
]


@pytest.mark.parametrize("key, changes, part, hint", MISTAKES,
                         ids=[f"{m[0][7:]}-{m[2]}-{list(m[1].values())[0]}" for m in MISTAKES])
def test_typical_mistakes_get_their_hint(key, changes, part, hint):
    fb = check(key, **changes)
    assert not fb.correct
    text = line(fb, part)
    assert hint in text, text
    assert fb.score == pytest.approx((len(RIGHT[key]) - 1) / len(RIGHT[key]))


def test_hints_do_not_give_the_numbers_away():
    """A hint says why, not what: the right number is not in the line about it."""
    for key, changes, part, _ in MISTAKES:
        right = RIGHT[key][part]
        if isinstance(right, str):
            continue
        text = line(check(key, **changes), part).split("is not right.", 1)[1]
        assert f"{right:g}" not in text.replace(",", " ").split(), (key, part, text)


# --------------------------------------------------------------------------- the answers are the library's

def test_time_wait_syn_question_numbers_match_the_story():
    """RCV.NXT=5002 in the question is A's after the old connection (B's ISN 5000)."""
    net = Network(seed=0)
    a = net.host("A", iss=100)
    b = net.host("B", iss=5000)
    b.listen(); a.connect("B"); net.run(until=1)
    a.close(); net.run(until=2)
    b.close(); net.run(until=3)
    assert a.state is S.TIME_WAIT
    q = repr(checks.ask("corner-time-wait-syn"))
    assert f"RCV.NXT is {a.endpoint.rcv_nxt}" in q and f"window {a.endpoint.rcv_wnd}" in q


def test_simultaneous_open_answer_is_rfc_9293_figure_7():
    net = Network(seed=0)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    a.connect("B"); b.connect("A"); net.run(until=1)
    assert [s.describe() for _, s in net.sent] == [
        "SYN seq=100", "SYN seq=300", "SYN+ACK seq=300 ack=101", "SYN+ACK seq=100 ack=301"]


# --------------------------------------------------------------------------- helpers of the notebook

@pytest.mark.parametrize("state", TABLE_STATES, ids=str)
def test_in_state_puts_a_in_each_state_of_the_table_for_a_while(state):
    net, a, b = in_state(state)
    assert a.state is state
    net.run(until=net.now + 0.2)              # an RST sent now still finds A there
    assert a.state is state


def test_order_is_every_synchronized_state_and_the_table_adds_syn_received():
    assert set(ORDER) == SYNCHRONIZED and len(ORDER) == len(SYNCHRONIZED)
    assert TABLE_STATES == (S.SYN_RECEIVED,) + ORDER
    with pytest.raises(ValueError, match="synchronized state"):
        in_state(S.LISTEN)


def test_abort_and_reset_table_follows_rfc_9293():
    rows = {s: abort_and_reset(s) for s in TABLE_STATES}
    # §3.10.5: a reset in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT; nothing in
    # the others.  tcplab's reset is RST+ACK, seq=SND.NXT, ack=RCV.NXT (as Linux's)
    sends_rst = {S.SYN_RECEIVED, S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2, S.CLOSE_WAIT}
    for state, r in rows.items():
        if state in sends_rst:
            assert r.abort_sends.flags == Flag.RST | Flag.ACK
            assert r.abort_sends.seq in (101, 102) and r.abort_sends.ack in (301, 302)
            assert r.peer_end.startswith("CLOSED: reset")
        else:
            assert r.abort_sends is None
        # §3.10.7.4 with RFC 5961 §3: RST at RCV.NXT closes (SYN-RECEIVED after a passive
        # open: back to LISTEN), one beside it is challenged
        assert r.after_rst is (S.LISTEN if state is S.SYN_RECEIVED else S.CLOSED)
        assert r.beside_answer.flags == Flag.ACK and r.after_beside is state
    assert rows[S.SYN_RECEIVED].peer is S.SYN_SENT
    assert rows[S.TIME_WAIT].peer is S.CLOSED and rows[S.TIME_WAIT].peer_end == "CLOSED already"
    assert "2MSL" in rows[S.LAST_ACK].peer_end


def test_rst_positions_compare_rfc_9293s_window_rule_with_rfc_5961():
    from tcplab.resets import rst_positions
    probes = rst_positions()
    assert [p.where for p in probes] == ["RCV.NXT", "RCV.NXT+1", "RCV.NXT+RCV.WND-1",
                                         "RCV.NXT+RCV.WND"]
    assert [p.in_window for p in probes] == [True, True, True, False]
    assert [p.base_rule for p in probes] == ["reset", "reset", "reset", "drop"]
    exact, beside, last, beyond = probes
    assert exact.seq == 301 and exact.after is S.CLOSED and exact.answer is None
    for p in (beside, last):                  # in the window, not exact: challenge ACK
        assert p.after is S.ESTABLISHED
        assert (p.answer.flags, p.answer.seq, p.answer.ack) == (Flag.ACK, 101, 301)
    assert beyond.after is S.ESTABLISHED and beyond.answer is None      # dropped silently


def test_a_syn_sent_peer_takes_the_reset_only_with_its_ack():
    from tcplab.resets import resets_in_syn_sent
    (with_ack, after_with), (bare, after_bare) = resets_in_syn_sent()
    assert with_ack.flags == Flag.RST | Flag.ACK and with_ack.ack == 301
    assert after_with is S.CLOSED
    assert bare.flags == Flag.RST and after_bare is S.SYN_SENT     # §3.10.7.3: dropped


# --------------------------------------------------------------------------- the lab exercise

def test_corner_lab_untouched_says_what_to_do():
    lab = ConnectionLab.from_scenario("simultaneous-close")
    fb = checks.check("corner-lab", lab=lab)
    assert not fb.correct and fb.score == 0
    assert "A is in FIN-WAIT-1" in fb.text() and "reset" in fb.lines[1]


def test_corner_lab_driven_to_fin_ack_is_accepted():
    lab = ConnectionLab.from_scenario("simultaneous-close")
    lab.reset_button.click()
    assert "listen()" in checks.check("corner-lab", lab=lab).lines[1]
    lab.panels["B"].buttons["listen"].click()
    lab.panels["A"].buttons["connect"].click()
    lab.run_button.click()
    assert "close one host" in checks.check("corner-lab", lab=lab).lines[1]
    lab.panels["A"].buttons["close"].click()
    assert "drop next" in checks.check("corner-lab", lab=lab).lines[1]
    lab.fault_buttons["drop"].click()
    lab.step_button.click()                     # A's FIN arrives; B's ACK is dropped
    lab.panels["B"].buttons["close"].click()
    lab.step_button.click()                     # B's FIN+ACK arrives: FIN-WAIT-1 → TIME-WAIT
    fb = checks.check("corner-lab", lab=lab)
    assert fb.correct and "FIN+ACK / ACK" in fb.text()


def test_corner_lab_other_closes_get_their_hint():
    lab = ConnectionLab.from_scenario("simultaneous-close")
    lab.run_button.click()                      # through CLOSING
    fb = checks.check("corner-lab", lab=lab)
    assert not fb.correct and "CLOSING" in fb.lines[1]
    lab = ConnectionLab.from_scenario("close")
    lab.run_button.click()                      # the usual close: FIN-WAIT-2 on the way
    lab.panels["B"].buttons["close"].click()
    lab.run_button.click()
    fb = checks.check("corner-lab", lab=lab)
    assert not fb.correct and "FIN-WAIT-2" in fb.lines[1] and "drop next" in fb.lines[1]


def test_corner_lab_accepts_a_network_and_rejects_other_things():
    net = Network(seed=0)
    a, b = net.host("A", iss=1), net.host("B", iss=2)
    b.listen(); a.connect("B"); net.run(until=1)
    net.drop(lambda s: s.src == "B" and s.flags == Flag.ACK, count=1)
    a.close(); net.run(until=1.15); b.close(); net.run(until=2)
    assert checks.check("corner-lab", lab=net).correct
    assert "no part called labb" in checks.check("corner-lab", labb=net).text()
    for bad in (None, 42, "lab", Network(seed=0), [1]):
        fb = checks.check("corner-lab", lab=bad)
        assert isinstance(fb, Feedback) and not fb.correct and fb.lines
        assert len(fb.lines[0].split()) >= 5


# --------------------------------------------------------------------------- the notebook

@pytest.mark.parametrize("lesson", [OPENING, CLOSING])
def test_each_notebook_asks_its_exercises_and_writes_no_answer(lesson):
    nb = json.loads((NOTEBOOKS / f"{lesson}.ipynb").read_text())
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    others = [key for key, where in LESSON_OF.items() if where != lesson]
    assert not any(f'checks.ask("{key}")' in c for c in code for key in others)
    for key in [key for key, where in LESSON_OF.items() if where == lesson]:
        assert any(f'checks.ask("{key}")' in c for c in code), key
        (answer,) = [c for c in code if f'checks.check("{key}"' in c]
        if key != "corner-lab":
            for part in RIGHT[key]:
                assert f"{part}=None" in answer, (key, part)


# --------------------------------------------------------------------------- a variant per student

def _variant(key, **numbers):
    from tcplab.grading.variants import Variant
    ex = next(e for e in checks.exercises() if e.key == key)
    return ex, Variant("some student", key, {**dict(ex.variant("demo")), **numbers})


def test_time_wait_syn_question_numbers_match_the_story_for_every_rcv_nxt():
    """A student's RCV.NXT is A's after an old connection whose B had the ISN RCV.NXT-2."""
    from tcplab import stories
    ex, v = _variant("corner-time-wait-syn", rcv_nxt=7002)
    net, a, b = stories.syn_in_time_wait("rfc793", old_iss=v["rcv_nxt"] - 2, new_iss=9500)
    assert a.state is S.TIME_WAIT and a.endpoint.rcv_nxt == 7002
    assert "RCV.NXT is 7002" in _(ex.question).format(**v)


def _(text):
    from tcplab.text import _ as translate
    return translate(text)


def test_a_syn_inside_the_window_is_reset_under_rfc793():
    """RCV.NXT=7002: seq=9500 lies in [7002, 11098), so RFC 793 resets; 'reopen' still
    reopens (9500 is above the old numbers)."""
    ex, v = _variant("corner-time-wait-syn", rcv_nxt=7002)
    right = dict(reopen_4000="ACK", rfc793_4000="ACK", reopen_9500="SYN+ACK")
    assert ex.checker(v, **right, rfc793_9500="RST+ACK").correct
    assert ex.checker(v, **right, rfc793_9500="RST").correct
    fb = ex.checker(v, **right, rfc793_9500="ACK")
    assert not fb.correct and "inside the window [7002, 11098)" in fb.text()
    # the demo's RCV.NXT=5002: 9500 lies beyond the window, the first check fails
    ex, demo = _variant("corner-time-wait-syn")
    fb = ex.checker(demo, **right, rfc793_9500="RST")
    assert not fb.correct and "beyond the window [5002, 9098)" in fb.text()


def test_a_moment_after_the_retransmitted_fins_ack_finds_a_in_fin_wait_2():
    """RTO 1 s, delay 0.05 s: the FIN again at 6 s, its ACK back at 6.1 s; asked at 6.95 s."""
    ex, v = _variant("corner-retransmit", rto=1.0, delay=0.05, look=6.95)
    assert ex.checker(v, seq=601, state="FIN-WAIT-2", fin_wait_2=6.1).correct
    fb = ex.checker(v, seq=601, state="FIN-WAIT-1", fin_wait_2=6.1)
    assert not fb.correct and "acknowledged at t=6.1 s" in fb.text()
    # a timeout of 2.5 s: asked at 6.95 s, A still waits for the ACK of its FIN
    ex, v = _variant("corner-retransmit", rto=2.5, delay=0.05, look=6.95)
    assert ex.checker(v, seq=601, state="FIN-WAIT-1", fin_wait_2=7.6).correct
    fb = ex.checker(v, seq=601, state="FIN-WAIT-1", fin_wait_2=6.1)
    assert not fb.correct and "timeout here is 2.5 s" in fb.text()
