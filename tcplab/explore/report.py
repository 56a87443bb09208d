"""What a search found, as a :class:`Result` and its short :class:`Report`."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from .properties import property_doc, property_name
from .world import BROWSER_MAX_STATES, Bounds

if TYPE_CHECKING:                      # only named in annotations: no import circle
    from .counterexample import Counterexample

__all__ = ["Report", "Result"]


class Report:
    """A short report that prints as text and displays as an HTML table in Jupyter."""

    def __init__(self, title: str, rows: Sequence[tuple[str, str]], verdict: str):
        self.title = title
        self.rows = list(rows)
        self.verdict = verdict

    def __str__(self) -> str:
        width = max(len(k) for k, _ in self.rows)
        return "\n".join([self.title] + [f"  {k:<{width}}  {v}" for k, v in self.rows])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {"violated": "#c92a2a", "holds": "#2b8a3e"}.get(self.verdict, "#e67700")
        rows = "".join(
            f'<tr><th style="text-align:left;padding:2px 10px 2px 0;vertical-align:top">'
            f'{html.escape(k)}</th><td style="text-align:left;padding:2px 0">'
            + (f'<b style="color:{colour}">{html.escape(v)}</b>' if k == "verdict"
               else html.escape(v)) + "</td></tr>" for k, v in self.rows)
        return (f'<div class="tcplab-explore" style="font-family:sans-serif;font-size:13px;'
                f'border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
                f'<div style="font-weight:bold;margin-bottom:4px">{html.escape(self.title)}'
                f'</div><table style="border-collapse:collapse">{rows}</table></div>')


def _script_text(script) -> str:
    return ", ".join(map(str, script)) or "nothing"


@dataclass
class Result:
    """What :func:`explore` found.

    verdict          "violated" (see ``counterexample``), "holds" (no violation within the
                     bounds: every reachable state was checked) or "incomplete" (stopped at
                     ``bounds.max_states``)
    states           distinct worlds explored; transitions: steps taken between them
    depth            the longest behaviour explored, in steps (the counterexample's length
                     if there is one)
    seconds          how long the search took; ``states_per_second``
    """

    properties: tuple
    verdict: str
    states: int
    transitions: int
    depth: int
    seconds: float
    counterexample: "Counterexample | None"
    bounds: Bounds
    handshake: str
    scripts: dict
    msl: float
    time_wait: float
    iss: tuple

    @property
    def violated(self) -> bool:
        return self.verdict == "violated"

    @property
    def holds(self) -> bool:
        """No violation within the bounds (the search was complete)."""
        return self.verdict == "holds"

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else float("inf")

    def report(self, timing: bool = True) -> Report:
        """The short report; ``timing=False`` leaves out the time (it differs per run)."""
        props = "; ".join(f"{property_name(p)}: {property_doc(p)}" if property_doc(p) else property_name(p)
                          for p in self.properties)
        rows = [("property", props),
                ("model", f"{self.handshake} handshake; A: {_script_text(self.scripts['A'])}; "
                          f"B: {_script_text(self.scripts['B'])}; ISNs: A "
                          f"{' then '.join(map(str, self.iss[0]))}, B "
                          f"{' then '.join(map(str, self.iss[1]))}; MSL {self.msl:g} s, "
                          f"TIME-WAIT {self.time_wait:g} s"),
                ("bounds", self.bounds.describe())]
        if self.verdict == "violated":
            cx = self.counterexample
            verdict = (f"VIOLATED — shortest counterexample: {len(cx)} steps"
                       if len(cx) else "VIOLATED in the initial state")
            if len(self.properties) > 1:
                verdict += f" (breaks {property_name(cx.property)})"
        elif self.verdict == "holds":
            verdict = "no violation within these bounds"
        else:
            verdict = (f"INCOMPLETE — stopped after {self.bounds.max_states} states "
                       f"(raise Bounds.max_states or tighten the bounds"
                       + ("; the browser edition stops sooner, as Python runs slower there"
                          if self.bounds.max_states == BROWSER_MAX_STATES else "") + ")")
        rows.append(("verdict", verdict))
        explored = (f"{self.states:,} states, {self.transitions:,} transitions, "
                    f"depth {self.depth}")
        rows.append(("explored", explored))
        if timing:
            rows.append(("time", f"{self.seconds:.2f} s ({self.states_per_second:,.0f} "
                                 f"states/s)"))
        return Report("tcplab.explore", rows, self.verdict)

    def __str__(self) -> str:
        return str(self.report())

    def __repr__(self) -> str:
        return (f"<Result {self.verdict}: {self.states} states, {self.transitions} "
                f"transitions, depth {self.depth}, {self.seconds:.2f} s>")

    def _repr_html_(self) -> str:
        return self.report()._repr_html_()
