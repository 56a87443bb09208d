"""The feedback on a recognised misconception: its name, its explanation, and the
mutant's ladder beside the right one (plain HTML: this is no widget)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..diagrams.ladder.diagram import sequence_diagram
from ..grading.framework import Feedback
from ..text import _
from .catalogue import Misconception
from .mutants import RIGHT
from .readers import played
from .recognise import recognise

__all__ = ["MisconceptionFeedback", "explain", "ladders"]


def ladders(key: str, misconception: Misconception,
            variant: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """(the mutant's ladder, the right ladder) of exercise ``key``'s story, as SVG text."""
    mutant = played(key, misconception.mutant, variant).drawn()
    right = played(key, RIGHT, variant).drawn()
    return (sequence_diagram(mutant, hosts=["A", "B"], title=_("if: {name}").format(
                name=misconception.title())).svg(),
            sequence_diagram(right, hosts=["A", "B"], title=_("what TCP does")).svg())


@dataclass
class MisconceptionFeedback(Feedback):
    """A wrong answer's Feedback, with the misconception it is named after."""

    misconception: Misconception | None = field(default=None, repr=False, compare=False)
    exercise: str = field(default="", repr=False, compare=False)
    variant: Any = field(default=None, repr=False, compare=False)

    def _repr_html_(self) -> str:
        base = super()._repr_html_()
        if self.misconception is None:
            return base
        mutant, right = ladders(self.exercise, self.misconception, self.variant)
        cell = ('<div style="flex:1;min-width:280px"><div style="font-weight:bold;'
                'font-family:sans-serif">{head}</div>{svg}</div>')
        return (base + '<div class="tcplab-misconception" style="display:flex;gap:12px;'
                'flex-wrap:wrap;margin-top:6px">'
                + cell.format(head=html.escape(_("Your answer's TCP")), svg=mutant)
                + cell.format(head=html.escape(_("The real TCP")), svg=right) + "</div>")


def explain(key: str, answers: dict[str, Any], feedback: Feedback,
            variant: Mapping[str, Any] | None = None) -> Feedback:
    """``feedback`` as it is, or, when the answer is wrong in exactly the way a
    catalogued misconception predicts, with the misconception named and explained
    (and, in HTML, the two ladders side by side).  ``variant``: the student's numbers
    of the exercise (its ``vary`` names; default: the demo's)."""
    if feedback.correct:
        return feedback
    m = recognise(key, answers, variant)
    if m is None:
        return feedback
    lines = list(feedback.lines) + [
        _("This is a classic misconception: {name}.").format(name=m.title()),
        m.explained()]
    return MisconceptionFeedback(feedback.correct, lines, feedback.score, feedback.head,
                                 misconception=m, exercise=key, variant=variant)
