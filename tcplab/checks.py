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

Exercises are registered with the :func:`exercise` decorator, one module per
lesson in ``tcplab.exercises``.  A checker receives the student's answers as
keyword arguments and returns a :class:`Feedback` (helpers :func:`compare`
and :class:`Feedback` build it).
"""

from __future__ import annotations

import html
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["Feedback", "Exercise", "exercise", "check", "ask", "exercises", "compare",
           "Part"]


@dataclass
class Feedback:
    """The answer to a check: right or not, and a few lines that say why."""

    correct: bool
    lines: list[str] = field(default_factory=list)
    score: float | None = None     # fraction of the parts right (None: all or nothing)

    def __bool__(self) -> bool:
        return self.correct

    def text(self) -> str:
        head = "✔ Correct." if self.correct else "✘ Not quite."
        return "\n".join([head] + [f"  {line}" for line in self.lines])

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        colour, bg, head = (("#2b8a3e", "#ebfbee", "✔ Correct.") if self.correct
                            else ("#c92a2a", "#fff5f5", "✘ Not quite."))
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


def _same(given: Any, expected: Any) -> bool:
    if isinstance(expected, str) and isinstance(given, str):
        return " ".join(given.upper().replace("_", "-").split()) == \
            " ".join(expected.upper().replace("_", "-").split())
    if hasattr(expected, "value") and isinstance(given, str):      # an Enum, e.g. State
        return _same(given, str(expected))
    if isinstance(expected, bool) or isinstance(given, bool):
        return given is expected
    if isinstance(expected, (int, float)) and isinstance(given, (int, float)):
        return abs(given - expected) < 1e-9
    return given == expected


def compare(answers: dict[str, Any], parts: list[Part], *, praise: str = "") -> Feedback:
    """Check each part of an answer; say which are wrong and why."""
    lines: list[str] = []
    right = 0
    for part in parts:
        if part.name not in answers or answers[part.name] is None:
            lines.append(f"{part.name}: no answer yet — write {part.name}=…")
            continue
        given = answers[part.name]
        numeric = isinstance(part.expected, int) and not isinstance(part.expected, bool)
        if numeric and (isinstance(given, bool) or not isinstance(given, (int, float))):
            lines.append(f"{part.name} should be a number (like {part.name}=123), "
                         f"not {given!r}")
            continue
        if _same(given, part.expected):
            right += 1
            if part.right:
                lines.append(f"{part.name}={given!r} is right: {part.right}")
        else:
            lines.append(f"{part.name}={given!r} is not right." + (f" {part.why}" if part.why
                                                                    else ""))
    extra = sorted(set(answers) - {p.name for p in parts})
    if extra:
        lines.append(f"this exercise has no part called {', '.join(extra)} "
                     f"(its parts: {', '.join(p.name for p in parts)})")
    correct = right == len(parts) and not extra
    if correct and praise:
        lines.insert(0, praise)
    return Feedback(correct, lines, right / len(parts) if parts else 1.0)


@dataclass(frozen=True)
class Exercise:
    key: str
    question: str
    checker: Callable[..., Feedback]
    lesson: str = ""


_REGISTRY: dict[str, Exercise] = {}


def exercise(key: str, question: str, lesson: str = "") -> Callable:
    """Register a checker under ``key`` (decorator)."""
    def register(fn: Callable[..., Feedback]) -> Callable[..., Feedback]:
        if key in _REGISTRY and _REGISTRY[key].checker is not fn:
            raise ValueError(f"two exercises are called {key!r}")
        _REGISTRY[key] = Exercise(key, question, fn, lesson)
        return fn
    return register


def _load() -> None:
    from . import exercises as package
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")


def exercises(lesson: str | None = None) -> list[Exercise]:
    """All registered exercises (of one lesson), in registration order."""
    _load()
    return [e for e in _REGISTRY.values() if lesson is None or e.lesson == lesson]


def _get(key: str) -> Exercise | None:
    _load()
    return _REGISTRY.get(key)


class Question:
    def __init__(self, ex: Exercise):
        self.ex = ex

    def __repr__(self) -> str:
        return f"Exercise {self.ex.key}: {self.ex.question}"

    def _repr_html_(self) -> str:
        return (f'<div class="tcplab-question" style="border-left:4px solid #1f6fb4;'
                f'background:#f1f6fb;padding:6px 10px;font-family:sans-serif">'
                f'<b>Exercise</b> <code>{html.escape(self.ex.key)}</code>: '
                f'{html.escape(self.ex.question)}</div>')


def ask(key: str) -> Question | Feedback:
    """The question of exercise ``key``, to display."""
    ex = _get(key)
    if ex is None:
        return _unknown(key)
    return Question(ex)


def _unknown(key: Any) -> Feedback:
    known = ", ".join(e.key for e in exercises())
    return Feedback(False, [f"there is no exercise called {key!r}; the exercises are: {known}"])


def check(key: str, /, *unnamed: Any, **answers: Any) -> Feedback:
    """Check the answers to exercise ``key``; always returns Feedback, never raises."""
    ex = _get(key) if isinstance(key, str) else None
    if ex is None:
        return _unknown(key)
    if unnamed:
        return Feedback(False, [f"give each answer its name, as in checks.check({key!r}, "
                                f"seq=..., ack=...): {ex.question}"])
    try:
        return ex.checker(**answers)
    except TypeError as exc:
        return Feedback(False, [f"the answer could not be read ({exc}); answer like "
                                f"checks.check({key!r}, …) as the notebook shows"])
    except Exception as exc:  # noqa: BLE001 - a student must never see a traceback here
        return Feedback(False, [f"the answer could not be checked: {exc}"])
