"""Slides for a lecturer (make slides): every lesson of both editions carries the slide
metadata tools/slides.py makes, each "## " section starts a slide, and
`jupyter nbconvert --to slides` turns a lesson of each edition into reveal.js slides."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools import slides  # noqa: E402

ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
LESSONS = ENGLISH + sorted((ROOT / "notebooks" / "zh").glob("[0-9][0-9]-*.ipynb"))
KINDS = {"slide", "subslide", "fragment", "-"}      # never "skip" nor "notes": all is shown


def kind(cell) -> str | None:
    return cell.metadata.get("slideshow", {}).get("slide_type")


def section_lines(markdown: str) -> list[int]:
    lines, found, fenced = markdown.split("\n"), [], False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif line.startswith("## ") and not fenced:
            found.append(i)
    return found


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_section_heading_starts_a_slide(path):
    nb = nbformat.read(path, as_version=4)
    assert kind(nb.cells[0]) == "slide"
    sections = 0
    for cell in nb.cells:
        assert kind(cell) in KINDS or cell.id == "set-language-zh", (cell.id, kind(cell))
        if cell.cell_type != "markdown" or not (found := section_lines(cell.source)):
            continue
        sections += len(found)
        assert len(found) == 1 and slides.heading(cell.source) == "##", cell.id
        assert kind(cell) == "slide", cell.id
    assert sections >= 2


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_the_metadata_is_what_tools_slides_makes_and_zh_follows_it(path):
    nb = nbformat.read(path, as_version=4)
    again = copy.deepcopy(nb)
    assert slides.apply(again) == []                 # no section left to cut
    assert [kind(c) for c in again.cells] == [kind(c) for c in nb.cells]
    zh = nbformat.read(path.parent / "zh" / path.name, as_version=4)
    english = {c.id: kind(c) for c in nb.cells}
    assert {c.id: kind(c) for c in zh.cells if c.id != "set-language-zh"} == english


def test_a_picture_gets_room_and_a_reveal_comes_after_the_prediction():
    nb = nbformat.read(ROOT / "notebooks" / "01-three-way-handshake.ipynb", as_version=4)
    kinds = {c.id: kind(c) for c in nb.cells}
    assert kinds["isn-guess-lab"] in {"subslide", "-"}
    reveals = [c for c in nb.cells if slides._reveals(c)]
    assert reveals and all(kinds[c.id] in {"fragment", "subslide"} for c in reveals)
    assert list(kinds.values()).count("subslide") >= 3


@pytest.mark.parametrize("path", [ROOT / "notebooks" / "02-four-way-close.ipynb",
                                  ROOT / "notebooks" / "zh" / "02-four-way-close.ipynb"],
                         ids=["en", "zh"])
def test_nbconvert_makes_slides_with_a_slide_per_section(path, tmp_path):
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides",
                    "--output-dir", str(tmp_path), str(path)],
                   check=True, capture_output=True)
    page = (tmp_path / f"{path.stem}.slides.html").read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        assert f'id="cell-id={cell.id}"' in page         # nothing left out
        if kind(cell) == "slide":                        # a slide opens a section of sections
            assert re.search(rf'<section>\s*<section>\s*<div class="jp-Cell[^"]*" '
                             rf'id="cell-id={re.escape(cell.id)}"', page), cell.id
    slide_cells = sum(kind(c) == "slide" for c in nb.cells)
    assert page.count("<section><section>") + len(
        re.findall(r"<section>\s+<section>", page)) >= slide_cells
    if path.parent.name == "zh":
        assert "四次挥手" in page


def test_cutting_a_section_off_carries_its_chinese_translations(tmp_path, monkeypatch):
    from babel.messages.catalog import Catalog
    from tools.i18n import notebooks as i18n
    monkeypatch.setattr(i18n, "CATALOGUES", tmp_path)
    source = "# 99 · A lesson\n\nIntro.\n\n<a id=\"two\"></a>\n## 2. Second\n\nMore text."
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(source, id="c1")])
    po = Catalog(locale="zh")
    for block, zh in zip(i18n.paragraphs(source), ["# 99 · 一课", "引言。", "## 2. 第二", "更多。"]):
        po.add(block, zh, context="c1")
    i18n.po_path("99-lesson").write_bytes(i18n.po_bytes(po))
    moved = slides.apply(nb)
    assert [c.id for c in nb.cells] == ["c1", "c1-s1"] and [kind(c) for c in nb.cells] == [
        "slide", "slide"]
    assert nb.cells[1].source.startswith('<a id="two"></a>\n## 2. Second')
    assert slides.carry_translations("99-lesson", moved) == 2
    after = i18n.follow(i18n.read_catalogue("99-lesson"), json.loads(nbformat.writes(nb)))
    assert i18n.missing(after) == [] and not after.obsolete
    assert after.get("More text.", context="c1-s1").string == "更多。"
