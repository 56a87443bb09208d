"""Lesson 03's predictions, trace exercises and explain-in-words questions (issue 17)."""

import pytest

from tcplab import checks
from tcplab.grading import explain
from tcplab.grading.ordering import permutation

# every test starts with the demo student, no prediction noted, in English
from test_exercise_kinds import fresh  # noqa: F401


def said(feedback) -> str:
    return feedback.text()


# --------------------------------------------------------------------------- predictions

def test_predict_stale_syn_right_and_the_usual_wrong_predictions():
    assert checks.check("predict-stale-syn", two_way="ESTABLISHED", three_way="LISTEN").correct
    swapped = checks.check("predict-stale-syn", two_way="LISTEN", three_way="ESTABLISHED")
    assert not swapped.correct
    assert "three-way ending" in said(swapped) and "refuses it with RST" in said(swapped)
    closed = said(checks.check("predict-stale-syn", two_way="ESTABLISHED", three_way="CLOSED"))
    assert "returns to LISTEN, not CLOSED" in closed


def test_predict_stale_syn_folds_the_demonstration_until_predicted():
    assert "make your prediction" in repr(checks.reveal("predict-stale-syn", "the trace"))
    checks.predict("predict-stale-syn", two_way="LISTEN", three_way="LISTEN")
    shown = repr(checks.reveal("predict-stale-syn", "the trace"))
    assert "TCP did otherwise" in shown and "the trace" in shown


def test_predict_time_wait_names_rfc_1337_and_the_reset_b_never_sent():
    assert checks.check("predict-stale-syn-time-wait", a="CLOSED", b="LISTEN").correct
    wrong = said(checks.check("predict-stale-syn-time-wait", a="TIME-WAIT", b="ESTABLISHED"))
    assert "RFC 1337" in wrong and "tcp_rfc1337=1" in wrong
    assert "a number B never sent" in wrong
    stuck = said(checks.check("predict-stale-syn-time-wait", a="CLOSED", b="SYN-RECEIVED"))
    assert "retransmitted SYN+ACK" in stuck


# --------------------------------------------------------------------------- trace exercises

RIGHT_TRACE = dict(seq2=100, ack3=101, state3="SYN-RECEIVED", ack6=102, seq8=102, ack8=30002,
                   state8="TIME-WAIT", state9="SYN-RECEIVED", flags10="RST")


def test_trace_stale_syn_blanks_and_their_hints():
    assert checks.check("trace-stale-syn", **RIGHT_TRACE).correct
    shown = repr(checks.ask("trace-stale-syn"))
    assert "seq2=?" in shown and "flags10=?" in shown and "x=100" in shown
    wrong = said(checks.check("trace-stale-syn", **{**RIGHT_TRACE, "seq2": 101, "ack3": 100,
                                                   "flags10": "ACK", "state9": "LISTEN"}))
    assert "a retransmission keeps its sequence number" in wrong      # seq2: x, not x+1
    assert "one short" in wrong                                          # ack3: x+1, not x
    assert "flags10" in wrong and "state9" in wrong


def test_trace_stale_syn_has_the_students_own_numbers():
    checks.student("Li Lei")
    v = next(e for e in checks.exercises() if e.key == "trace-stale-syn").variant()
    assert not checks.check("trace-stale-syn", **RIGHT_TRACE).correct
    own = {**RIGHT_TRACE, "seq2": v["x"], "ack3": v["x"] + 1, "ack6": v["x"] + 2,
           "seq8": v["x"] + 2, "ack8": v["y"] + 2}
    assert checks.check("trace-stale-syn", **own).correct


def test_order_stale_syn_right_and_a_bare_ack_after_the_data():
    shown = permutation(1703, 9)
    right = [shown.index(i) + 1 for i in range(9)]
    assert checks.check("order-stale-syn", order=right).correct
    # A's bare ACK (segment 3) and its data (segment 4) carry the same seq: swap them
    swapped = right[:2] + [right[3], right[2]] + right[4:]
    text = said(checks.check("order-stale-syn", order=swapped))
    assert "takes no number" in text
    assert "each card 1 … 9 once" in said(checks.check("order-stale-syn", order=[1, 2, 3]))


# --------------------------------------------------------------------------- explain

def check_explanation(key: str, lesson: str, words: tuple, answer: str) -> None:
    """The model answer names ``words``; it and the points show only after a real answer."""
    ex = explain.find(key)
    assert ex is not None and ex.lesson == lesson and 2 <= len(ex.points) <= 4
    assert all(w in ex.model for w in words), key
    assert "A model answer" not in repr(checks.explain(key, answer="too short"))
    full = repr(checks.explain(key, answer=answer))
    assert "A model answer" in full and all(point in full for point in ex.points)


@pytest.mark.parametrize("key, words", [
    ("explain-third-segment", ("SYN-RECEIVED", "RST", "不予理睬", "RFC 9293")),
    ("explain-time-wait-assassination", ("RFC 1337", "tcp_rfc1337", "y+2", "RFC 9293")),
])
def test_the_explanations_model_answers_say_where_lecture_rfc_and_linux_differ(key, words):
    check_explanation(key, "03-why-three-way", words, (
        "B must not believe a SYN alone, since an old duplicate looks like a new one; it "
        "waits in SYN-RECEIVED for the ACK of its own number, and A resets it."))
