"""Slides for a lecturer (make slides): every lesson of both editions carries the slide
metadata tools/slides.py makes, each "## " section starts a slide, and tools/decks.py
(nbconvert's slides exporter) turns a lesson of each edition into a reveal.js deck that
works with the network off: chromium opens it, pages through it and finds it whole."""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools import decks, slides  # noqa: E402
from tools.browser_harness import CHROMIUM_ARGS, chromium  # noqa: E402

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


TWO = [ROOT / "notebooks" / "02-four-way-close.ipynb",
       ROOT / "notebooks" / "zh" / "02-four-way-close.ipynb"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    try:
        decks.build(out, TWO, log=lambda line: None)
    except FileNotFoundError as exc:       # reveal.js is missing: said, never skipped
        pytest.fail(str(exc))
    return out


@pytest.mark.slow                       # needs reveal.js from npm (make test installs it)
@pytest.mark.parametrize("path", TWO, ids=["en", "zh"])
def test_a_deck_has_a_slide_per_section_and_every_cell(built, path):
    page = decks.target(path, built).read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        assert f'id="cell-id={cell.id}"' in page         # nothing left out
        if kind(cell) == "slide":                        # a slide opens a section of sections
            assert re.search(rf'<section>\s*<section>\s*<div class="jp-Cell[^"]*" '
                             rf'id="cell-id={re.escape(cell.id)}"', page), cell.id
    slide_cells = sum(kind(c) == "slide" for c in nb.cells)
    assert page.count("<section><section>") + len(
        re.findall(r"<section>\s+<section>", page)) >= slide_cells
    # every script and style sheet is the deck's own (a lesson's links to RFCs may go out)
    loaded = re.findall(r'<script[^>]* src="([^"]+)"|<link[^>]* href="([^"]+)"', page)
    assert loaded and not [u for pair in loaded for u in pair if u.startswith(("http", "//"))]
    if path.parent.name == "zh":
        assert "四次挥手" in page


@pytest.mark.slow                       # chromium, and reveal.js from npm
def test_a_deck_opens_and_pages_with_the_network_off(built):
    """In chromium, every request that is not a file of the deck is refused: the deck still
    starts, has its slides, moves on an arrow key, and shows the lab's snapshot."""
    from playwright.sync_api import sync_playwright
    outside, errors = [], []

    def only_files(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True,
                                    args=CHROMIUM_ARGS)
        try:
            for path in TWO:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                page.route("**/*", only_files)
                page.goto(decks.target(path, built).as_uri())
                page.wait_for_selector(".reveal.ready", timeout=30_000)   # reveal.js started
                nb = nbformat.read(path, as_version=4)
                slides_shown = page.locator(".reveal .slides > section").count()
                assert slides_shown == sum(kind(c) == "slide" for c in nb.cells)
                page.keyboard.press("ArrowRight")
                page.wait_for_function("() => location.hash === '#/1'", timeout=10_000)
                present = page.inner_text(".reveal .slides > section.present")
                assert re.search(r"[\u4e00-\u9fff]" if path.parent.name == "zh" else "TCP",
                                 present)
                assert page.locator(".tcplab-snapshot").count() >= 1   # the lab, as saved
                page.close()
        finally:
            browser.close()
    assert not outside and not errors, (outside, errors)


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
