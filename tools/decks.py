"""Slides for a lecture room without network: each lesson as a reveal.js deck (make slides).

tools/slides.py gave every lesson its ``slideshow`` metadata (a slide per section, the
pictures on sub-slides, the reveals as fragments); this writes the decks.  nbconvert's
reveal template links reveal.js, jQuery and RequireJS from CDNs; here they come from the
npm registry once (tools/npm-assets.sh, into ``.cache/slides``) and are copied into the
output folder's ``assets/``, so a deck opens from a USB stick with the network off.  The
template (tools/deck_template/tcplab-reveal) leaves out what no slide needs: MathJax,
MermaidJS and the widgets' HTML manager (a lab shows its saved snapshot; the live lab is
in JupyterLab).

    python -m tools.decks [-o _slides] [notebooks ...]

writes ``<out>/NN-name.slides.html``, ``<out>/zh/NN-name.slides.html`` and ``<out>/assets/``.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

from .handouts import lessons

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "deck_template"
MODULES = ROOT / ".cache" / "slides" / "node_modules"

#: what a deck loads, from the npm packages: (source in node_modules, place in assets/)
ASSETS = (("reveal.js/dist", "reveal.js/dist"),
          ("reveal.js/plugin/notes", "reveal.js/plugin/notes"),
          ("jquery/dist/jquery.min.js", "jquery.min.js"),
          ("requirejs/require.js", "require.js"))


def copy_assets(out: Path) -> Path:
    """reveal.js, jQuery and RequireJS into ``out/assets`` (from tools/npm-assets.sh)."""
    assets = out / "assets"
    for source, place in ASSETS:
        src = MODULES / source
        if not src.exists():
            raise FileNotFoundError(f"{src} is missing: run bash tools/npm-assets.sh slides "
                                    "(make slides does)")
        dst = assets / place
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copyfile(src, dst)
    return assets


def target(notebook: Path, out: Path) -> Path:
    """Where a notebook's deck goes: the zh edition in out/zh/."""
    sub = out / "zh" if notebook.parent.name == "zh" else out
    return sub / f"{notebook.stem}.slides.html"


@functools.cache
def _exporter(prefix: str) -> SlidesExporter:
    """An exporter whose decks load their scripts from ``prefix`` (relative to the deck)."""
    return SlidesExporter(
        template_name="tcplab-reveal", extra_template_basedirs=[str(TEMPLATES)],
        reveal_url_prefix=f"{prefix}/reveal.js", jquery_url=f"{prefix}/jquery.min.js",
        require_js_url=f"{prefix}/require.js",
        # white: its font is in reveal.js's package (the default theme fetches Google Fonts)
        reveal_theme="white",
        # a slide taller than the screen scrolls instead of being cut off
        reveal_scroll=True)


def deck_html(notebook: Path, out: Path) -> str:
    """The notebook's deck, its scripts linked relative to where it is written."""
    prefix = "../assets" if notebook.parent.name == "zh" else "assets"
    body, _ = _exporter(prefix).from_notebook_node(nbformat.read(notebook, as_version=4))
    lang = "zh-CN" if notebook.parent.name == "zh" else "en"
    return body.replace("<html>", f'<html lang="{lang}">', 1)


def build(out: Path, notebooks: list[Path] | None = None, log=print) -> list[Path]:
    """Write the decks and their assets into ``out``; returns the decks written."""
    copy_assets(out)
    written = []
    for notebook in lessons() if notebooks is None else notebooks:
        deck = target(notebook, out)
        deck.parent.mkdir(parents=True, exist_ok=True)
        deck.write_text(deck_html(notebook, out), encoding="utf-8")
        log(str(deck.relative_to(out)))
        written.append(deck)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.decks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", default="_slides", help="the folder of decks")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="only these notebooks (default: every lesson of both editions)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        decks = build(Path(args.output), args.notebooks or None)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{len(decks)} decks in {args.output}/ ({time.perf_counter() - start:.0f} s); "
          f"open {args.output}/{decks[0].name if decks else ''} in a browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
