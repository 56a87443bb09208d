"""Drive the built site in Debian's chromium: open a lesson, wait for the kernel, run all
cells, and read back what the page holds.  Used by tests/test_site.py and
benchmarks/bench_site.py.

    with SiteBrowser(site_dir) as b:
        run = b.run_notebook("01-three-way-handshake.ipynb")   # a Run
        b.outside                                              # requests not for the site

The notebook is read back from JupyterLab's own model (``window.jupyterapp``, exposed by
the site's jupyter-lite.json), so outputs are compared as data, not as prose.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .serve import serve

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from browser_harness import CHROMIUM_ARGS, chromium  # noqa: E402

#: JS: the notebook panel in front, its kernel's status
_KERNEL = """() => { const w = window.jupyterapp?.shell?.currentWidget;
  const k = w?.sessionContext?.session?.kernel;
  return k ? k.status : null; }"""

#: JS: is anything still running or queued (a prompt showing [*])?
_BUSY = """() => { const w = window.jupyterapp?.shell?.currentWidget;
  const k = w?.sessionContext?.session?.kernel;
  if (!k || k.status !== 'idle') return true;
  return w.content.widgets.some(c => c.model.type === 'code' &&
      (c.node.querySelector('.jp-InputPrompt')?.textContent || '').includes('*')); }"""

#: JS: the index of the cell after the last one run, if that one raised and is tagged
#: raises-exception and cells after it were left unrun; else null
_INTENDED_STOP = """() => { const w = window.jupyterapp.shell.currentWidget;
  const cells = w.content.model.toJSON().cells;
  let last = -1;
  cells.forEach((c, i) => { if (c.cell_type === 'code' && c.execution_count) last = i; });
  const c = cells[last];
  if (!c || !(c.metadata.tags || []).includes('raises-exception') ||
      !c.outputs.some(o => o.output_type === 'error')) return null;
  const rest = cells.slice(last + 1).some(c => c.cell_type === 'code' && !c.execution_count
                                              && c.source.trim());
  return rest ? last + 1 : null; }"""

#: JS: Run ▸ Run Selected Cell and All Below, from cell ``i``
_RUN_BELOW = """(i) => { const app = window.jupyterapp;
  app.shell.currentWidget.content.activeCellIndex = i;
  return app.commands.execute('notebook:run-all-below'); }"""

#: JS: every cell as nbformat JSON, and what each cell shows on the page
_READ = """() => { const w = window.jupyterapp.shell.currentWidget;
  const cells = w.content.model.toJSON().cells;
  const shown = w.content.widgets.map(c => ({
    pictures: c.node.querySelectorAll('.jp-OutputArea svg, .jp-OutputArea img').length,
    text: (c.node.querySelector('.jp-OutputArea')?.innerText || '').slice(0, 4000)}));
  return {cells, shown}; }"""


#: Runs code in the current notebook's kernel through JupyterLab's own API (the app is
#: exposed to the page by jupyter-lite.json's exposeAppInBrowser).
_EXECUTE = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, store_history: false});
  const out = [];
  future.onIOPub = (msg) => {
    const c = msg.content, kind = msg.header.msg_type;
    if (kind === 'stream') out.push(c.text);
    else if (kind === 'execute_result' || kind === 'display_data')
      out.push(c.data['text/plain'] || '');
    else if (kind === 'error') out.push(c.ename + ': ' + c.evalue);
  };
  await future.done;
  return out.join('');
}"""


@dataclass
class Run:
    """One notebook, opened and run in the browser."""

    notebook: str
    ready_s: float = float("nan")        # from opening the page to the kernel idle
    #: ready_s in three: the page until it asks for the kernel's worker ("page"), until the
    #: last wheel has reached the worker ("runtime and wheels": Pyodide's download and
    #: start), until the kernel is idle ("imports": installing and importing)
    split: dict = field(default_factory=dict)
    run_s: float = float("nan")          # from Run All Cells to nothing left running
    cells: list = field(default_factory=list)     # nbformat cells, outputs as the page has them
    shown: list = field(default_factory=list)     # per cell: pictures drawn, text shown
    console: list = field(default_factory=list)   # the page's console errors
    failure: str = ""                    # why the run itself could not finish


class SiteBrowser:
    """One chromium, a fresh context and page per notebook, the site served from a
    thread."""

    def __init__(self, site: Path, width: int = 1400, height: int = 1000):
        self.site, self.viewport = site, {"width": width, "height": height}
        self.outside: list[str] = []

    def __enter__(self):
        from playwright.sync_api import sync_playwright
        self._serving = serve(self.site)
        self.base = self._serving.__enter__()
        self._pw = sync_playwright().start()
        # Nothing outside the site can be reached: every host name but 127.0.0.1 fails to
        # resolve.  Every request the context sees (pages, the kernel's web worker, the
        # service worker) is also written down when it is not for the site.  (Request
        # interception could do both, but it turns off the HTTP cache a student's browser
        # has.)
        self.browser = self._pw.chromium.launch(
            executable_path=chromium(), headless=True,
            args=CHROMIUM_ARGS + ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        self.context = self.new_context()
        return self

    def __exit__(self, *exc):
        self.browser.close()
        self._pw.stop()
        self._serving.__exit__(*exc)

    def new_context(self):
        """A browser context as on a first visit: empty storage and cache.

        One per lesson: JupyterLab restores the notebooks open in the last visit (from
        the browser storage) and starts their kernels too, which would make each lesson
        slower to open than the one before.  Service workers are allowed, as for a
        student: JupyterLite's lets the kernel read the notebooks' folder.
        """
        context = self.browser.new_context(viewport=self.viewport, service_workers="allow")
        context.on("request", self._seen)
        return context

    def _mine(self, url: str) -> bool:
        return url.startswith((self.base + "/", "data:", "blob:"))

    def _seen(self, request):
        if not self._mine(request.url) and request.url not in self.outside:
            self.outside.append(request.url)

    def url(self, notebook: str) -> str:
        return f"{self.base}/lab/index.html?path={notebook}"

    def open(self, notebook: str, timeout_s: float = 120) -> tuple:
        """A new page on ``notebook`` in a context of its own, once its kernel is idle:
        (page, Run).  Close it with :meth:`close`."""
        run = Run(notebook)
        context = self.new_context()
        marks: dict[str, float] = {}
        context.on("request", lambda r: marks.setdefault("worker", time.perf_counter())
                   if "/pyodide-kernel-extension/static/comlink.worker." in r.url else None)
        context.on("requestfinished", lambda r: marks.__setitem__(
            "wheels", time.perf_counter()) if r.url.split("?")[0].endswith(".whl") else None)
        page = context.new_page()
        page.on("console", lambda m: run.console.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: run.console.append(str(e)))
        t0 = time.perf_counter()
        page.goto(self.url(notebook))
        page.wait_for_function(f"() => ({_KERNEL})() === 'idle'", timeout=timeout_s * 1000,
                               polling=100)
        ready = time.perf_counter()
        run.ready_s = ready - t0
        if {"worker", "wheels"} <= set(marks):
            run.split = {"page": marks["worker"] - t0,
                         "runtime and wheels": marks["wheels"] - marks["worker"],
                         "imports": ready - marks["wheels"]}
        return page, run

    def run_all(self, page, run: Run, timeout_s: float = 300) -> Run:
        """Run ▸ Run All Cells, then wait until nothing is running or queued.

        A cell tagged ``raises-exception`` raises on purpose, but the kernel still drops
        the cells queued behind it (stop_on_error): as a student would, go on with Run ▸
        Run Selected Cell and All Below from the next cell.
        """
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        deadline = time.perf_counter() + timeout_s
        run.run_s = self._wait_quiet(page, run, deadline)
        while not run.failure and (resume := page.evaluate(_INTENDED_STOP)) is not None:
            page.evaluate(_RUN_BELOW, resume)
            run.run_s += self._wait_quiet(page, run, deadline)
        data = page.evaluate(_READ)
        run.cells, run.shown = data["cells"], data["shown"]
        return run

    def _wait_quiet(self, page, run: Run, deadline: float) -> float:
        """Seconds from now until nothing runs (seen after a further second of quiet)."""
        t0 = time.perf_counter()
        page.wait_for_timeout(300)
        quiet_since = None
        while time.perf_counter() < deadline:
            if page.evaluate(_BUSY):
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.perf_counter()
            elif time.perf_counter() - quiet_since > 1.0:     # idle and nothing queued
                break
            page.wait_for_timeout(100)
        else:
            run.failure = "still running at the time limit"
        return (quiet_since or time.perf_counter()) - t0

    def run_notebook(self, notebook: str, keep_page: bool = False):
        """Open and run one notebook: a Run (and the page if ``keep_page``)."""
        page, run = self.open(notebook)
        self.run_all(page, run)
        if keep_page:
            return run, page
        self.close(page)
        return run

    @staticmethod
    def execute(page, code: str) -> str:
        """Run ``code`` in the kernel of the notebook open in ``page``, outside its cells:
        what it printed (and its errors, as "Name: value")."""
        return page.evaluate(_EXECUTE, code)

    @staticmethod
    def close(page) -> None:
        """Close a page of :meth:`open`, and its context."""
        page.context.close()
