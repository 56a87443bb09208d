"""tcplab.checks: feedback that teaches, never a traceback."""

import pytest

from tcplab import checks
from tcplab.checks import Feedback, Part, compare


def test_right_answer_is_confirmed():
    fb = checks.check("handshake-third-segment", seq=701, ack=4001)
    assert fb.correct and bool(fb)
    assert "seq=x+1, ack=y+1" in fb.text()
    assert "✔" in fb._repr_html_()


def test_wrong_part_gets_a_hint_naming_it():
    fb = checks.check("handshake-third-segment", seq=701, ack=4000)
    assert not fb.correct and fb.score == 0.5
    assert any(line.startswith("ack=4000 is not right") and "y+1" in line for line in fb.lines)
    assert not any(line.startswith("seq") for line in fb.lines)


@pytest.mark.parametrize("call", [
    lambda: checks.check("handshake-third-segment"),
    lambda: checks.check("handshake-third-segment", seq="x", ack=None),
    lambda: checks.check("handshake-third-segment", 5),
    lambda: checks.check("handshake-third-segment", seq=1, ack=2, typo=3),
    lambda: checks.check("no-such-exercise", a=1),
    lambda: checks.check(42),
])
def test_bad_answers_get_sentences_not_tracebacks(call):
    fb = call()
    assert isinstance(fb, Feedback) and not fb.correct and fb.lines


def test_ask_shows_the_question_without_the_answer():
    q = checks.ask("handshake-third-segment")
    assert "y=4000" in repr(q) and "4001" not in repr(q)
    assert "tcplab-question" in q._repr_html_()


def test_every_exercise_is_registered_once_with_a_question():
    keys = [e.key for e in checks.exercises()]
    assert len(keys) == len(set(keys)) and keys
    assert all(e.question and e.lesson for e in checks.exercises())


def test_compare_normalises_state_names_and_enums():
    from tcplab import State
    parts = [Part("state", State.TIME_WAIT, "because")]
    assert compare({"state": "time_wait"}, parts).correct
    assert compare({"state": "TIME-WAIT"}, parts).correct
    assert compare({"state": State.TIME_WAIT}, parts).correct
    assert not compare({"state": "CLOSING"}, parts).correct
    assert not compare({"state": True}, [Part("state", 1)]).correct
