"""Predict, then see: a prediction committed before a demonstration, compared after it.

A lesson asks before its key demonstrations::

    checks.predict("predict-b-after-syn", state=None, sends=None)   # ← your prediction

and shows the demonstration behind the prediction::

    checks.reveal("predict-b-after-syn", tcplab.sequence_diagram(net))

The demonstration is folded in an HTML ``<details>`` element: closed while no
prediction was made in this kernel (a student can still open it), open and headed by
the comparison once one was.  The folded output holds the whole demonstration, so the
saved notebook shows it to a reader who clicks and nbval checks it as any output.
A prediction exercise is an ordinary exercise of kind ``"predict"``: its checker
computes what TCP does from the library.
"""

from __future__ import annotations

import html
from typing import Any, Callable

from ..text import _
from .framework import Exercise, Feedback

__all__ = ["Noted", "Reveal", "note", "reveal", "forget"]

#: the predictions made in this kernel: exercise key → the parts given
_PREDICTED: dict[str, dict[str, Any]] = {}


def forget() -> None:
    """Forget every prediction (a fresh kernel; used by tests)."""
    _PREDICTED.clear()


class Noted:
    """What a prediction cell shows: the question, and whether a prediction is noted."""

    def __init__(self, ex: Exercise, given: dict[str, Any], problem: str = ""):
        self.ex, self.given, self.problem = ex, given, problem

    def lines(self) -> list[str]:
        parts = ", ".join(f"{name}=…" for name in self.ex.parts())
        if self.problem:
            return [self.problem]
        if not self.given:
            return [_("No prediction yet: write {parts} in this cell and run it; the "
                      "demonstration below then shows what TCP does, beside your "
                      "prediction.").format(parts=parts)]
        said = ", ".join(f"{k}={v!r}" for k, v in self.given.items())
        return [_("Prediction noted: {said}. Now run the demonstration below: it shows what "
                  "TCP does, beside your prediction.").format(said=said)]

    def head(self) -> str:
        return _("Predict: {question}").format(question=self.ex.asked())

    def __repr__(self) -> str:
        return "\n".join([self.head()] + [f"  {line}" for line in self.lines()])

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines())
        return ('<div class="tcplab-prediction" style="border-left:4px solid #7048e8;'
                'background:#f3f0ff;padding:6px 10px;font-family:sans-serif">'
                f'<b>✎ {html.escape(self.head())}</b>'
                f'<ul style="margin:4px 0 0 0">{items}</ul></div>')


def note(ex: Exercise, answers: dict[str, Any]) -> Noted:
    """Note the prediction ``answers`` of exercise ``ex`` (the parts given, not None)."""
    unknown = sorted(set(answers) - set(ex.parts()))
    if unknown:
        return Noted(ex, {}, _("this prediction has no part called {extra} (its parts: "
                               "{parts})").format(extra=", ".join(unknown),
                                                  parts=", ".join(ex.parts())))
    given = {k: v for k, v in answers.items() if v is not None}
    if given:
        _PREDICTED[ex.key] = given
    else:
        _PREDICTED.pop(ex.key, None)
    return Noted(ex, given)


def _html_of(shown: Any) -> str:
    """One shown object as HTML: its own HTML, else its picture, else its text."""
    bundle = shown._repr_mimebundle_() if hasattr(shown, "_repr_mimebundle_") else {}
    if "text/html" in bundle:
        return bundle["text/html"]
    if hasattr(shown, "_repr_html_"):
        return shown._repr_html_()
    return f'<pre style="margin:4px 0">{html.escape(str(shown))}</pre>'


def _text_of(shown: Any) -> str:
    return shown if isinstance(shown, str) else repr(shown)


class Reveal:
    """A demonstration folded behind a prediction."""

    def __init__(self, ex: Exercise, shown: tuple, feedback: Feedback | None):
        self.ex, self.shown, self.feedback = ex, shown, feedback

    def summary(self) -> str:
        if self.feedback is None:
            return _("What TCP does — make your prediction in the cell above first "
                     "(or click here to look anyway)")
        return _("What TCP does, beside your prediction")

    def __repr__(self) -> str:
        lines = [("▼ " if self.feedback is not None else "▶ ") + self.summary()]
        if self.feedback is not None:
            lines.append(self.feedback.text())
        return "\n".join(lines + [_text_of(s) for s in self.shown])

    def _repr_html_(self) -> str:
        opened = " open" if self.feedback is not None else ""
        compared = self.feedback._repr_html_() if self.feedback is not None else ""
        body = "".join(f'<div style="margin-top:6px">{_html_of(s)}</div>' for s in self.shown)
        return (f'<details class="tcplab-reveal"{opened} style="border-left:4px solid #7048e8;'
                f'padding:4px 10px;font-family:sans-serif">'
                f'<summary style="cursor:pointer;font-weight:bold">{html.escape(self.summary())}'
                f'</summary>{compared}{body}</details>')


def reveal(ex: Exercise, shown: tuple,
           judge: Callable[[dict[str, Any]], Feedback] | None = None) -> Reveal:
    """The demonstration ``shown``, folded until a prediction of ``ex`` was noted; once
    one was, open and headed by the comparison: ``judge(prediction)`` (default: the
    exercise's own feedback)."""
    given = _PREDICTED.get(ex.key)
    if not given:
        return Reveal(ex, shown, None)
    compared = (judge or ex.judge)(dict(given))
    compared.head = (_("✔ Your prediction was right.") if compared.correct
                     else _("✘ TCP did otherwise than you predicted."))
    return Reveal(ex, shown, compared)
