"""The exercise framework: feedback, the one engine that judges answers, the registry.

A checker receives the student's answers as keyword arguments and returns a
:class:`Feedback`.  Most checkers describe each expected value as a
:class:`Part` and let :func:`compare` judge them; a checker that judges a part
itself (a path, a set of calls) hands its verdicts to :func:`judge` instead.
Both give the same sentences: "no answer yet", "…is not right. <why>", "this
exercise has no part called …".

Checkers register with the :func:`exercise` decorator.  This module imports no
exercise module: :mod:`tcplab.checks`, the top floor, loads them.
"""

from __future__ import annotations

import html
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..text import N_, _
from . import variants
from .variants import Choice, Variant

__all__ = ["Feedback", "Part", "Judged", "compare", "judge", "same", "Exercise", "exercise",
           "registered", "find", "Question", "student", "set_student"]


@dataclass
class Feedback:
    """The answer to a check: right or not, and a few lines that say why."""

    correct: bool
    lines: list[str] = field(default_factory=list)
    score: float | None = None     # fraction of the parts right (None: all or nothing)
    # the heading in the language of the lines: the one spoken when the answer was checked
    head: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.head:
            self.head = _("✔ Correct.") if self.correct else _("✘ Not quite.")

    def __bool__(self) -> bool:
        return self.correct

    def text(self) -> str:
        return "\n".join([self.head] + [f"  {line}" for line in self.lines])

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        colour, bg = ("#2b8a3e", "#ebfbee") if self.correct else ("#c92a2a", "#fff5f5")
        head = self.head
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines)
        return (f'<div class="tcplab-feedback" style="border-left:4px solid {colour};'
                f'background:{bg};padding:6px 10px;font-family:sans-serif">'
                f'<b style="color:{colour}">{head}</b>'
                + (f'<ul style="margin:4px 0 0 0">{items}</ul>' if items else "") + "</div>")


@dataclass(frozen=True)
class Part:
    """One expected value of an answer, with the hint to give if it is wrong."""

    name: str
    expected: Any
    why: str = ""            # the reasoning, shown when the answer is wrong
    right: str = ""          # optional confirmation shown when it is right


@dataclass(frozen=True)
class Judged:
    """One part of an answer, already judged: what was given, right or not, and why."""

    name: str
    given: Any               # None: no answer yet
    ok: bool
    why: str = ""            # the reasoning, shown when it is wrong
    right: str = ""          # optional confirmation shown when it is right
    line: str = ""           # a whole line that replaces "name=… is not right. why"


def same(given: Any, expected: Any) -> bool:
    """Is ``given`` the ``expected`` answer? Names compare forgivingly, numbers to 1e-9."""
    if isinstance(expected, str) and isinstance(given, str):
        return " ".join(given.upper().replace("_", "-").split()) == \
            " ".join(expected.upper().replace("_", "-").split())
    if hasattr(expected, "value") and isinstance(given, str):      # an Enum, e.g. State
        return same(given, str(expected))
    if isinstance(expected, bool) or isinstance(given, bool):
        return given is expected
    if isinstance(expected, (int, float)) and isinstance(given, (int, float)):
        return abs(given - expected) < 1e-9
    return given == expected


def _said(j: Judged) -> str | None:
    """The line that tells the student about one judged part (None: nothing to say)."""
    if j.given is None:
        return _("{name}: no answer yet — write {name}=…").format(name=j.name)
    if j.ok:
        return _("{name}={given!r} is right: {why}").format(
            name=j.name, given=j.given, why=_(j.right)) if j.right else None
    if j.line:
        return _(j.line)
    if j.why:
        return _("{name}={given!r} is not right. {why}").format(
            name=j.name, given=j.given, why=_(j.why))
    return _("{name}={given!r} is not right.").format(name=j.name, given=j.given)


def judge(judged: list[Judged], extra: Iterable[str] = (), praise: str = "") -> Feedback:
    """The Feedback on judged parts; ``extra``: the names of parts the exercise does not have."""
    lines = [line for line in map(_said, judged) if line is not None]
    right = sum(1 for j in judged if j.given is not None and j.ok)
    extra = sorted(extra)
    if extra:
        lines.append(_("this exercise has no part called {extra} (its parts: {parts})").format(
            extra=", ".join(extra), parts=", ".join(j.name for j in judged)))
    correct = right == len(judged) and not extra
    if correct and praise:
        lines.insert(0, _(praise))
    return Feedback(correct, lines, right / len(judged) if judged else 1.0)


def _judge_part(part: Part, given: Any) -> Judged:
    numeric = isinstance(part.expected, int) and not isinstance(part.expected, bool)
    if given is not None and numeric and (isinstance(given, bool)
                                          or not isinstance(given, (int, float))):
        return Judged(part.name, given, False, line=_(
            "{name} should be a number (like {name}=123), not {given!r}").format(
            name=part.name, given=given))
    ok = given is not None and same(given, part.expected)
    return Judged(part.name, given, ok, part.why, part.right)


def compare(answers: dict[str, Any], parts: list[Part], *, praise: str = "") -> Feedback:
    """Check each part of an answer; say which are wrong and why."""
    judged = [_judge_part(p, answers.get(p.name)) for p in parts]
    return judge(judged, set(answers) - {p.name for p in parts}, praise)


# --------------------------------------------------------------------------- the registry

#: who is working (set by tcplab.checks.student); None: the demo student
_STUDENT: list[str | None] = [None]


def student() -> str:
    """Who is working: the name set with :func:`set_student`, else the demo student."""
    return _STUDENT[0] or variants.DEMO


def set_student(name: str | None) -> None:
    """Make ``name`` (already checked, normalised) the student; None: the demo student."""
    _STUDENT[0] = name


@dataclass(frozen=True)
class Exercise:
    key: str
    question: str
    checker: Callable[..., Feedback]
    lesson: str = ""
    values: tuple = ()       # (name, value) pairs for the question's {placeholders}
    vary: tuple = ()         # (name, Choice) pairs: the numbers that differ per student
    #: "answer" (numbers, states, calls), "trace" (blanked fields of a trace), "order"
    #: (shuffled segments), "predict" (a prediction made before a demonstration)
    kind: str = "answer"
    figure: Callable | None = None   # figure(variant) or figure(): shown under the question
    declared: tuple = ()     # the parts of an answer, when the checker takes **answers

    def parts(self) -> tuple[str, ...]:
        """The names of an answer's parts (``seq``, ``ack`` …), in the checker's order."""
        if self.declared:
            return self.declared
        params = list(inspect.signature(self.checker).parameters.values())
        if self.vary:
            params = params[1:]
        return tuple(p.name for p in params if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD))

    def shown(self, who: str | None = None) -> Any:
        """The figure under the question (a trace with blanks, cards …), or None."""
        if self.figure is None:
            return None
        return self.figure(self.variant(who)) if self.vary else self.figure()

    def variant(self, who: str | None = None) -> Variant:
        """The numbers of ``who`` (default: the student working now) in this exercise."""
        return variants.draw(who if who is not None else _STUDENT[0], self.key,
                             dict(self.vary))

    def asked(self, who: str | None = None) -> str:
        """The question in the language spoken now, its placeholders filled in (with the
        student's own numbers where the exercise varies)."""
        values = {**dict(self.values), **self.variant(who)}
        return _(self.question).format(**values) if values else _(self.question)

    def judge(self, answers: dict[str, Any], who: str | None = None) -> Feedback:
        """Check ``answers`` against the variant of ``who`` (default: the student now)."""
        if not self.vary:
            return self.checker(**answers)
        said = self.checker(self.variant(who), **answers)
        if not said.correct and self.variant(who).student != variants.DEMO and \
                self.checker(self.variant(variants.DEMO), **answers).correct:
            # the saved notebook's answers: say so, rather than only "not right"
            said.lines.insert(0, _("these are the demo student's answers (the numbers of "
                                   "the saved notebook); your question has numbers of your "
                                   "own: checks.ask({key!r})").format(key=self.key))
        return said


_REGISTRY: dict[str, Exercise] = {}

#: the kinds of exercise
KINDS = ("answer", "trace", "order", "predict")


def exercise(key: str, question: str, lesson: str = "", *,
             vary: dict[str, Choice] | None = None, kind: str = "answer",
             figure: Callable | None = None, parts: tuple[str, ...] = (),
             **values: Any) -> Callable:
    """Register a checker under ``key`` (decorator); ``values`` fill the question's
    ``{placeholders}`` (the catalogue holds the question with its placeholders).

    ``vary``: the numbers that differ per student, each a :class:`Choice`; they fill
    placeholders too, and the checker receives them first, positional-only, as a
    :class:`Variant` (``def checker(v, /, seq=None, …)``).

    ``kind``: what sort of exercise (see :class:`Exercise`); ``figure``: what to show under
    the question, made from the variant (a :class:`~tcplab.grading.blanks.Blanked` trace,
    :class:`~tcplab.grading.ordering.Cards`); ``parts``: the answer's part names when the
    checker takes ``**answers``."""
    if kind not in KINDS:
        raise ValueError(f"an exercise's kind is one of {KINDS}, not {kind!r}")
    def register(fn: Callable[..., Feedback]) -> Callable[..., Feedback]:
        if key in _REGISTRY and _REGISTRY[key].checker is not fn:
            raise ValueError(f"two exercises are called {key!r}")
        _REGISTRY[key] = Exercise(key, question, fn, lesson, tuple(values.items()),
                                  tuple((vary or {}).items()), kind, figure, tuple(parts))
        return fn
    return register


def registered() -> list[Exercise]:
    """The exercises registered so far, in the order they registered."""
    return list(_REGISTRY.values())


def find(key: str) -> Exercise | None:
    """The exercise registered under ``key`` (None if there is none)."""
    return _REGISTRY.get(key)


class Question:
    """An exercise's question, to display: its text, and the figure it asks about."""

    def __init__(self, ex: Exercise):
        self.ex = ex

    def __repr__(self) -> str:
        text = _("Exercise {key}: {question}").format(key=self.ex.key, question=self.ex.asked())
        figure = self.ex.shown()
        return f"{text}\n{figure}" if figure is not None else text

    def _repr_html_(self) -> str:
        figure = self.ex.shown()
        shown = figure._repr_html_() if figure is not None else ""
        return (f'<div class="tcplab-question" style="border-left:4px solid #1f6fb4;'
                f'background:#f1f6fb;padding:6px 10px;font-family:sans-serif">'
                + _("<b>Exercise</b> <code>{key}</code>: {question}").format(
                    key=html.escape(self.ex.key), question=html.escape(self.ex.asked()))
                + shown + '</div>')
