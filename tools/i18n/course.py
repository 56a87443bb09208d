"""The Chinese homework: course/source/<hw>/<hw>.ipynb + i18n/zh/course/<hw>.po ->
course/source/<hw>-zh/<hw>-zh.ipynb.

The lessons' machinery (tools/i18n/notebooks.py) applied to the nbgrader source
notebooks: each markdown paragraph is a message, the code cells — setup, solutions,
visible and hidden tests, with their nbgrader metadata — are copied as they are, and the
language cell goes before the first one.  The Chinese version is an nbgrader assignment
of its own (``<hw>-zh``): a lecturer releases either, and the same grade ids and points
grade both.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from . import notebooks as nbs

SOURCE = nbs.ROOT / "course" / "source"
CATALOGUES = nbs.CATALOGUES / "course"
HEADER = ("# 一份作业的中文译文 (the Chinese of one nbgrader homework notebook).\n"
          "# msgctxt: the cell id; msgid: one paragraph of the English notebook.\n"
          "# Made by `python -m tools.i18n course`; translate the msgstr lines only.\n#")


def english_path(hw: str) -> Path:
    return SOURCE / hw / f"{hw}.ipynb"


def chinese_path(hw: str) -> Path:
    return SOURCE / f"{hw}-zh" / f"{hw}-zh.ipynb"


def po_path(hw: str) -> Path:
    return CATALOGUES / f"{hw}.po"


def updated(hw: str) -> Catalog:
    """The homework's catalogue brought up to date with its English source notebook."""
    english = nbs.read_notebook(english_path(hw))
    if po_path(hw).exists():
        with po_path(hw).open("rb") as f:
            catalog = nbs.follow(read_po(f, locale="zh"), english)
    else:
        catalog = nbs.template(english)
    catalog.header_comment = HEADER
    return catalog


def chinese(hw: str, catalog: Catalog) -> dict:
    """The Chinese source notebook (no lesson links to re-point: none are given)."""
    return nbs.chinese(nbs.read_notebook(english_path(hw)), catalog, chinese_names=set())


def homeworks(requested: list[str]) -> list[str]:
    return [Path(h).stem for h in requested] or sorted(p.stem for p in CATALOGUES.glob("*.po"))


def main(requested: list[str], run: bool = True, rerun: bool = False) -> None:
    """Update the catalogues; generate and run each Chinese homework whose catalogue is
    complete and whose cells changed (``rerun``: all of them)."""
    sys.path.insert(0, str(nbs.ROOT / "tools"))
    import run_notebooks
    CATALOGUES.mkdir(parents=True, exist_ok=True)
    for hw in homeworks(requested):
        catalog = updated(hw)
        po_path(hw).write_bytes(nbs.po_bytes(catalog))
        target = chinese_path(hw)
        if todo := nbs.missing(catalog):
            print(f"{po_path(hw).relative_to(nbs.ROOT)}: {len(todo)} paragraphs to translate; "
                  f"{target.relative_to(nbs.ROOT)} is made when none is left")
            continue
        nb = chinese(hw, catalog)
        if target.exists() and not rerun and nbs._cells(nbs.read_notebook(target)) == nbs._cells(nb):
            print(f"{target.relative_to(nbs.ROOT)}: up to date")
            continue
        target.parent.mkdir(exist_ok=True)
        nbs.write_notebook(nb, target)
        done = f"run in {run_notebooks.run(target):.1f} s" if run else "not run"
        print(f"{target.relative_to(nbs.ROOT)}: generated, {done}")
