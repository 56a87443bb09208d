"""Pictures readable without sight: a title and a description in the SVG, the same
text as a table under the picture, and the contrast of the colours.

A picture says what it shows in a :class:`Reading`: a title, a sentence or two, and a
table (one row per thing shown).  :func:`label_svg` writes the title and the text into
the SVG (``<title>``/``<desc>``, ``role="img"`` with ``aria-labelledby`` and
``aria-describedby``); :func:`details_table` writes the table as a collapsible
``<details>`` for the HTML output, where the SVG is an ``<img>`` whose alt text is
the title (a screen reader reads no ``<desc>`` through an ``<img>``).
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

from ..text import _

__all__ = ["Reading", "label_svg", "details_table", "details_from_svg", "contrast",
           "luminance", "sentences"]


def sentences(parts) -> str:
    """Sentences in a row: a space after an English full stop, none after a Chinese one."""
    out = ""
    for part in parts:
        if out and not out.endswith("。"):
            out += " "
        out += part
    return out


@dataclass(frozen=True)
class Reading:
    """What a picture shows, in words: ``title``, ``summary`` (sentences), the table's
    ``headers`` and ``rows`` (strings), and ``lines``: the rows as sentences (if empty,
    each row is read as "header: value; ...")."""
    title: str
    summary: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[str, ...] = ()

    def text(self) -> str:
        """The summary, then one line per row (the SVG's ``<desc>``)."""
        lines = [self.summary] if self.summary else []
        if self.lines:
            return "\n".join(lines + list(self.lines))
        for row in self.rows:
            lines.append(_("; ").join(f"{h}: {v}" for h, v in zip(self.headers, row) if v))
        return "\n".join(lines)

    def uid(self, prefix: str) -> str:
        """An id unique on a page showing several pictures, the same for the same text."""
        digest = hashlib.sha1(f"{self.title}\n{self.text()}".encode("utf-8")).hexdigest()
        return f"{prefix}-{digest[:10]}"


def label_svg(svg: str, reading: Reading, prefix: str) -> str:
    """``svg`` with ``role="img"``, ``aria-labelledby``/``aria-describedby`` on its root
    and ``<title>``/``<desc>`` as its first children (a screen reader reads the first
    ``<title>`` of the root; Graphviz's own titles stay where they are)."""
    uid = reading.uid(prefix)
    start = svg.index("<svg")
    head_end = svg.index(">", start) + 1
    root = svg[start:head_end - 1].rstrip("/")
    root += (f' role="img" aria-labelledby="{uid}-title" aria-describedby="{uid}-desc">'
             f'\n<title id="{uid}-title">{html.escape(reading.title, quote=False)}</title>'
             f'\n<desc id="{uid}-desc">{html.escape(reading.text(), quote=False)}</desc>')
    return svg[:start] + root + svg[head_end:]


def details_table(reading: Reading) -> str:
    """The reading as a collapsible table (closed at first) to put under the picture."""
    esc = html.escape
    head = "".join(f'<th scope="col" style="text-align:left">{esc(h)}</th>'
                   for h in reading.headers)
    body = "".join("<tr>" + "".join(f'<td style="text-align:left">{esc(v)}</td>' for v in row)
                   + "</tr>" for row in reading.rows)
    summary = _("{title}: the picture as a table").format(title=reading.title)
    return (f'<details class="tcplab-picture-text"><summary>{esc(summary)}</summary>'
            f'<p>{esc(reading.summary)}</p>'
            f'<table><caption>{esc(reading.title)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></details>')


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
_DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)


def details_from_svg(svg: str) -> str:
    """The words :func:`label_svg` wrote into ``svg`` (its first ``<title>`` and
    ``<desc>``), as a collapsible block to put under the SVG shown as an ``<img>``: a lab's
    saved snapshot has only the SVG left, not the picture's :class:`Reading`. Empty if the
    SVG carries no description."""
    title, desc = _TITLE.search(svg), _DESC.search(svg)
    if not (title and desc):
        return ""
    esc = html.escape
    title_text = html.unescape(title.group(1)).strip()
    lines = [ln for ln in html.unescape(desc.group(1)).split("\n") if ln.strip()]
    summary = _("{title}: the picture in words").format(title=title_text)
    return (f'<details class="tcplab-picture-text"><summary>{esc(summary)}</summary>'
            + "".join(f"<p>{esc(ln)}</p>" for ln in lines) + "</details>")


# ------------------------------------------------------------------ contrast (WCAG 2.x)

def luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2.x's formula)."""
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = []
    for i in (0, 2, 4):
        c = int(value[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str = "#ffffff") -> float:
    """The contrast ratio of two colours, 1 to 21 (AA: 4.5 for text, 3 for graphics)."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
