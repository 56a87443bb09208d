"""The self-test (tcplab.selftest): drawn per student, scored, pointing to the lessons.

The right answers are not read from the checkers: an exercise whose numbers vary is
answered by its rule in tests/variant_rules (with the self-test's numbers, the variant
of "<student>/self-test"), one that does not vary by the lessons' answers in
tests/test_exercises_zh.py, the same for every student.
"""

import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tcplab import checks, selftest, text
from tcplab.grading import framework
from tcplab.grading.framework import Feedback

import test_exercises_zh
from variant_rules import RULES

ROOT = Path(__file__).resolve().parents[1]
STUDENTS = [f"student-{i:02d}" for i in range(50)]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def nobody():
    """Every test starts, and leaves the others, with the demo student, in English."""
    framework.set_student(None)
    yield
    framework.set_student(None)
    text.set_language("en")


@pytest.fixture(scope="module")
def fixed():
    """The right answers of the exercises that do not vary: the same for every student."""
    framework.set_student(None)
    return test_exercises_zh._right()


def right_answer(test, n, fixed):
    ex = test.questions[n - 1]
    if ex.vary:
        assert ex.key in RULES, f"{ex.key} varies and has no rule in tests/variant_rules"
        return RULES[ex.key][1](ex.variant(f"{test.student}/self-test"))
    return fixed[ex.key]


def wrong_answer(test, n):
    """A complete answer, every part of which is wrong for every exercise."""
    return {part: "no such thing" for part in selftest.parts(test.questions[n - 1])}


# --------------------------------------------------------------------------- the draw

def test_the_draw_is_per_student_stable_and_covers_every_examined_lesson():
    draws = {s: [e.key for e in checks.self_test(s).questions] for s in STUDENTS}
    for s, keys in draws.items():
        assert len(keys) == selftest.SIZE == 20 and len(set(keys)) == len(keys)
        assert keys == [e.key for e in checks.self_test(s).questions]          # stable
        lessons = [e.lesson for e in checks.self_test(s).questions]
        assert set(lessons) == set(selftest.LESSONS), (s, lessons)
        assert lessons == sorted(lessons, key=list(selftest.LESSONS).index)  # in course order
        # stratified: no lesson takes more than its share and one
        assert max(map(lessons.count, lessons)) <= 3
    pairs = [(a, b) for i, a in enumerate(STUDENTS) for b in STUDENTS[i + 1:]]
    same = sum(1 for a, b in pairs if draws[a] == draws[b])
    assert same < len(pairs) / 20, same
    # 41 exercises can be posed: over 50 students, nearly every one is drawn
    drawn = {k for keys in draws.values() for k in keys}
    poseable = {e.key for e in checks.exercises() if selftest.poseable(e)}
    assert drawn <= poseable and len(drawn) >= len(poseable) - 2


def test_the_draw_is_the_same_in_another_process():
    code = ("from tcplab import checks\n"
            "print([e.key for e in checks.self_test('Li Lei').questions])")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=ROOT, check=True, env={"PYTHONHASHSEED": seed,
                                                      "PYTHONPATH": str(ROOT)}).stdout
            for seed in ("1", "2")]
    assert runs[0] == runs[1] == str([e.key for e in checks.self_test("Li Lei").questions]) + "\n"


def test_the_student_set_is_the_default_and_the_demo_without_one():
    assert checks.self_test().student == "demo"
    checks.student("Li Lei")
    assert [e.key for e in checks.self_test().questions] == \
        [e.key for e in checks.self_test("li  LEI").questions]
    assert checks.self_test().student == "li lei"


def test_no_lab_no_prediction_and_no_exercise_that_needs_its_lesson_on_screen():
    posed = {e.key for s in STUDENTS[:20] for e in checks.self_test(s).questions}
    labs = {e.key for e in checks.exercises() if {"lab", "explorer"} & set(selftest.parts(e))}
    assert labs == {"close-lab", "corner-lab", "stale-syn-lab", "time-wait-lab",
                    "fsm-explorer-closing"}
    assert not posed & (labs | selftest.NOT_POSED)
    assert not {e.lesson for s in STUDENTS[:20] for e in checks.self_test(s).questions} & \
        {"09-proving-it", "10-wireshark"}

    def checker(state=None, **other):
        return Feedback(True)
    kinds = {kind: selftest.poseable(framework.Exercise("k", "q", checker, "05-state-machine",
                                                        kind=kind))
             for kind in framework.KINDS}
    assert kinds == {"answer": True, "trace": True, "order": True, "predict": False}
    assert not posed & {e.key for e in checks.exercises() if e.kind == "predict"}
    live = SimpleNamespace(key="k", lesson="08-real-tcp", checker=checker, kernel=True,
                           parts=lambda: ("state",))
    assert not selftest.poseable(live)
    assert selftest.poseable(SimpleNamespace(**vars(live), replays=True))


def test_the_numbers_are_the_self_tests_own_not_the_lessons():
    differ = total = 0
    for s in STUDENTS:
        test = checks.self_test(s)
        for n, ex in enumerate(test.questions, 1):
            if not ex.vary:
                continue
            total += 1
            own, here = ex.variant(s), test.variant(n)
            assert dict(here) == dict(ex.variant(f"{s}/self-test"))
            if dict(own) != dict(here):
                differ += 1
                lesson_answer = RULES[ex.key][1](own)
                if lesson_answer != RULES[ex.key][1](here):
                    assert not test.answer(n, **lesson_answer).correct
    assert total and differ >= 0.9 * total


# --------------------------------------------------------------------------- asking

def test_a_question_says_its_lesson_and_how_to_answer_with_the_parts_of_its_checker():
    test = checks.self_test("Li Lei")
    for n, ex in enumerate(test.questions, 1):
        shown = repr(test.question(n))
        assert f"Question {n} of 20 · lesson {ex.lesson[:2]} ·" in shown
        how = "test.answer({}, {})".format(n, ", ".join(f"{p}=…" for p in selftest.parts(ex)))
        assert how in shown and "checks.check(" not in shown
        assert f"test.answer({n}, " in test.question(n)._repr_html_()
        for name, value in test.variant(n).items():
            if "{%s}" % name in ex.question:     # not a card shuffle, which is not said
                assert f"{value:g}" in shown
    assert selftest.parts(checks.exercises()[0]) == ["seq", "ack"]      # not v, not **other


# --------------------------------------------------------------------------- the score

@pytest.mark.parametrize("student", ["demo"] + STUDENTS[:12])
def test_every_question_answered_right_gives_the_full_score(student, fixed):
    test = checks.self_test(student)
    for n in range(1, len(test.questions) + 1):
        fb = test.answer(n, **right_answer(test, n, fixed))
        assert fb.correct, (student, n, test.questions[n - 1].key, fb)
    score = test.score()
    assert score.right == 20 and score.revisit() == {}
    assert "20 of 20 right at the first try" in repr(score)
    assert "nothing to revisit" in repr(score) and "href" not in score._repr_html_()


def test_a_wrong_answer_points_to_its_lesson_with_a_link(fixed):
    test = checks.self_test("Han Meimei")
    k = 7
    for n in range(1, len(test.questions) + 1):
        given = wrong_answer(test, n) if n == k else right_answer(test, n, fixed)
        assert test.answer(n, **given).correct == (n != k)
    lesson = test.questions[k - 1].lesson
    score = test.score()
    assert score.right == 19 and score.revisit() == {lesson: [k]}
    title = selftest.LESSONS[lesson]
    assert f"Revisit lesson {lesson[:2]} · {title} (questions {k}): {lesson}.ipynb" in repr(score)
    assert f'<a href="{lesson}.ipynb">' in score._repr_html_()
    assert (ROOT / "notebooks" / f"{lesson}.ipynb").exists()
    assert (ROOT / "notebooks" / "zh" / f"{lesson}.ipynb").exists()


def test_the_first_complete_answer_is_the_one_that_counts(fixed):
    test = checks.self_test("Li Lei")
    assert not test.answer(1).correct and test.result(1) == "unanswered"     # no answer yet
    assert not test.answer(1, **wrong_answer(test, 1)).correct
    again = test.answer(1, **right_answer(test, 1, fixed))
    assert again.correct and "first answer to question 1" in again.text()
    assert test.result(1) == "later" and test.score().right == 0
    assert test.questions[0].lesson in test.score().revisit()
    assert "right, but not at the first try" in repr(test.score())


def test_a_misconception_is_named_in_the_self_test_too():
    test = checks.self_test("demo")
    n = next(n for n, e in enumerate(test.questions, 1) if e.key == "close-half-close-fin")
    v = test.variant(n)
    w = v["v"] + v["n"]
    fb = test.answer(n, seq=w, ack=v["u"], last_ack=w)      # as if a FIN took no number
    assert not fb.correct and "classic misconception" in fb.text()


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call", [
    lambda t: t.question(0), lambda t: t.question(21), lambda t: t.question("3"),
    lambda t: t.question(True), lambda t: t.question(), lambda t: t.answer(99, a=1),
    lambda t: t.answer(None), lambda t: t.answer(1, 5, 6), lambda t: t.answer(1, typo=1),
    lambda t: t.answer(2.0, a=1),
])
def test_bad_input_is_answered_in_words_and_changes_nothing(call):
    test = checks.self_test("Li Lei")
    before = repr(test.score())
    said = call(test)
    assert isinstance(said, Feedback) and not said.correct and said.lines
    assert "Traceback" not in said.text() and repr(test.score()) == before


def test_a_checker_that_cannot_read_an_answer_is_answered_in_words(fixed):
    test = checks.self_test("demo")
    n = next(n for n, e in enumerate(test.questions, 1) if e.key == "fsm-server-path")
    said = test.answer(n, states=object())
    assert isinstance(said, Feedback) and not said.correct and said.lines


@pytest.mark.parametrize("who", [3.5, True, "  ", [1]])
def test_a_bad_student_is_answered_in_words(who):
    said = checks.self_test(who)
    assert isinstance(said, Feedback) and not said.correct and said.lines


# --------------------------------------------------------------------------- Chinese

def test_the_chinese_edition_speaks_chinese(fixed):
    test = checks.self_test("Li Lei")
    test.answer(2, **wrong_answer(test, 2))
    text.set_language("zh")
    question = repr(test.question(2))
    assert CJK.search(question) and "test.answer(2, " in question
    score = repr(test.score())
    lesson = test.questions[1].lesson
    assert CJK.search(score.splitlines()[0]) and f"{lesson}.ipynb" in score
    assert CJK.search(test.score()._repr_html_()) and CJK.search(repr(test))
    assert CJK.search(test.question(0).text())
    assert "Revisit" not in score and "Question" not in question


# --------------------------------------------------------------------------- the notebook

def test_the_notebook_asks_and_answers_every_question_and_scores_at_the_end():
    nb = json.loads((ROOT / "notebooks" / "13-self-test.ipynb").read_text("utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    for n in range(1, selftest.SIZE + 1):
        asked = next(i for i, c in enumerate(code) if f"test.question({n})" in c)
        assert f"test.answer({n})" in code[asked + 1]
    assert "test.score()" in code[-1]
    assert any("checks.student(" in c for c in code)


def test_a_trace_or_order_question_shows_its_figure_with_the_self_tests_numbers(fixed):
    kinds = {"trace", "order"}
    found = set()
    for s in STUDENTS:
        test = checks.self_test(s)
        for n, ex in enumerate(test.questions, 1):
            if ex.kind in kinds:
                figure = ex.shown(f"{s}/self-test")
                assert str(figure) in repr(test.question(n))
                assert figure._repr_html_() in test.question(n)._repr_html_()
                assert test.answer(n, **right_answer(test, n, fixed)).correct
                found.add(ex.kind)
    assert found == {e.kind for e in checks.exercises() if e.kind in kinds}


def test_the_lessons_own_answer_is_named_as_such(fixed):
    for s in ["demo"] + STUDENTS:
        test = checks.self_test(s)
        for n, ex in enumerate(test.questions, 1):
            if ex.key not in RULES:
                continue
            lessons = RULES[ex.key][0] if s == "demo" else RULES[ex.key][1](ex.variant(s))
            if lessons == right_answer(test, n, fixed):
                continue
            said = test.answer(n, **lessons)
            assert not said.correct and f"question of lesson {ex.lesson[:2]}" in said.lines[0]
            return
    raise AssertionError("no student's test has a question whose numbers vary")
