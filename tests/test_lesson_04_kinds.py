"""Lesson 04's predictions, trace exercises and explain-in-words questions (issue 17)."""

import pytest

from tcplab import checks
from tcplab.grading.ordering import permutation

# every test starts with the demo student, no prediction noted, in English
from test_exercise_kinds import fresh  # noqa: F401
from test_lesson_03_kinds import check_explanation


def said(feedback) -> str:
    return feedback.text()


# --------------------------------------------------------------------------- predictions

def test_predict_lost_last_ack_right_and_the_usual_wrong_predictions():
    assert checks.check("predict-lost-last-ack", bits="FIN+ACK", a="TIME-WAIT").correct
    wrong = said(checks.check("predict-lost-last-ack", bits="ACK", a="CLOSED"))
    assert "nobody retransmits an ACK" in wrong and "2MSL after its last ACK" in wrong
    assert "B's state" in said(checks.check("predict-lost-last-ack", bits="FIN+ACK",
                                            a="LAST-ACK"))
    assert "with the ACK bit" in said(checks.check("predict-lost-last-ack", bits="FIN",
                                                   a="TIME-WAIT"))


def test_predict_lost_last_ack_folds_the_trace_until_predicted():
    assert "make your prediction" in repr(checks.reveal("predict-lost-last-ack", "the trace"))
    checks.predict("predict-lost-last-ack", bits="FIN+ACK", a="TIME-WAIT")
    assert "Your prediction was right" in repr(checks.reveal("predict-lost-last-ack", "x"))


def test_predict_old_duplicate_reads_the_run():
    assert checks.check("predict-old-duplicate", corrupted=True).correct
    wrong = said(checks.check("predict-old-duplicate", corrupted=False))
    assert "ahead of the clock" in wrong


# --------------------------------------------------------------------------- trace exercises

RIGHT_TRACE = dict(ack5=151, seq6=151, state6="FIN-WAIT-1", ack7=152, state8="LAST-ACK",
                   seq9=152, ack9=30002, state9="TIME-WAIT", seq10=30001, state11="TIME-WAIT")


def test_trace_lost_last_ack_blanks_and_their_hints():
    assert checks.check("trace-lost-last-ack", **RIGHT_TRACE).correct
    shown = repr(checks.ask("trace-lost-last-ack"))
    assert "seq10=?" in shown and "state11=?" in shown and "50 bytes" in shown
    wrong = said(checks.check("trace-lost-last-ack", **{
        **RIGHT_TRACE, "seq10": 30002, "ack7": 151, "seq6": 101, "state11": "CLOSED"}))
    assert "a retransmission keeps its sequence number" in wrong      # B's FIN again: y+1
    assert "one short" in wrong                                          # ack7: u+1, not u
    assert "50 data bytes" in wrong                                      # seq6 after the data
    assert "state11" in wrong


def test_trace_lost_last_ack_has_the_students_own_numbers():
    checks.student("Wang Wu")
    v = next(e for e in checks.exercises() if e.key == "trace-lost-last-ack").variant()
    assert not checks.check("trace-lost-last-ack", **RIGHT_TRACE).correct
    u = v["x"] + 1 + v["n"]                 # A's FIN
    own = {**RIGHT_TRACE, "ack5": u, "seq6": u, "ack7": u + 1, "seq9": u + 1,
           "ack9": v["y"] + 2, "seq10": v["y"] + 1}
    assert checks.check("trace-lost-last-ack", **own).correct


def test_order_incarnation_right_and_the_new_syn_comes_after_the_old_connection():
    shown = permutation(2718281, 10)
    right = [shown.index(i) + 1 for i in range(10)]
    assert checks.check("order-incarnation", order=right).correct
    # the new incarnation's SYN (segment 8) put before the old connection's last ACK (7)
    early = right[:6] + [right[7], right[6]] + right[8:]
    text = said(checks.check("order-incarnation", order=early))
    assert "seq is lower" in text


# --------------------------------------------------------------------------- explain

@pytest.mark.parametrize("key, words", [
    ("explain-two-msl", ("LAST-ACK", "2 minutes", "60 s", "RFC 9293", "lecture")),
    ("explain-time-wait-cost", ("RFC 9293", "tcp_tw_reuse", "SO_LINGER", "60 s")),
])
def test_the_explanations_model_answers_say_where_lecture_rfc_and_linux_differ(key, words):
    check_explanation(key, "04-time-wait-2msl", words, (
        "A sends the last ACK and cannot know it arrived; if it is lost B repeats its FIN, "
        "and old segments of the connection must die before a new one opens."))
