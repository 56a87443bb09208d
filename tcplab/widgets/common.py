"""What the labs share: the message line, the announcement, the empty ladder's words, the
saved snapshot."""

from __future__ import annotations

import html

from ..diagrams.a11y import details_from_svg
from ..diagrams.picture import svg_as_img
from ..text import _

__all__ = ["message_html", "announce_html", "state_changes", "empty_ladder_html",
           "snapshot_html"]

_COLOURS = {"error": ("#fff0f0", "#c92a2a"), "info": ("#f1f3f5", "#495057")}


def message_html(text: str | None, kind: str = "error") -> str:
    """The lab's message line: an error (red) or a piece of information (grey)."""
    if not text:
        return ""
    bg, fg = _COLOURS[kind]
    return (f'<div class="tcplab-message tcplab-{kind}" style="background:{bg};'
            f'color:{fg};border-left:4px solid {fg};padding:4px 8px;'
            f'margin:2px 0;font-family:sans-serif">{html.escape(text)}</div>')


#: seen by screen readers only: a sighted reader has the titles and the diagrams
_SCREEN_READER_ONLY = ("position:absolute;width:1px;height:1px;margin:-1px;padding:0;"
                       "overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0")


def announce_html(text: str) -> str:
    """A lab's ARIA live region (polite): a screen reader reads ``text`` out when it
    changes, without moving the focus away from the button just pressed.

    ipywidgets' HTML widget replaces its inner HTML on each change, so the region is
    drawn again with its new words each time; ``role="status"`` (an implicit polite live
    region) as well as ``aria-live`` makes it announced when it comes with its text."""
    return (f'<div class="tcplab-announce" role="status" aria-live="polite" '
            f'aria-atomic="true" style="{_SCREEN_READER_ONLY}">{html.escape(text)}</div>')


def state_changes(before: dict, after: dict) -> list[str]:
    """The ends whose state changed, in words: ``["host A: CLOSED → SYN-SENT"]``
    (``before`` and ``after`` map a name already in the reader's language to a state); an
    end that was not there before is said with its state alone."""
    return [f"{who}: {before[who]} → {state}" if who in before else f"{who}: {state}"
            for who, state in after.items()
            if who not in before or str(before[who]) != str(state)]


def empty_ladder_html() -> str:
    return ('<div style="color:#868e96;font-family:sans-serif;padding:8px">'
            + html.escape(_("The time-sequence diagram appears here once something "
                            "happens.")) + '</div>')


def snapshot_html(summary: str, panels, ladder: str, head: str = "") -> str:
    """A lab's pictures as static HTML (what a reader sees without a kernel): the
    summary, ``head``, each panel's title and diagram side by side, the ladder; under
    each picture, its words (the SVG's title and description, which an ``<img>`` hides
    from a screen reader)."""
    parts = [f'<div class="tcplab-snapshot" style="font-family:sans-serif">'
             f'<p><b>{html.escape(summary)}</b> '
             '<i>(' + html.escape(_("run the notebook to play with the lab")) + ')</i></p>'
             f'{head}<div style="display:flex">']
    for panel in panels:
        parts.append(f'<div style="width:50%">{panel.title.value}'
                     f'{svg_as_img(panel.diagram.value)}'
                     f'{details_from_svg(panel.diagram.value)}</div>')
    parts.append(f"</div>{svg_as_img(ladder)}{details_from_svg(ladder)}</div>")
    return "".join(parts)
