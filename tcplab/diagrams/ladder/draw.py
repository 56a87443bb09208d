"""Drawing the ladder, layer by layer: the time axis, the hosts' lines, the bottom
line, the segments, the state boxes (the labels come last, from labels.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...text import N_, _, language
from .journeys import _Flight
from .space import _bezier, _rect, _Space
from .style import (ACCENT, AXIS_SIZE, BOW, DELAY_PX, GAP_PX, GREY, HOST_SIZE, INK, LABEL_SIZE,
                    LIGHT, NOTE_SIZE, STATE_FILL, STATE_INK, STATE_LINE, STATE_SIZE,
                    text_width)
from .svg import _arrowhead, _n, _Svg
from .timescale import _fmt_span, _fmt_time, _nice_step, _TimeScale


# --------------------------------------------------------------------------- layout

@dataclass
class _Layout:
    """Where things go: each host's x, the time scale, and the picture's size."""

    xs: dict[str, float]
    axis_x: float
    left: float
    width: float
    height: float
    header_y: float
    y0: float                    # the top of the time lines
    y_end: float                 # the bottom line (now, or the end of the window)
    y_bottom: float
    px_per_s: float
    scale: _TimeScale

    def x(self, frac: float, f: _Flight) -> float:
        """``frac`` of the way from f's sender to its receiver."""
        xa, xb = self.xs[f.src], self.xs[f.dst]
        return xa + (xb - xa) * frac


def _layout(d, flights, states, initial, end) -> _Layout:
    """The layout of diagram ``d`` for the journeys and state changes it draws."""
    # -- horizontal layout
    state_w = max([text_width(s, STATE_SIZE) + 12 for s in initial.values()]
                  + [text_width(str(s[2]), STATE_SIZE) + 12 for s in states] + [60])
    label_w = max([text_width(f.label, LABEL_SIZE) for f in flights] + [100])
    spacing = min(640.0, max(400.0, 2.2 * label_w + 40))
    if len(d.hosts) > 2:
        spacing = min(spacing, max(320.0, 1.6 * label_w + 40))
    axis_x = 56.0
    left = axis_x + 14 + (state_w + 8 if d.hosts and d.hosts[0] in initial else 0)
    xs = {}
    for i, name in enumerate(d.hosts):
        xs[name] = left + i * spacing
    right_edge = (xs[d.hosts[-1]] if d.hosts else left) + 14
    right_edge += state_w + 8 if d.hosts and d.hosts[-1] in initial else 80
    width = max(right_edge + 10, 300.0)

    # -- vertical layout
    top = 36.0 if d.title else 0.0
    header_y = top + 24.0
    y0 = top + 86.0
    times = [d.start, end]
    for f in flights:
        for _, _, s0, _, s1, _, _ in f.pieces:
            times += [s0, s1]
    times += [s[0] for s in states]
    px_per_s = DELAY_PX / d.delay
    scale = _TimeScale(times, d.start, end, px_per_s, d.gap, GAP_PX, y0)
    y_end = scale.y(end)
    y_bottom = max(y_end, y0 + 40)
    height = y_bottom + 44 + (18 if d.folded else 0)
    return _Layout(xs, axis_x, left, width, height, header_y, y0, y_end, y_bottom, px_per_s,
                   scale)


def _broken(scale: _TimeScale, ya: float, yb: float) -> list[tuple[float, float]]:
    """The stretches of a vertical line from ``ya`` to ``yb`` between the breaks."""
    out = []
    for a, b, yb0, yb1 in scale.breaks:
        ym = (yb0 + yb1) / 2
        out.append((ya, ym - 4))
        ya = ym + 4
    out.append((ya, yb))
    return out


# --------------------------------------------------------------------------- the frame

def _draw_axis(svg: _Svg, lay: _Layout) -> None:
    """The time axis on the left: ticks, and the length of each quiet stretch."""
    axis_x, y0, y_bottom, scale = lay.axis_x, lay.y0, lay.y_bottom, lay.scale
    svg.open("g", class_="axis", fill=GREY, stroke=GREY, font_size=_n(AXIS_SIZE))
    svg.el("text", _("time (s)"), x=_n(axis_x), y=_n(y0 - 16), text_anchor="middle",
           stroke="none", font_style="italic")
    for s0, s1 in _broken(scale, y0 - 6, y_bottom + 22):
        svg.el("line", x1=_n(axis_x), y1=_n(s0), x2=_n(axis_x), y2=_n(s1),
               stroke_width="1")
    svg.el("path", d=f"M{_n(axis_x - 3.5)} {_n(y_bottom + 16)} L{_n(axis_x)} "
                     f"{_n(y_bottom + 24)} L{_n(axis_x + 3.5)} {_n(y_bottom + 16)} Z",
           stroke="none")
    last_y = -1e9
    for t, text in _ticks(scale, lay.px_per_s):
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


def _ticks(scale: _TimeScale, px_per_s: float) -> list[tuple[float, str]]:
    """(time, text) of the axis' ticks: round times, and the start of each stretch."""
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
    return ticks


def _draw_lifelines(svg: _Svg, space: _Space, lay: _Layout, hosts, ghosts) -> None:
    """Each host's name on top and its time line, broken where time is."""
    header_y = lay.header_y
    for name in hosts:
        x = lay.xs[name]
        ghost = name in ghosts
        svg.el("text", name, x=_n(x), y=_n(header_y), text_anchor="middle",
               font_size=_n(HOST_SIZE), font_weight="bold",
               fill=GREY if ghost else INK, class_="host", data_host=name)
        if ghost:
            svg.el("text", _("(no host)"), x=_n(x), y=_n(header_y + 14), text_anchor="middle",
                   font_size=_n(NOTE_SIZE), font_style="italic", fill=GREY)
        ya = header_y + 20 if ghost else lay.y0 - 12
        for s0, s1 in _broken(lay.scale, ya, lay.y_bottom + 12):
            svg.el("line", x1=_n(x), y1=_n(s0), x2=_n(x), y2=_n(s1),
                   stroke=LIGHT if ghost else "#444444", stroke_width="1.3",
                   stroke_dasharray="5 4" if ghost else None, class_="lifeline",
                   data_host=name)
            space.add([(x, s0), (x, s1)], 8)
        for a, b, yb0, yb1 in lay.scale.breaks:
            ym = (yb0 + yb1) / 2
            for dy in (-4, 4):
                svg.el("line", x1=_n(x - 6), y1=_n(ym + dy + 2.5), x2=_n(x + 6),
                       y2=_n(ym + dy - 2.5), stroke=LIGHT if ghost else "#444444",
                       stroke_width="1.1")
        space.add(_rect(x, header_y - 5, text_width(name, HOST_SIZE, True) + 6, 20), 20)


def _draw_bottom(svg: _Svg, lay: _Layout, d, end: float) -> None:
    """The bottom line (now, or the end of the window) and what was left out."""
    x_first = lay.xs[d.hosts[0]] if d.hosts else lay.left
    x_last = lay.xs[d.hosts[-1]] if d.hosts else lay.left
    y_bottom = lay.y_bottom
    svg.el("line", x1=_n(x_first - 10), y1=_n(lay.y_end), x2=_n(x_last + 10),
           y2=_n(lay.y_end), stroke=LIGHT, stroke_width="1", stroke_dasharray="2 3",
           class_="end-line")
    if end == d.now and not d.end_open:
        bottom_text = _("now: t = {time} s").format(time=_fmt_time(end, 3).rstrip('0').rstrip('.'))
    else:
        bottom_text = _("end of window: t = {time} s").format(
            time=_fmt_time(end, 3).rstrip('0').rstrip('.'))
    svg.el("text", bottom_text, x=_n((x_first + x_last) / 2), y=_n(y_bottom + 28),
           text_anchor="middle", font_size=_n(NOTE_SIZE), font_style="italic",
           fill=GREY, class_="end")
    if d.folded:
        folded = (_("… {count} more segments from t = {time} s not drawn (max_segments="
                    "{max}; choose start= and end= to see them)") if d.folded > 1 else
                  _("… {count} more segment from t = {time} s not drawn (max_segments="
                    "{max}; choose start= and end= to see them)"))
        svg.el("text", folded.format(count=d.folded, time=f"{d.fold_time:g}",
                                     max=d.max_segments),
               x=_n((x_first + x_last) / 2), y=_n(y_bottom + 44), text_anchor="middle",
               font_size=_n(NOTE_SIZE), font_style="italic", fill=GREY, class_="folded")


# --------------------------------------------------------------------------- segments

def _draw_segments(svg: _Svg, space: _Space, lay: _Layout, flights,
                   memo=None) -> list[tuple]:
    """Every journey's arrow, cross or held box; returns the labels still to place."""
    seg_svg = _Svg()
    label_jobs: list[tuple] = []
    same_path: dict[tuple, int] = {}
    for f in flights:
        if memo is None:
            _draw_flight(seg_svg, space, lay, f, same_path, label_jobs)
            continue
        # what _draw_flight reads: the journey, its pieces where they are drawn, how many
        # arrows already took each piece's path, and the language of its words
        pieces = tuple((role, lay.x(a0, f), lay.scale.y(s0), lay.x(a1, f), lay.scale.y(s1),
                        cut_top, cut_bottom)
                       for role, a0, s0, a1, s1, cut_top, cut_bottom in f.pieces)
        paths = [tuple(round(v, 1) for v in piece[1:5]) for piece in pieces
                 if piece[0] != "wait"]
        key = ("flight", language(), f.src, f.dst, f.kind, f.copy, f.released is not None,
               f.retransmission, f.injected, f.ignored, f.t0, f.t1, f.label, pieces,
               tuple(same_path.get(path, 0) for path in paths))
        jobs = memo.place(key, f, seg_svg, space, _flight_jobs, lay, f, dict(same_path))
        for path in paths:
            same_path[path] = same_path.get(path, 0) + 1
        label_jobs += [(job[0], f) + job[1:] for job in jobs]
    svg.parts += seg_svg.parts
    return label_jobs


def _flight_jobs(seg_svg: _Svg, space, lay: _Layout, f: _Flight, same_path) -> list[tuple]:
    """:func:`_draw_flight` for a memo: its labels still to place, without the journey."""
    jobs: list[tuple] = []
    _draw_flight(seg_svg, space, lay, f, same_path, jobs)
    return [(job[0],) + job[2:] for job in jobs]


def _draw_flight(seg_svg: _Svg, space: _Space, lay: _Layout, f: _Flight, same_path,
                 label_jobs) -> None:
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
        x1, y1 = lay.x(a0, f), lay.scale.y(s0)
        x2, y2 = lay.x(a1, f), lay.scale.y(s1)
        if role == "wait":
            _draw_wait(seg_svg, space, f, x1, y1, x2, y2, cut_top)
            continue
        dashed = role == "held" or cut_bottom or f.kind == "inflight"
        curve, bow = _draw_arrow(seg_svg, space, f, x1, y1, x2, y2, dashed, same_path)
        if bow is not None:
            bowed = bow
        main = (x1, y1, x2, y2, curve)
        if cut_bottom or role == "held":
            continue
        _draw_end(seg_svg, space, f, x1, y1, x2, y2, curve, label_jobs)
    _draw_held_box(seg_svg, space, lay, f)
    seg_svg.close("g")
    if main is not None:
        label_jobs.append(("label", f, f.label, main, _(", ").join(_notes(f)), bowed))


def _draw_wait(seg_svg, space, f, x1, y1, x2, y2, cut_top) -> None:
    """The dotted line below a held box, down to the release."""
    seg_svg.el("line", x1=_n(x1), y1=_n(y1), x2=_n(x2), y2=_n(y2),
               stroke=GREY, stroke_width="1.2", stroke_dasharray="1.5 3.5",
               class_="wait")
    space.add([(x1, y1), (x2, y2)], 3, owner=f)
    if cut_top:          # the held box is above the window
        held = _("held since {time} s").format(time=f"{f.t0:g}")
        seg_svg.el("text", held, x=_n(x1 + 4),
                   y=_n(y1 + 9), font_size=_n(NOTE_SIZE),
                   font_style="italic", fill=GREY, class_="held-text")
        space.add(_rect(x1 + 4 + text_width(held, NOTE_SIZE) / 2, y1 + 5,
                        text_width(held, NOTE_SIZE),
                        NOTE_SIZE), 20)


def _draw_arrow(seg_svg, space, f, x1, y1, x2, y2, dashed, same_path):
    """The line of an arrow; returns its curve's control point (None: straight) and
    how far it bows out (None: not bowed)."""
    # arrows that would cover each other (a copy, the same segment sent
    # twice at once) bow out, one below, the next above ...
    key = tuple(round(v, 1) for v in (x1, y1, x2, y2))
    k = same_path.get(key, 0)
    same_path[key] = k + 1
    if not k:
        seg_svg.el("line", x1=_n(x1), y1=_n(y1), x2=_n(x2), y2=_n(y2),
                   stroke=INK, stroke_width="1.3",
                   stroke_dasharray="6 4" if dashed else None, class_="arrow")
        space.add([(x1, y1), (x2, y2)], 3, owner=f)
        return None, None
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
    return curve, bowed


_MARKS = {"lost": N_("lost"), "drop": N_("dropped"), "expire": N_("expired (MSL)"),
          "unroutable": N_("no such host")}


def _draw_end(seg_svg, space, f, x1, y1, x2, y2, curve, label_jobs) -> None:
    """How the arrow ends: a head where it arrives, a cross where it dies."""
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
        label_jobs.append(("mark", f, _(_MARKS[f.kind]), (x2, y2), colour))


def _draw_held_box(seg_svg, space, lay: _Layout, f: _Flight) -> None:
    """The held box sits where the held piece ends."""
    for role, a0, s0, a1, s1, cut_top, cut_bottom in f.pieces:
        if role == "held" and not cut_bottom:
            hx, hy = lay.x(a1, f), lay.scale.y(s1)
            word = _("held")
            w, h = text_width(word, NOTE_SIZE) + 8, NOTE_SIZE + 6
            seg_svg.el("rect", x=_n(hx - w / 2), y=_n(hy - h / 2), width=_n(w),
                       height=_n(h), rx="3", fill="white", stroke=GREY,
                       stroke_width="1", class_="held", data_x=_n(hx),
                       data_y=_n(hy))
            seg_svg.el("text", word, x=_n(hx), y=_n(hy + 3.5),
                       text_anchor="middle", font_size=_n(NOTE_SIZE),
                       font_style="italic", fill=GREY, class_="held-text")
            space.add(_rect(hx, hy, w + 2, h + 2), 20)


def _notes(f: _Flight) -> list[str]:
    """The small words under an arrow's label."""
    notes = []
    if f.retransmission:
        notes.append(_("retransmission"))
    if f.copy:
        notes.append(_("duplicate"))
    if f.injected:
        notes.append(_("injected"))
    if f.released is not None:
        notes.append(_("released"))
    if f.kind == "inflight" or any(p[6] for p in f.pieces if p[0] != "wait"):
        notes.append(_("in flight"))
    if f.ignored:
        notes.append(_("ignored by {host}").format(host=f.dst))
    return notes


# --------------------------------------------------------------------------- states

def _draw_states(svg: _Svg, space: _Space, lay: _Layout, hosts, initial, states,
                 memo=None) -> None:
    """State boxes beside their line at their time: the first host's on the left,
    the others' on the right, unless arrows are in the way there."""
    boxes = [(name, None, st) for name, st in initial.items()]
    boxes += [(host, t, str(st)) for t, host, st in states]
    last_bottom: dict[tuple, float] = {}
    for host, t, text in boxes:
        x = lay.xs[host]
        if t is None:
            args = (host, None, text, x, lay.y0 - 32, ())
        else:
            sides = _sides(hosts, host)
            args = (host, t, text, x, lay.scale.y(t),
                    tuple((side, last_bottom.get((host, side), -1e9)) for side in sides))
        if memo is None:
            side, bottom = _draw_state_box(svg, space, *args)
        else:
            side, bottom = memo.place(("state",) + args, None, svg, space, _draw_state_box,
                                      *args)
        last_bottom[(host, side)] = bottom


def _sides(hosts, host) -> tuple:
    """Where a host's state boxes may go: 1 right of its line, -1 left."""
    if len(hosts) < 2:
        return (1,)
    if host == hosts[0]:
        return (-1,)
    if host == hosts[-1]:
        return (1,)
    return (1, -1)


def _draw_state_box(svg: _Svg, space: _Space, host, t, text, x, ty, lows) -> tuple:
    """The box of the state ``host`` entered at ``t`` (None: the state at the top,
    centred at ``ty``), beside its line at ``x`` and ``ty``, below the last box on each
    side (``lows``: (side, its bottom)); returns (side, the box's bottom)."""
    w, h = text_width(text, STATE_SIZE) + 12, STATE_SIZE + 7
    if t is None:
        cy, bx, side = ty, x - w / 2, 0
    else:
        cy, bx, side = _state_place(space, ty, x, w, h, lows)
    space.add(_rect(bx + w / 2, cy, w + 2, h + 2), 20)
    svg.open("g", class_="state", data_host=host,
             data_t="" if t is None else f"{t:.6f}")
    if t is not None:
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
    return side, cy + h / 2


def _state_place(space, ty, x, w, h, lows):
    """(centre y, left x, side) of a state box beside the line at ``x``, at ``ty`` or
    below the last box on its side, on the side where it hides least."""
    best = None
    for side, low in lows:
        cy = max(ty, low + 2 + h / 2)
        bx = x + 8 if side > 0 else x - 8 - w
        c = space.cost(_rect(bx + w / 2, cy, w, h))
        if best is None or c < best[0]:
            best = (c, cy, bx, side)
    return best[1:]
