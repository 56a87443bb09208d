"""The state diagram, drawn from the transition table.

Nothing here lists states or edges: the DOT graph is built by walking
``tcplab.fsm``'s table (sorted, so the output is stable).  The only data of
this module is *how* things look: the ranks of the textbook layout (opening
above, ESTABLISHED in the middle, closing below; active close on the left,
passive close on the right) and the styles, kept as dictionaries as
pytransitions' GraphMachine keeps them.

Speed: Graphviz lays the graph out once per (handshake, view); highlighting
a host's state and last transition does not move anything, so it is added to
the cached SVG as a CSS ``<style>`` block and a few ``<text>`` marks, which
takes microseconds instead of a new layout.  ``.source`` is the complete DOT
text with the highlighting as Graphviz attributes (used for PNG files and
for readers who want the DOT).
"""

from __future__ import annotations

import html
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ..fsm import SYNCHRONIZED, Event, Path, State, Transition, table, transitions_from
from ..text import N_, _, language
from .a11y import Reading, label_svg, sentences
from .fonts import CJK_FONTS, text_width
from .picture import Picture
from .render import render, renderer

__all__ = ["StateDiagram", "state_diagram", "STYLES", "HOST_COLOURS", "RANKS", "VIEWS"]

#: Rows of the textbook layout, top to bottom; within a row, left to right: the
#: client's path (active open, active close) runs down the left, the server's
#: (passive open, passive close) down the right.
RANKS: tuple[tuple[State, ...], ...] = (
    (State.CLOSED,),
    (State.LISTEN,),
    (State.SYN_SENT, State.SYN_RECEIVED),
    (State.ESTABLISHED,),
    (State.FIN_WAIT_1, State.CLOSE_WAIT),
    (State.FIN_WAIT_2, State.CLOSING, State.LAST_ACK),
    (State.TIME_WAIT,),
)

#: Styles are data.  "path" styles draw the usual paths; "active"/"previous" highlight.
STYLES: dict[str, dict[str, dict[str, str]]] = {
    "graph": {"default": {"rankdir": "TB", "nodesep": "0.5", "ranksep": "0.55",
                          "fontname": "Helvetica", "fontsize": "11", "bgcolor": "white",
                          "pad": "0.2", "labelloc": "b", "labeljust": "l"}},
    "node": {
        "default": {"shape": "box", "style": "rounded,filled", "fillcolor": "white",
                    "color": "#333333", "fontname": "Helvetica-Bold", "fontsize": "12",
                    "height": "0.4", "margin": "0.15,0.06"},
        "active": {"fillcolor": "#fff3c4", "penwidth": "3"},
        "visited": {"fillcolor": "#f4f4f4"},
    },
    "edge": {
        "default": {"color": "#777777", "fontcolor": "#555555", "fontname": "Helvetica",
                    "fontsize": "9", "arrowsize": "0.6", "penwidth": "1"},
        "client": {"color": "#111111", "fontcolor": "#111111", "penwidth": "2.6",
                   "style": "solid"},
        "server": {"color": "#111111", "fontcolor": "#111111", "penwidth": "2.6",
                   "style": "dashed"},
        # not by colour alone: the last transition is the thickest line with a bold label,
        # the path taken thicker than any usual path (2.6)
        "active": {"penwidth": "5"},
        "visited": {"penwidth": "3.6"},
    },
}

#: The colours of the hosts when more than one is highlighted (A, B, then others).
#: Each is a host's name in its colour, so each meets WCAG AA for text on white (4.5:1,
#: tests/test_a11y_pictures.py computes it); colour is never the only mark (see svg()).
HOST_COLOURS: tuple[str, ...] = ("#1f6fb4", "#c2410c", "#2b7a3b", "#862e9c")

#: Which edges a view shows.  "classic": the figure of RFC 9293 §3.3.2 and the
#: textbooks (the usual paths, simultaneous open and close, FIN+ACK, RST back to
#: LISTEN, closing before the connection exists); "full": every edge of the table.
VIEWS = ("classic", "full")

_HIDDEN_IN_CLASSIC = frozenset({Event.SEND, Event.ABORT, Event.TIMEOUT_RETRANSMIT,
                                Event.GIVE_UP, Event.TIMEOUT_USER})


def _in_view(t: Transition, view: str) -> bool:
    if view == "full":
        return True
    if t.event in _HIDDEN_IN_CLASSIC or t.is_loop or t.when == "active":
        return False
    if t.source is State.TIME_WAIT and t.event is Event.RCV_SYN:
        return True                      # the chosen rule for a SYN in TIME-WAIT
    if t.event is Event.RCV_RST and (t.source in SYNCHRONIZED or t.source is State.SYN_SENT):
        return False
    return True


def _node_id(state: State) -> str:
    return "state-" + state.name


def _attrs(*dicts: dict[str, str], **extra: str) -> str:
    merged: dict[str, str] = {}
    for d in dicts:
        merged.update(d)
    merged.update(extra)
    parts = []
    for key in sorted(merged):
        value = merged[key]
        if value.startswith("<") and value.endswith(">"):
            parts.append(f"{key}={value}")
        else:
            parts.append(f'{key}="{value}"')
    return ", ".join(parts)


@lru_cache(maxsize=None)
def _usual_pairs(handshake: str) -> frozenset[tuple[State, State]]:
    return frozenset((t.source, t.target) for t in table(handshake) if t.path is not Path.OTHER)


def _edge_key(t: Transition, handshake: str) -> str:
    """The id of the drawn edge that carries ``t``.

    Edges with the same ends are merged into one, except that an edge of a usual
    path is never merged with others (an abort to CLOSED is not on the server's path
    just because LAST-ACK's ACK also goes there): those others get their own edge.
    """
    key = f"edge-{t.source.name}-{t.target.name}"
    if t.path is Path.OTHER and (t.source, t.target) in _usual_pairs(handshake):
        key += "-other"
    return key


@dataclass(frozen=True)
class _Edge:
    """Edges of the table with the same ends (and the same kind of path), merged."""
    source: State
    target: State
    transitions: tuple[Transition, ...]
    key: str

    @property
    def path(self) -> Path:
        paths = {t.path for t in self.transitions}
        for p in (Path.CLIENT, Path.SERVER):
            if p in paths:
                return p
        return Path.OTHER

    @property
    def label(self) -> str:
        return "\n".join(t.label for t in self.transitions)


def _tab(variant: tuple[str, str]) -> tuple[Transition, ...]:
    """The table of a variant: (handshake, rule for a SYN in TIME-WAIT)."""
    return table(variant[0], time_wait_syn=variant[1])


def _edges(variant: tuple[str, str], view: str, extra: frozenset[Transition]
           ) -> tuple[_Edge, ...]:
    order = {s: i for i, s in enumerate(State)}
    groups: dict[tuple[State, State, str], list[Transition]] = {}
    for t in _tab(variant):
        if _in_view(t, view) or t in extra:
            groups.setdefault((t.source, t.target, _edge_key(t, variant[0])), []).append(t)
    return tuple(_Edge(s, d, tuple(ts), key) for (s, d, key), ts in
                 sorted(groups.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]],
                                                        kv[0][2])))


_RANK_OF = {s: i for i, row in enumerate(RANKS) for s in row}


def _is_in(name: str, state: State) -> str:
    """"A is in LISTEN"; the explorer's walker is "you" (你), and "you is in" is no
    English."""
    if name == _("you"):
        return _("you are in {state}").format(state=state)
    return _("{host} is in {state}").format(host=name, state=state)


def _title(variant: tuple[str, str]) -> str:
    handshake, rule = variant
    title = _("TCP state diagram") + (_(" (two-way handshake)") if handshake == "two-way"
                                      else "")
    if rule != "challenge-ack":
        title += _(" (SYN in TIME-WAIT: {rule})").format(rule=rule)
    return title


def _dot(variant: tuple[str, str], view: str, extra: frozenset[Transition],
         highlight: dict | None = None, *, loose_extra: bool = False) -> str:
    """The DOT text; ``highlight`` adds the Graphviz attributes of the highlighting;
    ``loose_extra`` lets the edges added for ``extra`` take no part in the ranking (and
    draws them forwards, even back up)."""
    highlight = highlight or {}
    node_marks: dict[State, list[tuple[str, str]]] = highlight.get("nodes", {})
    visited_nodes: set[State] = highlight.get("visited_nodes", set())
    edge_marks: dict[str, str] = highlight.get("edges", {})
    visited_edges: dict[str, str] = highlight.get("visited_edges", {})
    g, n, e = STYLES["graph"], STYLES["node"], STYLES["edge"]
    handshake, rule = variant
    title = _title(variant)
    lines = [f'digraph "{title}" {{',
             f"  graph [{_attrs(g['default'], label=_legend())}];",
             f"  node [{_attrs(n['default'])}];",
             f"  edge [{_attrs(e['default'])}];"]
    for row in RANKS:
        lines.append("  { rank=same; " + " ".join(f'"{s}";' for s in row) + " }")
    for state in State:
        attrs: dict[str, str] = {"id": _node_id(state), "tooltip": state.explanation}
        if state in visited_nodes:
            attrs.update(n["visited"])
        marks = node_marks.get(state)
        if marks:
            attrs.update(n["active"])
            attrs["color"] = marks[0][1]
            attrs["xlabel"] = "<" + ", ".join(
                f'<font color="{c}"><b>{html.escape(h)}</b></font>' for h, c in marks) + ">"
        lines.append(f'  "{state}" [{_attrs(attrs)}];')
    # invisible edges keep each row's left-to-right order
    for row in RANKS:
        for left, right in zip(row, row[1:]):
            lines.append(f'  "{left}" -> "{right}" [style=invis];')
    for edge in _edges(variant, view, extra):
        style: dict[str, str] = {}
        if edge.path is Path.CLIENT:
            style.update(e["client"])
        elif edge.path is Path.SERVER:
            style.update(e["server"])
        if edge.key in visited_edges:
            style.update(e["visited"])
            style["color"] = visited_edges[edge.key]
        if edge.key in edge_marks:
            style.update(e["active"])
            style["color"] = style["fontcolor"] = edge_marks[edge.key]
        style["id"] = edge.key
        style["label"] = edge.label.replace("\n", "\\n")
        loose = loose_extra and not any(_in_view(t, view) for t in edge.transitions)
        if loose:
            style["constraint"] = "false"     # drawn where it goes, ranked by nothing
        if _RANK_OF[edge.target] < _RANK_OF[edge.source] and not loose:
            # an edge back up (to CLOSED or LISTEN): written downwards and drawn with its
            # arrowhead at the top, so Graphviz routes it along the side of the figure
            style["dir"] = "back"
            lines.append(f'  "{edge.target}" -> "{edge.source}" [{_attrs(style)}];')
        else:
            lines.append(f'  "{edge.source}" -> "{edge.target}" [{_attrs(style)}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


_SAMPLE = '<td width="44" height="6" sides="b" border="{w}"{dash}></td>'
#: The legend's rows: a sample of the line, and what it means.
_LEGEND = ((_SAMPLE.format(w=3, dash=""), N_("client's usual path (active open, active close)")),
           (_SAMPLE.format(w=3, dash=' style="dashed"'),
            N_("server's usual path (passive open, passive close)")),
           (_SAMPLE.format(w=1, dash=""), N_("other transitions")),
           ("<td></td>", N_("edge labels read  event / segment sent")))
#: The legend's type size (points).
_LEGEND_SIZE = 10


def _legend() -> str:
    """The legend below the diagram, as a Graphviz HTML-like label.

    Graphviz sizes a text cell from the font's metrics, and graphviz-pure knows Latin
    fonts only: it measures a Chinese character byte by byte, as three spaces (0.83 em
    in Helvetica) while every CJK font draws it one em wide, so a Chinese row overflowed
    its cell.  A Chinese legend's text cells are therefore sized by :func:`text_width`
    (``fixedsize``) and name the CJK fonts; the English legend stays as it always was."""
    cells = []
    for sample, text in _LEGEND:
        words = html.escape(_(text), quote=False)
        if language() == "zh":
            width = text_width(_(text), _LEGEND_SIZE) + 2
            cells.append(f'<tr>{sample}<td align="left" width="{width:.0f}" height="13" '
                         f'fixedsize="true"><font point-size="{_LEGEND_SIZE}" '
                         f'face="Helvetica, {CJK_FONTS}, sans-serif">{words}</font></td></tr>')
        else:
            cells.append(f'<tr>{sample}<td align="left"><font point-size="{_LEGEND_SIZE}">'
                         f'{words}</font></td></tr>')
    return ('<<table border="0" cellborder="0" cellspacing="2" cellpadding="1">'
            + "".join(cells) + "</table>>")


#: What is tried, in order, when Graphviz cannot route a picture: its edges as they are;
#: the extra edges (taken, outside the view) drawn forwards and left out of the ranking;
#: the full view, which holds every edge.  graphviz-pure's spline router fails ("lost
#: SYN-SENT SYN-RECEIVED edge") on the two-way table's classic view with the rfc793 or
#: reopen rule, and on it with some extra edges (abort from FIN-WAIT-1, say).
_FALLBACKS = ("as drawn", "loose extra", "full view")


def _dot_for(variant: tuple[str, str], view: str, extra: frozenset[Transition],
             fallback: str, highlight: dict | None = None) -> str:
    if fallback == "full view":
        return _dot(variant, "full", frozenset(), highlight)
    return _dot(variant, view, extra, highlight, loose_extra=fallback == "loose extra")


def _drawn(variant: tuple[str, str], view: str, extra: frozenset[Transition]
           ) -> tuple[str, str]:
    """(the first fallback that Graphviz can route, its plain SVG), remembered for each
    language (the legend and the tooltips speak it)."""
    return _drawn_in(variant, view, extra, language())


@lru_cache(maxsize=64)
def _drawn_in(variant: tuple[str, str], view: str, extra: frozenset[Transition], lang: str
              ) -> tuple[str, str]:
    tried = [f for f in _FALLBACKS if extra or f != "loose extra"]
    for fallback in tried[:-1]:
        try:
            return fallback, _plain_svg(_dot_for(variant, view, extra, fallback))
        except RuntimeError:
            continue
    return tried[-1], _plain_svg(_dot_for(variant, view, extra, tried[-1]))


def _plain_svg(dot: str) -> str:
    svg = render(dot).decode("utf-8")
    return svg[svg.index("<svg"):]      # no XML prolog or comments: embeds anywhere


def _layout(variant: tuple[str, str], view: str, extra: frozenset[Transition]) -> str:
    """The plain (unhighlighted) SVG, laid out once and remembered."""
    return _drawn(variant, view, extra)[1]


_NODE_BOX = re.compile(
    r'<g id="state&#45;([A-Z_0-9]+)" class="node">.*?<path[^>]* d="([^"]+)"', re.S)
_NUMBER_PAIR = re.compile(r"([-\d.]+),([-\d.]+)")


@lru_cache(maxsize=64)
def _node_boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """Each state's box in the laid-out SVG: (left, top, right, bottom)."""
    boxes = {}
    for m in _NODE_BOX.finditer(svg):
        points = [(float(x), float(y)) for x, y in _NUMBER_PAIR.findall(m.group(2))]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        boxes["state-" + m.group(1)] = (min(xs), min(ys), max(xs), max(ys))
    return boxes


def clear_cache() -> None:
    """Forget the layouts and the renderer found (to measure, or after installing Graphviz)."""
    from .render import forget
    forget()
    _drawn_in.cache_clear()
    _node_boxes.cache_clear()


class StateDiagram(Picture):
    """The state diagram, possibly with hosts highlighted.  See :func:`state_diagram`."""

    formats = ("svg", "png", "dot")

    def __init__(self, hosts: Sequence = (), *, handshake: str | None = None,
                 time_wait_syn: str | None = None,
                 view: str = "classic", path: bool = False,
                 colours: Sequence[str] | None = None):
        if view not in VIEWS:
            raise ValueError(f"view must be one of {', '.join(map(repr, VIEWS))}, not {view!r}")
        hosts = tuple(hosts)
        for h in hosts:
            if not all(hasattr(h, a) for a in ("state", "name", "transitions", "history")):
                raise TypeError(f"state_diagram() takes hosts such as net.host('A') (or "
                                f"Endpoints), got {h!r}")
        if handshake is None:
            kinds = {h.handshake for h in hosts} or {"three-way"}
            if len(kinds) > 1:
                raise ValueError("the hosts use different handshakes; pass handshake=...")
            handshake = kinds.pop()
        if time_wait_syn is None:
            rules = {getattr(h, "time_wait_syn", "challenge-ack") for h in hosts} or \
                {"challenge-ack"}
            if len(rules) > 1:
                raise ValueError("the hosts use different rules for a SYN in TIME-WAIT; "
                                 "pass time_wait_syn=...")
            time_wait_syn = rules.pop()
        table(handshake, time_wait_syn=time_wait_syn)
        self.handshake = handshake
        self.time_wait_syn = time_wait_syn
        self.variant = (handshake, time_wait_syn)
        self.view = view
        self.path = bool(path)
        # snapshot: the picture shows the moment it was made
        palette = tuple(colours) if colours else HOST_COLOURS
        if not palette or not all(isinstance(c, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", c)
                                  for c in palette):
            raise ValueError(f"colours must be colours such as '#1f6fb4', got {colours!r}")
        self.marks: tuple[tuple[str, str, State, Transition | None, tuple[Transition, ...]], ...] = tuple(
            (h.name, palette[i % len(palette)], h.state,
             h.transitions[-1] if h.transitions else None,
             tuple(h.transitions) if path else ())
            for i, h in enumerate(hosts))
        wanted = set()
        for _, _, _, last, taken in self.marks:
            wanted.update(t for t in ((last,) + taken) if t is not None)
        self._extra = frozenset(t for t in wanted if not _in_view(t, view))

    # -------------------------------------------------------------- what is highlighted

    def _highlight(self) -> dict:
        nodes: dict[State, list[tuple[str, str]]] = {}
        edges: dict[str, str] = {}
        visited_nodes: set[State] = set()
        visited_edges: dict[str, str] = {}
        for name, colour, state, last, taken in self.marks:
            nodes.setdefault(state, []).append((name, colour))
            for t in taken:
                visited_nodes.add(t.target)
                visited_edges.setdefault(_edge_key(t, self.handshake), colour)
            if last is not None:
                edges.setdefault(_edge_key(last, self.handshake), colour)
        return {"nodes": nodes, "edges": edges, "visited_nodes": visited_nodes,
                "visited_edges": visited_edges}

    @property
    def current(self) -> dict[str, State]:
        """Each highlighted host's state."""
        return {name: state for name, _, state, _, _ in self.marks}

    @property
    def edges(self) -> tuple[tuple[State, State, str], ...]:
        """The drawn edges: (source, target, joined label), in drawing order."""
        if _drawn(self.variant, self.view, self._extra)[0] == "full view":
            return tuple((e.source, e.target, e.label)
                         for e in _edges(self.variant, "full", frozenset()))
        return tuple((e.source, e.target, e.label)
                     for e in _edges(self.variant, self.view, self._extra))

    @property
    def source(self) -> str:
        """The DOT text of this picture, highlighting included."""
        fallback = _drawn(self.variant, self.view, self._extra)[0]
        return _dot_for(self.variant, self.view, self._extra, fallback, self._highlight())

    # -------------------------------------------------------------- drawing

    def svg(self) -> str:
        return label_svg(self._highlighted(), self.reading(), "state-diagram")

    def reading(self) -> Reading:
        """The picture in words: each host's current state and the transitions the
        table allows from it (every drawn edge, when no host is highlighted)."""
        title = _title(self.variant)
        headers = (_("host"), _("state"), _("event / segment sent"), _("next state"))
        if not self.marks:
            rows = tuple(("", str(s), label, str(d)) for s, d, label in
                         ((s, d, line) for s, d, joined in self.edges
                          for line in joined.split("\n")))
            return Reading(title, _("No host is highlighted. The table lists every "
                                    "transition drawn."), headers, rows,
                           tuple(f"{s} --{label}--> {d}" for _h, s, label, d in rows))
        said, rows = [], []
        for name, _colour, state, last, taken in self.marks:
            line = _is_in(name, state)
            if taken:
                line += _(" (path: {states})").format(states=" → ".join(
                    [str(taken[0].source)] + [str(t.target) for t in taken]))
            elif last is not None:
                line += _(" (last transition: {transition})").format(transition=last)
            said.append(_("{sentence}.").format(sentence=line))
            rows += [(name, str(state), t.label, str(t.target)) for t in
                     transitions_from(state, self.handshake, time_wait_syn=self.time_wait_syn)]
        lines = tuple(f"{h}: {s} --{label}--> {d}" for h, s, label, d in rows)
        title = _("{title}: {states}").format(title=title, states=_(", ").join(
            f"{n} {s}" for n, s in self.current.items()))
        summary = sentences(said + [_("The table lists the transitions legal from these "
                                      "states.")])
        return Reading(title, summary, headers, tuple(rows), lines)

    def _highlighted(self) -> str:
        base = _layout(self.variant, self.view, self._extra)
        hl = self._highlight()
        if not hl["nodes"] and not hl["visited_edges"]:
            return base
        rules = []
        ns, es = STYLES["node"], STYLES["edge"]
        for state in sorted(hl["visited_nodes"], key=lambda s: s.name):
            rules.append(f"#{_node_id(state)} path {{fill: {ns['visited']['fillcolor']}}}")
        for key, colour in sorted(hl["visited_edges"].items()):
            # full opacity: a faded colour would fall below 3:1 on white (WCAG AA)
            rules.append(f"#{key} path {{stroke: {colour}; "
                         f"stroke-width: {es['visited']['penwidth']}}} "
                         f"#{key} polygon {{fill: {colour}; stroke: {colour}}}")
        for state, marks in hl["nodes"].items():
            colour = marks[0][1]
            rules.append(f"#{_node_id(state)} path {{fill: {ns['active']['fillcolor']}; "
                         f"stroke: {colour}; stroke-width: {ns['active']['penwidth']}}}")
        for key, colour in sorted(hl["edges"].items()):
            rules.append(f"#{key} path {{stroke: {colour}; stroke-width: "
                         f"{es['active']['penwidth']}}} "
                         f"#{key} polygon {{fill: {colour}; stroke: {colour}}} "
                         f"#{key} text {{fill: {colour}; font-weight: bold}}")
        marks_svg = []
        boxes = _node_boxes(base)
        for state, marks in sorted(hl["nodes"].items(), key=lambda kv: kv[0].name):
            left, top, _, bottom = boxes[_node_id(state)]
            x, y = left, (top + bottom) / 2 + 11
            label = ", ".join(h for h, _ in marks)
            tspans = "".join(
                (f'<tspan fill="{c}">{html.escape(h)}</tspan>' if i == 0 else
                 f'<tspan fill="#333">, </tspan><tspan fill="{c}">{html.escape(h)}</tspan>')
                for i, (h, c) in enumerate(marks))
            marks_svg.append(
                f'<text class="host-mark" x="{x - 5:.2f}" y="{y - 6:.2f}" text-anchor="end" '
                f'font-family="Helvetica,Arial,sans-serif" font-size="13" font-weight="bold">'
                f'<title>{html.escape(label)}: {state}</title>{tspans}</text>')
        # The rules are scoped to this picture: in a notebook page every SVG shares one
        # stylesheet, and two diagrams must not restyle each other.
        css = " ".join(rules)
        scope = f"tcplab-sd-{zlib.crc32(css.encode()):08x}"
        css = re.sub(r"(^|\}\s*)#", lambda m: f"{m.group(1)}.{scope} #", css)
        start = base.index("<svg")
        head_end = base.index(">", start) + 1
        svg = (base[:start] + f'<svg class="{scope}"' + base[start + 4:head_end] + "\n"
               + f"<style>{css}</style>" + base[head_end:])
        tail = svg.rindex("</g>")
        return svg[:tail] + "".join(marks_svg) + svg[tail:]

    def _render(self, fmt: str) -> bytes:
        if fmt == "svg":
            return self.svg().encode("utf-8")
        if fmt == "dot":
            return self.source.encode("utf-8")
        if language() == "zh" and fmt != "svg" and "graphviz-pure" in renderer():
            # measured: its PNG draws every Chinese character as a box (Latin fonts only)
            raise ValueError(_("graphviz-pure draws {format} pictures with Latin fonts only: "
                               "the Chinese legend would be boxes. Save the picture as .svg "
                               "(a browser draws it with a Chinese font), or install "
                               "Graphviz itself with a CJK font.").format(format=fmt.upper()))
        return render(self.source, fmt)

    def __repr__(self) -> str:
        marks = ", ".join(f"{n}={s}" for n, s in self.current.items())
        return f"<StateDiagram {self.handshake} {self.view}{' ' + marks if marks else ''}>"


def state_diagram(*hosts, handshake: str | None = None, view: str = "classic",
                  path: bool = False, colours: Sequence[str] | None = None,
                  time_wait_syn: str | None = None) -> StateDiagram:
    """The state diagram, highlighting each host's current state and last transition.

    ``state_diagram()`` draws the plain diagram; ``state_diagram(a, b)`` marks
    both hosts in their colours.  ``view="full"`` draws every edge of the table
    (aborts, timers, retransmissions); ``path=True`` also marks every edge each
    host has taken so far.  The result displays itself in Jupyter and has
    ``.svg()``, ``.source`` (DOT) and ``.save(path)`` (.svg, .png, .dot).
    ``colours`` overrides the hosts' colours (``#rrggbb``, in host order).
    """
    return StateDiagram(hosts, handshake=handshake, view=view, path=path, colours=colours,
                        time_wait_syn=time_wait_syn)
