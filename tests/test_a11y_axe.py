"""The labs and a lesson checked for accessibility in a real JupyterLab (issue 18).

- The keyboard alone drives the labs: Tab moves between their buttons, Space presses one,
  and the lab's ARIA live region says the state change in words.
- axe-core (from the npm registry, installed by tools/npm-assets.sh into .cache/axe-core;
  `make test` runs it) is injected into the page and run on the notebook's output areas,
  the workbook's own outputs (not JupyterLab's own chrome): no serious or critical
  violation; the lesser ones are printed.
Needs what tests/test_browser.py needs, and axe-core; nothing is skipped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from browser_harness import (axe_violations, fresh_notebook, jupyter_server,  # noqa: E402
                             lab_notebook, open_notebook, run_all_cells)

LABS = lab_notebook([
    "from tcplab.widgets import ConnectionLab, ServerLab, StateMachineExplorer\n",
    "display(ConnectionLab(), StateMachineExplorer(), ServerLab())"])
LESSON = "00-start-here.ipynb"          # a lesson with a ConnectionLab, and exercises
SAVED = "saved-" + LESSON              # the same with its committed outputs, as opened
OUTPUTS = ".jp-OutputArea"              # the workbook's own outputs
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def jupyterlab():
    lesson = fresh_notebook(ROOT / "notebooks" / LESSON)
    saved = json.loads((ROOT / "notebooks" / LESSON).read_text(encoding="utf-8"))
    try:
        with jupyter_server({"labs.ipynb": LABS, LESSON: lesson, SAVED: saved}) as server:
            yield server
    except RuntimeError as exc:
        pytest.fail(str(exc))


def check_axe(page, where: str) -> list[dict]:
    """axe on the output areas: fail on a serious or critical violation, print the rest."""
    try:
        found = axe_violations(page, OUTPUTS)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    for v in found:
        print(f"axe, {where}: {v['impact']} {v['id']} ({v['help']}) on {len(v['nodes'])} "
              f"element(s), e.g. {v['nodes'][0]['html'][:160]}")
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(
            f"{n['html']}\n    {n['fix']}" for n in v["nodes"][:5]) for v in blocking)
    return found


def said(page, lab: str, words: str) -> None:
    """Wait until the live region of ``lab`` (a selector) holds ``words``."""
    region = f"{lab} .tcplab-announce[aria-live='polite'][role='status']"
    try:
        page.wait_for_function(
            "([s, w]) => document.querySelector(s)?.textContent.includes(w)",
            arg=[region, words], timeout=20_000)
    except Exception:       # noqa: BLE001 - playwright's timeout, said in words
        text = page.eval_on_selector_all(region, "els => els.map(e => e.textContent)")
        pytest.fail(f"{lab}'s live region says {text!r}, not {words!r}")


def accessible_images(page) -> list[tuple[str, str]]:
    """(name, description) of every image in the page's accessibility tree: what a
    screen reader is given, as Chromium computes it (through the DevTools protocol)."""
    client = page.context.new_cdp_session(page)
    nodes = client.send("Accessibility.getFullAXTree")["nodes"]
    client.detach()
    value = lambda node, key: (node.get(key) or {}).get("value", "")  # noqa: E731
    return [(value(n, "name"), value(n, "description")) for n in nodes
            if value(n, "role") in ("image", "img") and not n.get("ignored")]


def focused_classes(page) -> str:
    return page.evaluate("() => document.activeElement?.className || ''")


def press_on(page, selector: str, key: str = " ") -> None:
    """Focus a button (once it is enabled) and press it with ``key``."""
    page.wait_for_function("(s) => !document.querySelector(s).disabled", arg=selector,
                           timeout=20_000)
    page.focus(selector)
    page.keyboard.press(key)


def test_the_labs_by_keyboard_alone_with_their_changes_said(jupyterlab):
    from playwright.sync_api import sync_playwright
    base, token = jupyterlab
    with sync_playwright() as p:
        browser, page = open_notebook(p, base, token, "/lab/tree/labs.ipynb")
        if not run_all_cells(page):
            pytest.fail("Run All Cells never started the cell")
        try:
            page.wait_for_selector(".tcplab-server-lab", timeout=60_000)
        except Exception:       # noqa: BLE001 - playwright's timeout, said in words
            pytest.fail("the labs did not appear: " + page.inner_text(".jp-Notebook")[-2000:])
        connection = ".tcplab-connection-lab"
        # Tab walks from button to button (disabled ones, such as B's send(), are skipped)
        page.focus(".tcplab-B-listen")
        page.keyboard.press("Tab")
        assert "tcplab-B-connect" in focused_classes(page)
        page.keyboard.press("Shift+Tab")
        assert "tcplab-B-listen" in focused_classes(page)
        page.keyboard.press(" ")
        said(page, connection, "host B: CLOSED → LISTEN")
        press_on(page, ".tcplab-A-connect")
        said(page, connection, "host A: CLOSED → SYN-SENT")
        # play: a named toggle; the events are delivered one by one until nothing is left
        press_on(page, f"{connection} .tcplab-play")
        said(page, connection, "host A: SYN-SENT → ESTABLISHED")
        page.wait_for_function(
            "() => !document.querySelector('.tcplab-play').classList.contains('mod-active')",
            timeout=20_000)
        states = page.eval_on_selector_all(f"{connection} .tcplab-state",
                                           "els => els.map(e => e.textContent)")
        assert states == ["ESTABLISHED", "ESTABLISHED"]
        # the explorer and the server lab
        # Enter presses a focused button too: JupyterLab opens the cell's editor on Enter
        # only when the focus is on the cell itself, not on a control in its output
        press_on(page, ".tcplab-explorer .tcplab-event", "Enter")        # listen()
        said(page, ".tcplab-explorer", "CLOSED --listen")
        assert "tcplab-event" in focused_classes(page)
        assert not page.locator(".jp-Notebook.jp-mod-editMode").count()
        press_on(page, ".tcplab-new-connection")
        said(page, ".tcplab-server-lab", "SYN-SENT")
        press_on(page, ".tcplab-run")
        said(page, ".tcplab-server-lab", "SYN-SENT → ESTABLISHED")
        # a screen reader is given each picture's title as its name and its words as its
        # description: the ladder's says each segment in order
        images = accessible_images(page)
        ladders = [d for n, d in images if n.startswith("Time-sequence diagram of A and B")]
        assert ladders and "A → B SYN, seq=x" in ladders[0], images
        assert "B → A SYN+ACK, seq=y, ack=x+1" in ladders[0], ladders[0]
        assert any(n.startswith("TCP state diagram") and "ESTABLISHED" in d
                   for n, d in images), images
        # every button in the outputs has a name a screen reader can say
        nameless = page.eval_on_selector_all(
            f"{OUTPUTS} button", "els => els.filter(e => e.offsetParent !== null && "
            "!(e.innerText.trim() || e.getAttribute('aria-label'))).map(e => e.outerHTML)")
        assert not nameless, nameless
        check_axe(page, "three labs after a few key presses")
        browser.close()


def show_every_cell(page) -> None:
    """JupyterLab draws only the cells near the viewport: scroll through the notebook."""
    page.evaluate("""async () => {
      const panel = document.querySelector('.jp-WindowedPanel-outer');
      for (let y = 0; y < panel.scrollHeight; y += 600) {
        panel.scrollTo(0, y); await new Promise(r => setTimeout(r, 100)); }
      panel.scrollTo(0, 0); }""")


def test_the_saved_lesson_has_no_serious_axe_violation(jupyterlab):
    """As a student first opens it: the committed outputs, the lab's static snapshot."""
    from playwright.sync_api import sync_playwright
    base, token = jupyterlab
    with sync_playwright() as p:
        browser, page = open_notebook(p, base, token, f"/lab/tree/{SAVED}")
        page.wait_for_selector(".tcplab-snapshot", timeout=60_000, state="attached")
        show_every_cell(page)
        assert page.locator(OUTPUTS).count() >= 5
        check_axe(page, f"{LESSON} as saved")
        browser.close()


def test_a_lesson_with_a_lab_has_no_serious_axe_violation(jupyterlab):
    from playwright.sync_api import sync_playwright
    base, token = jupyterlab
    with sync_playwright() as p:
        browser, page = open_notebook(p, base, token, f"/lab/tree/{LESSON}")
        if not run_all_cells(page):
            pytest.fail("Run All Cells never started the lesson's cells")
        page.wait_for_selector(".tcplab-connection-lab", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=90_000)
        show_every_cell(page)
        outputs = page.locator(OUTPUTS).count()
        assert outputs >= 5, outputs
        check_axe(page, f"{LESSON} run")
        browser.close()
