"""Exercises with immediate feedback.

A notebook asks a question and the student answers in a code cell::

    from tcplab import checks
    checks.check("handshake-third-segment", seq=701, ack=4001)

The right answer is never written in the notebook: each exercise's checker
computes it from the library (a scenario with its own ISNs and seed) when the
student checks.  Right answers get a short confirmation; wrong ones a hint
that teaches — which number was off and why — and never a traceback: an
answer of the wrong type, a missing part or an unknown exercise all get a
sentence.

This module is the top floor of grading: it loads the exercise modules
(``tcplab.exercises``, one per lesson) and answers the notebooks.  The
framework they are built with — :class:`Feedback`, :class:`Part`,
:func:`compare`, :class:`Exercise` and the :func:`exercise` decorator — lives
in :mod:`tcplab.grading.framework` and is re-exported here.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

from .text import _
from .grading import explain as _explain
from .grading import framework, predictions, variants
from .grading.framework import (Exercise, Feedback, Part, Question, compare, exercise, find,
                                registered)
from .grading.framework import same as _same  # noqa: F401 - the old private name

__all__ = ["Feedback", "Exercise", "exercise", "check", "ask", "exercises", "compare",
           "Part", "student", "predict", "reveal", "explain", "explanations", "self_test"]

#: student() called without a name: "who is working?", not "set nobody"
_ASKING = object()


def _modules() -> list[str]:
    """The exercise modules, dotted: the package's own order first, then any other."""
    from . import exercises as package
    found = sorted(info.name for info in pkgutil.iter_modules(package.__path__))
    ordered = [m for m in package.MODULES if m in found]
    return [f"{package.__name__}.{m}" for m in ordered + [m for m in found if m not in ordered]]


def _load() -> None:
    for name in _modules():
        importlib.import_module(name)


def exercises(lesson: str | None = None, kind: str | None = None) -> list[Exercise]:
    """All registered exercises (of one lesson, of one kind), in the order of the exercise
    modules."""
    _load()
    rank = {name: i for i, name in enumerate(_modules())}
    every = sorted(registered(), key=lambda e: rank.get(e.checker.__module__, len(rank)))
    return [e for e in every if (lesson is None or e.lesson == lesson)
            and (kind is None or e.kind == kind)]


def explanations(lesson: str | None = None) -> list[_explain.Explanation]:
    """The explain-in-words questions (of one lesson)."""
    _load()
    return [e for e in _explain.registered() if lesson is None or e.lesson == lesson]


def _get(key: str) -> Exercise | None:
    _load()
    return find(key)


def student(who: Any = _ASKING) -> str | Feedback:
    """Set who is working (a name or a student number), so every exercise shows and
    checks that student's own numbers; without an argument, who is working now.

    Nobody set: the demo student, whose numbers are the ones in the saved outputs.
    Setting returns a Feedback (a sentence, never a traceback) that says what happened.
    """
    if who is _ASKING:
        return framework.student()
    if isinstance(who, bool) or not isinstance(who, (str, int)):
        return Feedback(False, [_("give your name or your student number, like "
                                  "checks.student(\"Li Lei\") or checks.student(2024123456), "
                                  "not {given!r}").format(given=who)])
    if isinstance(who, int) and who < 0:
        return Feedback(False, [_("a student number is not negative: {given!r}").format(
            given=who)])
    name = variants.normalise(who)
    if not name:
        return Feedback(False, [_("the name is empty: give your name or your student "
                                  "number, like checks.student(\"Li Lei\")")])
    framework.set_student(None if name == variants.DEMO else name)
    if name == variants.DEMO:
        return Feedback(True, [_("the demo student: the exercises show the numbers printed in "
                                 "the saved notebook; put your name or student number "
                                 "instead to get numbers of your own")],
                        head=_("✔ Student set."))
    return Feedback(True, [_("the exercises now show the numbers of {name!r}; the same name "
                             "always gives the same numbers").format(name=name)],
                    head=_("✔ Student set."))


def ask(key: str) -> Question | Feedback:
    """The question of exercise ``key``, to display."""
    ex = _get(key)
    if ex is None:
        return _unknown(key)
    return Question(ex)


def _unknown(key: Any) -> Feedback:
    known = ", ".join(e.key for e in exercises())
    return Feedback(False, [_("there is no exercise called {key!r}; the exercises are: {known}").format(key=key, known=known)])


#: Python's TypeError for an answer's part the checker does not take
_UNEXPECTED = re.compile(r"(\w+)\(\) got an unexpected keyword argument '(\w+)'")


def check(key: str, /, *unnamed: Any, **answers: Any) -> Feedback:
    """Check the answers to exercise ``key``; always returns Feedback, never raises."""
    ex = _get(key) if isinstance(key, str) else None
    if ex is None:
        return _unknown(key)
    if unnamed:
        return Feedback(False, [_("give each answer its name, as in checks.check({key!r}, "
                                "seq=..., ack=...): {ex_question}").format(
                                    key=key, ex_question=ex.asked())])
    try:
        feedback = ex.judge(answers)
    except TypeError as exc:
        unknown = _UNEXPECTED.fullmatch(str(exc))
        if unknown:     # a part the exercise does not have: Python's words, translated
            return Feedback(False, [_(
                "the answer could not be read ({function}() got an unexpected keyword "
                "argument {part!r}); answer like checks.check({key!r}, …) as the notebook "
                "shows").format(function=unknown[1], part=unknown[2], key=key)])
        return Feedback(False, [_("the answer could not be read ({exc}); answer like "
                                "checks.check({key!r}, …) as the notebook shows").format(exc=exc, key=key)])
    except Exception as exc:  # noqa: BLE001 - a student must never see a traceback here
        return Feedback(False, [_("the answer could not be checked: {exc}").format(exc=exc)])
    # a wrong answer that a catalogued misconception predicts exactly is named, with its
    # ladder beside the right one
    return _named(ex, answers, feedback)


# --------------------------------------------------------------------------- predict, explain

def predict(key: str, /, **prediction: Any) -> predictions.Noted | Feedback:
    """Commit a prediction before the demonstration (``checks.reveal(key, …)``) shows
    what TCP does; nothing is judged yet."""
    ex = _get(key) if isinstance(key, str) else None
    if ex is None:
        return _unknown(key)
    return predictions.note(ex, prediction)


def reveal(key: str, /, *shown: Any) -> predictions.Reveal | Feedback:
    """The demonstration ``shown`` (pictures, tables), folded until a prediction of ``key``
    was made, then open and compared with it."""
    ex = _get(key) if isinstance(key, str) else None
    if ex is None:
        return _unknown(key)
    shown = shown or ((ex.shown(),) if ex.figure is not None else ())
    return predictions.reveal(ex, shown, lambda given: _named(ex, given, ex.judge(given)))


def _named(ex: Exercise, answers: dict[str, Any], feedback: Feedback) -> Feedback:
    """``feedback``, naming the misconception a wrong answer matches exactly (imported
    here: only a wrong answer needs the catalogue)."""
    from .misconceptions import explain
    return explain(ex.key, answers, feedback, ex.variant())


def explain(key: str, /, answer: Any = None) -> _explain.Explained | Feedback:
    """An explain-in-words question; once ``answer`` holds the student's own sentences,
    a model answer and the points a good answer makes, to compare."""
    _load()
    ex = _explain.find(key) if isinstance(key, str) else None
    if ex is None:
        known = ", ".join(e.key for e in _explain.registered())
        return Feedback(False, [_("there is no question called {key!r}; the questions to "
                                  "explain are: {known}").format(key=key, known=known)])
    return _explain.Explained(ex, answer)


def self_test(who: Any = None):
    """A self-test across the lessons for ``who`` (default: the student set with
    :func:`student`, else the demo student): about 20 of the lessons' exercises, with
    numbers of its own, scored at the end (:mod:`tcplab.selftest`)."""
    from . import selftest
    if who is not None and (isinstance(who, bool) or not isinstance(who, (str, int))
                            or not variants.normalise(who)):
        return Feedback(False, [_("give your name or your student number, like "
                                  "checks.self_test(\"Li Lei\"), or nothing for the student "
                                  "set with checks.student(…), not {given!r}").format(given=who)])
    return selftest.SelfTest.drawn(framework.student() if who is None else who, exercises())
