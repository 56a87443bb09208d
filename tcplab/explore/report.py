"""What a search found, as a :class:`Result` and its short :class:`Report`."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from ..text import N_, _, ljust, width
from ..trace import joined, say, words
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
        # a row's name and value are said in the language spoken (the English is the data)
        said = [(_(k), say(v)) for k, v in self.rows]
        columns = max(width(k) for k, _v in said)
        return "\n".join([self.title] + [f"  {ljust(k, columns)}  {v}" for k, v in said])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {"violated": "#c92a2a", "holds": "#2b8a3e"}.get(self.verdict, "#e67700")
        rows = "".join(
            f'<tr><th style="text-align:left;padding:2px 10px 2px 0;vertical-align:top">'
            f'{html.escape(_(k))}</th><td style="text-align:left;padding:2px 0">'
            + (f'<b style="color:{colour}">{html.escape(say(v))}</b>' if k == "verdict"
               else html.escape(say(v))) + "</td></tr>" for k, v in self.rows)
        return (f'<div class="tcplab-explore" style="font-family:sans-serif;font-size:13px;'
                f'border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
                f'<div style="font-weight:bold;margin-bottom:4px">{html.escape(self.title)}'
                f'</div><table style="border-collapse:collapse">{rows}</table></div>')


def _script_text(script) -> str:
    return ", ".join(map(str, script)) or words(N_("nothing"))


def _then(isns) -> str:
    if len(isns) == 1:
        return str(isns[0])
    return words(N_("{first} then {rest}"), first=isns[0], rest=_then(isns[1:]))


def _property_text(prop) -> str:
    doc = property_doc(prop)
    # a lesson's property has its words in the catalogue; a student's is as written
    return words(N_("{name}: {doc}"), name=property_name(prop), doc=doc) if doc \
        else property_name(prop)


def _model_text(result: "Result") -> str:
    handshake = (words(N_("three-way handshake")) if result.handshake == "three-way"
                 else words(N_("two-way handshake")))
    return words(N_("{handshake}; A: {a}; B: {b}; ISNs: A {a_isns}, B {b_isns}; MSL {msl:g} s, "
                    "TIME-WAIT {time_wait:g} s"), handshake=handshake,
                 a=_script_text(result.scripts["A"]), b=_script_text(result.scripts["B"]),
                 a_isns=_then(result.iss[0]), b_isns=_then(result.iss[1]), msl=result.msl,
                 time_wait=result.time_wait)


def _verdict_text(result: "Result") -> str:
    if result.verdict == "violated":
        cx = result.counterexample
        verdict = (words(N_("VIOLATED — shortest counterexample: {count} steps"), count=len(cx))
                   if len(cx) else words(N_("VIOLATED in the initial state")))
        if len(result.properties) > 1:
            verdict = words(N_("{verdict} (breaks {property})"), verdict=verdict,
                            property=property_name(cx.property))
        return verdict
    if result.verdict == "holds":
        return words(N_("no violation within these bounds"))
    if result.bounds.max_states == BROWSER_MAX_STATES:
        return words(N_("INCOMPLETE — stopped after {count} states (raise Bounds.max_states or "
                        "tighten the bounds; the browser edition stops sooner, as Python runs "
                        "slower there)"), count=result.bounds.max_states)
    return words(N_("INCOMPLETE — stopped after {count} states (raise Bounds.max_states or "
                    "tighten the bounds)"), count=result.bounds.max_states)


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
        # the rows' names are catalogued words, said when shown; "verdict" marks its row
        rows = [(N_("property"), joined("; ", [_property_text(p) for p in self.properties])),
                (N_("model"), _model_text(self)),
                (N_("bounds"), self.bounds.describe()),
                (N_("verdict"), _verdict_text(self)),
                (N_("explored"), words(N_("{states} states, {transitions} transitions, depth "
                                          "{depth}"), states=f"{self.states:,}",
                                       transitions=f"{self.transitions:,}", depth=self.depth))]
        if timing:
            rows.append((N_("time"), words(N_("{seconds} s ({rate} states/s)"),
                                           seconds=f"{self.seconds:.2f}",
                                           rate=f"{self.states_per_second:,.0f}")))
        return Report("tcplab.explore", rows, self.verdict)

    def __str__(self) -> str:
        return str(self.report())

    def __repr__(self) -> str:
        return (f"<Result {self.verdict}: {self.states} states, {self.transitions} "
                f"transitions, depth {self.depth}, {self.seconds:.2f} s>")

    def _repr_html_(self) -> str:
        return self.report()._repr_html_()
