"""Exercises of lessons 01 (three-way handshake) and 02 (four-way close).

For each exercise: the right answer is accepted, each typical mistake gets
the hint that teaches, answers of the wrong type get a sentence (never a
traceback), and the question does not give the answer away.
"""

import sys

import pytest

from tcplab import Flag, Network, State, checks
from tcplab.checks import Feedback
from tcplab.widgets import ConnectionLab

LESSON_01 = {"handshake-third-segment", "handshake-syn-ack", "handshake-lost-syn-ack",
             "handshake-established-times", "handshake-retransmitted-syn",
             "handshake-lost-third-ack"}
LESSON_02 = {"close-fin-seq", "close-half-close-fin", "close-state-after-ack",
             "close-time-wait", "close-lab", "close-abort-with-data"}

RIGHT = {
    "handshake-third-segment": dict(seq=701, ack=4001),
    "handshake-syn-ack": dict(seq=9000, ack=5001),
    "handshake-lost-syn-ack": dict(a="SYN-SENT", b="SYN-RECEIVED"),
    "handshake-established-times": dict(a=0.5, b=0.75),
    "handshake-retransmitted-syn": dict(resent=1.0, seq=2000, b_established=1.6),
    "close-fin-seq": dict(u=1251, ack=1252),
    "close-half-close-fin": dict(seq=7301, ack=2002, last_ack=7302),
    "close-state-after-ack": dict(a="FIN-WAIT-2", b="CLOSE-WAIT"),
    "close-time-wait": dict(duration=40.0, closed=42.1),
    "handshake-lost-third-ack": dict(who="B", bits="SYN+ACK", b_established=1.3,
                                     with_data=0.6),
    "close-abort-with-data": dict(bits="RST+ACK", queued=0, b_state="CLOSED",
                                  told="connection reset"),
}


def line(fb: Feedback, part: str) -> str:
    """The feedback line about ``part`` (exactly one)."""
    found = [l for l in fb.lines if l.startswith(part + "=") or l.startswith(part + " ")
             or l.startswith(part + ":")]
    assert len(found) == 1, fb.text()
    return found[0]


# --------------------------------------------------------------------------- registry

def test_both_lessons_register_their_exercises():
    assert {e.key for e in checks.exercises("01-three-way-handshake", "answer")} == LESSON_01
    assert {e.key for e in checks.exercises("02-four-way-close", "answer")} == LESSON_02


def test_lesson_01_has_every_kind_of_exercise():
    kinds = {e.kind for e in checks.exercises("01-three-way-handshake")}
    assert kinds == {"answer", "trace", "order", "predict"}
    assert {e.key for e in checks.exercises("01-three-way-handshake", "predict")} == {
        "predict-b-after-syn", "predict-lost-syn"}
    assert {e.key for e in checks.explanations("01-three-way-handshake")} == {
        "explain-own-isn", "explain-synack-resent"}


def test_lesson_02_has_every_kind_of_exercise():
    by_kind = {}
    for e in checks.exercises("02-four-way-close"):
        by_kind.setdefault(e.kind, set()).add(e.key)
    assert by_kind == {"answer": LESSON_02, "trace": {"trace-close"},
                       "order": {"order-half-close"},
                       "predict": {"predict-b-after-fin", "predict-a-after-fin"}}
    assert {e.key for e in checks.explanations("02-four-way-close")} == {
        "explain-four-segments", "explain-who-waits"}


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_right_answers_are_accepted(key):
    fb = checks.check(key, **RIGHT[key])
    assert fb.correct and fb.score == 1.0, fb.text()
    assert "✔" in fb._repr_html_()


#: answers that the question gives on purpose: the retransmitted SYN's seq is x itself,
#: and it leaves one initial RTO (1 s) after the first SYN (t=0)
GIVEN = {("handshake-retransmitted-syn", "seq"), ("handshake-retransmitted-syn", "resent"),
         ("handshake-syn-ack", "seq")}      # B's SYN+ACK carries y, given in the question


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_questions_do_not_give_the_answer_away(key):
    question = repr(checks.ask(key))
    for part, value in RIGHT[key].items():
        if (key, part) in GIVEN or isinstance(value, str):
            continue
        assert f"={value:g}" not in question and f" {value:g} " not in question


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_no_answer_yet_names_each_part(key):
    fb = checks.check(key)
    assert not fb.correct
    for part in RIGHT[key]:
        assert f"{part}: no answer yet" in fb.text()


@pytest.mark.parametrize("key", sorted(RIGHT))
@pytest.mark.parametrize("bad", ["x", True, [1], 3.5j, object()])
def test_wrong_types_get_a_sentence(key, bad):
    answers = dict(RIGHT[key])
    part = next(iter(answers))
    answers[part] = bad
    fb = checks.check(key, **answers)
    assert isinstance(fb, Feedback) and not fb.correct
    text = line(fb, part)
    assert "Traceback" not in text and len(text.split()) >= 5


@pytest.mark.parametrize("key", sorted(RIGHT))
def test_positional_and_unknown_parts_get_sentences(key):
    assert not checks.check(key, 1, 2).correct
    fb = checks.check(key, **RIGHT[key], typo=1)
    assert not fb.correct and "no part called typo" in fb.text()


# --------------------------------------------------------------------------- lesson 01

@pytest.mark.parametrize("answers, part, hint", [
    (dict(seq=701, ack=4000), "ack", "y+1"),            # ack=y
    (dict(seq=701, ack=701), "ack", "B's sequence space"),      # ack=x+1
    (dict(seq=700, ack=4001), "seq", "occupies one sequence number"),   # seq=x
    (dict(seq=4001, ack=4001), "seq", "B's sequence space"),
])
def test_third_segment_mistakes(answers, part, hint):
    fb = checks.check("handshake-third-segment", **answers)
    assert not fb.correct and hint in line(fb, part)


@pytest.mark.parametrize("answers, part, hint", [
    (dict(seq=9000, ack=5000), "ack", "occupies one sequence number"),   # ack=x
    (dict(seq=5001, ack=9000), "seq", "goes in the ack field"),          # swapped
    (dict(seq=9001, ack=5001), "seq", "The SYN itself carries y"),       # seq=y+1
    (dict(seq=9000, ack=9001), "ack", "own sequence space"),
])
def test_syn_ack_mistakes(answers, part, hint):
    fb = checks.check("handshake-syn-ack", **answers)
    assert not fb.correct and hint in line(fb, part)


@pytest.mark.parametrize("answers, part, hint", [
    (dict(a="SYN-SENT", b="ESTABLISHED"), "b", "waits for A's ACK"),
    (dict(a="SYN-SENT", b="LISTEN"), "b", "left LISTEN"),
    (dict(a="ESTABLISHED", b="SYN-RECEIVED"), "a", "was lost"),
    (dict(a="CLOSED", b="SYN-RECEIVED"), "a", "has not given up"),
    (dict(a="SYN-SENT", b="SYN-RECIEVED"), "b", "not the name of a state"),
    (dict(a=3, b="SYN-RECEIVED"), "a", "Give a state's name"),
])
def test_lost_syn_ack_mistakes(answers, part, hint):
    fb = checks.check("handshake-lost-syn-ack", **answers)
    assert not fb.correct and hint in line(fb, part)


def test_lost_syn_ack_accepts_states_and_spellings():
    assert checks.check("handshake-lost-syn-ack", a=State.SYN_SENT, b=State.SYN_RECEIVED)
    assert checks.check("handshake-lost-syn-ack", a="syn_sent", b="syn-received")


@pytest.mark.parametrize("answers, part, hint", [
    (dict(a=0.25, b=0.75), "a", "must still wait for B's SYN+ACK"),
    (dict(a=0.75, b=0.75), "a", "before B does"),
    (dict(a=0.5, b=0.5), "b", "B is told only when that ACK arrives"),
    (dict(a=0.5, b=0.25), "b", "has only received A's SYN"),
    (dict(a="0.5", b=0.75), "a", "number of seconds"),
])
def test_established_times_mistakes(answers, part, hint):
    fb = checks.check("handshake-established-times", **answers)
    assert not fb.correct and hint in line(fb, part)
    assert "0.75" not in line(fb, part).split("is not right.")[1]   # the hint, not the answer


def test_established_times_accepts_ints_and_float_sums():
    assert checks.check("handshake-established-times", a=0.25 + 0.25, b=3 * 0.25)


@pytest.mark.parametrize("answers, part, hint", [
    (dict(resent=0.4, seq=2000, b_established=1.6), "resent", "retransmission timer"),
    (dict(resent=2, seq=2000, b_established=1.6), "resent", "first one is 1 s"),
    (dict(resent=1, seq=2001, b_established=1.6), "seq", "reuses its sequence number"),
    (dict(resent=1, seq=2000, b_established=1.4), "b_established", "B needs A's ACK"),
    (dict(resent=1, seq=2000, b_established=0.6), "b_established", "without the loss"),
])
def test_retransmitted_syn_mistakes(answers, part, hint):
    fb = checks.check("handshake-retransmitted-syn", **answers)
    assert not fb.correct and hint in line(fb, part)


def test_retransmitted_syn_answer_is_what_the_network_does():
    """The story of the question, played here by hand, gives the checker's answer."""
    net = Network(seed=3, delay=0.2)
    a, b = net.host("A", iss=2000), net.host("B")
    net.drop(lambda s: s.flags == Flag.SYN, count=1)
    b.listen()
    a.connect("B")
    net.run(until=5.0)
    resend = [r for r in net.trace if r.kind == "send" and r.detail == "retransmission"][0]
    est = next(r.time for r in net.trace if r.kind == "state" and r.host == "B"
               and r.state is State.ESTABLISHED)
    assert checks.check("handshake-retransmitted-syn", resent=resend.time,
                        seq=resend.segment.seq, b_established=est)


# --------------------------------------------------------------------------- lesson 02

@pytest.mark.parametrize("answers, part, hint", [
    (dict(u=1250, ack=1252), "u", "last data byte"),        # forgot the SYN's number
    (dict(u=1001, ack=1252), "u", "first data byte"),
    (dict(u=1000, ack=1252), "u", "A has sent 250 bytes since"),
    (dict(u=1252, ack=1252), "u", "the FIN itself carries u"),
    (dict(u=1251, ack=1251), "ack", "序号为u+1"),             # ack=u
    (dict(u=1251, ack=1250), "ack", "occupies one number"),
])
def test_fin_seq_mistakes(answers, part, hint):
    fb = checks.check("close-fin-seq", **answers)
    assert not fb.correct and hint in line(fb, part)


@pytest.mark.parametrize("answers, part, hint", [
    (dict(seq=7001, ack=2002, last_ack=7302), "seq", "B has sent 300 bytes since"),  # w=v
    (dict(seq=7300, ack=2002, last_ack=7302), "seq", "last data byte"),
    (dict(seq=7302, ack=2002, last_ack=7302), "seq", "the FIN itself carries w"),
    (dict(seq=7301, ack=2001, last_ack=7302), "ack", "acknowledges u+1"),             # ack=u
    (dict(seq=7301, ack=2003, last_ack=7302), "ack", "use no sequence numbers"),
    (dict(seq=7301, ack=2302, last_ack=7302), "ack", "The 300 bytes are B's"),
    (dict(seq=7301, ack=2002, last_ack=7301), "last_ack", "acknowledges w+1"),        # w
    (dict(seq=7301, ack=2002, last_ack=7002), "last_ack", "moved B's numbers on"),
])
def test_half_close_fin_mistakes(answers, part, hint):
    fb = checks.check("close-half-close-fin", **answers)
    assert not fb.correct and hint in line(fb, part)
    assert fb.score == pytest.approx(2 / 3)


def test_half_close_question_numbers_match_the_library():
    """u=2001 and v=7001 in the question are what A (ISN 2000) and B (ISN 7000) use."""
    net = Network(seed=0)
    a, b = net.host("A", iss=2000), net.host("B", iss=7000)
    b.listen(); a.connect("B"); net.run(until=1.0)
    a.close(); net.run(until=2.0)
    fin = next(s for _, s in net.sent if s.src == "A" and Flag.FIN in s.flags)
    ack = next(s for _, s in net.sent if s.src == "B" and s.ack == fin.end)
    q = repr(checks.ask("close-half-close-fin"))
    assert f"u={fin.seq}" in q and f"v={ack.seq}" in q


@pytest.mark.parametrize("answers, part, hint", [
    (dict(a="FIN-WAIT-1", b="CLOSE-WAIT"), "a", "until its FIN is acknowledged"),
    (dict(a="TIME-WAIT", b="CLOSE-WAIT"), "a", "only when B's FIN arrives"),
    (dict(a="CLOSED", b="CLOSE-WAIT"), "a", "半关闭"),
    (dict(a="CLOSING", b="CLOSE-WAIT"), "a", "simultaneous close"),
    (dict(a="FIN-WAIT-2", b="LAST-ACK"), "b", "when its application calls close()"),
    (dict(a="FIN-WAIT-2", b="CLOSED"), "b", "still open"),
    (dict(a="FIN-WAIT-2", b="ESTABLISHED"), "b", "moved B out of ESTABLISHED"),
    (dict(a="FIN-WAIT-2", b="FIN-WAIT-2"), "b", "side that closed first"),
    (dict(a="FIN-WAIT-2", b=None), "b", "no answer yet"),
])
def test_state_after_ack_mistakes(answers, part, hint):
    fb = checks.check("close-state-after-ack", **answers)
    assert not fb.correct and hint in line(fb, part)


@pytest.mark.parametrize("answers, part, hint", [
    (dict(duration=20, closed=42.1), "duration", "one MSL"),
    (dict(duration=60, closed=42.1), "duration", "default msl"),
    (dict(duration=40, closed=40), "closed", "counted from t=0"),
    (dict(duration=40, closed=42.0), "closed", "one delay later"),
    (dict(duration=40, closed=42.2), "closed", "not when that ACK reaches B"),
    (dict(duration=40, closed=22.1), "closed", "one MSL after"),
    (dict(duration="40 s", closed=42.1), "duration", "number of seconds"),
])
def test_time_wait_mistakes(answers, part, hint):
    fb = checks.check("close-time-wait", **answers)
    assert not fb.correct and hint in line(fb, part)


# --------------------------------------------------------------------------- the lab exercise

def test_close_lab_untouched_says_what_to_do_next():
    lab = ConnectionLab.from_scenario("close")
    fb = checks.check("close-lab", lab=lab)
    assert not fb.correct and fb.score == 0
    assert "A is in FIN-WAIT-1" in fb.text() and "deliver next" in fb.text()


def test_close_lab_driven_to_the_end_is_accepted_in_time_wait_and_after():
    lab = ConnectionLab.from_scenario("close")
    lab.step_button.click()                        # the FIN reaches B
    lab.step_button.click()                        # B's ACK reaches A
    fb = checks.check("close-lab", lab=lab)
    assert "FIN-WAIT-2" in fb.text() and "B's close()" in fb.text()
    lab.panels["B"].buttons["close"].click()
    fb = checks.check("close-lab", lab=lab)
    assert "LAST-ACK" in fb.text() and fb.score == 0
    lab.step_button.click()                        # B's FIN reaches A: TIME-WAIT
    lab.step_button.click()                        # A's ACK reaches B: CLOSED
    fb = checks.check("close-lab", lab=lab)
    assert fb.correct and "TIME-WAIT" in fb.text() and "四次挥手" in fb.text()
    lab.run_button.click()                         # 2MSL later
    assert lab.host("A").state is State.CLOSED
    assert checks.check("close-lab", lab=lab).correct


def test_close_lab_with_the_half_close_is_accepted():
    lab = ConnectionLab.from_scenario("half-close")
    lab.panels["B"].buttons["send"].click()
    lab.run_button.click()
    lab.panels["B"].buttons["close"].click()
    lab.run_button.click()
    assert checks.check("close-lab", lab=lab).correct


def test_close_lab_ended_by_abort_is_not_a_four_way_close():
    lab = ConnectionLab.from_scenario("close")
    lab.step_button.click()
    lab.step_button.click()
    lab.panels["B"].buttons["abort"].click()
    lab.run_button.click()
    fb = checks.check("close-lab", lab=lab)
    assert not fb.correct
    a_line, b_line = fb.lines
    assert a_line.startswith("A is CLOSED") and "not by the four-way close" in a_line
    assert "connection reset by B" in a_line and "TIME-WAIT" in a_line
    assert b_line.startswith("B is CLOSED") and "abort()" in b_line


def test_close_lab_reset_or_b_first_gets_directions():
    lab = ConnectionLab.from_scenario("close")
    lab.reset_button.click()
    fb = checks.check("close-lab", lab=lab)
    assert not fb.correct and "listen()" in fb.text()
    lab = ConnectionLab.from_scenario("established")
    lab.panels["B"].buttons["close"].click()
    lab.run_button.click()
    lab.panels["A"].buttons["close"].click()
    lab.step_button.click()
    lab.step_button.click()
    fb = checks.check("close-lab", lab=lab)          # B closed first: B in TIME-WAIT
    assert not fb.correct and "A closes first" in fb.text()
    assert "passive close" in fb.lines[0] and fb.lines[1].startswith("B is in TIME-WAIT")
    lab.run_button.click()                           # and 2MSL later
    fb = checks.check("close-lab", lab=lab)
    assert not fb.correct and "TIME-WAIT of its own" in fb.lines[1]


def test_close_lab_simultaneous_close_is_accepted_after_its_2msl():
    lab = ConnectionLab.from_scenario("simultaneous-close")
    lab.step_button.click()
    lab.step_button.click()
    lab.step_button.click()
    lab.step_button.click()
    assert lab.host("B").state is State.TIME_WAIT
    fb = checks.check("close-lab", lab=lab)
    assert not fb.correct and "simultaneous close" in fb.text()
    lab.run_button.click()
    assert checks.check("close-lab", lab=lab).correct


def test_close_lab_accepts_a_network_and_rejects_other_things():
    net = Network(seed=0)
    a, b = net.host("A", iss=1), net.host("B", iss=2)
    b.listen(); a.connect("B"); net.run(until=1)
    a.close(); net.run(until=2); b.close(); net.run(until=3)
    assert checks.check("close-lab", lab=net).correct
    assert "no part called labb" in checks.check("close-lab", labb=net).text()
    for bad in (None, 42, "lab", Network(seed=0)):
        fb = checks.check("close-lab", lab=bad)
        assert isinstance(fb, Feedback) and not fb.correct and fb.lines
        assert len(fb.lines[0].split()) >= 5


# --------------------------------------------------------------------------- issue 12's exercises

@pytest.mark.parametrize("answers, part, hint", [
    (dict(who="A"), "who", "nothing to retransmit"),
    (dict(bits="ACK"), "bits", "nobody retransmits an ACK"),
    (dict(bits="SYN"), "bits", "together with the acknowledgment"),
    (dict(b_established=0.3), "b_established", "without loss"),
    (dict(b_established=1.1), "b_established", "only sends its SYN+ACK again"),
    (dict(b_established=1.2), "b_established", "answers with its ACK again"),
    (dict(with_data=1.3), "with_data", "completes B's handshake"),
    (dict(with_data=0.5), "with_data", "reaches B 0.1 s later"),
])
def test_lost_third_ack_hints(answers, part, hint):
    fb = checks.check("handshake-lost-third-ack",
                      **{**RIGHT["handshake-lost-third-ack"], **answers})
    assert not fb.correct and hint in line(fb, part)


def test_lost_third_ack_reads_bits_forgivingly():
    assert checks.check("handshake-lost-third-ack", who="b", bits=Flag.SYN | Flag.ACK,
                        b_established=1.3, with_data=0.6)


@pytest.mark.parametrize("answers, part, hint", [
    (dict(bits="FIN"), "bits", "orderly release"),
    (dict(queued=2000), "queued", "what close() would do"),
    (dict(queued=1000), "queued", "already on the wire"),
    (dict(b_state="CLOSE-WAIT"), "b_state", "follows a FIN"),
    (dict(b_state="TIME-WAIT"), "b_state", "Neither side waits"),
    (dict(told="end of data"), "told", "ECONNRESET"),
    (dict(told="the connection was closed"), "told", "what a FIN tells"),
])
def test_abort_with_data_hints(answers, part, hint):
    fb = checks.check("close-abort-with-data", **{**RIGHT["close-abort-with-data"], **answers})
    assert not fb.correct and hint in line(fb, part)


def test_abort_with_data_accepts_rst_alone():
    assert checks.check("close-abort-with-data", bits="RST", queued=0, b_state=State.CLOSED,
                        told="Connection reset by peer")


# --------------------------------------------------------------------------- issue 17's new kinds

PREDICTED = {"predict-lost-syn": dict(b="LISTEN", sends="SYN", at=1.0),
             "predict-b-after-fin": dict(state="CLOSE-WAIT", bits="ACK"),
             "predict-a-after-fin": dict(b="LAST-ACK", a="TIME-WAIT")}


@pytest.mark.parametrize("key, answers, part, hint", [
    ("predict-lost-syn", dict(b="SYN-RECEIVED"), "b", "this one was lost"),
    ("predict-lost-syn", dict(b="CLOSED"), "b", "never sees it"),
    ("predict-lost-syn", dict(sends="nothing"), "sends", "does not give up"),
    ("predict-lost-syn", dict(sends="RST"), "sends", "nothing to reset"),
    ("predict-lost-syn", dict(sends="SYN+ACK"), "sends", "nothing it could acknowledge"),
    ("predict-lost-syn", dict(at=0.2), "at", "lost rather than slow"),
    ("predict-lost-syn", dict(at=2.0), "at", "doubles only after it has fired once"),
    ("predict-b-after-fin", dict(state="LAST-ACK"), "state", "only when it sends its own FIN"),
    ("predict-b-after-fin", dict(state="CLOSED"), "state", "半关闭"),
    ("predict-b-after-fin", dict(state="TIME-WAIT"), "state", "side that closed first"),
    ("predict-b-after-fin", dict(state="ESTABLISHED"), "state", "moves B out of ESTABLISHED"),
    ("predict-b-after-fin", dict(bits="FIN+ACK"), "bits", "waits for B's application"),
    ("predict-b-after-fin", dict(bits="FIN"), "bits", "what B sends at once"),
    ("predict-b-after-fin", dict(bits="nothing"), "bits", "occupies a sequence number"),
    ("predict-a-after-fin", dict(b="CLOSED"), "b", "only when A acknowledges it"),
    ("predict-a-after-fin", dict(b="TIME-WAIT"), "b", "passive closer"),
    ("predict-a-after-fin", dict(b="CLOSE-WAIT"), "b", "leaves CLOSE-WAIT"),
    ("predict-a-after-fin", dict(b="FIN-WAIT-1"), "b", "B closes second"),
    ("predict-a-after-fin", dict(a="CLOSED"), "a", "nobody acknowledges an ACK"),
    ("predict-a-after-fin", dict(a="CLOSING"), "a", "simultaneous close"),
    ("predict-a-after-fin", dict(a="LAST-ACK"), "a", "side that closes second"),
])
def test_new_prediction_hints(key, answers, part, hint):
    assert checks.check(key, **PREDICTED[key]).correct
    fb = checks.check(key, **{**PREDICTED[key], **answers})
    assert not fb.correct and hint in line(fb, part)


def test_predict_b_after_fin_names_the_fin_at_once_misconception():
    fb = checks.check("predict-b-after-fin", state="LAST-ACK", bits="FIN")
    assert not fb.correct and "sends its FIN at once" in fb.text()


def test_predictions_are_judged_in_the_reveal():
    from tcplab.grading import predictions
    predictions.forget()
    try:
        closed = checks.reveal("predict-a-after-fin", "the demonstration")._repr_html_()
        checks.predict("predict-a-after-fin", b="LAST-ACK", a="CLOSED")
        shown = checks.reveal("predict-a-after-fin", "the demonstration")._repr_html_()
    finally:
        predictions.forget()               # no prediction leaks into another test
    assert "<details" in closed and "<details open" not in closed
    assert "<details" in shown and " open" in shown and "the demonstration" in shown
    assert "nobody acknowledges an ACK" in shown


#: the demo student's table of trace-close (A: x=100, 200 bytes; B: y=30000, 300 bytes)
TRACE_CLOSE = dict(seq3=301, state3="FIN-WAIT-1", ack4=302, state4="CLOSE-WAIT", seq5=30001,
                   ack5=302, ack6=30301, state6="FIN-WAIT-2", seq7=30301, ack7=302,
                   state7="LAST-ACK", ack8=30302, state8="TIME-WAIT")


@pytest.mark.parametrize("answers, part, hint", [
    (dict(seq3=101), "seq3", "200 data bytes"),                # the data does not move u
    (dict(ack4=301), "ack4", "one short"),                     # ack = u
    (dict(seq5=30002), "seq5", "a bare ACK takes no number"),  # the ACK took a number
    (dict(ack6=30300), "ack6", "one short"),
    (dict(seq7=30001), "seq7", "300 data bytes"),              # w = v
    (dict(ack8=30301), "ack8", "one short"),                   # the FIN takes no number
    (dict(state4="LAST-ACK"), "state4", "the segment that made it send"),
    (dict(state8="CLOSED"), "state8", "the segment that made it send"),
])
def test_trace_close_hints(answers, part, hint):
    assert checks.check("trace-close", **TRACE_CLOSE).correct
    fb = checks.check("trace-close", **{**TRACE_CLOSE, **answers})
    assert not fb.correct and hint in line(fb, part)


def test_trace_close_names_the_fin_without_a_number():
    fb = checks.check("trace-close", **{**TRACE_CLOSE, "ack4": 301, "ack5": 301, "ack7": 301,
                                        "ack8": 30301})
    assert not fb.correct and "A FIN takes no sequence number" in fb.text()


def test_trace_close_shows_no_blank_it_asks_for():
    shown = str(checks.ask("trace-close"))
    for name in TRACE_CLOSE:
        assert f"{name}=?" in shown
    assert "302 " not in shown.split("FIN+ACK")[0]       # u+1 is not given before the FIN


#: the demo student's cards: B's data, A's ACK, A's FIN, B's ACK, B's data, A's ACK of it
#: and B's FIN (which cross: either order), A's last ACK
ORDER_HALF_CLOSE = [1, 6, 4, 2, 3, 8, 5, 7]


@pytest.mark.parametrize("order, hint", [
    ([1, 4, 6, 2, 3, 8, 5, 7], "card 6 takes no number, but card 4 does"),   # FIN before ACK
    ([1, 6, 4, 3, 2, 8, 5, 7], "card 2 takes no number, but card 3 does"),   # data before ACK
    ([1, 6, 4, 2, 3, 8, 7, 5], "card 7 acknowledges card 5"),                # last ACK first
    ([1, 6, 4, 2, 3, 7, 8, 5], "acknowledges more: it was sent later"),
    ([1, 6, 4, 2, 5, 3, 8, 7], "3's seq is lower"),                          # FIN before data
])
def test_order_half_close_hints(order, hint):
    fb = checks.check("order-half-close", order=order)
    assert not fb.correct and hint in fb.text(), fb.text()


def test_order_half_close_accepts_the_crossing_either_way():
    assert checks.check("order-half-close", order=ORDER_HALF_CLOSE).correct
    crossed = ORDER_HALF_CLOSE[:5] + [5, 8, 7]
    assert checks.check("order-half-close", order=crossed).correct


@pytest.mark.parametrize("key, words", [
    ("explain-synack-resent", "occupies no number"),
    ("explain-four-segments", "FIN+ACK, three segments"),
    ("explain-who-waits", "Nobody acknowledges an ACK"),
])
def test_new_explanations_show_their_model_after_an_answer(key, words):
    assert words not in repr(checks.explain(key))
    answer = ("Because the one side must wait for its application while the other side "
              "answers at once, and because an acknowledgment is never acknowledged.")
    shown = repr(checks.explain(key, answer=answer))
    assert words in shown


# --------------------------------------------------------------------------- the kernel's word

def _segments_a_receives_after_its_fin(wait: float) -> int:
    """A half-closes; B's application reads the end of data and closes after ``wait``
    seconds: how many segments reach A from then on (TCP_INFO's tcpi_segs_in)."""
    import socket
    import struct
    import time

    def segs_in(s):     # struct tcp_info: tcpi_segs_in is the u32 at byte 140 (Linux >= 4.2)
        return struct.unpack_from("I", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO,
                                                    256), 140)[0]
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with socket.create_connection(listener.getsockname()) as a:
            b, _ = listener.accept()
            time.sleep(0.2)                  # the handshake's last ACK is long in
            before = segs_in(a)
            a.shutdown(socket.SHUT_WR)       # A's FIN
            assert b.recv(10) == b""         # B's application reads the end of data
            time.sleep(wait)
            b.close()
            assert a.recv(10) == b""         # A has B's FIN
            time.sleep(0.3)
            return segs_in(a) - before


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux's TCP_INFO")
def test_linux_sends_three_segments_when_the_peer_closes_at_once():
    """explain-four-segments' model answer: the ACK of a FIN is delayed (40 ms or more), so
    a close() at once usually sends FIN+ACK in one segment, three in all (not always: a
    busy machine may wake B's application after the delayed ACK has left); a close()
    0.5 s later always sends a FIN of its own, four in all."""
    at_once = [_segments_a_receives_after_its_fin(0.0) for _ in range(5)]
    assert 1 in at_once and set(at_once) <= {1, 2}, at_once
    assert _segments_a_receives_after_its_fin(0.5) == 2
