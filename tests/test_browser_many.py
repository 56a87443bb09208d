"""The ServerLab in a real browser: JupyterLab on 127.0.0.1, driven by headless Chromium,
with the mouse and with the keyboard alone (focus a button and press Space; the picker
with the arrow keys).  Needs what tests/test_browser.py needs; nothing is skipped."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from browser_harness import CHROMIUM_ARGS, jupyter_server, lab_notebook, run_first_cell  # noqa: E402
from browser_harness import chromium as find_chromium  # noqa: E402

NOTEBOOK = lab_notebook(["from tcplab.widgets import ServerLab\n",
                         "lab = ServerLab()\n", "lab"])


@pytest.fixture(scope="module")
def jupyterlab():
    try:
        with jupyter_server({"server.ipynb": NOTEBOOK}, app="lab") as server:
            yield server
    except RuntimeError as exc:
        pytest.fail(str(exc))


def states(page) -> str:
    return page.eval_on_selector_all(".tcplab-server-lab .tcplab-state",
                                     "els => els.map(e => e.textContent).join(',')")


def wait_states(page, text: str) -> None:
    try:
        page.wait_for_function(
            "(want) => [...document.querySelectorAll('.tcplab-server-lab .tcplab-state')]"
            ".map(e => e.textContent).join(',').startsWith(want)", arg=text, timeout=20_000)
    except Exception:
        pytest.fail(f"the ends' states are {states(page)!r}, not {text!r}; the lab says "
                    f"{page.inner_text('.tcplab-server-lab')[:600]!r}")


def wait_enabled(page, selector: str) -> None:
    page.wait_for_function("(s) => !document.querySelector(s).disabled", arg=selector,
                           timeout=20_000)


def test_server_lab_in_jupyterlab_by_mouse_and_keyboard(jupyterlab):
    from playwright.sync_api import sync_playwright
    base, token = jupyterlab
    try:
        chromium = find_chromium()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda e: errors.append(f"{e}"[:600]))
        page.goto(f"{base}/lab/tree/server.ipynb?token={token}&reset")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=60_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        if not run_first_cell(page, ".tcplab-server-lab"):
            pytest.fail("the lab did not appear: " + page.inner_text(".jp-Notebook")[-2000:])

        # the mouse: two connections, run, accept the oldest
        page.click(".tcplab-new-connection")
        page.wait_for_timeout(200)
        page.click(".tcplab-new-connection")
        wait_states(page, "SYN-SENT,no connection")     # the server's end: not there yet
        page.click(".tcplab-run")
        page.wait_for_function(
            "() => document.querySelector('.tcplab-server-summary')"
            "?.textContent.includes('2 connections (2 ESTABLISHED)')", timeout=20_000)
        page.click(".tcplab-accept")
        wait_enabled(page, ".tcplab-server-close")       # accepted: the server may call
        assert states(page) == "ESTABLISHED,ESTABLISHED"  # (client end, server end)
        # the keyboard alone: focus the server end's close() and press Space (Enter is
        # JupyterLab's own key in a notebook: it opens the cell's editor)
        page.focus(".tcplab-server-close")
        page.keyboard.press(" ")
        # the FIN is on the wire: "deliver next" comes alive (a disabled button takes no focus)
        wait_enabled(page, ".tcplab-step")
        page.focus(".tcplab-step")
        page.keyboard.press(" ")
        wait_states(page, "CLOSE-WAIT,FIN-WAIT-1")
        # the other connection, from the keyboard: "next" (in a notebook the arrow keys
        # move between cells, so they cannot walk the picker)
        page.focus(".tcplab-next")
        page.keyboard.press(" ")
        wait_states(page, "ESTABLISHED,ESTABLISHED (not accepted yet")
        assert page.locator(".tcplab-server-close").is_disabled()
        # and back with the picker itself, by mouse
        first = page.eval_on_selector(".tcplab-picker select", "e => e.options[0].value")
        page.select_option(".tcplab-picker select", value=first)
        wait_states(page, "CLOSE-WAIT,FIN-WAIT-1")
        # every button has an accessible name (its text) and a tooltip (title)
        names = page.eval_on_selector_all(
            ".tcplab-server-lab button",
            "els => els.map(e => [e.innerText.trim() || e.getAttribute('aria-label') || '',"
            " e.getAttribute('title') || ''])")
        assert names and all(n and t for n, t in names if n not in ("this connection",
                                                                     "all connections")), names
        browser.close()
    assert not errors, errors
