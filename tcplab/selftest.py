"""The self-test: about 20 exam-style questions across the lessons, drawn per student.

``test = checks.self_test()`` draws the questions for the student working now
(``checks.student(...)``; nobody set: the demo student, so the saved notebook is
the same on every run)::

    test.question(3)                    # the question, and how to answer it
    test.answer(3, seq=..., ack=...)    # checked at once, with the lesson's hints
    test.score()                        # the total, and the lessons to revisit

**What is drawn.** The questions are the lessons' own exercises, those a self-test
can pose on its own: not one that takes a lab (``lab=...``), not one that reads
what the lesson shows on screen (:data:`NOT_POSED`), not a prediction, and not
one that needs the real kernel.  Every examined lesson (:data:`LESSONS`: 01–08
and 11; the optional 09 and 10 are not examined) gives at least one question:
the exercises of each lesson are ranked by a SHA-256 of (student, exercise), and
the test takes each lesson's first, then each lesson's second, … until it has
:data:`SIZE`.  The questions follow the lessons' order.

**Its numbers.** An exercise whose numbers vary per student is posed with the
variant of ``"<student>/self-test"`` (:func:`salted`), not the student's own:
the self-test's numbers differ from the ones the student already answered in the
lesson, and the lesson's saved answer is no answer here.  Both the ranking and
the numbers come from :mod:`tcplab.grading.variants` (never ``random`` or
``hash()``): the same on every machine and in the browser.

**The score** counts each question's first complete answer (every part given):
a self-test measures what one knew, while the hints still teach and a later
right answer is shown as such.  Each question not right at the first try points
to its lesson, with a link to the notebook (the same name in the Chinese
edition's folder, so the link stays in the reader's language).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from .grading import variants
from .grading.framework import Exercise, Feedback
from .text import N_, _

__all__ = ["LESSONS", "SIZE", "SelfTest", "draw", "parts", "poseable", "salted"]

#: the examined lessons, in the course's order, with their titles (as 00 lists them)
LESSONS: dict[str, str] = {
    "01-three-way-handshake": N_("the three-way handshake"),
    "02-four-way-close": N_("the four-way close and the half-close"),
    "03-why-three-way": N_("why three ways?"),
    "04-time-wait-2msl": N_("TIME-WAIT and 2MSL"),
    "05-state-machine": N_("the state machine"),
    "06-open-and-reset": N_("corner cases I: simultaneous open and resets"),
    "07-close-and-retransmit": N_("corner cases II: simultaneous close, retransmission"),
    "08-real-tcp": N_("your own machine's TCP"),
    "11-production": N_("connection management in production"),
}
#: how many questions a self-test has (fewer only if fewer can be posed)
SIZE = 20
#: what is added to the student's name to draw the self-test's numbers
SALT = "self-test"
#: the kinds of exercise a self-test poses (a prediction needs its demonstration)
KINDS = ("answer", "trace", "order")
#: the parts that hand the checker a lab, not an answer: the self-test has no lab
LAB_PARTS = frozenset({"lab", "explorer"})
#: exercises that take no lab but cannot be posed without their lesson on screen
NOT_POSED = frozenset({
    "stale-syn-experiment",     # reads the counts off the lesson's experiment table
})


def salted(student: str | int) -> str:
    """Who the self-test's numbers are drawn for: the student, salted, so that they differ
    from the numbers of the student's own lessons."""
    return f"{variants.normalise(student)}/{SALT}"


def parts(ex: Exercise) -> list[str]:
    """The names of an exercise's answer parts (the framework reads them off the checker's
    signature, or the exercise declares them)."""
    return list(ex.parts())


def poseable(ex: Exercise) -> bool:
    """Can a self-test pose ``ex`` on its own? (see the module's docstring)"""
    if ex.lesson not in LESSONS or ex.key in NOT_POSED:
        return False
    if getattr(ex, "kind", "answer") not in KINDS:
        return False
    # one that runs the real kernel only if it replays a recording where sockets are
    # missing (the browser edition); no exercise runs the kernel so far
    if getattr(ex, "kernel", False) and not getattr(ex, "replays", False):
        return False
    return not LAB_PARTS & set(parts(ex))


def _rank(student: str, key: str) -> int:
    return variants.seed_for(salted(student), key)


def draw(student: str | int, every: Iterable[Exercise], size: int = SIZE) -> list[Exercise]:
    """``size`` exercises for ``student``: each lesson's first by rank, then each lesson's
    second, …; in the lessons' order."""
    every = list(every)
    by_lesson = {lesson: sorted((e for e in every if e.lesson == lesson and poseable(e)),
                                key=lambda e: _rank(student, e.key)) for lesson in LESSONS}
    picked: list[Exercise] = []
    for depth in range(max(map(len, by_lesson.values()), default=0)):
        layer = sorted((exs[depth] for exs in by_lesson.values() if len(exs) > depth),
                       key=lambda e: _rank(student, e.key))
        picked += layer[:size - len(picked)]
    order = list(LESSONS)
    return sorted(picked, key=lambda e: (order.index(e.lesson), every.index(e)))


def _lesson(lesson: str) -> str:
    """'lesson 02 · the four-way close …', in the language spoken now."""
    return _("lesson {number} · {title}").format(number=lesson[:2], title=_(LESSONS[lesson]))


def _how(n: int, names: list[str]) -> str:
    return "test.answer({n}, {parts})".format(n=n, parts=", ".join(f"{p}=…" for p in names))


@dataclass
class Posed:
    """Question ``n`` of a self-test, to display."""

    n: int
    count: int
    lesson: str
    text: str
    how: str
    figure: Any = None      # what the question asks about: a trace with blanks, cards …

    def __repr__(self) -> str:
        figure = [str(self.figure)] if self.figure is not None else []
        return "\n".join([_("Question {n} of {count} · {lesson}").format(
            n=self.n, count=self.count, lesson=_lesson(self.lesson)), self.text, *figure,
            _("Answer with {how}").format(how=self.how)])

    def _repr_html_(self) -> str:
        head = _("Question {n} of {count} · {lesson}").format(
            n=self.n, count=self.count, lesson=html.escape(_lesson(self.lesson)))
        return ('<div class="tcplab-question" style="border-left:4px solid #1f6fb4;'
                'background:#f1f6fb;padding:6px 10px;font-family:sans-serif">'
                f'<b>{head}</b><div>{html.escape(self.text)}</div>'
                + (self.figure._repr_html_() if self.figure is not None else "") +
                '<div style="margin-top:4px">' + html.escape(_("Answer with {how}")).format(
                    how=f"<code>{html.escape(self.how)}</code>") + '</div></div>')


@dataclass
class _Record:
    """The complete answers given to one question: right or not, in order."""

    tries: list[bool] = field(default_factory=list)


class SelfTest:
    """One student's self-test: its questions, the answers given, the score."""

    def __init__(self, student: str, questions: list[Exercise]):
        self.student, self.questions = student, list(questions)
        self._records = [_Record() for _ in self.questions]

    @classmethod
    def drawn(cls, student: str, every: Iterable[Exercise], size: int = SIZE) -> "SelfTest":
        return cls(variants.normalise(student), draw(student, every, size))

    # ------------------------------------------------------------------ asking
    def _number(self, n: Any) -> int | Feedback:
        """The index of question ``n``, or the sentence that says why there is none."""
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(self.questions):
            return Feedback(False, [_("there is no question {n!r}: the questions are numbered "
                                      "1 to {count}, like test.question(1)").format(
                                          n=n, count=len(self.questions))])
        return n - 1

    def variant(self, n: int):
        """The numbers of question ``n`` (its exercise's variant for :func:`salted`)."""
        return self.questions[n - 1].variant(salted(self.student))

    def question(self, n: Any = None) -> Posed | Feedback:
        """Question ``n`` (1, 2, …): its lesson, its text, how to answer."""
        i = self._number(n)
        if isinstance(i, Feedback):
            return i
        ex = self.questions[i]
        how = _how(n, parts(ex))
        # the exercise says "answer with checks.check('key', …)": here it is test.answer(n, …)
        text = re.sub(r"checks\.check\(\s*'" + re.escape(ex.key) + r"'\s*,\s*",
                      f"test.answer({n}, ", ex.asked(salted(self.student)))
        return Posed(n, len(self.questions), ex.lesson, text, how,
                     ex.shown(salted(self.student)))

    # ------------------------------------------------------------------ answering
    def answer(self, n: Any = None, /, *unnamed: Any, **given: Any) -> Feedback:
        """Check the answer to question ``n`` against the self-test's numbers and record it."""
        i = self._number(n)
        if isinstance(i, Feedback):
            return i
        ex = self.questions[i]
        names = parts(ex)
        if unnamed:
            return Feedback(False, [_("give each part its name, as in {how}").format(
                how=_how(n, names))])
        extra = sorted(set(given) - set(names))
        if extra:
            return Feedback(False, [_("this exercise has no part called {extra} (its parts: "
                                      "{parts})").format(extra=", ".join(extra),
                                                         parts=", ".join(names))])
        feedback = self._judged(ex, n, given)
        if feedback is None:
            return Feedback(False, [_("the answer could not be checked; answer like {how}")
                                    .format(how=_how(n, names))])
        if not feedback.correct and self._lessons_answer(ex, given):
            feedback.lines.insert(0, _(
                "this answers the question of lesson {lesson}, with its numbers; the self-test "
                "asks with numbers of its own: read them again with test.question({n})").format(
                lesson=ex.lesson[:2], n=n))
        if all(given.get(p) is not None for p in names):
            record = self._records[i]
            record.tries.append(feedback.correct)
            if len(record.tries) > 1:
                feedback.lines.append(_("The score keeps your first answer to question {n}: "
                                        "a self-test counts what you knew.").format(n=n))
        return feedback

    def _judged(self, ex: Exercise, n: int, given: dict) -> Feedback | None:
        """The exercise's own Feedback on ``given`` with the self-test's numbers (None: the
        checker could not read it), a catalogued misconception named as in the lessons."""
        v = self.variant(n)
        try:
            feedback = ex.checker(v, **given) if ex.vary else ex.checker(**given)
        except Exception:  # noqa: BLE001 - a student must never see a traceback here
            return None
        from .misconceptions import explain       # only a wrong answer needs the catalogue
        return explain(ex.key, given, feedback, v)

    def _lessons_answer(self, ex: Exercise, given: dict) -> bool:
        """Is ``given`` right with the lesson's numbers (the student's own, or the saved
        notebook's), though not with the self-test's?"""
        if not ex.vary:
            return False
        try:
            return any(ex.checker(ex.variant(who), **given).correct
                       for who in {self.student, variants.DEMO})
        except Exception:  # noqa: BLE001 - a hint must never cost the student the check
            return False

    # ------------------------------------------------------------------ the score
    def result(self, n: int) -> str:
        """'right', 'later' (right, but not at the first try), 'wrong' or 'unanswered'."""
        tries = self._records[n - 1].tries
        if not tries:
            return "unanswered"
        return "right" if tries[0] else "later" if any(tries) else "wrong"

    def score(self) -> "Score":
        """The total, a line per question, and the lessons to revisit."""
        return Score(self.student, [(i + 1, ex.lesson, ex.key, self.result(i + 1))
                                    for i, ex in enumerate(self.questions)])

    def __repr__(self) -> str:
        lessons = sorted({ex.lesson for ex in self.questions}, key=list(LESSONS).index)
        return _("Self-test of {student}: {count} questions from lessons {lessons}. "
                 "Show one with test.question(1), answer it with test.answer(1, …), and see "
                 "your score with test.score().").format(
            student=_who(self.student), count=len(self.questions),
            lessons=", ".join(lesson[:2] for lesson in lessons))


    def _repr_html_(self) -> str:
        return ('<div class="tcplab-question" style="border-left:4px solid #1f6fb4;'
                'background:#f1f6fb;padding:6px 10px;font-family:sans-serif">'
                f'{html.escape(repr(self))}</div>')


def _who(student: str) -> str:
    return _("the demo student") if student == variants.DEMO else repr(student)


#: how each result is shown: (mark, words, colour)
_SHOWN = {"right": ("✔", N_("right"), "#2b8a3e"),
          "later": ("◐", N_("right, but not at the first try"), "#e67700"),
          "wrong": ("✘", N_("wrong"), "#c92a2a"),
          "unanswered": ("–", N_("not answered"), "#868e96")}


@dataclass
class Score:
    """A self-test's score: (question, lesson, exercise, result) per question."""

    student: str
    rows: list[tuple[int, str, str, str]]

    @property
    def right(self) -> int:
        return sum(1 for row in self.rows if row[3] == "right")

    def revisit(self) -> dict[str, list[int]]:
        """The lessons to revisit, in order, each with its questions not right at once."""
        out: dict[str, list[int]] = {}
        for n, lesson, _key, result in self.rows:
            if result != "right":
                out.setdefault(lesson, []).append(n)
        return {lesson: out[lesson] for lesson in LESSONS if lesson in out}

    def head(self) -> str:
        return _("Self-test of {student}: {right} of {count} right at the first try.").format(
            student=_who(self.student), right=self.right, count=len(self.rows))

    def advice(self) -> list[tuple[str, str]]:
        """(sentence, link) per lesson to revisit; none: a sentence that says so."""
        if not self.rows:
            return [(_("This self-test has no questions."), "")]
        todo = self.revisit()
        if not todo:
            return [(_("Every question right at the first try: nothing to revisit."), "")]
        return [(_("Revisit {lesson} (questions {numbers})").format(
            lesson=_lesson(lesson), numbers=", ".join(map(str, ns))), f"{lesson}.ipynb")
            for lesson, ns in todo.items()]

    def __repr__(self) -> str:
        lines = [self.head()]
        for n, lesson, key, result in self.rows:
            mark, words, _colour = _SHOWN[result]
            lines.append(f"  {n:>2}  {mark}  {lesson[:2]}  {key:<28} {_(words)}")
        lines += [f"{sentence}: {link}" if link else sentence
                  for sentence, link in self.advice()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        all_right = bool(self.rows) and self.right == len(self.rows)
        colour, bg = ("#2b8a3e", "#ebfbee") if all_right else ("#1f6fb4", "#f1f6fb")
        cells = "".join(
            f'<tr><td style="text-align:right">{n}</td><td>{html.escape(_lesson(lesson))}</td>'
            f'<td><code>{html.escape(key)}</code></td>'
            f'<td style="color:{_SHOWN[r][2]}">{_SHOWN[r][0]} {html.escape(_(_SHOWN[r][1]))}'
            '</td></tr>' for n, lesson, key, r in self.rows)
        head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in
                       ("#", _("lesson"), _("exercise"), _("result")))
        advice = "".join(
            f'<li><a href="{html.escape(link)}">{html.escape(s)}</a></li>' if link
            else f"<li>{html.escape(s)}</li>" for s, link in self.advice())
        return (f'<div class="tcplab-feedback" style="border-left:4px solid {colour};'
                f'background:{bg};padding:6px 10px;font-family:sans-serif">'
                f'<b style="color:{colour}">{html.escape(self.head())}</b>'
                f'<table style="margin:4px 0">{head}{cells}</table>'
                f'<ul style="margin:4px 0 0 0">{advice}</ul></div>')
