"""The labs in a real browser: JupyterLab on 127.0.0.1, driven by headless Chromium.

Needs Debian's chromium (/usr/bin/chromium; `.ci/run` installs it) and the
Python package playwright (in the test extra).  Nothing is skipped: if the
browser is missing, the test fails and says what to install.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]
SHOTS = Path(os.environ.get("TCPLAB_SCREENSHOTS", "")) if os.environ.get(
    "TCPLAB_SCREENSHOTS") else None

LAB_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "execution_count": None, "id": "lab", "metadata": {},
         "outputs": [],
         "source": ["from tcplab.widgets import ConnectionLab\n", "lab = ConnectionLab()\n",
                    "lab"]},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3 (tcplab)", "language": "python",
                                "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def chromium() -> str:
    for path in CHROMIUM_CANDIDATES:
        if os.path.exists(path):
            return path
    pytest.fail("the browser tests need Debian's chromium: apt-get install chromium "
                "(.ci/run installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp_path_factory, app: str):
    root = tmp_path_factory.mktemp("lab")
    (root / "lab.ipynb").write_text(json.dumps(LAB_NOTEBOOK))
    settings = tmp_path_factory.mktemp("settings")
    if app == "lab":   # no news pop-up (Notebook 7 has no such plugin: it errors on it)
        notif = settings / "@jupyterlab" / "apputils-extension"
        notif.mkdir(parents=True)
        (notif / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = free_port(), "tcplab-test-token"
    # the kernel must be this Python (the one with tcplab), whatever "python" is on PATH
    bindir = str(Path(sys.executable).parent)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path_factory.mktemp("ws")),
               PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", app, "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
         "--allow-root", "--ServerApp.open_browser=False"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    err = proc.stderr.read().decode() if proc.poll() is not None else ""
                    pytest.fail(f"jupyter {app} did not start: {err[-2000:]}")
                time.sleep(0.3)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    yield from start_server(tmp_path_factory, "lab")


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory):
    yield from start_server(tmp_path_factory, "notebook")


def test_connection_lab_in_jupyterlab(jupyterlab):
    drive_lab(*jupyterlab, "/lab/tree/lab.ipynb", "connection-lab.png")


def test_connection_lab_in_notebook_7(notebook7):
    drive_lab(*notebook7, "/notebooks/lab.ipynb", "connection-lab-notebook7.png")


def drive_lab(base, token, path, shot):
    from playwright.sync_api import sync_playwright
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True,
                                    args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: errors.append(f"{m.text} @ {m.location.get('url')}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"{e} {e.stack or ''}"[:600]))
        page.goto(f"{base}{path}?token={token}&reset")
        page.wait_for_selector(".jp-Notebook", timeout=60_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=60_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)

        def run_all():
            # a "Select Kernel" dialog may come up while the kernel list loads: accept it
            select = page.locator(".jp-Dialog button.jp-mod-accept")
            if select.count():
                select.first.click()
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_text("Run All Cells", exact=True).click()

        if "/notebooks/" in path:
            # Notebook 7.6 itself reports "Cannot read properties of undefined (reading
            # 'schema')" while loading its settings, on any page, before anything of ours
            # runs; what counts is what happens from here on
            errors[:] = [e for e in errors if "reading 'schema'" not in e]
        try:
            # the kernel may still be connecting when the page says idle: try twice
            for attempt in range(2):
                run_all()
                try:
                    page.wait_for_selector(".tcplab-connection-lab", timeout=30_000)
                    break
                except Exception:
                    if attempt:
                        raise
        except Exception:
            page.screenshot(path=str(Path(os.environ.get("TMPDIR", "/tmp")) /
                                     "tcplab-browser-failure.png"))
            outputs = page.inner_text(".jp-Notebook")
            pytest.fail(f"the lab did not appear; the notebook shows:\n{outputs[-3000:]}")

        def press(selector):
            page.click(selector)
            page.wait_for_timeout(150)

        press(".tcplab-B-listen")
        press(".tcplab-A-connect")
        for _ in range(3):
            page.get_by_role("button", name="deliver next").click()
            page.wait_for_timeout(150)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.tcplab-state')]"
            ".map(e => e.textContent).join(',') === 'ESTABLISHED,ESTABLISHED'",
            timeout=20_000)
        styles = page.eval_on_selector_all(
            ".tcplab-connection-lab svg style", "els => els.map(e => e.textContent)")
        assert sum("#state-ESTABLISHED path {fill: #fff3c4" in s for s in styles) == 2
        # the highlighted box is really drawn in the highlight colour by the browser
        fills = page.eval_on_selector_all(
            ".tcplab-connection-lab g#state-ESTABLISHED path",
            "els => els.map(e => getComputedStyle(e).fill)")
        assert fills and all(f == "rgb(255, 243, 196)" for f in fills)
        # an illegal call, with all buttons enabled, is refused in words
        page.get_by_text("only legal calls enabled").click()
        press(".tcplab-A-connect")
        page.wait_for_selector(".tcplab-message.tcplab-error", timeout=10_000)
        message = page.inner_text(".tcplab-message.tcplab-error")
        assert "connect() is not legal in state ESTABLISHED" in message
        if SHOTS:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / shot), full_page=True)
        browser.close()
    assert not [e for e in errors if "favicon" not in e], errors
