"""The Chinese edition in a real browser: no Chinese character is drawn as a box.

A Chinese lesson with a lab (notebooks/zh/05-state-machine.ipynb, the state machine
explorer) runs in JupyterLab on 127.0.0.1, driven by Debian's chromium; the page is
screenshot (into pytest's tmp dir: its path is printed) and every Chinese character of
the page is checked against the browser's missing-glyph box (CJK_GLYPHS, in
tools/browser_harness.py; the site test checks the site's Chinese lessons with it too).
The check is itself tested: the same explorer shown by a chromium that has no CJK font (a
fontconfig that knows DejaVu only) must be reported as boxes, character by character.

Needs chromium, playwright and a CJK font (tools/system-deps.sh installs Debian's
fonts-noto-cjk).  Nothing is skipped: what is missing fails and says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from browser_harness import CHROMIUM_ARGS, CJK_GLYPHS, accept_kernel_dialog, jupyter_server, open_notebook  # noqa: E402
from browser_harness import chromium as find_chromium  # noqa: E402

pytestmark = pytest.mark.slow

LESSON = ROOT / "notebooks" / "zh" / "05-state-machine.ipynb"

GLYPHS = CJK_GLYPHS

#: Each Chinese legend text of the explorer's state diagram: the text, how wide the
#: browser draws it, and the cell Graphviz was told to keep for it (width of the <td>).
LEGEND = """
() => [...document.querySelectorAll(".tcplab-explorer svg text")]
  .filter(e => e.getAttribute("font-size") === "10.00" && /[\\u4e00-\\u9fff]/.test(e.textContent))
  .map(e => [e.textContent, e.getComputedTextLength(), getComputedStyle(e).fontFamily])
"""


def chromium() -> str:
    try:
        return find_chromium()
    except RuntimeError as exc:      # not skipped: the suite needs the browser
        pytest.fail(str(exc))


def cjk_font_installed() -> None:
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                           text=True).stdout
    if "Noto Sans CJK" not in found:
        pytest.fail("no CJK font: install Debian's fonts-noto-cjk (tools/system-deps.sh)")


def fresh(path: Path) -> dict:
    """The notebook without its outputs: what the browser shows comes from this run."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return nb


def run_all(page) -> None:
    """Run All Cells, again until the first cell has started: on a busy machine the
    kernel may still be connecting when the page says idle, and the click is lost."""
    started = ("() => [...document.querySelectorAll('.jp-InputPrompt')]"
               ".some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))")
    for attempt in range(6):
        accept_kernel_dialog(page)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        try:
            page.wait_for_function(started, timeout=20_000)
            return
        except Exception:
            page.keyboard.press("Escape")
    pytest.fail("Run All Cells never started the lesson's cells (six tries, 20 s each)")


@pytest.fixture(scope="module")
def explorer_page(tmp_path_factory):
    """JupyterLab has run the Chinese lesson 05: (its explorer's HTML, the glyph check of
    the page, the legend measured, the screenshot's path)."""
    from playwright.sync_api import sync_playwright
    cjk_font_installed()
    shots = tmp_path_factory.mktemp("zh-screenshots")
    try:
        server = jupyter_server({"05-state-machine.ipynb": fresh(LESSON)})
        base, token = server.__enter__()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        with sync_playwright() as p:
            browser, page = open_notebook(p, base, token, "/lab/tree/05-state-machine.ipynb")
            run_all(page)
            try:
                page.wait_for_selector(".tcplab-explorer", timeout=180_000)
            except Exception:
                page.screenshot(path=str(shots / "failure.png"))
                pytest.fail(f"the explorer did not appear (screenshot: "
                            f"{shots / 'failure.png'})")
            explorer = page.locator(".tcplab-explorer")
            explorer.scroll_into_view_if_needed()
            # a student's clicks: LISTEN, then an illegal ACK, refused in Chinese
            explorer.get_by_role("button", name="listen()", exact=True).click()
            explorer.get_by_role("button", name="ACK", exact=True).click()
            page.wait_for_selector(".tcplab-explorer .tcplab-message.tcplab-error",
                                   timeout=20_000)
            page.wait_for_timeout(300)
            shot = shots / "zh-05-explorer.png"
            explorer.screenshot(path=str(shot))
            page.screenshot(path=str(shots / "zh-05-page.png"))
            print(f"\nscreenshots: {shot} and {shots / 'zh-05-page.png'}")
            result = {"html": explorer.evaluate("e => e.outerHTML"),
                      "page": page.evaluate(GLYPHS, None),
                      "explorer": page.evaluate(GLYPHS, ".tcplab-explorer"),
                      "legend": page.evaluate(LEGEND),
                      "message": page.inner_text(".tcplab-explorer .tcplab-message"),
                      "shot": shot}
            browser.close()
    finally:
        server.__exit__(None, None, None)
    return result


def test_no_chinese_character_of_the_lesson_is_a_box(explorer_page):
    page, explorer = explorer_page["page"], explorer_page["explorer"]
    assert explorer_page["shot"].stat().st_size > 10_000
    # the lesson's prose, the explorer's words and its diagram's legend were all checked
    assert page["nodes"] >= 50 and page["checked"] >= 300, page
    assert explorer["nodes"] >= 8, explorer
    assert page["boxed"] == [], page["boxed"][:20]
    assert explorer["boxed"] == []


def test_the_explorer_speaks_chinese_in_the_browser(explorer_page):
    html = explorer_page["html"]
    for words in ("应用进程的调用", "收到报文段", "计时器超时", "撤销", "只启用合法的事件",
                  "客户的常规路径", "其他状态转换"):
        assert words in html, words
    assert "LISTEN" in explorer_page["message"] and "不合法" in explorer_page["message"]


def test_the_legend_fits_the_cells_graphviz_kept_for_it(explorer_page):
    from tcplab.diagrams.fonts import text_width
    legend = explorer_page["legend"]
    assert len(legend) == 4, legend
    for text, drawn, fonts in legend:
        assert "Noto Sans CJK SC" in fonts
        cell = round(text_width(text, 10) + 2)     # the <td width> of state._legend
        assert drawn <= cell, (text, drawn, cell)
        assert drawn > 0.8 * cell, (text, drawn, cell)   # and the cell is not far too big


def test_the_check_finds_boxes_when_no_cjk_font_is_there(explorer_page, tmp_path):
    """The same explorer in a chromium whose fontconfig knows DejaVu only: every Chinese
    character is a box, and the check must say so."""
    from playwright.sync_api import sync_playwright
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    "<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir>"
                    f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    with sync_playwright() as p:
        found = {}
        for name, environment in (("with CJK", None), ("without CJK", env)):
            browser = p.chromium.launch(executable_path=chromium(), headless=True,
                                        args=CHROMIUM_ARGS, env=environment)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_content(f"<html><body>{explorer_page['html']}</body></html>")
            found[name] = page.evaluate(GLYPHS, None)
            page.screenshot(path=str(tmp_path / f"explorer-{name.replace(' ', '-')}.png"))
            browser.close()
    print(f"\nscreenshots: {tmp_path}")
    assert found["with CJK"]["checked"] >= 50 and found["with CJK"]["boxed"] == []
    without = found["without CJK"]
    assert without["checked"] == found["with CJK"]["checked"]
    assert len(without["boxed"]) == without["checked"], without["boxed"][:5]
