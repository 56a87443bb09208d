"""tcplab.checks: feedback that teaches, never a traceback."""

from pathlib import Path

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


# --------------------------------------------------------------------------- the house

def test_the_framework_and_the_answer_readers_import_no_exercise_module():
    import subprocess
    import sys
    code = ("import sys\n"
            "import tcplab.grading.framework, tcplab.grading.answers, tcplab.grading.conformance\n"
            "print(sorted(m for m in sys.modules if m.startswith('tcplab.exercises')"
            " or m == 'tcplab.checks'))\n")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_facade_offers_the_framework_and_the_old_names():
    from tcplab import conformance
    from tcplab.exercises.state_machine import parse_flags, parse_state
    from tcplab.grading import answers, framework
    from tcplab.grading import conformance as package
    assert (checks.Feedback, checks.Part, checks.compare, checks.exercise, checks.Exercise) == \
        (framework.Feedback, framework.Part, framework.compare, framework.exercise,
         framework.Exercise)
    assert parse_flags is answers.parse_flags and parse_state is answers.parse_state
    for name in package.__all__:
        assert getattr(conformance, name) is getattr(package, name)


def test_exercises_are_listed_lesson_module_by_module_whatever_was_imported_first():
    from tcplab.exercises import MODULES, time_wait  # noqa: F401 - imported out of order
    lessons = [e.checker.__module__.rsplit(".", 1)[1] for e in checks.exercises()]
    assert lessons == sorted(lessons, key=MODULES.index)
    assert [e.key for e in checks.exercises()][:2] == ["handshake-third-segment",
                                                       "handshake-syn-ack"]


def test_every_exercise_module_has_its_place_in_the_list():
    import pkgutil

    from tcplab import exercises
    found = {info.name for info in pkgutil.iter_modules(exercises.__path__)}
    assert found == set(exercises.MODULES)


# --------------------------------------------------------------------------- one feedback engine

def test_judge_and_compare_say_the_same_sentences():
    from tcplab.grading.framework import Judged, judge
    by_parts = compare({"a": 1, "b": 5, "c": None, "zz": 0},
                       [Part("a", 1), Part("b", 2, "why"), Part("c", 3)])
    by_verdicts = judge([Judged("a", 1, True), Judged("b", 5, False, "why"),
                         Judged("c", None, False)], {"zz": 0})
    assert by_parts == by_verdicts
    assert by_verdicts.lines == ["b=5 is not right. why", "c: no answer yet — write c=…",
                                 "this exercise has no part called zz (its parts: a, b, c)"]
    assert by_verdicts.score == pytest.approx(1 / 3) and not by_verdicts


def test_judge_praises_only_a_whole_right_answer_and_confirms_parts_that_ask_for_it():
    from tcplab.grading.framework import Judged, judge
    fb = judge([Judged("s", "LISTEN", True, right="it listens")], praise="Well done.")
    assert fb.correct and fb.lines == ["Well done.", "s='LISTEN' is right: it listens"]
    assert compare({"n": "7"}, [Part("n", 7)]).lines == [
        "n should be a number (like n=123), not '7'"]
    assert judge([], praise="Nothing to ask.").score == 1.0


# --------------------------------------------------------------------------- reading a lab

def test_read_lab_gives_the_network_or_the_sentence_that_fits():
    from tcplab import Network
    from tcplab.grading.answers import read_lab
    net = Network(seed=0)
    net.host("A"), net.host("B")

    class Lab:
        pass

    lab = Lab()
    lab.net = net
    assert read_lab("k", lab) is net and read_lab("k", net, {}) is net
    assert read_lab("k", None).lines == [
        "lab: no answer yet — play with the lab, then write checks.check('k', lab=lab)"]
    assert read_lab("k", lab, {"b": 1, "a": 2}).lines == [
        "this exercise has no part called a, b: answer with checks.check('k', lab=lab)"]
    assert read_lab("k", 5).lines == [
        "lab should be the ConnectionLab of this notebook (lab=lab), not int"]
    lonely = Network(seed=0)
    lonely.host("X")
    assert read_lab("k", lonely).lines == [
        "lab should be the ConnectionLab of this notebook (lab=lab), with hosts A and B"]
    assert read_lab("k", lonely, page="lesson").lines == [
        "lab should be the ConnectionLab of this lesson (lab=lab), not Network"]
    assert read_lab("k", lonely, hosts_ok=bool) is lonely
    assert not read_lab("k", Network(seed=0), hosts_ok=bool)


def test_state_parts_read_the_lecture_slip_and_say_which_rfc_state_is_meant():
    from tcplab import State
    from tcplab.grading.answers import read_state_part, state_part
    from tcplab.grading.framework import compare
    fb = compare({"b": "TIMED WAIT"}, [state_part("b", State.TIME_WAIT, "TIMED WAIT", "usual")])
    assert fb.correct and "TIME-WAIT" in fb.lines[0] and "TIMED WAIT" in fb.lines[0]
    fb = compare({"b": "TIMED WAIT"}, [state_part("b", State.CLOSED, "TIMED WAIT", "usual",
                                                  {State.TIME_WAIT: "still waiting"})])
    assert not fb.correct and "still waiting" in fb.lines[0] and "TIME-WAIT" in fb.lines[0]
    plain = compare({"b": "TIME-WAIT"}, [state_part("b", State.TIME_WAIT, "TIME-WAIT", "usual")])
    assert plain.correct and plain.lines == []          # normal answers: feedback unchanged
    given, part = read_state_part("b", State.TIME_WAIT, "timed wait", "usual")
    fb = compare({"b": given}, [part])
    assert fb.correct and "RFC 9293" in fb.lines[0]
    given, part = read_state_part("b", State.TIME_WAIT, "TIME WAIT", "usual")
    assert compare({"b": given}, [part]).lines == []
