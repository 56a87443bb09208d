"""Slides for a lecturer: RISE-style ``slideshow`` metadata on the English lessons.

    python -m tools.slides [notebooks ...]      # then: python -m tools.i18n notebooks --rerun

A lesson is shown as slides by ``jupyter nbconvert --to slides`` (make slides) or RISE in
JupyterLab, both reading each cell's ``metadata.slideshow.slide_type``:

- a new **slide** at the title (``# ``) and at each ``## `` section; a section heading in
  the middle of a markdown cell is first cut off into a cell of its own (new id
  ``<id>-s<n>``), since only a cell can start a slide;
- a **sub-slide** (down, in reveal.js) at a ``### `` heading, and wherever the slide so far
  would no longer fit a screen: a picture or a lab is about as tall as a screen's half;
- a prediction's reveal (``<details class="tcplab-reveal">``) is a **fragment**: it comes
  after the class has predicted;
- nothing is skipped: every cell a student reads is on some slide.

Cutting a cell moves its paragraphs to another cell id, and the Chinese catalogue keys a
paragraph by its cell id: :func:`carry_translations` copies each moved paragraph's
translation to the new cell's context in ``i18n/zh/<lesson>.po``, so the Chinese edition
(generated from the English with tools/i18n, which keeps cell metadata) needs nothing new.
Only metadata and markdown cells change: no code cell, no output.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

#: lines of a slide that fit a projected screen, in the units of :func:`weight`
SCREEN = 24
#: what a picture (SVG) or a lab's snapshot counts for
PICTURE = 14
_ANCHOR = re.compile(r'^\s*<a (id|name)="[^"]*">\s*</a>\s*$')


def heading(markdown: str) -> str | None:
    """The markdown's heading marker ("#", "##", "###"...) when it starts with a heading
    (anchor lines ``<a id="..."></a>`` before it do not count), else None."""
    for line in markdown.splitlines():
        if not line.strip() or _ANCHOR.match(line):
            continue
        found = re.match(r"^(#+) ", line)
        return found.group(1) if found else None
    return None


def cut_points(markdown: str) -> list[int]:
    """The line numbers where a ``## `` section starts a paragraph after the first one
    (the paragraph's first line, so an anchor before the heading goes with it)."""
    lines, cuts, fenced, start = markdown.split("\n"), [], False, None
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced:
            continue
        if not line.strip():
            start = None
            continue
        if start is None:
            start = i
        if line.startswith("## ") and all(_ANCHOR.match(x) for x in lines[start:i]) and start:
            cuts.append(start)
    return cuts


def split_sections(nb) -> list[tuple[str, str, str]]:
    """Cut every markdown cell at its inner ``## `` sections (in place); returns
    (old id, new id, the new cell's source) for each new cell."""
    cells, moved = [], []
    for cell in nb.cells:
        cuts = cut_points(cell.source) if cell.cell_type == "markdown" else []
        if not cuts:
            cells.append(cell)
            continue
        lines = cell.source.split("\n")
        bounds = [0, *cuts, len(lines)]
        for n, (a, b) in enumerate(zip(bounds, bounds[1:])):
            text = "\n".join(lines[a:b]).strip("\n")
            if n == 0:
                cell.source = text
                cells.append(cell)
                continue
            new = nbformat.v4.new_markdown_cell(text, id=f"{cell.id}-s{n}")
            new.metadata = {k: v for k, v in cell.metadata.items() if k != "slideshow"}
            cells.append(new)
            moved.append((cell.id, new.id, text))
    nb.cells = cells
    return moved


def weight(cell) -> int:
    """About how many screen lines a cell takes: its text wrapped at 100 characters, its
    outputs' text, a picture as :data:`PICTURE` (a lab's two diagrams and ladder as one)."""
    lines = sum(1 + len(line) // 100 for line in cell.source.splitlines())
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        rich = str(data.get("text/html", "")) + str(data.get("image/svg+xml", ""))
        pictures = rich.count("<svg") + rich.count("<img")   # a lab's snapshot: <img>s
        if pictures or "image/png" in data:
            lines += PICTURE * max(1, pictures // 3)
        elif rich:
            lines += min(PICTURE, rich.count("<tr") + rich.count("<br") + rich.count("<p") + 2)
        else:
            lines += len(str(data.get("text/plain", out.get("text", ""))).splitlines())
    return lines


def _reveals(cell) -> bool:
    return any('class="tcplab-reveal"' in str(o.get("data", {}).get("text/html", ""))
               for o in cell.get("outputs", []))


def slide_types(nb) -> list[str]:
    """Each cell's slide_type (see the module's docstring)."""
    kinds, height = [], 0
    for cell in nb.cells:
        mark = heading(cell.source) if cell.cell_type == "markdown" else None
        w = weight(cell)
        if mark in ("#", "##"):
            kind, height = "slide", 0
        elif mark == "###" or (height and height + w > SCREEN):
            kind, height = "subslide", 0
        elif _reveals(cell):
            kind = "fragment"
        else:
            kind = "-"
        kinds.append(kind)
        height += w
    return kinds


def apply(nb) -> list[tuple[str, str, str]]:
    """Cut the sections and set every cell's slide_type (in place); returns the cut cells
    as :func:`split_sections` does."""
    moved = split_sections(nb)
    for cell, kind in zip(nb.cells, slide_types(nb)):
        cell.metadata["slideshow"] = {"slide_type": kind}
    return moved


def carry_translations(stem: str, moved: list[tuple[str, str, str]]) -> int:
    """Copy each moved paragraph's translation to its new cell's context in the lesson's
    Chinese catalogue; returns how many were carried."""
    from tools.i18n import notebooks as i18n
    if not moved or not i18n.po_path(stem).exists():
        return 0
    po, carried = i18n.read_catalogue(stem), 0
    for old, new, text in moved:
        for block in i18n.paragraphs(text):
            found = po.get(block, context=old)
            if found is not None and found.string and po.get(block, context=new) is None:
                po.add(block, found.string, context=new, flags=found.flags,
                       auto_comments=found.auto_comments, user_comments=found.user_comments)
                po.delete(block, context=old)     # moved, not obsolete
                carried += 1
    i18n.po_path(stem).write_bytes(i18n.po_bytes(po))
    return carried


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        moved = apply(nb)
        nbformat.write(nb, path)
        carried = carry_translations(path.stem, moved)
        kinds = [c.metadata["slideshow"]["slide_type"] for c in nb.cells]
        print(f"{path.name}: {kinds.count('slide')} slides, {kinds.count('subslide')} "
              f"sub-slides, {kinds.count('fragment')} fragments; {len(moved)} cells cut, "
              f"{carried} translations carried")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
