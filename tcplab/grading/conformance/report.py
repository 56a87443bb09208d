"""The verdict on each cell, and the report: as text and as HTML with ladder diagrams."""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from typing import Any

from ...fsm import Event
from ...text import N_, _, ljust, width
from ..answers import parse_flags, parse_state
from .cells import CELLS, GROUPS, Cell
from .stories import MAX_EVENTS, STORIES, Story, StoryRun, _expected, _play
from .table import Given, _action_text, _parse_event, _transition, read_table

_VERDICT_TEXT = {"right": N_("right"), "half": N_("½: what is sent is wrong"),
                 "wrong": N_("wrong"), "missing": N_("missing"),
                 "unreadable": N_("cannot be read")}


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
        return self.yours.ladder(_("{story}: your ({cell}) cell").format(
            story=self.story.title, cell=self.cell))

    def expected_ladder(self):
        """The story with RFC 9293's table, as a ladder diagram."""
        return self.expected.ladder(_("{story}: RFC 9293").format(story=self.story.title))

    def explanation(self) -> str:
        """What is wrong, in words, and what the story shows (empty when right)."""
        if self.right:
            return ""
        if self.verdict == "unreadable":
            return _("{problem}.").format(problem=self.given.problem)
        exp, cell, given = self.cell.expected, self.cell, self.given
        said = ""
        if self.verdict == "missing":
            said = _("your table has no cell ({cell}): in {state} your machine ignores the "
                     "event '{label}' ({meaning}).")
        elif given is not None and given.target is None:
            said = (_("your {state} ignores '{label}'; RFC 9293 goes to {target}.")
                    if self.reveal else _("your {state} ignores '{label}'."))
        elif given is not None and given.target is not exp.target:
            said = (_("the next state {given} is wrong; RFC 9293 goes to {target}.")
                    if self.reveal else _("the next state {given} is wrong."))
        elif given is not None:
            said = (_("the next state {given} is right, but sending {sending} is not; "
                      "RFC 9293 sends {sends}.") if self.reveal else
                    _("the next state {given} is right, but sending {sending} is not."))
        said = said.format(
            cell=cell, state=cell.state, label=cell.event.label, meaning=cell.event.meaning,
            target=exp.target, given=given.target if given else None,
            sending=_action_text(given.action) if given else "",
            sends=exp.action or _("nothing"))
        return " ".join(p for p in (said, self._story_difference()) if p)

    def _story_difference(self) -> str:
        y, e = self.yours, self.expected
        story = self.story.title
        if y.error:
            return _("Story '{story}': with your cell the endpoint failed ({error}).").format(
                story=story, error=y.error)
        lines = self._changes()
        if lines:
            text = _("Story '{story}': with your cell {changes}.").format(
                story=story, changes=_("; ").join(lines))
        elif y.segments != e.segments:
            text = self._segments_differ(story)
        elif self.verdict == "half":
            exp = self.cell.expected
            text = (_("Story '{story}': this run looks the same as with RFC 9293's table (the "
                      "endpoint acknowledges an arriving FIN while processing it, RFC 9293 "
                      "§3.10.7.4), but the table itself must say what is sent.")
                    if exp.action == "ACK" and self.cell.event in
                    (Event.RCV_FIN, Event.RCV_FIN_ACK) else
                    _("Story '{story}': this run looks the same as with RFC 9293's table (the "
                      "endpoint has nothing of that kind left to send here), but the table "
                      "itself must say what is sent.")).format(story=story)
        else:
            text = _("Story '{story}': this story happens to look the same with your "
                     "cell.").format(story=story)
        if not y.finished:
            text += " " + _("With your cell the story does not settle: it was stopped after "
                            "{events} network events.").format(events=MAX_EVENTS)
        return text

    def _changes(self) -> list[str]:
        """How each host's run differs with the student's cell, one clause a host."""
        y, e = self.yours, self.expected
        host = self.cell.host
        order = [host] + [n for n in ("A", "B") if n != host]
        lines = []
        for name in order:
            if y.entered(name) != e.entered(name):
                times = y.histories[name] == e.histories[name]   # same states, other times
                lines.append((_("{host} went {path} (RFC 9293: {rfc})") if self.reveal else
                              _("{host} went {path}")).format(
                    host=name, path=y.path(name, times), rfc=e.path(name, times)))
        for name in order:
            mine, theirs = y.net.hosts[name].error, e.net.hosts[name].error
            if mine != theirs and mine:
                lines.append(_("{host} ended with the error '{error}'").format(host=name,
                                                                               error=mine))
        return lines

    def _segments_differ(self, story: str) -> str:
        ys, es = self.yours.segments, self.expected.segments
        i = next((k for k, (p, q) in enumerate(zip(ys, es)) if p != q), min(len(ys), len(es)))
        if i >= len(ys):
            return _("Story '{story}': the states are the same, but with your cell only "
                     "{yours} segments are sent (RFC 9293: {rfc}).").format(
                story=story, yours=len(ys), rfc=len(es))
        shown = self.reveal and i < len(es)
        if len(ys) != len(es):
            said = (_("Story '{story}': the states are the same, but from segment {n} on the "
                      "segments differ: with your cell {yours}, with RFC 9293's table {rfc} "
                      "({count} segments in all, RFC 9293: {rfc_count}).") if shown else
                    _("Story '{story}': the states are the same, but from segment {n} on the "
                      "segments differ: with your cell {yours} ({count} segments in all, "
                      "RFC 9293: {rfc_count})."))
        else:
            said = (_("Story '{story}': the states are the same, but from segment {n} on the "
                      "segments differ: with your cell {yours}, with RFC 9293's table {rfc}.")
                    if shown else
                    _("Story '{story}': the states are the same, but from segment {n} on the "
                      "segments differ: with your cell {yours}."))
        return said.format(story=story, n=i + 1, yours=ys[i], rfc=es[i] if shown else "",
                           count=len(ys), rfc_count=len(es))


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
        head = [_("state"), _("event"), _("yours")] + (["RFC 9293"] if self.reveal else []) + \
            [_("verdict"), _("points"), _("shown by the story")]
        cells = [self._row(r) for r in rows]
        widths = [max(width(c[i]) for c in cells + [head]) for i in range(len(head))]
        fmt = lambda c: "  ".join(ljust(x, w) for x, w in zip(c, widths)).rstrip()  # noqa: E731
        title = (_("Conformance of your table, {group}: {score:g} of {max:g} points") if group
                 else _("Conformance of your table: {score:g} of {max:g} points")).format(
            group=_(GROUPS[group]) if group else "", score=self.score(group),
            max=self.max_score(group))
        out = [title, fmt(head)] + [fmt(c) for c in cells]
        wrong = [r for r in rows if not r.right]
        if wrong:
            out.append("")
            out += [f"✘ {r.cell}: {r.explanation()}" for r in wrong]
        notes = self.notes if group is None else ()
        if notes:
            out.append("")
            out += [_("note: {note}").format(note=n) for n in notes]
        return "\n".join(out)

    def _row(self, r: CellResult) -> list[str]:
        """One row of the matrix: cell, the student's answer, (RFC 9293's,) verdict, points."""
        exp = r.cell.expected
        row = [str(r.cell.state), r.cell.event.label,
               _("(none)") if r.given is None else str(r.given)]
        if self.reveal:
            row.append(f"{exp.target} / {exp.action or '–'}")
        return row + [("✔ " if r.right else "✘ ") + _(_VERDICT_TEXT[r.verdict]),
                      f"{r.points:g}/{r.max_points:g}", r.story.title]

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
        head = [_("state"), _("event"), _("yours")] + (["RFC 9293"] if self.reveal else []) + \
            [_("verdict"), _("points"), _("story")]
        out = ['<div class="tcplab-conformance" style="font-family:sans-serif">',
               "<p>" + _("<b>Conformance of your table</b>: {score:g} of {max:g} points").format(
                   score=self.score(group), max=self.max_score(group)) + "</p>",
               '<table style="border-collapse:collapse">',
               "<tr>" + "".join(f'<th style="text-align:left;padding:2px 8px">{esc(h)}</th>'
                                for h in head) + "</tr>"]
        for r in rows:
            colour, bg = (("#2b8a3e", "#ebfbee") if r.right else
                          ("#e67700", "#fff9db") if r.verdict == "half" else
                          ("#c92a2a", "#fff5f5"))
            cells = self._row(r)
            out.append(f'<tr style="background:{bg}">' + "".join(
                f'<td style="padding:2px 8px;color:{colour if i == len(cells) - 3 else "inherit"}">'
                f'{esc(c)}</td>' for i, c in enumerate(cells)) + "</tr>")
            if not r.right:
                span = len(head)
                body = f'<p style="margin:2px 0">{esc(r.explanation())}</p>'
                if ladders and r.verdict != "unreadable":
                    body += (f'<p style="margin:2px 0;color:#555">{esc(r.story.told)}'
                             '</p><div>' + _img(r.ladder(), _("your cell")))
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
