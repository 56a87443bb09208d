"""The new kinds of exercise as a student sees them in JupyterLab (headless Chromium).

- The saved lesson 01, opened as a student gets it (not run, so untrusted and sanitized):
  the demonstration behind the prediction is folded (its summary visible, its picture
  not), the trace exercise's table shows its blanks.
- Run by the student: a prediction, then the reveal, which opens with the comparison.
Needs what tests/test_browser.py needs; nothing is skipped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from browser_harness import jupyter_server, lab_notebook, open_notebook, run_first_cell  # noqa: E402

PREDICT = lab_notebook([
    "import tcplab\n",
    "from tcplab import checks, Network\n",
    "net = Network(seed=0, delay=0.1)\n",
    "a, b = net.host('A', iss=100), net.host('B', iss=300)\n",
    "b.listen(); a.connect('B'); net.run(until=0.15)\n",
    "checks.predict('predict-b-after-syn', state='SYN-RECEIVED', bits='SYN+ACK')\n",
    "display(checks.reveal('predict-b-after-syn', tcplab.sequence_diagram(net)))\n",
    "checks.ask('trace-handshake')"])


#: an element (selector, text it holds) scrolled into view; else the notebook scrolled on,
#: since JupyterLab renders only the cells near the viewport
FIND = """([selector, text]) => {
  const found = [...document.querySelectorAll(selector)]
      .find(e => e.textContent.includes(text));
  if (found) { found.scrollIntoView(); return true; }
  const panel = document.querySelector('.jp-WindowedPanel-outer') ||
                document.querySelector('.jp-Notebook');
  panel.scrollBy(0, 600);
  return false;
}"""


@pytest.fixture(scope="module")
def jupyterlab():
    lesson = json.loads((ROOT / "notebooks" / "01-three-way-handshake.ipynb").read_text())
    try:
        with jupyter_server({"lesson.ipynb": lesson, "predict.ipynb": PREDICT}) as server:
            yield server
    except RuntimeError as exc:
        pytest.fail(str(exc))


def test_the_saved_lesson_folds_the_demonstration_and_shows_the_blanks(jupyterlab):
    from playwright.sync_api import sync_playwright
    base, token = jupyterlab
    with sync_playwright() as p:
        browser, page = open_notebook(p, base, token, "/lab/tree/lesson.ipynb")
        page.wait_for_function(FIND, arg=["details.tcplab-reveal", "make your prediction"],
                               timeout=60_000, polling=250)
        folded = page.locator("details.tcplab-reveal").first
        assert folded.get_attribute("open") is None
        folded.scroll_into_view_if_needed()
        summary = folded.locator(":scope > summary")   # its own, not a picture's words
        assert summary.is_visible() and "make your prediction" in summary.inner_text()
        picture = folded.locator("img")
        assert picture.count() == 1 and not picture.is_visible()   # behind the fold
        summary.click()                                            # a student may look anyway
        page.wait_for_function(
            "() => document.querySelector('details.tcplab-reveal').open", timeout=10_000)
        assert picture.is_visible()
        page.wait_for_function(FIND, arg=["table.tcplab-segments", "ack2=?"], timeout=60_000,
                               polling=250)
        blanks = page.locator("table.tcplab-segments", has_text="ack2=?").first
        assert blanks.is_visible()
        browser.close()


def test_a_prediction_opens_the_reveal_with_the_comparison(jupyterlab):
    from playwright.sync_api import sync_playwright
    base, token = jupyterlab
    with sync_playwright() as p:
        browser, page = open_notebook(p, base, token, "/lab/tree/predict.ipynb")
        if not run_first_cell(page, "details.tcplab-reveal[open]"):
            pytest.fail("no reveal: " + page.inner_text(".jp-Notebook")[-2000:])
        opened = page.locator("details.tcplab-reveal[open]")
        assert "Your prediction was right" in opened.inner_text()
        assert opened.locator("img").is_visible()
        assert page.locator("table.tcplab-segments").is_visible()
        browser.close()
