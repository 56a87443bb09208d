"""The time-sequence (ladder) diagram of a network trace.

``sequence_diagram(net)`` draws what ``net.trace`` recorded so far as the
lecture draws a TCP conversation:

* one vertical time line per host (A left, B right, in the order the hosts
  were created); a name that segments are sent to or injected from but that
  has no host behind it gets a grey dashed line marked "(no host)";
* each segment an arrow from the moment it left its sender (on the sender's
  line) to the moment it arrived (on the receiver's line), so a long delay is
  a long slope; the label names it in the lecture's notation
  (``SYN, seq=x``) or with the numbers (``SYN seq=100``);
* a segment lost at random or dropped by a rule ends in a red cross
  half-way; a held segment is drawn dashed up to a "held" box, a dotted line
  waits below the box until the release, and the released segment leaves the
  box at the release time; a copy made by the network is a second, bowed
  arrow marked "duplicate"; a segment still on the wire at the end of the
  picture is a dashed line that stops at the bottom line ("in flight"); a
  segment that outlived MSL ends in a grey cross "expired (MSL)"; one sent to
  a name with no host ends in a grey cross "no such host";
* the state each host enters, in a small box beside its line at that time
  (the state in force at the top of the picture under the host's name);
* a time axis with ticks on the left.

Virtual time jumps (retransmission back-off, 2MSL of TIME-WAIT): a quiet
stretch longer than ``gap`` seconds (default: twice the network's one-way
delay) is drawn short, with broken-axis marks and its length ("≈ 60 s"), so a
handshake, a close and the whole TIME-WAIT fit on one screen.  Between the
quiet stretches the scale is linear: one delay is 44 px.

Long traces: ``start`` and ``end`` choose a window of virtual time (segments
that cross its edges are cut there); ``max_segments`` (default 60) stops the
picture before the segment after the 60th that leaves in the window, and says
so at the bottom (pass ``None`` for no limit).

The SVG is written here, by hand, without any dependency: real ``<text>``
(selectable), ``<title>`` and ``<desc>`` for screen readers, fixed precision
for every number, so the same trace always gives the same bytes.  Elements
carry classes (``seg``, ``arrow``, ``label``, ``cross``, ``held``, ``state``
...) and ``data-*`` attributes so that tests and widgets can read them back.
"""

from __future__ import annotations

import hashlib
import math
from bisect import bisect_right
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ..segment import Notation, Segment
from ..trace import Cause
from .picture import Picture

__all__ = ["SequenceDiagram", "sequence_diagram"]

# --------------------------------------------------------------------------- style

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#1a1a1a"          # arrows, host names
GREY = "#6b6b6b"         # notes, axis
LIGHT = "#b4b4b4"        # lifelines of names with no host, breaks
ACCENT = "#c62828"       # the cross of a lost segment
STATE_INK = "#3f5f7f"    # state names (muted blue-grey)
STATE_FILL = "#f1f5f9"
STATE_LINE = "#a8bccf"

LABEL_SIZE = 12.0
NOTE_SIZE = 10.0
STATE_SIZE = 11.0
HOST_SIZE = 15.0
AXIS_SIZE = 10.0

DELAY_PX = 44.0          # one one-way delay, vertically
GAP_PX = 56.0            # a quiet stretch, however long
HOLD_AT = 0.7            # where along the way a held segment waits (fraction)
BOW = 14.0               # how far the arrow of a copy bows out, at its middle
MAX_ROTATION = 40.0      # steeper arrows get horizontal labels
JUST_SENT = 0.25         # least part of the way drawn for a segment cut by the bottom line

# Advance widths of DejaVu Sans, in em (the widest font of the stack, so the
# estimates are safe for Helvetica and Arial).
_WIDTH = {
    " ": .318, "!": .400, '"': .460, "'": .275, "(": .390, ")": .390, "*": .500,
    "+": .838, ",": .318, "-": .361, ".": .318, "/": .337, ":": .337, ";": .337,
    "<": .838, "=": .838, ">": .838, "?": .531, "[": .390, "]": .390, "_": .500,
    "≈": .838, "…": 1.0, "×": .838, "→": .838, "µ": .636,
    "A": .684, "B": .686, "C": .698, "D": .770, "E": .632, "F": .575, "G": .775,
    "H": .752, "I": .295, "J": .295, "K": .656, "L": .557, "M": .863, "N": .748,
    "O": .787, "P": .603, "Q": .787, "R": .695, "S": .635, "T": .611, "U": .732,
    "V": .684, "W": .989, "X": .685, "Y": .611, "Z": .685,
    "a": .613, "b": .635, "c": .550, "d": .635, "e": .615, "f": .352, "g": .635,
    "h": .634, "i": .278, "j": .278, "k": .579, "l": .278, "m": .974, "n": .634,
    "o": .612, "p": .635, "q": .635, "r": .411, "s": .521, "t": .392, "u": .634,
    "v": .592, "w": .818, "x": .592, "y": .592, "z": .525,
}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width in px of ``text`` at ``size`` px (DejaVu Sans metrics)."""
    w = sum(_WIDTH.get(ch, .636 if ch.isdigit() else .7) for ch in text) * size
    return w * (1.08 if bold else 1.0)


# --------------------------------------------------------------------------- SVG writing

def _n(v: float) -> str:
    """A coordinate with fixed precision (one decimal), never ``-0.0``."""
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def _attr(value) -> str:
    if isinstance(value, float):
        value = _n(value)
    return escape(str(value), {'"': "&quot;"})


class _Svg:
    """A list of SVG elements, written in the order they are added."""

    def __init__(self):
        self.parts: list[str] = []

    def el(self, tag: str, text: str | None = None, **attrs) -> None:
        a = "".join(f' {k.rstrip("_").replace("_", "-")}="{_attr(v)}"'
                    for k, v in attrs.items() if v is not None)
        if text is None:
            self.parts.append(f"<{tag}{a}/>")
        else:
            self.parts.append(f"<{tag}{a}>{escape(text)}</{tag}>")

    def open(self, tag: str, **attrs) -> None:
        a = "".join(f' {k.rstrip("_").replace("_", "-")}="{_attr(v)}"'
                    for k, v in attrs.items() if v is not None)
        self.parts.append(f"<{tag}{a}>")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")


# --------------------------------------------------------------------------- geometry

def _rect(cx: float, cy: float, w: float, h: float, angle: float = 0.0) -> list[tuple]:
    """Corners of a w×h rectangle centred on (cx, cy), turned by ``angle`` degrees."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    ux, uy, vx, vy = c * w / 2, s * w / 2, -s * h / 2, c * h / 2
    return [(cx - ux - vx, cy - uy - vy), (cx + ux - vx, cy + uy - vy),
            (cx + ux + vx, cy + uy + vy), (cx - ux + vx, cy - uy + vy)]


def _bbox(poly) -> tuple[float, float, float, float]:
    xs = [p[0] for p in poly]
    ys = [p[1] for p in poly]
    return min(xs), min(ys), max(xs), max(ys)


def _axes(poly):
    """The directions to project on: edge normals (two suffice for a rectangle)."""
    n = len(poly)
    count = 1 if n == 2 else (2 if n == 4 else n)
    out = []
    for i in range(count):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
        if (x1, y1) != (x2, y2):
            out.append((y1 - y2, x2 - x1))
    return out


def _separated(ax, ay, p, q) -> bool:
    pmin = pmax = p[0][0] * ax + p[0][1] * ay
    for x, y in p[1:]:
        v = x * ax + y * ay
        if v < pmin:
            pmin = v
        elif v > pmax:
            pmax = v
    qmin = qmax = q[0][0] * ax + q[0][1] * ay
    for x, y in q[1:]:
        v = x * ax + y * ay
        if v < qmin:
            qmin = v
        elif v > qmax:
            qmax = v
    return pmax <= qmin + 1e-9 or qmax <= pmin + 1e-9


def _overlap(p, q) -> bool:
    """Do two convex polygons (or segments, as two points) overlap? (separating axes)"""
    for ax, ay in _axes(p):
        if _separated(ax, ay, p, q):
            return False
    for ax, ay in _axes(q):
        if _separated(ax, ay, p, q):
            return False
    return True


@dataclass
class _Obstacle:
    poly: list
    bbox: tuple
    weight: float
    owner: object = None
    axes: list = None            # its edge normals, computed once


def _overlap_axes(p, p_axes, q, q_axes) -> bool:
    """:func:`_overlap` with both polygons' axes already known."""
    for ax, ay in p_axes:
        if _separated(ax, ay, p, q):
            return False
    for ax, ay in q_axes:
        if _separated(ax, ay, p, q):
            return False
    return True


class _Space:
    """What is already drawn, for placing labels where they hide nothing."""

    BAND = 48.0   # items are filed in horizontal bands, so a query looks only nearby

    def __init__(self, width: float, height: float):
        self.items: list[_Obstacle] = []
        self.bands: dict[int, list[_Obstacle]] = {}
        self.width, self.height = width, height

    def _bands(self, y0: float, y1: float) -> range:
        return range(int(y0 // self.BAND), int(y1 // self.BAND) + 1)

    def add(self, poly, weight: float, owner=None) -> None:
        o = _Obstacle(poly, _bbox(poly), weight, owner, _axes(poly))
        self.items.append(o)
        for band in self._bands(o.bbox[1], o.bbox[3]):
            self.bands.setdefault(band, []).append(o)

    def cost(self, poly, owner=None, limit: float = float("inf")) -> float:
        """What placing ``poly`` would cover; stops counting once ``limit`` is reached."""
        x0, y0, x1, y1 = _bbox(poly)
        total = 0.0
        if x0 < 2 or y0 < 2 or x1 > self.width - 2 or y1 > self.height - 2:
            total += 50
        axes = _axes(poly)
        bands = self._bands(y0, y1)
        seen: set[int] | None = set() if len(bands) > 1 else None
        for band in bands:
            for o in self.bands.get(band, ()):
                b = o.bbox
                if b[0] > x1 or b[2] < x0 or b[1] > y1 or b[3] < y0:
                    continue
                if o.owner is not None and o.owner is owner:
                    continue
                if seen is not None:          # an item filed in several bands counts once
                    if id(o) in seen:
                        continue
                    seen.add(id(o))
                if _overlap_axes(poly, axes, o.poly, o.axes):
                    total += o.weight
                    if total >= limit:
                        return total
        return total
        return total


# --------------------------------------------------------------------------- reading the trace

@dataclass(eq=False)
class _Flight:
    """One journey of a segment over the wire (a copy or a release is a journey of its own)."""

    seg: Segment
    t0: float                    # when it left (its sender, or the hold box if released)
    when: float                  # the time that decides the lecture's letters
    kind: str = "arrive"         # arrive lost drop hold inflight expire unroutable
    t1: float | None = None      # when it arrived / was lost / expired
    copy: bool = False
    retransmission: bool = False
    injected: bool = False
    released: "_Flight | None" = None   # a release: the held journey it continues
    release_time: float | None = None   # a hold: when it was released (None: still held)
    ignored: bool = False
    index: int = 0
    label: str = ""
    pieces: list = field(default_factory=list)

    @property
    def src(self) -> str:
        return self.seg.src

    @property
    def dst(self) -> str:
        return self.seg.dst


def _read(records, delay: float, in_flight) -> tuple[list[_Flight], list[tuple]]:
    """The journeys of segments and the state changes a trace records.

    Records of one segment on the wire share its journey number (tcplab.trace);
    ``in_flight`` (``net.in_flight()``) says when those still on the wire arrive.
    """
    flights: list[_Flight] = []
    on_wire: dict[int, _Flight] = {}    # journey → its flight, until the journey ends
    held: dict[int, _Flight] = {}
    states: list[tuple] = []
    last_arrived: _Flight | None = None

    def start(seg, t0, journey, **kw) -> _Flight:
        f = _Flight(seg, t0, index=len(flights), **kw)
        flights.append(f)
        on_wire[journey] = f
        return f

    for r in records:
        k, seg = r.kind, r.segment
        if seg is None:
            if k == "state" and r.state is not None:
                states.append((r.time, r.host, r.state))
        elif k in ("send", "inject"):
            start(seg, r.time, r.journey, when=r.time, injected=(k == "inject"),
                  retransmission=(r.cause is Cause.RETRANSMISSION))
        elif k == "duplicate":
            f = on_wire.get(r.copy_of)
            if f is not None:
                c = start(seg, f.t0, r.journey, when=f.when, copy=True, injected=f.injected,
                          retransmission=f.retransmission)
                c.released = f.released
        elif k in ("drop", "lost", "hold"):
            f = on_wire.pop(r.journey, None)
            if f is not None:
                _stop(f, k, delay)
                if k == "hold":
                    held[r.journey] = f
        elif k == "release":
            h = held.pop(r.journey, None)
            if h is not None:
                h.release_time = r.time
            start(seg, r.time, r.journey, when=h.when if h else r.time, released=h)
        elif k in ("arrive", "unroutable", "expire"):
            f = on_wire.pop(r.journey, None)
            if f is None:                # a journey whose start the trace does not show
                sent_at = r.sent_at if r.sent_at is not None else r.time - delay
                f = _Flight(seg, sent_at, when=sent_at, index=len(flights))
                flights.append(f)
            f.kind, f.t1 = k, r.time
            last_arrived = f
        elif k == "ignore":
            f = last_arrived
            if f is not None and f.seg == seg and f.t1 == r.time:
                f.ignored = True
    arrives = {w.journey: w.arrives for w in in_flight if w.arrives is not None}
    for journey, f in on_wire.items():
        f.kind = "inflight"
        f.t1 = arrives.get(journey, f.t0 + delay)
    return flights, states


def _stop(f: _Flight, kind: str, delay: float) -> None:
    """``f`` leaves the wire part of the way: lost or dropped half-way, held further on."""
    f.kind = kind
    f.t1 = f.t0 + (HOLD_AT * delay if kind == "hold" else delay / 2)


# --------------------------------------------------------------------------- time scale

class _TimeScale:
    """Virtual time → y, linear except in quiet stretches, which are drawn short."""

    def __init__(self, times, start, end, px_per_s, gap_s, gap_px, y0, compress=True):
        ts = sorted({round(t, 9) for t in times if start <= t <= end} | {start, end})
        self.knots_t = [ts[0]]
        self.knots_y = [y0]
        self.breaks: list[tuple[float, float, float, float]] = []
        self.runs: list[tuple[float, float]] = []
        run_start = ts[0]
        for a, b in zip(ts, ts[1:]):
            g = b - a
            ya = self.knots_y[-1]
            if compress and g > gap_s:
                yb = ya + gap_px
                self.breaks.append((a, b, ya, yb))
                self.runs.append((run_start, a))
                run_start = b
            else:
                yb = ya + g * px_per_s
            self.knots_t.append(b)
            self.knots_y.append(yb)
        self.runs.append((run_start, ts[-1]))
        self.start, self.end = start, end

    def y(self, t: float) -> float:
        kt, ky = self.knots_t, self.knots_y
        if t <= kt[0]:
            return ky[0]
        if t >= kt[-1]:
            return ky[-1]
        i = bisect_right(kt, t) - 1
        if kt[i + 1] == kt[i]:
            return ky[i]
        return ky[i] + (t - kt[i]) / (kt[i + 1] - kt[i]) * (ky[i + 1] - ky[i])


def _nice_step(px_per_s: float, min_px: float = 36.0) -> float:
    for exp in range(-4, 6):
        for m in (1, 2, 5):
            step = m * 10.0 ** exp
            if step * px_per_s >= min_px:
                return step
    return 1e6


def _fmt_time(t: float, decimals: int) -> str:
    s = f"{t:.{decimals}f}"
    return s[1:] if s.startswith("-") and s.strip("-0.") == "" else s


def _fmt_span(g: float) -> str:
    if g >= 10:
        return f"≈ {g:.0f} s"
    if g >= 1:
        return f"≈ {g:.1f} s".replace(".0 s", " s")
    return f"≈ {g:.2g} s"


# --------------------------------------------------------------------------- the picture

_NOTATIONS = ("symbolic", "numeric")


def _seconds(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {value!r}")
    if value != value or value < 0:
        raise ValueError(f"{name} must be a time >= 0 seconds, got {value!r}")
    return float(value)


class SequenceDiagram(Picture):
    """The time-sequence (ladder) diagram of a network's trace, as it was when made.

    ``SequenceDiagram(net, notation="symbolic", hosts=None, start=None, end=None,
    max_segments=60, gap=None, title=None)``; see :func:`sequence_diagram`.
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
                 title: str | None = None):
        trace = getattr(net, "trace", None)
        if trace is None or not hasattr(net, "now") or not hasattr(net, "hosts"):
            raise TypeError(f"sequence_diagram() draws a tcplab Network, got "
                            f"{type(net).__name__}")
        if isinstance(notation, Notation):
            self.notation: Notation | None = notation
        elif notation == "symbolic":
            self.notation = Notation.from_segments(net.sent)
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
        records = list(trace)
        flights, states = _read(records, delay, net.in_flight())
        if delay <= 0:
            transits = sorted(f.t1 - f.t0 for f in flights
                              if f.kind == "arrive" and f.t1 is not None and f.t1 > f.t0)
            delay = transits[len(transits) // 2] if transits else 0.1
            for f in flights:            # placed with this delay, not with 0
                if f.kind in ("lost", "drop"):
                    f.t1 = f.t0 + delay / 2
                elif f.kind == "hold":
                    f.t1 = f.t0 + HOLD_AT * delay
        self.delay = delay
        self.gap = 2 * delay if gap is None else _seconds("gap", gap)
        self.title = title
        self.now = now

        real = list(net.hosts)
        seen: list[str] = []
        for f in flights:
            for name in (f.src, f.dst):
                if name not in real and name not in seen:
                    seen.append(name)
        if hosts is None:
            names = real + seen
        else:
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
        self.hosts = names
        self.ghosts = [n for n in names if n not in real]
        self._records = records
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
            f.pieces = []
            if f.kind == "hold":
                stop = f.release_time if f.release_time is not None else self.now
                f.pieces.append(["held", 0.0, f.t0, HOLD_AT, f.t1])
                f.pieces.append(["wait", HOLD_AT, f.t1, HOLD_AT, max(stop, f.t1)])
            elif f.released is not None:
                f.pieces.append(["main", HOLD_AT, f.t0, 1.0, f.t1])
            elif f.kind in ("lost", "drop", "expire"):
                f.pieces.append(["main", 0.0, f.t0, 0.5, f.t1])
            else:
                f.pieces.append(["main", 0.0, f.t0, 1.0, f.t1])
            kept = []
            for role, a0, s0, a1, s1 in f.pieces:
                if s1 < start or s0 > end or (end_open and s0 >= end):
                    continue
                cut_top = s0 < start
                cut_bottom = s1 > end or (end_open and s1 >= end and s1 > s0)
                if cut_top:
                    a0 = a0 + (a1 - a0) * (start - s0) / (s1 - s0)
                    s0 = start
                if cut_bottom:
                    # a segment that has only just left is still drawn a little way
                    # out, so that it and its label can be seen (JUST_SENT)
                    a1 = (a0 + (a1 - a0) * max((end - s0) / (s1 - s0), JUST_SENT)
                          if s1 > s0 else a1)
                    s1 = end
                kept.append([role, a0, s0, a1, s1, cut_top, cut_bottom])
            f.pieces = kept
            if kept:
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
        return f.seg.describe(self.notation, when=f.when)

    def _draw(self) -> str:
        flights, states, end = self._window()
        for f in flights:
            f.label = self._label(f)
        initial = self._initial_states()

        # -- horizontal layout
        state_w = max([text_width(s, STATE_SIZE) + 12 for s in initial.values()]
                      + [text_width(str(s[2]), STATE_SIZE) + 12 for s in states] + [60])
        label_w = max([text_width(f.label, LABEL_SIZE) for f in flights] + [100])
        spacing = min(640.0, max(400.0, 2.2 * label_w + 40))
        if len(self.hosts) > 2:
            spacing = min(spacing, max(320.0, 1.6 * label_w + 40))
        axis_x = 56.0
        left = axis_x + 14 + (state_w + 8 if self.hosts and self.hosts[0] in initial else 0)
        xs = {}
        for i, name in enumerate(self.hosts):
            xs[name] = left + i * spacing
        right_edge = (xs[self.hosts[-1]] if self.hosts else left) + 14
        right_edge += state_w + 8 if self.hosts and self.hosts[-1] in initial else 80
        width = max(right_edge + 10, 300.0)

        # -- vertical layout
        top = 36.0 if self.title else 0.0
        header_y = top + 24.0
        y0 = top + 86.0
        times = [self.start, end]
        for f in flights:
            for _, _, s0, _, s1, _, _ in f.pieces:
                times += [s0, s1]
        times += [s[0] for s in states]
        px_per_s = DELAY_PX / self.delay
        scale = _TimeScale(times, self.start, end, px_per_s, self.gap, GAP_PX, y0)
        y_end = scale.y(end)
        y_bottom = max(y_end, y0 + 40)
        height = y_bottom + 44 + (18 if self.folded else 0)

        svg = _Svg()
        space = _Space(width, height)

        title = self.title or ("Time-sequence diagram of " + " and ".join(self.hosts)
                               if self.hosts else "Time-sequence diagram")
        # ids unique on a page that shows several diagrams, yet the same for the same trace
        desc = self._describe(flights, states, end)
        uid = "ladder-" + hashlib.sha1(f"{title}\n{desc}\n{_n(width)}x{_n(height)}"
                                       .encode("utf-8")).hexdigest()[:10]
        svg.open("svg", xmlns="http://www.w3.org/2000/svg", width=_n(width),
                 height=_n(height), viewBox=f"0 0 {_n(width)} {_n(height)}",
                 font_family=FONT, role="img", aria_labelledby=f"{uid}-title {uid}-desc")
        svg.el("title", title, id=f"{uid}-title")
        svg.el("desc", desc, id=f"{uid}-desc")
        svg.el("rect", x=_n(0), y=_n(0), width=_n(width), height=_n(height), fill="white")
        if self.title:
            svg.el("text", self.title, x=_n(width / 2), y=_n(22), text_anchor="middle",
                   font_size="14", font_weight="bold", fill=INK, class_="title")

        def X(frac, f):             # ``frac`` of the way from f's sender to its receiver
            xa, xb = xs[f.src], xs[f.dst]
            return xa + (xb - xa) * frac

        # -- time axis
        svg.open("g", class_="axis", fill=GREY, stroke=GREY, font_size=_n(AXIS_SIZE))
        svg.el("text", "time (s)", x=_n(axis_x), y=_n(y0 - 16), text_anchor="middle",
               stroke="none", font_style="italic")
        segs = []
        ya = y0 - 6
        for a, b, yb0, yb1 in scale.breaks:
            ym = (yb0 + yb1) / 2
            segs.append((ya, ym - 4))
            ya = ym + 4
        segs.append((ya, y_bottom + 22))
        for s0, s1 in segs:
            svg.el("line", x1=_n(axis_x), y1=_n(s0), x2=_n(axis_x), y2=_n(s1),
                   stroke_width="1")
        svg.el("path", d=f"M{_n(axis_x - 3.5)} {_n(y_bottom + 16)} L{_n(axis_x)} "
                         f"{_n(y_bottom + 24)} L{_n(axis_x + 3.5)} {_n(y_bottom + 16)} Z",
               stroke="none")
        step = _nice_step(px_per_s)
        decimals = max(0, -math.floor(math.log10(step) + 1e-9))
        ticks: list[tuple[float, str]] = []
        for a, b in scale.runs:
            k = math.ceil(a / step - 1e-6)
            marks = []
            while k * step <= b + 1e-6:
                marks.append(k * step)
                k += 1
            if not marks or abs(scale.y(marks[0]) - scale.y(a)) > 14:
                ticks.append((a, _fmt_time(a, max(decimals, 3)).rstrip("0").rstrip(".")
                              if a != round(a, decimals) else _fmt_time(a, decimals)))
            ticks += [(t, _fmt_time(t, decimals)) for t in marks]
        last_y = -1e9
        for t, text in ticks:
            y = scale.y(t)
            if y - last_y < 11:
                continue
            last_y = y
            svg.el("line", x1=_n(axis_x - 4), y1=_n(y), x2=_n(axis_x), y2=_n(y),
                   stroke_width="1")
            svg.el("text", text, x=_n(axis_x - 7), y=_n(y + 3.5), text_anchor="end",
                   stroke="none", class_="tick", data_t=f"{t:.6f}")
        for a, b, yb0, yb1 in scale.breaks:
            ym = (yb0 + yb1) / 2
            for dy in (-4, 4):
                svg.el("line", x1=_n(axis_x - 5), y1=_n(ym + dy + 2), x2=_n(axis_x + 5),
                       y2=_n(ym + dy - 2), stroke_width="1")
            svg.el("text", _fmt_span(b - a), x=_n(axis_x - 8), y=_n(ym + 3.5),
                   text_anchor="end", stroke="none", font_style="italic", class_="gap",
                   data_from=f"{a:.6f}", data_to=f"{b:.6f}")
        svg.close("g")

        # -- host headers and lifelines
        for name in self.hosts:
            x = xs[name]
            ghost = name in self.ghosts
            svg.el("text", name, x=_n(x), y=_n(header_y), text_anchor="middle",
                   font_size=_n(HOST_SIZE), font_weight="bold",
                   fill=GREY if ghost else INK, class_="host", data_host=name)
            if ghost:
                svg.el("text", "(no host)", x=_n(x), y=_n(header_y + 14), text_anchor="middle",
                       font_size=_n(NOTE_SIZE), font_style="italic", fill=GREY)
            ya = header_y + 20 if ghost else y0 - 12
            pieces = []
            for a, b, yb0, yb1 in scale.breaks:
                ym = (yb0 + yb1) / 2
                pieces.append((ya, ym - 4))
                ya = ym + 4
            pieces.append((ya, y_bottom + 12))
            for s0, s1 in pieces:
                svg.el("line", x1=_n(x), y1=_n(s0), x2=_n(x), y2=_n(s1),
                       stroke=LIGHT if ghost else "#444444", stroke_width="1.3",
                       stroke_dasharray="5 4" if ghost else None, class_="lifeline",
                       data_host=name)
                space.add([(x, s0), (x, s1)], 8)
            for a, b, yb0, yb1 in scale.breaks:
                ym = (yb0 + yb1) / 2
                for dy in (-4, 4):
                    svg.el("line", x1=_n(x - 6), y1=_n(ym + dy + 2.5), x2=_n(x + 6),
                           y2=_n(ym + dy - 2.5), stroke=LIGHT if ghost else "#444444",
                           stroke_width="1.1")
            space.add(_rect(x, header_y - 5, text_width(name, HOST_SIZE, True) + 6, 20), 20)

        # -- the bottom line: now, or the end of the window
        x_first = xs[self.hosts[0]] if self.hosts else left
        x_last = xs[self.hosts[-1]] if self.hosts else left
        svg.el("line", x1=_n(x_first - 10), y1=_n(y_end), x2=_n(x_last + 10), y2=_n(y_end),
               stroke=LIGHT, stroke_width="1", stroke_dasharray="2 3", class_="end-line")
        if end == self.now and not self.end_open:
            bottom_text = f"now: t = {_fmt_time(end, 3).rstrip('0').rstrip('.')} s"
        else:
            bottom_text = f"end of window: t = {_fmt_time(end, 3).rstrip('0').rstrip('.')} s"
        svg.el("text", bottom_text, x=_n((x_first + x_last) / 2), y=_n(y_bottom + 28),
               text_anchor="middle", font_size=_n(NOTE_SIZE), font_style="italic",
               fill=GREY, class_="end")
        if self.folded:
            svg.el("text", f"… {self.folded} more segment{'s' if self.folded > 1 else ''} "
                           f"from t = {self.fold_time:g} s not drawn (max_segments="
                           f"{self.max_segments}; choose start= and end= to see them)",
                   x=_n((x_first + x_last) / 2), y=_n(y_bottom + 44), text_anchor="middle",
                   font_size=_n(NOTE_SIZE), font_style="italic", fill=GREY, class_="folded")

        # -- segments (drawn under the state boxes and the labels)
        seg_svg = _Svg()
        label_jobs = []
        same_path: dict[tuple, int] = {}
        for f in flights:
            cls = ["seg", f.kind]
            if f.copy:
                cls.append("copy")
            if f.released is not None:
                cls.append("released")
            if f.retransmission:
                cls.append("retransmission")
            if f.injected:
                cls.append("injected")
            seg_svg.open("g", class_=" ".join(cls), data_src=f.src, data_dst=f.dst,
                         data_sent=f"{f.t0:.6f}",
                         data_end="" if f.t1 is None else f"{f.t1:.6f}")
            main = None
            bowed = 0.0
            for role, a0, s0, a1, s1, cut_top, cut_bottom in f.pieces:
                x1, y1 = X(a0, f), scale.y(s0)
                x2, y2 = X(a1, f), scale.y(s1)
                if role == "wait":
                    seg_svg.el("line", x1=_n(x1), y1=_n(y1), x2=_n(x2), y2=_n(y2),
                               stroke=GREY, stroke_width="1.2", stroke_dasharray="1.5 3.5",
                               class_="wait")
                    space.add([(x1, y1), (x2, y2)], 3, owner=f)
                    if cut_top:          # the held box is above the window
                        seg_svg.el("text", f"held since {f.t0:g} s", x=_n(x1 + 4),
                                   y=_n(y1 + 9), font_size=_n(NOTE_SIZE),
                                   font_style="italic", fill=GREY, class_="held-text")
                        space.add(_rect(x1 + 4 + text_width(f"held since {f.t0:g} s",
                                                            NOTE_SIZE) / 2, y1 + 5,
                                        text_width(f"held since {f.t0:g} s", NOTE_SIZE),
                                        NOTE_SIZE), 20)
                    continue
                dashed = role == "held" or cut_bottom or f.kind == "inflight"
                # arrows that would cover each other (a copy, the same segment sent
                # twice at once) bow out, one below, the next above ...
                key = tuple(round(v, 1) for v in (x1, y1, x2, y2))
                k = same_path.get(key, 0)
                same_path[key] = k + 1
                curve = None
                if k:
                    bowed = BOW * ((k + 1) // 2) * (1 if k % 2 else -1)
                    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
                    L = math.hypot(x2 - x1, y2 - y1) or 1.0
                    nx, ny = -(y2 - y1) / L, (x2 - x1) / L
                    if ny < 0:
                        nx, ny = -nx, -ny
                    curve = (mx + 2 * bowed * nx, my + 2 * bowed * ny)
                    seg_svg.el("path", d=f"M{_n(x1)} {_n(y1)} Q{_n(curve[0])} "
                                         f"{_n(curve[1])} {_n(x2)} {_n(y2)}",
                               fill="none", stroke=INK, stroke_width="1.3",
                               stroke_dasharray="6 4" if dashed else None, class_="arrow",
                               data_x1=_n(x1), data_y1=_n(y1), data_x2=_n(x2),
                               data_y2=_n(y2))
                    pts = [_bezier((x1, y1), curve, (x2, y2), i / 8) for i in range(9)]
                    for p, q in zip(pts, pts[1:]):
                        space.add([p, q], 3, owner=f)
                else:
                    seg_svg.el("line", x1=_n(x1), y1=_n(y1), x2=_n(x2), y2=_n(y2),
                               stroke=INK, stroke_width="1.3",
                               stroke_dasharray="6 4" if dashed else None, class_="arrow")
                    space.add([(x1, y1), (x2, y2)], 3, owner=f)
                main = (x1, y1, x2, y2, curve)
                if cut_bottom or role == "held":
                    continue
                if f.kind in ("arrive", "inflight"):
                    tx, ty = (curve if curve else (x1, y1))
                    _arrowhead(seg_svg, tx, ty, x2, y2)
                elif f.kind in ("lost", "drop", "expire", "unroutable"):
                    colour = ACCENT if f.kind in ("lost", "drop") else GREY
                    r = 5.0
                    seg_svg.el("path", d=f"M{_n(x2 - r)} {_n(y2 - r)} L{_n(x2 + r)} "
                                         f"{_n(y2 + r)} M{_n(x2 - r)} {_n(y2 + r)} "
                                         f"L{_n(x2 + r)} {_n(y2 - r)}",
                               stroke=colour, stroke_width="2.2", fill="none",
                               class_="cross", data_x=_n(x2), data_y=_n(y2))
                    space.add(_rect(x2, y2, 2 * r + 2, 2 * r + 2), 20)
                    word = {"lost": "lost", "drop": "dropped", "expire": "expired (MSL)",
                            "unroutable": "no such host"}[f.kind]
                    label_jobs.append(("mark", f, word, (x2, y2), colour))
            # the held box sits where the held piece ends
            for role, a0, s0, a1, s1, cut_top, cut_bottom in f.pieces:
                if role == "held" and not cut_bottom:
                    hx, hy = X(a1, f), scale.y(s1)
                    w, h = text_width("held", NOTE_SIZE) + 8, NOTE_SIZE + 6
                    seg_svg.el("rect", x=_n(hx - w / 2), y=_n(hy - h / 2), width=_n(w),
                               height=_n(h), rx="3", fill="white", stroke=GREY,
                               stroke_width="1", class_="held", data_x=_n(hx),
                               data_y=_n(hy))
                    seg_svg.el("text", "held", x=_n(hx), y=_n(hy + 3.5),
                               text_anchor="middle", font_size=_n(NOTE_SIZE),
                               font_style="italic", fill=GREY, class_="held-text")
                    space.add(_rect(hx, hy, w + 2, h + 2), 20)
            seg_svg.close("g")
            if main is not None:
                notes = []
                if f.retransmission:
                    notes.append("retransmission")
                if f.copy:
                    notes.append("duplicate")
                if f.injected:
                    notes.append("injected")
                if f.released is not None:
                    notes.append("released")
                if f.kind == "inflight" or any(p[6] for p in f.pieces if p[0] != "wait"):
                    notes.append("in flight")
                if f.ignored:
                    notes.append(f"ignored by {f.dst}")
                label_jobs.append(("label", f, f.label, main, ", ".join(notes), bowed))
        svg.parts += seg_svg.parts

        # -- state boxes beside their line at their time: the first host's on the
        # left, the others' on the right, unless arrows are in the way there
        boxes = [(name, None, st) for name, st in initial.items()]
        boxes += [(host, t, str(st)) for t, host, st in states]
        last_bottom: dict[tuple, float] = {}
        for host, t, text in boxes:
            x = xs[host]
            w, h = text_width(text, STATE_SIZE) + 12, STATE_SIZE + 7
            if t is None:
                cy, bx, side = y0 - 32, x - w / 2, 0
            else:
                if len(self.hosts) < 2:
                    sides = (1,)
                elif host == self.hosts[0]:
                    sides = (-1,)
                elif host == self.hosts[-1]:
                    sides = (1,)
                else:
                    sides = (1, -1)
                best = None
                for side in sides:
                    cy = max(scale.y(t), last_bottom.get((host, side), -1e9) + 2 + h / 2)
                    bx = x + 8 if side > 0 else x - 8 - w
                    c = space.cost(_rect(bx + w / 2, cy, w, h))
                    if best is None or c < best[0]:
                        best = (c, cy, bx, side)
                _, cy, bx, side = best
            last_bottom[(host, side)] = cy + h / 2
            space.add(_rect(bx + w / 2, cy, w + 2, h + 2), 20)
            svg.open("g", class_="state", data_host=host,
                     data_t="" if t is None else f"{t:.6f}")
            if t is not None:
                ty = scale.y(t)
                ex = bx if side > 0 else bx + w
                space.add([(x, ty), (ex, cy)], 4)
                svg.el("line", x1=_n(x), y1=_n(ty), x2=_n(ex), y2=_n(cy), stroke=STATE_LINE,
                       stroke_width="1")
                svg.el("circle", cx=_n(x), cy=_n(ty), r="2", fill=STATE_INK)
            svg.el("rect", x=_n(bx), y=_n(cy - h / 2), width=_n(w), height=_n(h), rx="3",
                   fill=STATE_FILL, stroke=STATE_LINE, stroke_width="1")
            svg.el("text", text, x=_n(bx + w / 2), y=_n(cy + 3.9), text_anchor="middle",
                   font_size=_n(STATE_SIZE), fill=STATE_INK)
            svg.close("g")

        # -- labels, last, in the order the segments left
        for job in label_jobs:
            if job[0] == "label":
                _, f, text, main, note, bowed = job
                self._place_label(svg, space, f, text, main, note, bowed)
            else:
                _, f, word, (x, y), colour = job
                _place_mark(svg, space, f, word, x, y, colour)

        svg.close("svg")
        self.width, self.height = width, height
        return "\n".join(svg.parts) + "\n"

    # ------------------------------------------------------------------ labels

    def _place_label(self, svg, space, f, text, main, note, bowed=0.0) -> None:
        x1, y1, x2, y2, curve = main
        w, h = text_width(text, LABEL_SIZE) + 4, LABEL_SIZE * 1.2
        nw, nh = text_width(note, NOTE_SIZE) + 4, NOTE_SIZE * 1.2
        fracs = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)
        sides = (1, -1) if bowed > 0 else (-1, 1)     # -1: above the arrow
        best = None
        # beside the arrow first; a row further out only if every place beside it
        # would cover another label
        for row in (0, 1, 2):
            for side in sides:
                for frac in fracs:
                    cand = _along(x1, y1, x2, y2, curve, frac, side, w, h, row * h)
                    limit = best[0] - 6 * row if best is not None else float("inf")
                    raw = space.cost(cand[3], owner=f, limit=limit)
                    c = raw + 6 * row
                    if best is None or c < best[0]:
                        best = (c, cand, frac, side, raw)
                    if c == 0:
                        break
                if best[0] == 0:
                    break
            if best[0] < 20:
                break
        _, (cx, cy, angle, poly), frac, side, raw = best
        if raw:
            _plate(svg, cx, cy, w, h, angle)
        _text(svg, text, cx, cy, angle, LABEL_SIZE, INK, "label",
              data_src=f.src, data_dst=f.dst, data_sent=f"{f.t0:.6f}")
        space.add(poly, 20)
        if not note:
            return
        best = None
        for nside in (-side, side):
            for nfrac in (frac,) + fracs:
                cand = _along(x1, y1, x2, y2, curve, nfrac, nside, nw, nh)
                c = space.cost(cand[3], owner=f,
                               limit=best[0] if best is not None else float("inf"))
                if best is None or c < best[0]:
                    best = (c, cand)
                if c == 0:
                    break
            if best[0] == 0:
                break
        cx, cy, angle, poly = best[1]
        if best[0]:
            _plate(svg, cx, cy, nw, nh, angle)
        _text(svg, note, cx, cy, angle, NOTE_SIZE, GREY, "note", italic=True)
        space.add(poly, 20)

    # ------------------------------------------------------------------ words

    def _describe(self, flights, states, end) -> str:
        """The picture in words, for screen readers (the SVG's <desc>)."""
        lines = [f"Time runs downwards from {self.start:g} s to {end:g} s. "
                 f"Time lines: {', '.join(self.hosts) or 'none'}."]
        events = []
        for f in flights:
            what = {"arrive": f"arrives at {f.t1:.3f} s" if f.t1 is not None else "",
                    "lost": "is lost", "drop": "is dropped", "hold": "is held in the network",
                    "inflight": "is still in flight", "expire": "expires (MSL)",
                    "unroutable": "finds no host"}[f.kind]
            extra = (" (copy)" if f.copy else "") + (" (released)" if f.released else "") + \
                    (" (retransmission)" if f.retransmission else "")
            events.append((f.t0, f.index, f"{f.t0:.3f} s: {f.src} → {f.dst} {f.label}"
                                          f"{extra} {what}."))
        for t, host, st in states:
            events.append((t, -1, f"{t:.3f} s: {host} enters {st}."))
        events.sort(key=lambda e: (e[0], e[1]))
        lines += [e[2] for e in events]
        return "\n".join(lines)


# --------------------------------------------------------------------------- drawing helpers

def _bezier(p0, c, p1, t):
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0],
            u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1])


def _along(x1, y1, x2, y2, curve, frac, side, w, h, away=0.0):
    """A w×h label beside the arrow at ``frac`` of its length; side -1 above, +1 below."""
    if curve is None:
        px, py = x1 + (x2 - x1) * frac, y1 + (y2 - y1) * frac
        dx, dy = x2 - x1, y2 - y1
    else:
        px, py = _bezier((x1, y1), curve, (x2, y2), frac)
        dx = 2 * (1 - frac) * (curve[0] - x1) + 2 * frac * (x2 - curve[0])
        dy = 2 * (1 - frac) * (curve[1] - y1) + 2 * frac * (y2 - curve[1])
    if dx < 0:
        dx, dy = -dx, -dy
    L = math.hypot(dx, dy) or 1.0
    angle = math.degrees(math.atan2(dy, dx))
    if abs(angle) > MAX_ROTATION:
        angle = 0.0
    nx, ny = dy / L, -dx / L          # the upper side of the arrow
    if ny > 0 or (ny == 0 and nx > 0):
        nx, ny = -nx, -ny
    if side > 0:
        nx, ny = -nx, -ny
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    support = abs(w / 2 * (c * nx + s * ny)) + abs(h / 2 * (-s * nx + c * ny))
    cx, cy = px + nx * (support + 2.5 + away), py + ny * (support + 2.5 + away)
    return cx, cy, angle, _rect(cx, cy, w, h, angle)


def _text(svg, text, cx, cy, angle, size, colour, cls, italic=False, **data) -> None:
    svg.el("text", text, x=_n(cx), y=_n(cy + 0.35 * size), text_anchor="middle",
           font_size=_n(size), font_style="italic" if italic else None, fill=colour,
           stroke="white", stroke_width="3", stroke_linejoin="round", paint_order="stroke",
           transform=f"rotate({angle:.2f} {_n(cx)} {_n(cy)})" if abs(angle) >= 0.005 else None,
           class_=cls, **data)


def _plate(svg, cx, cy, w, h, angle) -> None:
    """A white card under a label that could not avoid every line."""
    svg.el("rect", x=_n(cx - w / 2), y=_n(cy - h / 2), width=_n(w), height=_n(h),
           fill="white", fill_opacity="0.9", stroke="none", class_="plate",
           transform=f"rotate({angle:.2f} {_n(cx)} {_n(cy)})" if abs(angle) >= 0.005 else None)


def _arrowhead(svg, fx, fy, x, y) -> None:
    """A filled arrowhead at (x, y), pointing away from (fx, fy)."""
    dx, dy = x - fx, y - fy
    L = math.hypot(dx, dy) or 1.0
    ux, uy = dx / L, dy / L
    bx, by = x - 9 * ux, y - 9 * uy
    svg.el("path", d=f"M{_n(x)} {_n(y)} L{_n(bx - 3.6 * uy)} {_n(by + 3.6 * ux)} "
                     f"L{_n(bx + 3.6 * uy)} {_n(by - 3.6 * ux)} Z",
           fill=INK, stroke="none", class_="head")


def _place_mark(svg, space, f, word, x, y, colour) -> None:
    w, h = text_width(word, NOTE_SIZE) + 4, NOTE_SIZE * 1.2
    best = None
    for cx, cy in ((x, y + 8 + h / 2), (x + 8 + w / 2, y + 2), (x - 8 - w / 2, y + 2),
                   (x + 4 + w / 2, y + 8 + h / 2), (x - 4 - w / 2, y + 8 + h / 2),
                   (x, y - 8 - h / 2)):
        poly = _rect(cx, cy, w, h)
        c = space.cost(poly)
        if best is None or c < best[0]:
            best = (c, cx, cy, poly)
        if c == 0:
            break
    _, cx, cy, poly = best
    _text(svg, word, cx, cy, 0.0, NOTE_SIZE, colour, "mark", italic=True)
    space.add(poly, 20)


def sequence_diagram(net, notation: str = "symbolic", *, hosts=None, start=None, end=None,
                     max_segments: int | None = 60, gap: float | None = None,
                     title: str | None = None) -> SequenceDiagram:
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

    The result displays itself in Jupyter, ``.svg()`` gives the text and
    ``.save("ladder.svg")`` writes it.
    """
    return SequenceDiagram(net, notation, hosts=hosts, start=start, end=end,
                           max_segments=max_segments, gap=gap, title=title)
