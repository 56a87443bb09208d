"""Writing SVG by hand: fixed precision, escaped text, elements in the order added,
so the same picture always gives the same bytes."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from .style import INK


def _n(v: float) -> str:
    """A coordinate with fixed precision (one decimal), never ``-0.0``."""
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def _attr(value) -> str:
    if isinstance(value, float):
        value = _n(value)
    s = str(value)
    # most values are numbers: nothing to escape (the same text, faster)
    if "&" in s or "<" in s or ">" in s or '"' in s:
        return escape(s, {'"': "&quot;"})
    return s


_NAMES: dict[str, str] = {}


def _name(key: str) -> str:
    """An attribute's name from its keyword: ``class_`` → class, ``text_anchor`` →
    text-anchor (remembered: a picture writes the same few names many times)."""
    name = _NAMES.get(key)
    if name is None:
        name = _NAMES[key] = key.rstrip("_").replace("_", "-")
    return name


def _attrs(attrs: dict) -> str:
    return "".join(f' {_name(k)}="{_attr(v)}"' for k, v in attrs.items() if v is not None)


class _Svg:
    """A list of SVG elements, written in the order they are added."""

    def __init__(self):
        self.parts: list[str] = []

    def el(self, tag: str, text: str | None = None, **attrs) -> None:
        a = _attrs(attrs)
        if text is None:
            self.parts.append(f"<{tag}{a}/>")
        else:
            self.parts.append(f"<{tag}{a}>{escape(text)}</{tag}>")

    def open(self, tag: str, **attrs) -> None:
        self.parts.append(f"<{tag}{_attrs(attrs)}>")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")


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
