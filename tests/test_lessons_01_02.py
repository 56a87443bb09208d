"""Exercises of lessons 01 (three-way handshake) and 02 (four-way close).

For each exercise: the right answer is accepted, each typical mistake gets
the hint that teaches, answers of the wrong type get a sentence (never a
traceback), and the question does not give the answer away.
"""

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
    assert checks.explanations("01-three-way-handshake")


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
