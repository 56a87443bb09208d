"""The verdict on each cell, and the report: as text and as HTML with ladder diagrams."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from typing import Any

from ...fsm import Event
from ..answers import parse_flags, parse_state
from .cells import CELLS, GROUPS, Cell
from .stories import MAX_EVENTS, STORIES, Story, StoryRun, _expected, _play
from .table import Given, _action_text, _parse_event, _transition, read_table

_VERDICT_TEXT = {"right": "right", "half": "½: what is sent is wrong", "wrong": "wrong",
                 "missing": "missing", "unreadable": "cannot be read"}


@dataclass
class CellResult:
    """The verdict on one cell, with the story that shows it."""

    cell: Cell
    given: Given | None            # None: the student's table has no such cell
    verdict: str                   # "right", "half", "wrong", "missing", "unreadable"
    points: float
    yours: StoryRun                # the story with this cell from the student's table
    expected: StoryRun             # the story with the library's table
    reveal: bool = True

    @property
    def right(self) -> bool:
        return self.verdict == "right"

    @property
    def max_points(self) -> float:
        return self.cell.points

    @property
    def story(self) -> Story:
        return self.expected.story

    @property
    def differs(self) -> bool:
        """Did the story turn out differently with the student's cell?"""
        return bool(self.yours.error) or any(
            self.yours.entered(h) != self.expected.entered(h) for h in ("A", "B")
        ) or self.yours.segments != self.expected.segments

    def ladder(self):
        """The story with the student's cell, as a ladder diagram."""
        return self.yours.ladder(f"{self.story.name}: your ({self.cell}) cell")

    def expected_ladder(self):
        """The story with RFC 9293's table, as a ladder diagram."""
        return self.expected.ladder(f"{self.story.name}: RFC 9293")

    def explanation(self) -> str:
        """What is wrong, in words, and what the story shows (empty when right)."""
        if self.right:
            return ""
        exp = self.cell.expected
        parts = []
        if self.verdict == "missing":
            parts.append(f"your table has no cell ({self.cell}): in {self.cell.state} your "
                         f"machine ignores the event '{self.cell.event.label}' "
                         f"({self.cell.event.meaning}).")
        elif self.verdict == "unreadable":
            return f"{self.given.problem}."
        elif self.given is not None:
            if self.given.target is None:
                parts.append(f"your {self.cell.state} ignores '{self.cell.event.label}'"
                             + (f"; RFC 9293 goes to {exp.target}" if self.reveal else "") + ".")
            elif self.given.target is not exp.target:
                parts.append(f"the next state {self.given.target} is wrong"
                             + (f"; RFC 9293 goes to {exp.target}" if self.reveal else "") + ".")
            else:
                parts.append(f"the next state {self.given.target} is right, but sending "
                             f"{_action_text(self.given.action)} is not"
                             + (f"; RFC 9293 sends {exp.action or 'nothing'}"
                                if self.reveal else "") + ".")
        parts.append(self._story_difference())
        return " ".join(p for p in parts if p)

    def _story_difference(self) -> str:
        y, e = self.yours, self.expected
        intro = f"Story '{self.story.name}': "
        if y.error:
            return intro + f"with your cell the endpoint failed ({y.error})."
        host = self.cell.host
        order = [host] + [n for n in ("A", "B") if n != host]
        lines = []
        for name in order:
            if y.entered(name) != e.entered(name):
                times = y.histories[name] == e.histories[name]   # same states, other times
                line = f"{name} went {y.path(name, times)}"
                if self.reveal:
                    line += f" (RFC 9293: {e.path(name, times)})"
                lines.append(line)
        for name in order:
            mine, theirs = y.net.hosts[name].error, e.net.hosts[name].error
            if mine != theirs and mine:
                lines.append(f"{name} ended with the error '{mine}'")
        if lines:
            text = intro + "with your cell " + "; ".join(lines) + "."
        elif y.segments != e.segments:
            ys, es = y.segments, e.segments
            i = next((k for k, (p, q) in enumerate(zip(ys, es)) if p != q), min(len(ys), len(es)))
            if i < len(ys):
                text = (intro + f"the states are the same, but from segment {i + 1} on the "
                        f"segments differ: with your cell {ys[i]}"
                        + (f", with RFC 9293's table {es[i]}" if self.reveal and i < len(es)
                           else "")
                        + (f" ({len(ys)} segments in all, RFC 9293: {len(es)})"
                           if len(ys) != len(es) else "") + ".")
            else:
                text = (intro + f"the states are the same, but with your cell only {len(ys)} "
                        f"segments are sent (RFC 9293: {len(es)}).")
        elif self.verdict == "half":
            exp = self.cell.expected
            why = ("the endpoint acknowledges an arriving FIN while processing it, "
                   "RFC 9293 §3.10.7.4" if exp.action == "ACK" and self.cell.event in
                   (Event.RCV_FIN, Event.RCV_FIN_ACK) else
                   "the endpoint has nothing of that kind left to send here")
            text = (intro + f"this run looks the same as with RFC 9293's table ({why}), "
                    "but the table itself must say what is sent.")
        else:
            text = intro + "this story happens to look the same with your cell."
        if not y.finished:
            text += (f" With your cell the story does not settle: it was stopped after "
                     f"{MAX_EVENTS} network events.")
        return text


def _judge(cell: Cell, given: Given | None, reveal: bool) -> CellResult:
    exp = cell.expected
    if given is None:
        verdict, points = "missing", 0.0
    elif given.problem:
        verdict, points = "unreadable", 0.0
    elif given.target is not exp.target:
        verdict, points = "wrong", 0.0
    elif given.action != (parse_flags(exp.action) or frozenset()):
        verdict, points = "half", cell.points / 2
    else:
        verdict, points = "right", cell.points
    if verdict == "right":
        yours = _expected(cell.story)
    else:
        cells = {(cell.state, cell.event): None if given is None
                 else _transition(cell.state, cell.event, given)}
        yours = _play(STORIES[cell.story], cells)
    return CellResult(cell, given, verdict, points, yours, _expected(cell.story), reveal)


def _img(picture, alt: str) -> str:
    """A picture as an HTML <img> of its SVG (shown by untrusted notebooks and on GitHub)."""
    uri = "data:image/svg+xml;base64," + base64.b64encode(picture.svg().encode("utf-8")).decode()
    return (f'<img class="tcplab-picture" alt="{html.escape(alt)}" '
            f'style="max-width:48%;height:auto;vertical-align:top" src="{uri}"/>')


@dataclass
class Report:
    """The conformance matrix of a student's table: one :class:`CellResult` per cell."""

    results: tuple[CellResult, ...]
    notes: tuple[str, ...] = ()
    reveal: bool = True

    def _pick(self, group: str | None) -> list[CellResult]:
        if group is not None and group not in GROUPS:
            raise ValueError(f"no group called {group!r}; the groups: {', '.join(GROUPS)}")
        return [r for r in self.results if group is None or r.cell.group == group]

    def score(self, group: str | None = None) -> float:
        """Points earned (in one group, or in all): 1 a cell, ½ for a right next state only."""
        return float(sum(r.points for r in self._pick(group)))

    def max_score(self, group: str | None = None) -> float:
        return float(sum(r.max_points for r in self._pick(group)))

    def scores(self) -> dict[str, tuple[float, float]]:
        """{group: (points, maximum)}."""
        return {g: (self.score(g), self.max_score(g)) for g in GROUPS}

    def cell(self, state: Any, event: Any) -> CellResult:
        """The result for one cell: ``report.cell("FIN-WAIT-2", "FIN")``."""
        key = (parse_state(state), _parse_event(event))
        for r in self.results:
            if (r.cell.state, r.cell.event) == key:
                return r
        raise KeyError(f"({state}, {event}) is not a cell of this exercise")

    def wrong(self, group: str | None = None) -> list[CellResult]:
        return [r for r in self._pick(group) if not r.right]

    # ------------------------------------------------------------------ text

    def text(self, group: str | None = None) -> str:
        rows = self._pick(group)
        head = ["state", "event", "yours"] + (["RFC 9293"] if self.reveal else []) + \
            ["verdict", "points", "shown by the story"]
        cells = []
        for r in rows:
            exp = r.cell.expected
            line = [str(r.cell.state), r.cell.event.label,
                    "(none)" if r.given is None else str(r.given)]
            if self.reveal:
                line.append(f"{exp.target} / {exp.action or '–'}")
            line += [("✔ " if r.right else "✘ ") + _VERDICT_TEXT[r.verdict],
                     f"{r.points:g}/{r.max_points:g}", r.story.name]
            cells.append(line)
        widths = [max(len(c[i]) for c in cells + [head]) for i in range(len(head))]
        fmt = lambda c: "  ".join(x.ljust(w) for x, w in zip(c, widths)).rstrip()  # noqa: E731
        title = (f"Conformance of your table, {GROUPS[group]}" if group
                 else "Conformance of your table")
        out = [f"{title}: {self.score(group):g} of {self.max_score(group):g} points",
               fmt(head)] + [fmt(c) for c in cells]
        wrong = [r for r in rows if not r.right]
        if wrong:
            out.append("")
            out += [f"✘ {r.cell}: {r.explanation()}" for r in wrong]
        notes = self.notes if group is None else ()
        if notes:
            out.append("")
            out += [f"note: {n}" for n in notes]
        return "\n".join(out)

    def __repr__(self) -> str:
        return self.text()

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(self.text())

    # ------------------------------------------------------------------ HTML

    def _repr_html_(self) -> str:
        return self.html()

    def html(self, group: str | None = None, ladders: bool = True) -> str:
        """The matrix as an HTML table; under each wrong cell its story as ladder diagrams."""
        esc = html.escape
        rows = self._pick(group)
        head = ["state", "event", "yours"] + (["RFC 9293"] if self.reveal else []) + \
            ["verdict", "points", "story"]
        out = ['<div class="tcplab-conformance" style="font-family:sans-serif">',
               f'<p><b>Conformance of your table</b>: {self.score(group):g} of '
               f'{self.max_score(group):g} points</p>',
               '<table style="border-collapse:collapse">',
               "<tr>" + "".join(f'<th style="text-align:left;padding:2px 8px">{esc(h)}</th>'
                                for h in head) + "</tr>"]
        for r in rows:
            exp = r.cell.expected
            colour, bg = (("#2b8a3e", "#ebfbee") if r.right else
                          ("#e67700", "#fff9db") if r.verdict == "half" else
                          ("#c92a2a", "#fff5f5"))
            cells = [str(r.cell.state), r.cell.event.label,
                     "(none)" if r.given is None else str(r.given)]
            if self.reveal:
                cells.append(f"{exp.target} / {exp.action or '–'}")
            cells += [("✔ " if r.right else "✘ ") + _VERDICT_TEXT[r.verdict],
                      f"{r.points:g}/{r.max_points:g}", r.story.name]
            out.append(f'<tr style="background:{bg}">' + "".join(
                f'<td style="padding:2px 8px;color:{colour if i == len(cells) - 3 else "inherit"}">'
                f'{esc(c)}</td>' for i, c in enumerate(cells)) + "</tr>")
            if not r.right:
                span = len(head)
                body = f'<p style="margin:2px 0">{esc(r.explanation())}</p>'
                if ladders and r.verdict != "unreadable":
                    body += (f'<p style="margin:2px 0;color:#555">{esc(r.story.description)}'
                             '</p><div>' + _img(r.ladder(), "your cell"))
                    if self.reveal:
                        body += " " + _img(r.expected_ladder(), "RFC 9293")
                    body += "</div>"
                out.append(f'<tr><td colspan="{span}" style="padding:2px 8px 10px 24px">'
                           f'{body}</td></tr>')
        out.append("</table>")
        if self.notes and group is None:
            out.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in self.notes) + "</ul>")
        out.append("</div>")
        return "".join(out)


def check_table(student: Any, *, reveal: bool = True) -> Report:
    """Judge a student's table, cell by cell (:data:`CELLS`), with the story of each cell.

    ``reveal=False`` leaves RFC 9293's answers (the expected cells, paths and
    ladders) out of the report: the student sees what is wrong and what the
    story does with their cell, not the answer.
    """
    table = read_table(student)
    results = tuple(_judge(c, table.given.get((c.state, c.event)), reveal) for c in CELLS)
    return Report(results, table.notes, reveal)
