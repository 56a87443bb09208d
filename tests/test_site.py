"""The browser-only site (JupyterLite, Pyodide kernel), built and driven in chromium.

Builds the site (`make site`'s code, downloads cached in .cache/site/), serves it on
127.0.0.1, opens EVERY notebook of notebooks/ at lab/index.html?path=<nb>, runs all cells
and compares the page with the committed notebook: the same errors (only the lessons'
intended ones), a picture wherever the saved output has one, no widget that failed to
display, no request to anywhere but the site.  On lesson 01 its handshake lab is clicked
through until both hosts are ESTABLISHED.  Needs Debian's chromium (tools/system-deps.sh)
and the `site` extra (in the test extra).
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools.browser_harness import CJK_GLYPHS  # noqa: E402
from tools.site import build, drive  # noqa: E402

NOTEBOOKS = build.notebooks(ROOT)
#: the lesson whose first ConnectionLab is "the handshake, about to happen" (two hosts)
HANDSHAKE_LAB = "01-three-way-handshake.ipynb"
#: the lesson whose lab is the StateMachineExplorer (one endpoint, a button per event)
EXPLORER_LAB = "05-state-machine.ipynb"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Python run in the kernel after a lesson: the top-level modules it holds
MODULES = ("import json, sys\n"
           "print(json.dumps(sorted({m.split('.')[0] for m in list(sys.modules)})))")
#: notebook → the top-level modules its kernel held after Run All (filled as they run)
LOADED: dict[str, set[str]] = {}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "_site"
    build.build_in_site_env(out, ROOT / ".cache" / "site")
    return out


@pytest.fixture(scope="module")
def browser(site):
    try:
        with drive.SiteBrowser(site) as b:
            yield b
    except RuntimeError as exc:       # no chromium: a failure that says what to install
        pytest.fail(str(exc))


def ename(output: dict) -> str:
    """The exception's class name (the Pyodide kernel sends ``<class 'm.Name'>``)."""
    name = output.get("ename", "")
    return re.sub(r"^<class '(?:.*\.)?([^.']+)'>$", r"\1", name)


def has_picture(output: dict) -> bool:
    data = output.get("data", {})
    return any(k.startswith("image/") for k in data) or any(
        "<svg" in ("".join(v) if isinstance(v, list) else str(v))
        for k, v in data.items() if k in ("text/html", "text/plain"))


def describe(i: int, cell: dict) -> str:
    first = "".join(cell["source"]).strip().splitlines()[:1]
    return f"cell {i} ({first[0][:60] if first else 'empty'!r})"


def problems(saved: dict, run: drive.Run) -> list[str]:
    """What the page shows that the committed notebook does not (one line each)."""
    if len(run.cells) != len(saved["cells"]):
        return [f"the page has {len(run.cells)} cells, the notebook {len(saved['cells'])}"]
    found = []
    for i, (want, got, shown) in enumerate(zip(saved["cells"], run.cells, run.shown)):
        if want["cell_type"] != "code":
            continue
        where = describe(i, want)
        if want.get("execution_count") and not got.get("execution_count"):
            found.append(f"{where}: did not run")
            continue
        expected = [ename(o) for o in want["outputs"] if o["output_type"] == "error"]
        errors = [o for o in got["outputs"] if o["output_type"] == "error"]
        if [ename(o) for o in errors] != expected:
            for o in errors:
                tb = ANSI.sub("", "\n".join(o.get("traceback", [])))
                found.append(f"{where}: {ename(o)}: {ANSI.sub('', o.get('evalue', ''))}"
                             f" (the notebook has {expected or 'no error'} here)\n"
                             + "\n".join(tb.splitlines()[-6:]))
            if not errors:
                found.append(f"{where}: no error, the notebook has {expected}")
        if any(map(has_picture, want["outputs"])) and not shown["pictures"]:
            found.append(f"{where}: no picture drawn (the saved output has one); the page "
                         f"shows: {shown['text'][:300]!r}")
        for bad in ("Error displaying widget", "model not found"):
            if bad in shown["text"]:
                found.append(f"{where}: {bad}: {shown['text'][:300]!r}")
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_in_the_browser(browser, notebook):
    saved = json.loads((ROOT / "notebooks" / notebook).read_text())
    before = len(browser.outside)
    page, run = browser.open(notebook)
    try:
        browser.run_all(page, run)
        LOADED[notebook] = set(json.loads(browser.execute(page, MODULES)))
        found = problems(saved, run)
        if run.failure:
            found.insert(0, run.failure)
        print(f"{notebook}: kernel ready {run.ready_s:.1f} s, run all {run.run_s:.1f} s")
        assert not found, f"{notebook} in the browser:\n" + "\n".join(found)
        if notebook.startswith("zh/"):
            # the Chinese edition as the site draws it: no character is a missing-glyph box
            glyphs = page.evaluate(CJK_GLYPHS, ".jp-Notebook")
            assert glyphs["checked"] >= 100 and glyphs["boxed"] == [], glyphs
        if notebook == HANDSHAKE_LAB:
            click_through_handshake(page)
        if notebook == EXPLORER_LAB:
            explore_both_ends_of_the_handshake(page)
    finally:
        browser.close(page)
    assert browser.outside[before:] == [], "requests outside the site were attempted"


def click_through_handshake(page) -> None:
    """The first lab of lesson 01 (B listens, A's SYN sent): deliver until both are
    ESTABLISHED."""
    lab = page.locator(".tcplab-connection-lab").first
    states = lab.locator(".tcplab-state")
    for _ in range(6):
        if states.all_inner_texts() == ["ESTABLISHED", "ESTABLISHED"]:
            break
        lab.get_by_role("button", name="deliver next").click()
        page.wait_for_timeout(300)
    assert states.all_inner_texts() == ["ESTABLISHED", "ESTABLISHED"]


def explore_both_ends_of_the_handshake(page) -> None:
    """Lesson 05's explorer: the client's path (connect(), SYN+ACK arrives) and the
    server's (listen(), SYN, ACK) each end in ESTABLISHED."""
    explorer = page.locator(".tcplab-explorer").first
    state = explorer.locator(".tcplab-state")
    for path in (("connect()", "SYN+ACK"), ("listen()", "SYN", "ACK")):
        for name in ("reset",) + path:
            text = re.compile(rf"^\s*{re.escape(name)}\s*$")   # "reset" has an icon too
            explorer.locator("button").filter(has_text=text).click()
            page.wait_for_timeout(200)
        for _ in range(50):
            if state.inner_text() == "ESTABLISHED":
                break
            page.wait_for_timeout(200)
        assert state.inner_text() == "ESTABLISHED", f"{' → '.join(path)} in the explorer"


def test_every_notebook_is_in_the_site(site):
    """The site's contents are the notebooks (lessons added later included), and its
    landing page leads to each, the start-here notebook first."""
    listed = json.loads((site / "api" / "contents" / "all.json").read_text())
    chinese = json.loads((site / "api" / "contents" / "zh" / "all.json").read_text())
    names = {c["name"] for c in listed["content"]} | {
        "zh/" + c["name"] for c in chinese["content"]}
    assert set(NOTEBOOKS) <= names
    assert "zh/00-start-here.ipynb" in NOTEBOOKS and "00-start-here.ipynb" in NOTEBOOKS
    landing = (site / "index.html").read_text()
    links = re.findall(r'href="lab/index.html\?path=([^"]+)"', landing)
    assert links[0] == "00-start-here.ipynb" and set(NOTEBOOKS) <= set(links)
    version = build.config.release(ROOT)
    assert f"Release <strong id=\"release\">{version}</strong>" in landing
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    assert config["contentsStorageName"] == f"tcplab-{version}"
    kernel = config["litePluginSettings"][build.config.KERNEL_PLUGIN]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    assert (site / "static" / "viz" / "viz.js").stat().st_size > 1_000_000
    fonts = {f.name for f in (site / "build").iterdir() if f.name.startswith("fa-")}
    assert fonts == {"fa-brands-400.woff2", "fa-regular-400.woff2", "fa-solid-900.woff2"}
    with zipfile.ZipFile(site / "static" / "pyodide" / "python_stdlib.zip") as stdlib:
        assert stdlib.read("sitecustomize.py") == build.pyodide.SITECUSTOMIZE.read_bytes()


def test_the_guard_sees_requests_outside_the_site(browser):
    """A request for elsewhere, from the page and from a web worker (where the kernel
    runs), is refused and written down: the check above could fail."""
    before = len(browser.outside)
    page = browser.context.new_page()
    try:
        page.goto(f"{browser.base}/index.html")
        page.evaluate("""async () => {
          try { await fetch('https://cdn.jsdelivr.net/pyodide/page'); } catch (e) {}
          const code = "fetch('https://pypi.org/worker').catch(() => 0).then(() => postMessage(1))";
          const w = new Worker(URL.createObjectURL(new Blob([code])));
          await new Promise(r => { w.onmessage = r; }); }""")
    finally:
        page.close()
    seen = browser.outside[before:]
    del browser.outside[before:]
    assert seen == ["https://cdn.jsdelivr.net/pyodide/page", "https://pypi.org/worker"]


def test_a_picture_outside_the_bundle_is_drawn_by_viz_js_as_graphviz_pure_draws_it(browser):
    """The browser edition's Graphviz in WebAssembly, in the site's own kernel: a lab's
    diagram with two edges outside the classic view (a retransmitted SYN, then abort())
    is not among the bundled layouts; the kernel lays it out with viz.js, and gets the
    SVG graphviz-pure makes on this machine (apart from the 'Generated by' comment)."""
    from tcplab.diagrams import layouts, render, state
    from tcplab.fsm import Event, State, table
    taken = frozenset(t for t in table() if t.source is State.SYN_SENT
                      and t.event in (Event.TIMEOUT_RETRANSMIT, Event.ABORT))
    assert len(taken) == 2
    dot = state._dot_for(("three-way", "challenge-ack"), "classic", taken, "as drawn")
    assert layouts.lookup(dot) is None
    expected = re.sub(r"<!-- Generated by [^\n]*\n", "", render.render(dot).decode())
    page, run = browser.open("00-start-here.ipynb")
    try:
        shown = browser.execute(page, (
            "import json, re\n"
            "from tcplab.diagrams import render\n"
            f"svg = render.render({dot!r}).decode()\n"
            "print(render.renderer())\n"
            "print(json.dumps(re.sub(r'<!-- Generated by [^\\n]*\\n', '', svg)))\n"))
    finally:
        browser.close(page)
    how, _, svg = shown.partition("\n")
    assert how == render.IN_BROWSER_RENDERER, shown[:2000]
    assert json.loads(svg) == expected


def wheel_modules(wheel: Path) -> set[str]:
    """The top-level modules and packages a wheel installs (from source or bytecode)."""
    with zipfile.ZipFile(wheel) as zf:
        names = [n for n in zf.namelist() if ".dist-info/" not in n and ".data/" not in n]
    return {n.split("/")[0] if "/" in n else n.removesuffix("c").removesuffix(".py")
            for n in names if "/" in n or n.endswith((".py", ".pyc"))}


def installed_by_the_kernel(site: Path) -> set[str]:
    """The packages the kernel's worker installs by name as it starts, imported or not
    (read from @jupyterlite/pyodide-kernel's worker: ``for (e of [...]) packages.includes(e)
    || ... piplite.install(e)``)."""
    worker = next((site / build.wheels.KERNEL_EXTENSION).parent.glob("comlink.worker.*.js"))
    found = re.search(r"of(\[[^\]]*\])\)\w+\.includes\(\w+\)\|\|\w+\.push\("
                      r"`await piplite\.install", worker.read_text())
    assert found, "the kernel's list of packages it installs at start was not found"
    return {build.pyodide.canonical(name) for name in json.loads(found.group(1))}


def test_the_site_holds_only_wheels_the_lessons_import(site, browser):
    """Every wheel in the site installs a module that the kernel holds after some lesson
    has run whole (the kernel's own start included), or is one the kernel installs by name
    as it starts (its ipykernel stand-in, never imported): nothing is downloaded for
    nothing.  Lessons not run above (a selection of this file) are run here."""
    for notebook in NOTEBOOKS:
        if notebook not in LOADED:
            page, run = browser.open(notebook)
            try:
                browser.run_all(page, run)
                LOADED[notebook] = set(json.loads(browser.execute(page, MODULES)))
            finally:
                browser.close(page)
    loaded = set().union(*LOADED.values())
    assert {"tcplab", "ipywidgets", "IPython"} <= loaded
    shipped = {w.relative_to(site).as_posix(): wheel_modules(w) for w in site.rglob("*.whl")}
    assert len(shipped) >= 10 and all(shipped.values())
    required = installed_by_the_kernel(site)
    assert {"ipykernel", "ipython", "jedi"} <= required
    unused = {wheel: sorted(names) for wheel, names in shipped.items()
              if not names & loaded and build.pyodide.canonical(
                  Path(wheel).name.split("-")[0]) not in required}
    assert unused == {}, "wheels in the site that no lesson imports"


def test_the_kernel_imports_the_bytecode_made_by_the_build(browser):
    """The standard library and the kernel's packages come from the bytecode the build
    made (tools/site/bytecode.py), not compiled in the page; tcplab keeps its sources
    (tracebacks, ``inspect``, ``?``).  And the notebooks' folder is searched
    again once the kernel is up (tools/site/boot_imports.py)."""
    page, _ = browser.open("00-start-here.ipynb")
    try:
        shown = browser.execute(page, (
            "import importlib, inspect, json, sys, IPython, tcplab\n"
            "print(json.dumps([json.__file__, IPython.__file__, tcplab.__file__,\n"
            "    type(tcplab.__spec__.loader).__name__, 'tcplab' in inspect.getsource(tcplab),\n"
            "    type(sys.path_importer_cache.get('/drive')).__name__]))\n"
            "open('/drive/students_own.py', 'w').write('ANSWER = 42')\n"
            "importlib.invalidate_caches()      # as after any new file, in any Python\n"
            "import students_own\n"
            "print(students_own.ANSWER)\n"))
    finally:
        browser.close(page)
    found, answer = shown.splitlines()[:2]
    json_file, ipython_file, tcplab_file, loader, source, drive = json.loads(found)
    assert json_file.endswith("/json/__init__.pyc"), json_file
    assert ipython_file.endswith("/IPython/__init__.pyc"), ipython_file
    assert tcplab_file.endswith("/tcplab/__init__.py"), tcplab_file
    assert loader == "SourceFileLoader" and source is True
    assert drive in ("FileFinder", "DriveFinder") and answer == "42"
