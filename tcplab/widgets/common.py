"""What the labs share: the message line, the empty ladder's words, the saved snapshot."""

from __future__ import annotations

import html

from ..diagrams.picture import svg_as_img
from ..text import _

__all__ = ["message_html", "empty_ladder_html", "snapshot_html"]

_COLOURS = {"error": ("#fff0f0", "#c92a2a"), "info": ("#f1f3f5", "#495057")}


def message_html(text: str | None, kind: str = "error") -> str:
    """The lab's message line: an error (red) or a piece of information (grey)."""
    if not text:
        return ""
    bg, fg = _COLOURS[kind]
    return (f'<div class="tcplab-message tcplab-{kind}" style="background:{bg};'
            f'color:{fg};border-left:4px solid {fg};padding:4px 8px;'
            f'margin:2px 0;font-family:sans-serif">{html.escape(text)}</div>')


def empty_ladder_html() -> str:
    return ('<div style="color:#868e96;font-family:sans-serif;padding:8px">'
            + html.escape(_("The time-sequence diagram appears here once something "
                            "happens.")) + '</div>')


def snapshot_html(summary: str, panels, ladder: str, head: str = "") -> str:
    """A lab's pictures as static HTML (what a reader sees without a kernel): the
    summary, ``head``, each panel's title and diagram side by side, the ladder."""
    parts = [f'<div class="tcplab-snapshot" style="font-family:sans-serif">'
             f'<p><b>{html.escape(summary)}</b> '
             '<i>(' + html.escape(_("run the notebook to play with the lab")) + ')</i></p>'
             f'{head}<div style="display:flex">']
    for panel in panels:
        parts.append(f'<div style="width:50%">{panel.title.value}'
                     f'{svg_as_img(panel.diagram.value)}</div>')
    parts.append(f"</div>{svg_as_img(ladder)}</div>")
    return "".join(parts)
