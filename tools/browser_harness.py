"""Start JupyterLab or Notebook 7 on 127.0.0.1 for a browser test or benchmark.

    from browser_harness import chromium, CHROMIUM_ARGS, jupyter_server
    with jupyter_server(root, notebooks={"lab.ipynb": nb}) as (base, token): ...

Used by tests/test_browser.py and benchmarks/bench_browser.py (tools/ on sys.path).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-quic"]


def chromium() -> str:
    """Debian's chromium, or RuntimeError saying how to install it."""
    for path in CHROMIUM_CANDIDATES:
        if os.path.exists(path):
            return path
    raise RuntimeError("the browser tests need Debian's chromium: apt-get install chromium "
                       "(tools/system-deps.sh installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_notebook(source: list[str]) -> dict:
    """A one-cell notebook on this Python's kernel."""
    return {"cells": [{"cell_type": "code", "execution_count": None, "id": "lab",
                       "metadata": {}, "outputs": [], "source": source}],
            "metadata": {"kernelspec": {"display_name": "Python 3 (tcplab)",
                                        "language": "python", "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


@contextmanager
def jupyter_server(notebooks: dict[str, dict], app: str = "lab", token: str = "tcplab"):
    """Serve ``notebooks`` (name → notebook JSON) with ``jupyter app``; yields (url, token).

    RuntimeError if the server does not answer within 60 s.
    """
    with tempfile.TemporaryDirectory(prefix=f"tcplab-{app}-") as tmp:
        root, settings, workspaces = (Path(tmp) / d for d in ("root", "settings", "ws"))
        for d in (root, settings, workspaces):
            d.mkdir()
        for name, nb in notebooks.items():
            (root / name).write_text(json.dumps(nb))
        if app == "lab":   # no news pop-up (Notebook 7 has no such plugin: it errors on it)
            notif = settings / "@jupyterlab" / "apputils-extension"
            notif.mkdir(parents=True)
            (notif / "notification.jupyterlab-settings").write_text(
                json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        port = free_port()
        # the kernel must be this Python (the one with tcplab), whatever "python" is on PATH
        bindir = str(Path(sys.executable).parent)
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTERLAB_WORKSPACES_DIR=str(workspaces),
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
                        raise RuntimeError(f"jupyter {app} did not start: {err[-2000:]}")
                    time.sleep(0.3)
            yield base, token
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def accept_kernel_dialog(page) -> None:
    """If JupyterLab's "Select Kernel" dialog is up (it comes, sometimes late, while the
    kernel list loads on a busy machine), accept the kernel it offers: otherwise the dialog
    intercepts the clicks that follow.  Call it before each step that clicks."""
    button = page.locator(".jp-Dialog button.jp-mod-accept")
    if button.count():
        try:
            button.first.click(timeout=5_000)
        except Exception:       # it closed by itself in the meantime: nothing to accept
            pass


#: Has the first cell been queued or run?  Its prompt reads "[*]:" or "[1]:" then; a
#: key press that was lost leaves "[ ]:".
FIRST_CELL_TAKEN = """() => {
  const prompt = document.querySelector('.jp-Notebook .jp-Cell .jp-InputPrompt');
  return !!prompt && /\\[(\\*|\\d+)\\]/.test(prompt.textContent);
}"""


def run_first_cell(page, shows: str, timeout: int = 90_000) -> bool:
    """Run a notebook's first cell (Ctrl+Enter in its editor) until ``shows``, a selector,
    appears; False if it never appears.

    A key press can be lost: a kernel dialog that came late, an editor not ready for
    keys yet on a busy machine.  Whether the cell was taken shows in its prompt within
    seconds, so a lost press is tried again at once (waiting out the whole ``timeout``
    for it cost a fresh-clone run 90 s a test)."""
    for _attempt in range(3):
        accept_kernel_dialog(page)
        page.locator(".jp-Notebook .jp-Cell .jp-InputArea-editor").first.click()
        page.keyboard.press("Control+Enter")
        try:
            page.wait_for_function(FIRST_CELL_TAKEN, timeout=15_000)
            page.wait_for_selector(shows, timeout=timeout)
            return True
        except Exception:       # noqa: BLE001 - playwright's timeout: try again
            continue
    return False


def open_notebook(playwright, base: str, token: str, path: str, width: int = 1400,
                  height: int = 1000):
    """Chromium on a notebook of a running JupyterLab (``path`` such as
    "/lab/tree/x.ipynb"), once the notebook is shown and its kernel idle: (browser, page)."""
    browser = playwright.chromium.launch(executable_path=chromium(), headless=True,
                                         args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{base}{path}?token={token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=60_000)
    return browser, page


#: Which Chinese characters of the page are drawn as a missing-glyph box?  Each is drawn
#: on a canvas in the font of its element and compared with U+0378 (unassigned: no font
#: has it, so the browser draws the .notdef glyph, the box).  A Chinese character comes
#: out identical exactly when no font of the list nor any fallback font of the system has
#: it; a blank drawing counts as missing too (some fonts' .notdef is empty).
#: document.fonts.check() cannot tell: it answers about web fonts to load, and says true
#: for a system font list whether or not it has the glyphs.
CJK_GLYPHS = """
(scope) => {
  const CJK = /[\\u3001-\\u303f\\u3400-\\u9fff\\uff00-\\uffef]/;
  const size = 40;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size + 16;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (ch, font) => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = font;
    ctx.textBaseline = "top";
    ctx.fillStyle = "#000";
    ctx.fillText(ch, 4, 4);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0, ink = 0;
    for (let i = 3; i < data.length; i += 4) {
      hash = (hash * 31 + data[i] * (i + 1)) | 0;
      ink += data[i];
    }
    return ink ? String(hash) : "blank";
  };
  const root = scope ? document.querySelector(scope) : document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const seen = new Set(), notdef = {}, boxed = [];
  let nodes = 0, checked = 0;
  for (let n; (n = walker.nextNode());) {
    const el = n.parentElement;
    if (!el || !CJK.test(n.nodeValue) || el.closest("script, style, title, desc")) continue;
    nodes += 1;
    const cs = getComputedStyle(el);
    const font = `${cs.fontStyle} ${cs.fontWeight} ${size}px ${cs.fontFamily}`;
    if (!(font in notdef)) notdef[font] = draw("\\u0378", font);
    for (const ch of n.nodeValue) {
      if (!CJK.test(ch) || seen.has(font + ch)) continue;
      seen.add(font + ch);
      checked += 1;
      const img = draw(ch, font);
      if (img === "blank" || img === notdef[font])
        boxed.push(ch + " in " + cs.fontFamily + ": " + n.nodeValue.slice(0, 30));
    }
  }
  return {nodes, checked, boxed};
}
"""


def fresh_notebook(path: Path) -> dict:
    """The notebook at ``path`` without its outputs: what the browser shows comes from
    this run."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return nb


def run_all_cells(page, tries: int = 6) -> bool:
    """Run ▸ Run All Cells, again until the first cell has started (on a busy machine the
    kernel may still be connecting when the page says idle, and the click is lost).
    False if no cell ever started."""
    started = ("() => [...document.querySelectorAll('.jp-InputPrompt')]"
               ".some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))")
    for _attempt in range(tries):
        accept_kernel_dialog(page)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        try:
            page.wait_for_function(started, timeout=20_000)
            return True
        except Exception:       # noqa: BLE001 - playwright's timeout: try again
            page.keyboard.press("Escape")
    return False


#: axe-core, installed by tools/npm-assets.sh (`make test` runs it) from the npm registry
AXE_JS = Path(__file__).resolve().parents[1] / ".cache" / "axe-core" / "node_modules" / \
    "axe-core" / "axe.min.js"

#: axe.run on the page's elements matching a selector: its violations, each with the
#: nodes' HTML (cut short) and what to fix
AXE_RUN = """async (selector) => {
  const result = await axe.run({include: [[selector]]}, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({html: n.html.slice(0, 300), fix: n.failureSummary}))}));
}"""


def axe_violations(page, selector: str) -> list[dict]:
    """Inject axe-core into ``page`` (once) and run it on the elements matching
    ``selector``: the violations found.  RuntimeError if axe-core is not installed."""
    if not AXE_JS.exists():
        raise RuntimeError(f"axe-core is missing ({AXE_JS}): run bash tools/npm-assets.sh "
                           "(make test does)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN, selector)
