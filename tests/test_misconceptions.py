"""Misconceptions named: each mutant's answer (played, not typed) is recognised as it."""

from __future__ import annotations

import html

import pytest

from tcplab import checks, misconceptions as mc
from tcplab.misconceptions.mutants import RIGHT
from tcplab.misconceptions.readers import STORIES, answers_of, numbers
from tcplab.text import set_language

PAIRS = [(m, key) for m in mc.CATALOGUE for key in m.exercises]


def test_at_least_twelve_each_recognised_somewhere():
    assert len(mc.CATALOGUE) >= 12
    assert len({m.key for m in mc.CATALOGUE}) == len(mc.CATALOGUE)
    assert all(m.exercises for m in mc.CATALOGUE)


@pytest.mark.parametrize("key", sorted(STORIES))
def test_the_library_plays_each_story_to_the_right_answer(key):
    right = answers_of(key, RIGHT)
    assert checks.check(key, **right).correct
    assert mc.recognise(key, right) is None


@pytest.mark.parametrize("m,key", PAIRS, ids=[f"{m.key}:{k}" for m, k in PAIRS])
def test_the_mutants_answer_is_wrong_and_recognised(m, key):
    answers = mc.predicted(key, m)
    plain = checks.check(key, **answers)
    assert not plain.correct, "a misconception must give a wrong answer"
    assert mc.recognise(key, answers) is m
    fb = mc.explain(key, answers, plain)
    assert not fb.correct and fb.misconception is m
    assert m.title() in fb.text() and m.explained() in fb.text()


@pytest.mark.parametrize("m,key", PAIRS, ids=[f"{m.key}:{k}" for m, k in PAIRS])
def test_the_mutants_ladder_differs_from_the_right_one(m, key):
    fb = mc.explain(key, mc.predicted(key, m), checks.check(key, **mc.predicted(key, m)))
    page = fb._repr_html_()
    assert page.count("<svg") == 2 and html.escape(m.title()) in page
    mutant, right = mc.ladders(key, m)
    assert mutant != right


def _other_numbers(key):
    """Another student's numbers for ``key`` (the names of the exercise's variant)."""
    other = {"x": 1230, "y": 45670, "n": 77, "u": 3331, "v": 40001, "msl": 15.0,
             "delay": 0.2, "m": 91, "at": 0.655, "entered": 5.1, "t": 0.2}
    return {name: other[name] for name in numbers(key)}


VARYING = [(m, key) for m, key in PAIRS if numbers(key)]


@pytest.mark.parametrize("m,key", VARYING, ids=[f"{m.key}:{k}" for m, k in VARYING])
def test_each_students_numbers_give_their_own_mutant_answer(m, key):
    theirs = _other_numbers(key)
    answers = mc.predicted(key, m, theirs)
    assert mc.recognise(key, answers, theirs) is m
    if any(isinstance(a, (int, float)) and not isinstance(a, bool) for a in answers.values()):
        # numbers in the answer: another student's numbers change it, and the demo's
        # mutant answer is not this student's (states alone may be the same for both)
        assert answers != mc.predicted(key, m)
        assert mc.recognise(key, mc.predicted(key, m), theirs) is not m
    assert mc.recognise(key, answers_of(key, RIGHT, theirs), theirs) is None


def test_an_unrelated_wrong_answer_names_nothing():
    answers = {"seq": 1, "ack": 2}
    fb = checks.check("handshake-third-segment", **answers)
    assert not fb.correct and mc.recognise("handshake-third-segment", answers) is None
    assert "misconception" not in fb.text()


def test_a_path_without_its_closed_ends_is_recognised_too():
    path = "LISTEN, ESTABLISHED, CLOSE-WAIT, LAST-ACK"
    assert mc.recognise("fsm-server-path", {"states": path, "at": "CLOSE-WAIT"}) is \
        mc.get("two-way-server")


def test_the_feedback_shows_the_name_and_both_ladders():
    m = mc.get("fin-no-number")
    answers = mc.predicted("close-fin-seq", m)
    fb = checks.check("close-fin-seq", **answers)
    page = fb._repr_html_()
    assert html.escape(m.title()) in page
    assert page.count("<svg") == 2
    mutant, right = mc.ladders("close-fin-seq", m)
    assert mutant != right          # the mutant's FIN is acknowledged with u, not u+1


def test_a_table_mutant_really_plays_its_table():
    m = mc.get("time-wait-passive")
    path = mc.predicted("fsm-server-path", m)["states"]
    assert "TIME-WAIT" in path      # the server, the passive closer, waits in TIME-WAIT


@pytest.mark.parametrize("m", mc.CATALOGUE, ids=[m.key for m in mc.CATALOGUE])
def test_show_plays_each_misconception_on_the_lecture_story(m):
    shown = mc.show(m.key)
    assert m.title() in repr(shown) and m.explained() in repr(shown)
    page = shown._repr_html_()
    assert page.count("<svg") == 2 and html.escape(m.title()) in page
    mutant, right = mc.ladders(shown.story, m)
    assert mutant != right          # the story shown does meet the mistake


def test_right_answers_pass_through_the_hook_unchanged():
    right = answers_of("close-time-wait", RIGHT)
    fb = checks.check("close-time-wait", **right)
    assert fb.correct and not hasattr(fb, "misconception")


def test_the_names_and_explanations_are_in_chinese():
    set_language("zh")
    try:
        for m in mc.CATALOGUE:
            assert m.title() != m.name, m.key
            assert m.explained() != m.explanation, m.key
            assert any("\u4e00" <= c <= "\u9fff" for c in m.title() + m.explained())
        fb = checks.check("close-fin-seq",
                                         **mc.predicted("close-fin-seq", mc.get("fin-no-number")))
        assert mc.get("fin-no-number").title() in fb.text()
    finally:
        set_language("en")
