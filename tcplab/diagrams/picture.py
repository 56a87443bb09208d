"""What every tcplab picture is: an SVG that displays itself in Jupyter and saves itself."""

from __future__ import annotations

import base64
import html
import os
import re
from pathlib import Path


class Picture:
    """Base of the pictures: subclasses implement :meth:`svg`.

    In Jupyter a picture displays itself as SVG (``_repr_svg_``); ``save(path)``
    writes it to a file (``.svg``; subclasses may support more formats).
    """

    #: file suffixes :meth:`save` understands
    formats: tuple[str, ...] = ("svg",)

    def svg(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def reading(self):
        """What the picture shows in words (a :class:`~.a11y.Reading`), or None."""
        return None

    def _repr_svg_(self) -> str:
        return self.svg()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """SVG, plus the same SVG as an HTML ``<img>``.

        JupyterLab shows no ``image/svg+xml`` output of a notebook that has not been
        run here (an untrusted notebook) and strips inline SVG from its HTML, but it
        does show an image: so the committed pictures of the workbook are visible
        before a student runs anything, and on GitHub and in nbconvert's HTML.
        Under the image, the picture in words as a collapsible table (an ``<img>``
        carries its title as alt text, but no screen reader reads an SVG ``<desc>``
        through it).
        """
        svg = self.svg()
        shown = svg_img(svg, css_class="tcplab-picture")
        reading = self.reading()
        if reading is not None:
            from .a11y import details_table
            shown += details_table(reading)
        return {"text/html": shown, "image/svg+xml": svg, "text/plain": repr(self)}

    def _render(self, fmt: str) -> bytes:
        if fmt == "svg":
            return self.svg().encode("utf-8")
        raise ValueError(f"cannot save this picture as {fmt!r}")

    def save(self, path: str | os.PathLike) -> Path:
        """Write the picture to ``path``; the suffix chooses the format."""
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in self.formats:
            raise ValueError(f"{type(self).__name__} can be saved as "
                             f"{', '.join('.' + f for f in self.formats)}, not {path.suffix!r}")
        path.write_bytes(self._render(fmt))
        return path


def svg_img(svg: str, *, css_class: str | None = None) -> str:
    """An SVG document as an HTML ``<img>`` (a data URI); its ``<title>`` is the alt text."""
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    alt = html.unescape(title.group(1)).strip() if title else "picture"
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode()
    cls = f'class="{css_class}" ' if css_class else ""
    return (f'<img {cls}alt="{html.escape(alt)}" style="max-width:100%;height:auto" '
            f'src="{uri}"/>')


def svg_as_img(fragment: str) -> str:
    """Inline SVG turned into an ``<img>`` (untrusted notebooks and GitHub show images, not
    inline SVG); other HTML is returned as it is."""
    start = fragment.find("<svg")
    if start < 0:
        return fragment
    end = fragment.rindex("</svg>") + 6
    return fragment[:start] + svg_img(fragment[start:end]) + fragment[end:]


_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')


def scale_svg(svg: str, max_width: str = "100%") -> str:
    """Let an SVG shrink to its container (keeps its aspect ratio through the viewBox)."""
    m = _SVG_TAG.search(svg)
    if not m:
        return svg
    tag = _SIZE.sub("", m.group(0))
    tag = tag[:4] + f' style="width:100%;max-width:{max_width};height:auto"' + tag[4:]
    return svg[:m.start()] + tag + svg[m.end():]
