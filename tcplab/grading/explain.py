"""Explain in words: a question that asks why, answered in the student's own sentences.

Nothing judges free text well enough to grade it, so nothing pretends to: the student
writes an answer, and only then sees a model answer and the points a good answer makes,
to compare with their own (in the homework, such questions are graded by hand with a
rubric).  An explanation is registered beside its lesson's checkers::

    explanation("why-three-way", LESSON,
                question=N_("Why does the handshake need a third segment? …"),
                model=N_("…"), points=(N_("…"), N_("…")))

and asked in the notebook: ``checks.explain("why-three-way", answer=\"\"\"…\"\"\")``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from ..text import _

__all__ = ["Explanation", "Explained", "explanation", "find", "registered", "MIN_WORDS"]

#: fewer words than this is not yet an explanation (a CJK character counts as half a word)
MIN_WORDS = 8


@dataclass(frozen=True)
class Explanation:
    key: str
    lesson: str
    question: str            # N_() text: translated when shown
    model: str               # a model answer
    points: tuple[str, ...]  # what a good answer says: the rubric

    def asked(self) -> str:
        return _(self.question)


_REGISTRY: dict[str, Explanation] = {}


def explanation(key: str, lesson: str, *, question: str, model: str,
                points: tuple[str, ...]) -> Explanation:
    """Register an explain-in-words question of ``lesson``."""
    if key in _REGISTRY and _REGISTRY[key] != Explanation(key, lesson, question, model,
                                                          tuple(points)):
        raise ValueError(f"two explanations are called {key!r}")
    _REGISTRY[key] = Explanation(key, lesson, question, model, tuple(points))
    return _REGISTRY[key]


def registered() -> list[Explanation]:
    return list(_REGISTRY.values())


def find(key: str) -> Explanation | None:
    return _REGISTRY.get(key)


def words(text: str) -> float:
    """How long an answer is, in words: Latin words, plus half a word per CJK character."""
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z0-9][\w'+-]*", re.sub(r"[\u3400-\u9fff]", " ", text)))
    return latin + cjk / 2


class Explained:
    """What an explain cell shows: the question; once answered, the model and the points."""

    def __init__(self, ex: Explanation, answer: Any):
        self.ex, self.answer = ex, answer

    def problem(self) -> str:
        """Why the answer is not yet one to compare ('' when it is)."""
        if self.answer is None or (isinstance(self.answer, str) and not self.answer.strip()):
            return _("Write your answer in your own words — a few sentences — as "
                     "answer=\"\"\"…\"\"\" and run the cell: the model answer appears after "
                     "yours.")
        if not isinstance(self.answer, str):
            return _("An answer is text in quotes, like answer=\"\"\"Because …\"\"\", not "
                     "{given!r}.").format(given=self.answer)
        if words(self.answer) < MIN_WORDS:
            return _("Say a little more (at least {n} words): the model answer appears once "
                     "you have written yours.").format(n=MIN_WORDS)
        return ""

    def __repr__(self) -> str:
        lines = [_("Explain: {question}").format(question=self.ex.asked())]
        if self.problem():
            return "\n".join(lines + ["  " + self.problem()])
        lines += [_("Your answer:"), "  " + " ".join(self.answer.split()),
                  _("A model answer:"), "  " + _(self.ex.model),
                  _("Compare: does your answer say that…")]
        return "\n".join(lines + [f"  ☐ {_(p)}" for p in self.ex.points])

    def _repr_html_(self) -> str:
        head = (f'<b>💬 {html.escape(_("Explain:"))}</b> {html.escape(self.ex.asked())}')
        if self.problem():
            body = f'<p style="margin:4px 0">{html.escape(self.problem())}</p>'
        else:
            points = "".join(f"<li>☐ {html.escape(_(p))}</li>" for p in self.ex.points)
            body = (f'<p style="margin:4px 0"><b>{html.escape(_("Your answer:"))}</b> '
                    f'{html.escape(self.answer)}</p>'
                    f'<p style="margin:4px 0"><b>{html.escape(_("A model answer:"))}</b> '
                    f'{html.escape(_(self.ex.model))}</p>'
                    f'<p style="margin:4px 0 0 0"><b>'
                    f'{html.escape(_("Compare: does your answer say that…"))}</b></p>'
                    f'<ul style="margin:0;list-style:none;padding-left:1em">{points}</ul>')
        return ('<div class="tcplab-explain" style="border-left:4px solid #e67700;'
                'background:#fff9db;padding:6px 10px;font-family:sans-serif">'
                f'{head}{body}</div>')
