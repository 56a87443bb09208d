"""SequenceDiagram: what the ladder shows (hosts, window, journeys) and how it is drawn."""

from __future__ import annotations

from ...segment import Notation
from ...text import N_, _
from ..a11y import Reading, sentences
from ..fonts import family
from ..picture import Picture
from .draw import (_draw_axis, _draw_bottom, _draw_lifelines, _draw_segments, _draw_states,
                   _layout, _Layout)
from .journeys import _cut, _Flight, _Reader, _stop
from .labels import _place_label, _place_mark
from .sockets import PairFilter, name_sockets
from .space import _Space
from .style import FONT, INK
from .svg import _n, _Svg

__all__ = ["SequenceDiagram", "sequence_diagram"]

_NOTATIONS = ("symbolic", "numeric")

#: what became of a segment, in the picture's words for screen readers
_FATES = {"lost": N_("is lost"), "drop": N_("is dropped"), "hold": N_("is held in the network"),
          "inflight": N_("is still in flight"), "expire": N_("expires (MSL)"),
          "unroutable": N_("finds no host")}


def _seconds(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {value!r}")
    if value != value or value < 0:
        raise ValueError(f"{name} must be a time >= 0 seconds, got {value!r}")
    return float(value)


def _names(hosts, real: list[str], flights) -> list[str]:
    """The names to draw, left to right: ``hosts``, or every host then every other
    name a segment was sent to or from."""
    seen: list[str] = []
    for f in flights:
        for name in (f.src, f.dst):
            if name not in real and name not in seen:
                seen.append(name)
    if hosts is None:
        return real + seen
    if isinstance(hosts, str):
        hosts = [hosts]
    names = list(hosts)
    for name in names:
        if name not in real and name not in seen:
            raise ValueError(f"no host or segment address named {name!r}; the "
                             f"trace knows {', '.join(real + seen) or 'no host'}")
    if not names:
        raise ValueError("hosts must name at least one host to draw")
    if len(set(names)) != len(names):
        raise ValueError(f"hosts lists a name twice: {names!r}")
    return names


class SequenceDiagram(Picture):
    """The time-sequence (ladder) diagram of a network's trace, as it was when made.

    ``SequenceDiagram(net, notation="symbolic", hosts=None, start=None, end=None,
    max_segments=60, gap=None, title=None, connection=None)``; see
    :func:`sequence_diagram`.
    The picture is computed at once from a snapshot of the trace: running the
    network further does not change it (make a new one).  ``svg()`` gives the
    SVG text, ``save("x.svg")`` writes it, Jupyter displays it.

    Attributes: ``hosts`` (the names drawn, left to right), ``ghosts`` (those
    with no host behind them), ``start`` and ``end`` (the window asked for),
    ``drawn`` (segment journeys drawn), ``folded`` (journeys left out by
    ``max_segments``), ``width`` and ``height`` (px).
    """

    def __init__(self, net, notation="symbolic", *, hosts=None, start=None, end=None,
                 max_segments: int | None = 60, gap: float | None = None,
                 title: str | None = None, connection=None, _reader=None, _memo=None):
        trace = getattr(net, "trace", None)
        if trace is None or not hasattr(net, "now") or not hasattr(net, "hosts"):
            raise TypeError(f"sequence_diagram() draws a tcplab Network, got "
                            f"{type(net).__name__}")
        if isinstance(notation, Notation):
            self.notation: Notation | None = notation
        elif notation == "symbolic":
            sent = net.sent
            if connection is not None:   # the letters of this connection's own numbers
                keep = PairFilter(connection)
                sent = [(t, seg) for t, seg in sent if keep.segment(seg)]
            self.notation = Notation.from_segments(sent)
        elif notation == "numeric" or notation is None:
            self.notation = None
        else:
            raise ValueError(f"notation must be 'symbolic' (SYN, seq=x) or 'numeric' "
                             f"(SYN seq=100), got {notation!r}")
        now = float(net.now)
        self.start = 0.0 if start is None else _seconds("start", start)
        self.end = now if end is None else _seconds("end", end)
        if self.start > self.end:
            raise ValueError(f"start ({self.start:g} s) is after end ({self.end:g} s)")
        if max_segments is not None and (isinstance(max_segments, bool)
                                         or not isinstance(max_segments, int)
                                         or max_segments < 1):
            raise ValueError(f"max_segments must be None (no limit) or a whole number "
                             f">= 1, got {max_segments!r}")
        self.max_segments = max_segments
        delay = float(getattr(net, "delay", 0.1) or 0.0)
        # an IncrementalLadder passes its reader, fed up to now, and its memo
        reader = _reader if _reader is not None else _Reader(delay).feed(list(trace))
        self._memo = _memo
        flights, states = reader.journeys(net.in_flight())
        sockets = reader.sockets         # each state's socket, in the order of the states
        if connection is not None:
            keep = PairFilter(connection)
            flights = [f for f in flights if keep.segment(f.seg)]
            kept = [(s, k) for s, k in zip(states, sockets) if keep.state(s[1], *k)]
            states, sockets = [s for s, _k in kept], [k for _s, k in kept]
            if hosts is None:
                ends = {end[0] for end in keep.pair}
                hosts = [n for n in net.hosts if n in ends] + sorted(ends - set(net.hosts))
        states = name_sockets(states, sockets)
        if delay <= 0:
            transits = sorted(f.t1 - f.t0 for f in flights
                              if f.kind == "arrive" and f.t1 is not None and f.t1 > f.t0)
            delay = transits[len(transits) // 2] if transits else 0.1
            for f in flights:            # placed with this delay, not with 0
                if f.kind in ("lost", "drop", "hold"):
                    _stop(f, f.kind, delay)
        self.delay = delay
        self.gap = 2 * delay if gap is None else _seconds("gap", gap)
        self.title = title
        self.now = now

        real = list(net.hosts)
        names = _names(hosts, real, flights)
        self.hosts = names
        self.ghosts = [n for n in names if n not in real]
        self._flights = [f for f in flights if f.src in names and f.dst in names]
        self._states = [s for s in states if s[1] in names]
        self._svg = self._draw()

    # ------------------------------------------------------------------ public

    def svg(self) -> str:
        return self._svg

    def __repr__(self) -> str:
        return (f"<SequenceDiagram {'/'.join(self.hosts)} {self.start:g}–{self.end:g} s, "
                f"{self.drawn} segments>")

    # ------------------------------------------------------------------ layout

    def _window(self):
        """Choose the journeys to draw and cut them to the window."""
        start, end = self.start, self.end
        flights = sorted(self._flights, key=lambda f: (f.t0, f.index))
        self.folded = 0
        self.fold_time = None
        leaving = [f for f in flights if start <= f.t0 <= end and not f.released]
        end_open = False
        if self.max_segments is not None and len(leaving) > self.max_segments:
            cut = leaving[self.max_segments].t0
            self.folded = sum(1 for f in leaving if f.t0 >= cut)
            self.fold_time = cut
            end, end_open = cut, True
        self.end_open = end_open

        def inside(t):
            return start <= t < end if end_open else start <= t <= end

        drawn = []
        for f in flights:
            if end_open and f.t0 >= end:
                continue
            f.pieces = _cut(f, start, end, end_open, self.now)
            if f.pieces:
                drawn.append(f)
        states = [s for s in self._states if inside(s[0])]
        self.drawn = len(drawn)
        return drawn, states, end

    def _initial_states(self) -> dict[str, str]:
        out = {}
        for name in self.hosts:
            if name in self.ghosts:
                continue
            state = "CLOSED"
            for t, host, st in self._states:
                if host == name and t < self.start:
                    state = str(st)
            out[name] = state
        return out

    def _label(self, f: _Flight) -> str:
        text = f.seg.describe(self.notation, when=f.when)
        # a connection with ports: its ports first, as Wireshark's Info column has them
        return text if f.seg.sport is None else f"{f.seg.sport}→{f.seg.dport} {text}"

    def _draw(self) -> str:
        flights, states, end = self._window()
        for f in flights:
            f.label = self._label(f)
        initial = self._initial_states()
        lay = _layout(self, flights, states, initial, end)
        svg = _Svg()
        space = _Space(lay.width, lay.height)
        _draw_axis(svg, lay)
        _draw_lifelines(svg, space, lay, self.hosts, self.ghosts)
        _draw_bottom(svg, lay, self, end)
        label_jobs = _draw_segments(svg, space, lay, flights, self._memo)  # under the rest
        memo = self._memo
        _draw_states(svg, space, lay, self.hosts, initial, states, memo)
        for job in label_jobs:           # labels last, in the order the segments left
            if job[0] == "label":
                _job, f, text, main, note, bowed = job
                args = (f, text, main, note, bowed)
                # an arrow cut by the bottom line grows with time: no use remembering
                if memo is None or any(piece[6] for piece in f.pieces):
                    _place_label(svg, space, *args)
                else:
                    memo.place(("label", f.src, f.dst, f.t0) + args[1:], f, svg, space,
                               _place_label, *args)
            else:
                _job, f, word, (x, y), colour = job
                if memo is None:
                    _place_mark(svg, space, f, word, x, y, colour)
                else:
                    memo.place(("mark", word, x, y, colour), f, svg, space, _place_mark,
                               f, word, x, y, colour)
        svg.close("svg")
        if memo is not None:
            memo.drawn()
        self.width, self.height = _room_for(space, lay.width, lay.height)
        head = _Svg()
        self._head(head, self.width, self.height, flights, states, end)
        return "\n".join(head.parts + svg.parts) + "\n"

    def _head(self, svg: _Svg, width: float, height: float, flights, states, end) -> None:
        """The <svg> element, its title and description, the white ground."""
        title = self.title or (_("Time-sequence diagram of {hosts}").format(
                                   hosts=_(" and ").join(self.hosts))
                               if self.hosts else _("Time-sequence diagram"))
        # ids unique on a page that shows several diagrams, yet the same for the same trace
        self._reading = self._describe(title, flights, states, end)
        uid = self._reading.uid("ladder")
        svg.open("svg", xmlns="http://www.w3.org/2000/svg", width=_n(width),
                 height=_n(height), viewBox=f"0 0 {_n(width)} {_n(height)}",
                 font_family=family(FONT), role="img", aria_labelledby=f"{uid}-title",
                 aria_describedby=f"{uid}-desc")
        svg.el("title", title, id=f"{uid}-title")
        svg.el("desc", self._reading.text(), id=f"{uid}-desc")
        svg.el("rect", x=_n(0), y=_n(0), width=_n(width), height=_n(height), fill="white")
        if self.title:
            svg.el("text", self.title, x=_n(width / 2), y=_n(22), text_anchor="middle",
                   font_size="14", font_weight="bold", fill=INK, class_="title")

    # ------------------------------------------------------------------ words

    def reading(self) -> Reading:
        """The picture in words: each segment in order (when it left, from, to, the
        segment as labelled, what became of it, the states it made its hosts enter),
        and the states entered with no segment (a call, a timer) in their place."""
        return self._reading

    def _describe(self, title, flights, states, end) -> Reading:
        """The picture in words, for screen readers (the SVG's <desc>) and the table."""
        hosts = ", ".join(self.hosts) or _("none")
        summary = (_("Time runs downwards from {start} s to {end} s. Time lines: {hosts}.")
                   if end > self.start else
                   _("The picture shows the moment t = {start} s. Time lines: {hosts}.")
                   ).format(start=f"{self.start:g}", end=f"{end:g}", hosts=hosts)
        entered = _states_by_segment(flights, states)
        events = []
        for i, f in enumerate(flights):
            what = (_("arrives at {time} s").format(time=f"{f.t1:.3f}")
                    if f.kind == "arrive" and f.t1 is not None
                    else "" if f.kind == "arrive" else _(_FATES[f.kind]))
            extra = (_(" (copy)") if f.copy else "") + (_(" (released)") if f.released else "") \
                + (_(" (retransmission)") if f.retransmission else "")
            line = _("{time} s: {src} → {dst} {segment}{extra} {what}.").format(
                time=f"{f.t0:.3f}", src=f.src, dst=f.dst, segment=f.label, extra=extra,
                what=what)
            went = entered.get(i, [])
            line = sentences([line] + [_entered(h, st) for h, st in went])
            row = (f"{f.t0:.3f}", f.src, f.dst, f"{f.label}{extra} {what}".strip(),
                   _(", ").join(_host_state(h, st) for h, st in went))
            events.append((f.t0, f.index, line, row))
        for t, host, st in entered.get(None, []):
            events.append((t, -1, _("{time} s: {entered}").format(
                time=f"{t:.3f}", entered=_entered(host, st)),
                (f"{t:.3f}", host, "", _("(no segment: a call or a timer)"),
                 _host_state(host, st))))
        events.sort(key=lambda e: (e[0], e[1]))
        headers = (_("time (s)"), _("from"), _("to"), _("segment"), _("states entered"))
        return Reading(title, summary, headers, tuple(e[3] for e in events),
                       tuple(e[2] for e in events))


def _room_for(space: _Space, width: float, height: float) -> tuple[float, float]:
    """The picture's width and height, grown where a label placed near the bottom or
    the right edge reaches past them (in a crowded ladder the least bad place may lie
    there): nothing drawn is cut off."""
    right = max((o.bbox[2] for o in space.items), default=0.0) + 4
    bottom = max((o.bbox[3] for o in space.items), default=0.0) + 4
    return max(width, round(right, 1)), max(height, round(bottom, 1))


def _entered(host: str, box: str) -> str:
    """"B enters LISTEN (socket 80)." for the state box "80 LISTEN" on B's line (a
    server's boxes name their socket first: ladder/sockets.py; state names have no
    spaces)."""
    socket, _space, state = box.rpartition(" ")
    if socket:
        return _("{host} enters {state} (socket {socket}).").format(
            host=host, state=state, socket=socket)
    return _("{host} enters {state}.").format(host=host, state=state)


def _host_state(host: str, box: str) -> str:
    """"B LISTEN (80)" for the table's column of states entered."""
    socket, _space, state = box.rpartition(" ")
    return f"{host} {state} ({socket})" if socket else f"{host} {state}"


def _states_by_segment(flights, states) -> dict:
    """Each state entered, given to the segment that made it: one arriving at the host
    at that moment, else one the host sent at that moment; key None: no segment (a
    call, a timer)."""
    out: dict = {}
    for t, host, st in states:
        st = str(st)
        arrived = [i for i, f in enumerate(flights) if f.kind == "arrive" and f.dst == host
                   and f.t1 is not None and abs(f.t1 - t) < 1e-9]
        sent = [i for i, f in enumerate(flights) if f.src == host and abs(f.t0 - t) < 1e-9]
        key = arrived[0] if arrived else sent[0] if sent else None
        out.setdefault(key, []).append((t, host, st) if key is None else (host, st))
    return out


def sequence_diagram(net, notation: str = "symbolic", *, hosts=None, start=None, end=None,
                     max_segments: int | None = 60, gap: float | None = None,
                     title: str | None = None, connection=None) -> SequenceDiagram:
    """The time-sequence (ladder) diagram of ``net``'s trace so far.

    notation      "symbolic": the lecture's letters (``SYN, seq=x``,
                  ``FIN+ACK, seq=w, ack=u+1``), named by
                  :meth:`Notation.from_segments` over ``net.sent``; "numeric":
                  the numbers (``SYN seq=100``); a :class:`Notation` also works.
    hosts         the names to draw, left to right (default: every host in the
                  order it was created, then any name with no host behind it
                  that a segment was sent to or injected from).  Segments
                  between names not drawn are left out.
    start, end    the window of virtual time, in seconds (default: 0 to
                  ``net.now``); segments that cross an edge are cut there.
    max_segments  draw at most this many segments leaving in the window
                  (default 60; None: all); the picture ends before the next one
                  and says how many were left out.
    gap           quiet stretches longer than this many seconds are drawn short,
                  with a broken axis (default: twice the one-way delay).
    title         a caption drawn on top (and used as the SVG's <title>).
    connection    draw one connection only: a Connection (what ``connect()`` or
                  ``accept()`` returned) or its socket pair ``(("A", 49152),
                  ("B", 80))``; its two hosts' lines (unless ``hosts`` says
                  otherwise), its segments, and the states of its two ends (with the
                  LISTEN of the listening socket that made the server's end);
                  "symbolic" letters then come from its own segments.

    A host whose states come from several sockets (a server with a listening socket
    and connections) writes each state box with its socket, local port first:
    ``80 LISTEN``, ``80/A:49152 ESTABLISHED``.

    The result displays itself in Jupyter, ``.svg()`` gives the text and
    ``.save("ladder.svg")`` writes it.
    """
    return SequenceDiagram(net, notation, hosts=hosts, start=start, end=end,
                           max_segments=max_segments, gap=gap, title=title,
                           connection=connection)
