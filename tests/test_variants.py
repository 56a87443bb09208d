"""A variant per student (issue 17): each student's numbers, checked against their answers.

The right answers here are worked out from the variant's numbers by the lecture's rules
(x+1, y+1, 2MSL, …), not read from the checkers, so a checker that ignored the variant
or played the wrong story would fail.
"""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tcplab import checks
from tcplab.grading import framework, variants
from tcplab.homework import hw1

from variant_rules import RULES

ROOT = Path(__file__).resolve().parents[1]
STUDENTS = [f"student-{i:02d}" for i in range(50)]


def _right(key: str, v) -> dict:
    """The right answer of exercise ``key`` for the numbers ``v``, by the lecture's rules."""
    return RULES[key][1](v)


#: the demo student's answers, as the saved outputs show them
DEMO_RIGHT = {key: demo for key, (demo, _) in RULES.items()}
VARYING = sorted(DEMO_RIGHT)


def _alike(one: dict, other: dict) -> bool:
    """Two answers alike: the same parts, numbers equal to 1e-9, anything else equal."""
    def same(a, b):
        if isinstance(a, float) or isinstance(b, float):
            return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) < 1e-9
        return a == b
    return one.keys() == other.keys() and all(same(one[k], other[k]) for k in one)


def answer_of(key: str, every: list) -> dict:
    """The right answer of exercise ``key`` (one of ``every``) for the student working now."""
    return _right(key, next(e for e in every if e.key == key).variant())


@pytest.fixture(autouse=True)
def nobody():
    """Every test starts, and leaves the others, with the demo student."""
    framework.set_student(None)
    yield
    framework.set_student(None)


def _exercise(key):
    return next(e for e in checks.exercises() if e.key == key)


def test_every_exercise_that_varies_has_its_rule_here():
    varying = {e.key for e in checks.exercises() if e.vary}
    assert varying == set(VARYING)


@pytest.mark.parametrize("key", VARYING)
def test_each_student_is_right_with_their_own_answer_and_wrong_with_another(key):
    ex = _exercise(key)
    answers = {s: _right(key, ex.variant(s)) for s in STUDENTS}
    for i, s in enumerate(STUDENTS):
        checks.student(s)
        assert checks.check(key, **answers[s]).correct, (s, checks.check(key, **answers[s]))
        other = answers[STUDENTS[(i + 1) % len(STUDENTS)]]
        if other != answers[s]:
            assert not checks.check(key, **other).correct, (s, other)


@pytest.mark.parametrize("key", VARYING)
def test_the_question_shows_the_students_own_numbers(key):
    ex = _exercise(key)
    for s in STUDENTS[:10]:
        checks.student(s)
        asked = str(checks.ask(key))
        for name, value in ex.variant(s).items():
            if "{%s}" % name in ex.question:     # not a card shuffle, which is not said
                assert f"{value:g}" in asked, (s, name, value, asked)


@pytest.mark.parametrize("key", VARYING)
def test_the_same_student_always_gets_the_same_numbers_and_two_mostly_differ(key):
    ex = _exercise(key)
    first = [dict(ex.variant(s)) for s in STUDENTS]
    assert first == [dict(ex.variant(s)) for s in STUDENTS]
    # spaces and capitals do not make another student
    assert dict(ex.variant("  Student-07 ")) == first[7]
    pairs = [(a, b) for i, a in enumerate(first) for b in first[i + 1:]]
    same = sum(a == b for a, b in pairs)
    assert same <= 0.1 * len(pairs), (key, same, len(pairs))


def test_the_numbers_are_the_same_in_another_python_process():
    """SHA-256, not the salted hash(): another interpreter (another machine, the browser)
    draws the same numbers."""
    code = ("import json; from tcplab import checks; "
            "print(json.dumps({e.key: dict(e.variant('Li Lei')) for e in checks.exercises() "
            "if e.vary}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True, env={"PYTHONHASHSEED": "123",
                                                    "PYTHONPATH": str(ROOT)})
    here = {k: dict(_exercise(k).variant("Li Lei")) for k in VARYING}
    assert json.loads(out.stdout) == here


def test_a_value_is_the_documented_hash():
    choice = variants.Choice(range(1000), demo=0)
    text = "\x1f".join(("tcplab", "some-key", "x", "li lei")).encode()
    number = int.from_bytes(hashlib.sha256(text).digest()[:8], "big")
    assert variants.draw("Li Lei", "some-key", {"x": choice})["x"] == number % 1000


@pytest.mark.parametrize("key", VARYING)
def test_the_demo_student_gets_todays_numbers(key):
    assert checks.student() == variants.DEMO
    assert checks.check(key, **DEMO_RIGHT[key]).correct
    assert _alike(_right(key, _exercise(key).variant()), DEMO_RIGHT[key])
    checks.student("Wang Wu")
    checks.student("demo")             # going back to the demo student by name
    assert checks.student() == variants.DEMO
    assert checks.check(key, **DEMO_RIGHT[key]).correct


def test_the_demo_reproduces_the_saved_outputs():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] != "code" or not source.startswith("checks.ask("):
                continue
            key = source.split('"')[1]
            saved = "".join("".join(o.get("data", {}).get("text/plain", ""))
                            for o in cell.get("outputs", []))
            assert saved == repr(checks.ask(key)), key


def test_student_says_who_is_set():
    assert checks.student() == "demo"
    said = checks.student("Li Lei")
    assert said.correct and "li lei" in said.text()
    assert checks.student() == "li lei"
    assert checks.student(2024123456).correct
    assert checks.student() == "2024123456"


@pytest.mark.parametrize("bad", ["", "   ", None, 3.5, True, ["Li"], -7])
def test_bad_input_to_student_is_answered_in_words(bad):
    checks.student("Li Lei")
    said = checks.student(bad)
    assert not said.correct
    assert "student number" in said.text() or "empty" in said.text()
    assert checks.student() == "li lei"        # a mistake does not change who is working


def test_the_homework_seed_comes_from_the_student_id():
    seeds = {s: variants.seed_for(s, "hw1") for s in STUDENTS}
    assert seeds == {s: variants.seed_for(s, "hw1") for s in STUDENTS}
    assert len(set(seeds.values())) == len(STUDENTS)
    assert all(1 <= seed < 2**31 for seed in seeds.values())
    assert variants.seed_for("s1", "hw1") != variants.seed_for("s1", "hw2")
    # the autograder recomputes a student's answers from the id alone
    one, two = (hw1.answers(seed=seeds[s]) for s in STUDENTS[:2])
    assert one == hw1.answers(seed=variants.seed_for("student-00", "hw1"))
    assert one != two


@pytest.mark.parametrize("key", VARYING)
def test_a_students_variant_speaks_chinese(key):
    """The Chinese edition shows each student's own numbers too, question and feedback."""
    import re

    import tcplab
    cjk = re.compile(r"[\u4e00-\u9fff]")
    ex = _exercise(key)
    tcplab.set_language("zh")
    try:
        for s in STUDENTS[:5]:
            checks.student(s)
            asked = repr(checks.ask(key))
            assert cjk.search(asked)
            for name, value in ex.variant(s).items():
                if "{%s}" % name in ex.question:
                    assert f"{value:g}" in asked, (s, value, asked)
            right = checks.check(key, **_right(key, ex.variant(s)))
            assert right.correct and cjk.search(right.text())
            other = _right(key, ex.variant(STUDENTS[9 - STUDENTS.index(s)]))
            wrong = checks.check(key, **other)
            assert wrong.correct is (other == _right(key, ex.variant(s)))
            assert cjk.search(wrong.text())
        assert cjk.search(checks.student("").text())
    finally:
        tcplab.set_language("en")


@pytest.mark.parametrize("key", VARYING)
def test_the_ends_of_every_range_keep_the_story(key):
    """Whatever a student draws, the story is the question's: every combination of each
    value's smallest and largest choice is checked right for its own answer."""
    import itertools

    ex = _exercise(key)
    names = [name for name, _ in ex.vary]
    ends = [(min(c.among), max(c.among)) for _, c in ex.vary]
    for combo in itertools.product(*ends):
        v = variants.Variant("ends", key, dict(zip(names, combo)))
        answer = _right(key, v)
        assert ex.checker(v, **answer).correct, (combo, ex.checker(v, **answer).text())


@pytest.mark.parametrize("key", VARYING)
def test_the_demo_students_answers_are_named_as_such(key):
    """A student who copies the saved notebook's numbers is told so."""
    for s in STUDENTS[:10]:
        checks.student(s)
        said = checks.check(key, **DEMO_RIGHT[key])
        if not _alike(_right(key, _exercise(key).variant(s)), DEMO_RIGHT[key]):
            assert not said.correct and "demo student's answers" in said.text(), said.text()
        else:
            assert said.correct
    checks.student("demo")
    assert "demo student's answers" not in checks.check(key, **DEMO_RIGHT[key]).text()
