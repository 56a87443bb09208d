"""The feedback on a recognised misconception: its name, its explanation, and the
mutant's ladder beside the right one (plain HTML: this is no widget)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..diagrams.ladder.diagram import sequence_diagram
from ..grading.framework import Feedback
from ..text import _
from .catalogue import Misconception, get
from .mutants import RIGHT
from .readers import played
from .recognise import recognise

__all__ = ["MisconceptionFeedback", "explain", "ladders", "show", "Shown", "LECTURE"]

#: the story :func:`show` plays by default: the lecture's handshake and four-way close
#: (x=100, y=300; B, the server, closes second), the story of exercise fsm-server-path
LECTURE = "fsm-server-path"


def ladders(key: str, misconception: Misconception,
            variant: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """(the mutant's ladder, the right ladder) of exercise ``key``'s story, as SVG text."""
    mutant = played(key, misconception.mutant, variant).drawn()
    right = played(key, RIGHT, variant).drawn()
    return (sequence_diagram(mutant, hosts=["A", "B"]).svg(),
            sequence_diagram(right, hosts=["A", "B"]).svg())


def _fitted(svg: str) -> str:
    """The SVG scaled to its column (its viewBox keeps the proportions)."""
    return svg.replace("<svg ", '<svg style="width:100%;height:auto" ', 1)


def _side_by_side(mutant: str, right: str, left: str = "") -> str:
    """The two ladders side by side; ``left``: the mutant's heading (default: the
    answer's)."""
    cell = ('<div style="flex:1 1 0;min-width:260px"><div style="font-weight:bold;'
            'font-family:sans-serif">{head}</div>{svg}</div>')
    return ('<div class="tcplab-misconception" style="display:flex;gap:12px;'
            'flex-wrap:wrap;margin-top:6px">'
            + cell.format(head=html.escape(left or _("Your answer's TCP")), svg=_fitted(mutant))
            + cell.format(head=html.escape(_("The real TCP")), svg=_fitted(right)) + "</div>")


@dataclass(repr=False)      # Feedback's own repr: the text a student reads
class MisconceptionFeedback(Feedback):
    """A wrong answer's Feedback, with the misconception it is named after."""

    misconception: Misconception | None = field(default=None, repr=False, compare=False)
    exercise: str = field(default="", repr=False, compare=False)
    variant: Any = field(default=None, repr=False, compare=False)

    def _repr_html_(self) -> str:
        base = super()._repr_html_()
        if self.misconception is None:
            return base
        return base + _side_by_side(*ladders(self.exercise, self.misconception,
                                             self.variant))


def explain(key: str, answers: dict[str, Any], feedback: Feedback,
            variant: Mapping[str, Any] | None = None) -> Feedback:
    """``feedback`` as it is, or, when the answer is wrong in exactly the way a
    catalogued misconception predicts, with the misconception named and explained
    (and, in HTML, the two ladders side by side).  ``variant``: the student's numbers
    of the exercise (its ``vary`` names; default: the demo's)."""
    if feedback.correct:
        return feedback
    try:
        m = recognise(key, answers, variant)
    except Exception:  # noqa: BLE001 - naming a mistake must never cost the student the check
        return feedback
    if m is None:
        return feedback
    lines = list(feedback.lines) + [
        _("This is a classic misconception: {name}.").format(name=m.title()),
        m.explained()]
    return MisconceptionFeedback(feedback.correct, lines, feedback.score, feedback.head,
                                 misconception=m, exercise=key, variant=variant)


class Shown:
    """A misconception shown on a story: its name, its explanation, both ladders."""

    def __init__(self, misconception: Misconception, story: str = LECTURE):
        self.misconception, self.story = misconception, story

    def __repr__(self) -> str:
        return "\n".join([_("Misconception: {name}").format(name=self.misconception.title()),
                          "  " + self.misconception.explained()])

    def _repr_html_(self) -> str:
        m = self.misconception
        return ('<div class="tcplab-feedback" style="border-left:4px solid #c92a2a;'
                'background:#fff5f5;padding:6px 10px;font-family:sans-serif">'
                f'<b style="color:#c92a2a">{html.escape(m.title())}</b>'
                f'<div>{html.escape(m.explained())}</div></div>'
                + _side_by_side(*ladders(self.story, m), left=_("TCP with this mistake")))


def show(key: str, story: str | None = None) -> Shown:
    """Misconception ``key`` played on ``story`` beside what TCP does: to display in a
    notebook.  By default the lecture's handshake and four-way close, or, for a mistake
    that story does not meet (a simultaneous close, an abort ...), the story of the
    first exercise it is recognised in."""
    m = get(key)
    if story is None:
        mutant, right = ladders(LECTURE, m)
        story = LECTURE if mutant != right else m.exercises[0]
    return Shown(m, story)
