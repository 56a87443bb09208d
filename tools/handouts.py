"""Handouts for paper: a PDF per lesson, in both editions, and the cheat sheet (make handouts).

Each notebook's saved outputs become HTML through nbconvert.  The labs print as their
static snapshot: tools/run_notebooks.py saves notebooks without widget state, so nbconvert
shows a lab's ``text/html`` (the pictures as they were when the cell ran), never a dead
widget.  The folded prediction reveals (``<details class="tcplab-reveal">``) are opened
before printing: on paper nobody can click, and the handout should show the demonstration.

One headless Chromium (Debian's, driven by playwright: nbconvert's webpdf exporter wants a
chromium download that cannot be installed here) prints every page, A4, with print CSS that
hides the input prompts and keeps pictures within the page.  Chinese text prints with the
CJK font tools/system-deps.sh installs (fonts-noto-cjk), found by fontconfig.

    python -m tools.handouts [-o _handouts] [notebooks ...]

writes ``<out>/NN-name.pdf``, ``<out>/zh/NN-name.pdf``, ``<out>/cheat-sheet.pdf`` and
``<out>/zh/cheat-sheet.pdf``.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_harness import CHROMIUM_ARGS, chromium  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

# Why each rule: prompts ("In [3]:") mean nothing on paper and eat a column; the labs' SVG
# carry fixed pixel widths wider than A4; a cell split over two pages loses its picture;
# the pictures' words for a screen reader (details.tcplab-picture-text) repeat on paper
# what the picture above them shows, and folded they would print a bare summary line.
PRINT_CSS = """
<style id="tcplab-print">
@page { size: A4; margin: 12mm 11mm; }
.jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser { display: none !important; }
.jp-Cell, .jp-InputArea, .jp-OutputArea-child { display: block !important; }
.jp-InputArea-editor, .jp-OutputArea-output { width: auto !important; margin-left: 0 !important; }
.jp-Notebook { padding: 0 !important; }
body { margin: 0 !important; padding: 0 !important; }
svg, img, canvas, video { max-width: 100% !important; height: auto !important; }
table { max-width: 100%; }
pre { white-space: pre-wrap !important; word-break: break-word; }
.jp-OutputArea-output svg, .jp-RenderedHTMLCommon svg { page-break-inside: avoid; break-inside: avoid; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
details.tcplab-picture-text { display: none !important; }
</style>
"""

#: Opens the reveals; returns how many, so a caller can tell a lesson that has some.
OPEN_REVEALS = """() => {
  const all = document.querySelectorAll('details.tcplab-reveal');
  all.forEach(d => { d.open = true; });
  return all.length;
}"""


def lessons(root: Path = NOTEBOOKS) -> list[Path]:
    """Every lesson of both editions: notebooks/NN-*.ipynb and notebooks/zh/NN-*.ipynb."""
    return sorted(root.glob("[0-9][0-9]-*.ipynb")) + sorted((root / "zh").glob("[0-9][0-9]-*.ipynb"))


def target(notebook: Path, out: Path) -> Path:
    """Where a notebook's handout goes: the zh edition in out/zh/."""
    sub = out / "zh" if notebook.parent.name == "zh" else out
    return sub / (notebook.stem + ".pdf")


@functools.cache
def _exporter() -> HTMLExporter:
    return HTMLExporter(template_name="lab")


def notebook_html(notebook: Path) -> str:
    """The notebook as nbconvert's HTML of its saved outputs, with the print CSS."""
    body, _ = _exporter().from_notebook_node(nbformat.read(notebook, as_version=4))
    lang = "zh-CN" if notebook.parent.name == "zh" else "en"
    body = body.replace("<html>", f'<html lang="{lang}">', 1)
    return body.replace("</head>", PRINT_CSS + "</head>", 1)


def cheat_sheet_html(lang: str) -> str:
    """The cheat sheet's own printable A4 page (tcplab.cheatsheet)."""
    from tcplab.cheatsheet import cheat_sheet
    return cheat_sheet(lang).page()


def _offline(route) -> None:
    # nbconvert's page links require.js and MathJax from a CDN: nothing on paper needs
    # them, and a machine without network would wait for them
    if route.request.url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


def print_pages(pages: Iterable[tuple[str, Path]], work: Path) -> dict[Path, int]:
    """Print each (html, pdf) with one browser; returns pdf -> reveals opened."""
    from playwright.sync_api import sync_playwright
    opened = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", _offline)
            page.emulate_media(media="print")
            for i, (html, pdf) in enumerate(pages):
                source = work / f"page{i}.html"
                source.write_text(html, encoding="utf-8")
                page.goto(source.as_uri(), wait_until="load")
                opened[pdf] = page.evaluate(OPEN_REVEALS)
                pdf.parent.mkdir(parents=True, exist_ok=True)
                page.pdf(path=str(pdf), format="A4", print_background=True,
                         prefer_css_page_size=True)
        finally:
            browser.close()
    return opened


def build(out: Path, notebooks: list[Path] | None = None, cheat_sheet: bool = True,
          log=print) -> dict[Path, int]:
    """Write the handouts into ``out``; returns each PDF written -> the reveals it prints
    open."""
    notebooks = lessons() if notebooks is None else notebooks

    def pages(htmls: Iterator[str]) -> Iterator[tuple[str, Path]]:
        yield from zip(htmls, (target(nb, out) for nb in notebooks))
        if cheat_sheet:
            yield cheat_sheet_html("en"), out / "cheat-sheet.pdf"
            yield cheat_sheet_html("zh"), out / "zh" / "cheat-sheet.pdf"

    # nbconvert (Python, one core) makes the next page while chromium prints this one
    with ProcessPoolExecutor(max_workers=1) as pool, \
            tempfile.TemporaryDirectory(prefix="tcplab-handouts-") as tmp:
        opened = print_pages(pages(pool.map(notebook_html, notebooks)), Path(tmp))
    for pdf, n in opened.items():
        log(f"{pdf.relative_to(out)}" + (f" ({n} reveals printed open)" if n else ""))
    return opened


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.handouts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", default="_handouts", help="the folder of PDFs")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="only these notebooks (default: every lesson of both editions)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    written = build(Path(args.output), args.notebooks or None)
    print(f"{len(written)} handouts in {args.output}/ ({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
