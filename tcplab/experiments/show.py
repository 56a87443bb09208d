"""How the experiments show their results: text and HTML tables, pictures side by side."""

from __future__ import annotations

import html
from typing import Any, Sequence

from ..text import ljust, width

__all__ = ["SideBySide", "side_by_side"]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    # padded by display columns, not len(): a Chinese heading is twice as wide as it is long
    widths = [max(width(h), *(width(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(  # noqa: E731
        ljust(c, w) if i == 0 else " " * max(0, w - width(c)) + c
        for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(headers), line(["-" * w for w in widths])]
                     + [line(r) for r in rows])


def _html_table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                note: str = "") -> str:
    """An HTML table; a cell given as (text, fraction, colour) gets a small bar."""
    head = "".join(f'<th style="padding:3px 8px;text-align:{"left" if i == 0 else "right"};'
                   f'border-bottom:1px solid #888">{html.escape(h)}</th>'
                   for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            style = f'padding:3px 8px;text-align:{"left" if i == 0 else "right"}'
            if isinstance(cell, tuple):
                text, fraction, colour = cell
                width = max(0.0, min(1.0, fraction)) * 60
                bar = (f'<span style="display:inline-block;vertical-align:middle;width:60px;'
                       f'height:9px;background:#eee;margin-left:6px">'
                       f'<span style="display:block;width:{width:.1f}px;height:9px;'
                       f'background:{colour}"></span></span>')
                cells.append(f'<td style="{style};white-space:nowrap">'
                             f'{html.escape(text)}{bar}</td>')
            else:
                cells.append(f'<td style="{style}">{html.escape(str(cell))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    foot = (f'<div style="font-size:12px;color:#555;margin-top:4px">{html.escape(note)}'
            f'</div>' if note else "")
    return (f'<div class="tcplab-experiment" style="font-family:sans-serif;font-size:13px">'
            f'<table style="border-collapse:collapse">'
            f'<caption style="caption-side:top;text-align:left;font-weight:bold;'
            f'padding-bottom:4px">{html.escape(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f'{foot}</div>')


RED, GREEN, GREY = "#c92a2a", "#2b8a3e", "#868e96"


class SideBySide:
    """Pictures (or anything with ``svg()`` or ``_repr_html_``) in a row, with titles."""

    def __init__(self, items: Sequence[Any], titles: Sequence[str] = ()):
        self.items = list(items)
        self.titles = list(titles) + [""] * (len(self.items) - len(titles))

    def _cell(self, item: Any) -> str:
        if hasattr(item, "_repr_mimebundle_"):     # a Picture: its SVG as an <img>, which
            bundle = item._repr_mimebundle_()       # untrusted notebooks and GitHub show
            if "text/html" in bundle:
                return bundle["text/html"]
        if hasattr(item, "svg"):
            from .diagrams.picture import svg_as_img
            return svg_as_img(item.svg())
        if hasattr(item, "_repr_html_"):
            return item._repr_html_()
        return f"<pre>{html.escape(str(item))}</pre>"

    def _repr_html_(self) -> str:
        width = 100 / max(1, len(self.items))
        cells = "".join(
            f'<div style="flex:1 1 {width:.0f}%;min-width:0;padding:0 6px">'
            f'<div style="font-family:sans-serif;font-weight:bold;text-align:center;'
            f'margin-bottom:4px">{html.escape(title)}</div>{self._cell(item)}</div>'
            for item, title in zip(self.items, self.titles))
        return f'<div class="tcplab-side-by-side" style="display:flex">{cells}</div>'

    def __repr__(self) -> str:
        return " | ".join(t or type(i).__name__ for i, t in zip(self.items, self.titles))


def side_by_side(*items: Any, titles: Sequence[str] = ()) -> SideBySide:
    """Show pictures next to each other: ``side_by_side(pic1, pic2, titles=("a", "b"))``."""
    return SideBySide(items, titles)
