"""Text and HTML tables for the real-TCP lesson, and the chains of states in their cells."""

from __future__ import annotations

import html
import re

from ..fsm import State
from ..text import ljust, width


def _chain(cells) -> str:
    out: list[str] = []
    for c in cells:
        base = re.sub(r" \([\d.]+ s left\)$", "", c)
        if out and re.sub(r" \([\d.]+ s left\)$", "", out[-1]) == base:
            out[-1] = c
        else:
            out.append(c)
    return " → ".join(out)


def _align(pred: list[State], kern: list[State]) -> tuple[list[str], list[str]]:
    """Line the two histories up (longest common subsequence); gaps are '·'."""
    n, m = len(pred), len(kern)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = (lcs[i + 1][j + 1] + 1 if pred[i] is kern[j]
                         else max(lcs[i + 1][j], lcs[i][j + 1]))
    top, bottom, i, j = [], [], 0, 0
    while i < n or j < m:
        if i < n and j < m and pred[i] is kern[j]:
            top.append(str(pred[i])); bottom.append(str(kern[j])); i += 1; j += 1  # noqa: E702
        elif j >= m or (i < n and lcs[i + 1][j] >= lcs[i][j + 1]):
            top.append(str(pred[i])); bottom.append("·"); i += 1  # noqa: E702
        else:
            top.append("·"); bottom.append(str(kern[j])); j += 1  # noqa: E702
    return top, bottom


def _text_table(head, rows) -> str:
    # padded by display columns: a Chinese heading is twice as wide as it is long
    widths = [max([width(head[c])] + [width(r[c]) for r in rows]) for c in range(len(head))]
    line = lambda cells: "  ".join(ljust(x, w) for x, w in zip(cells, widths)).rstrip()  # noqa
    return "\n".join([line(head)] + [line(r) for r in rows])


def _html_table(caption: str, heads, rows, *, group: int = 1) -> str:
    """An HTML table; a header cell is a string or (text, colspan, rowspan)."""
    th = ("padding:3px 8px;text-align:left;border-bottom:1px solid #999;"
          "background:#f1f3f5;vertical-align:bottom")
    out = [f'<table class="tcplab-real" style="border-collapse:collapse;font-family:'
           f'sans-serif;font-size:90%"><caption style="text-align:left;padding:4px 0">'
           f'{html.escape(caption)}</caption><thead>']
    for head in heads:
        cells = []
        for h in head:
            text, cols, rows_ = (h, 1, 1) if isinstance(h, str) else h
            span = (f' colspan="{cols}"' if cols > 1 else "") + \
                   (f' rowspan="{rows_}"' if rows_ > 1 else "")
            cells.append(f'<th{span} style="{th}">{html.escape(text)}</th>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</thead><tbody>")
    for n, row in enumerate(rows):
        band = "#ffffff" if (n // group) % 2 == 0 else "#f8f9fa"
        top = "border-top:1px solid #ced4da;" if group > 1 and n % group == 0 else ""
        style = f"padding:3px 8px;text-align:left;vertical-align:top;{top}"
        out.append(f'<tr style="background:{band}">'
                   + "".join(f'<td style="{style}">{html.escape(str(cell))}</td>'
                             for cell in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)
