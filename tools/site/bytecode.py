"""Python's bytecode for the site, made by the site's own Python: Pyodide, run in Node.

Pyodide ships its standard library and PyPI ships the kernel's packages as sources, so the
browser compiled every module it imports on every visit: some 700 modules while the kernel
starts, most of its start on a busy machine (compiling them took 6 s in the page, loading
their bytecode 0.2 s).  The build imports what the kernel's start imports (pyodide_kernel,
with its piplite, and the widgets) in the Pyodide the site serves (the same interpreter, so
the same bytecode format), and puts each of those modules' bytecode in its source's place:
``x.pyc`` for ``x.py`` in the standard library's zip (where zipimport looks) and in the
wheels (Python loads a ``.pyc`` without source as it is).  The bytecode is
"unchecked-hash" (PEP 552).  Tracebacks through these modules show no source lines, as in
Pyodide's own bytecode distribution; tcplab is left as source (its lines show in the
lessons' tracebacks, ``inspect`` and ``?``), compiled when a lesson imports it.

Node.js runs it (tools/system-deps.sh installs it; the tests run Pyodide in Node too).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

#: runs in Pyodide: import what the kernel imports from the zips of /host/jobs.json, then
#: compile those modules' sources into each zip, in place
_COMPILE = r"""
import importlib, importlib.util, json, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

jobs = json.load(open("/host/jobs.json"))
sys.path += [job["zip"] for job in jobs["wheels"]] + jobs["also_on_path"]
streams = sys.stdout, sys.stderr
def load(name):
    try:
        return importlib.import_module(name)
    except BaseException as exc:          # what is not imported here stays source only
        print(f"bytecode: importing {name}: {exc!r}", file=streams[1])

for name in jobs["imports"]:
    load(name)
sys.stdout, sys.stderr = streams
imported = {getattr(m, "__file__", None) or "" for m in list(sys.modules.values())}

for job in [jobs["stdlib"], *jobs["wheels"]]:
    with zipfile.ZipFile(job["zip"]) as zf:
        members = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(job["out"], "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            if job["source"] + info.filename not in imported:
                out.writestr(info, data)
                continue
            code = compile(data, job["prefix"] + info.filename, "exec", dont_inherit=True)
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            out.writestr(zipfile.ZipInfo(info.filename + "c", info.date_time), bytes(pyc),
                         zipfile.ZIP_DEFLATED)
"""

_RUNNER = """
import { loadPyodide } from %(mjs)s;
import { readFileSync } from "node:fs";
const py = await loadPyodide({ indexURL: %(index)s });
py.FS.mkdirTree("/host");
py.FS.mount(py.FS.filesystems.NODEFS, { root: %(host)s }, "/host");
py.runPython(readFileSync(%(script)s, "utf8"));
"""

#: where the site's Python finds what it imports (the code objects' file names)
STDLIB_PREFIX = "/lib/python314.zip/"
SITE_PACKAGES = "/lib/python3.14/site-packages/"


def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        raise RuntimeError("the site's bytecode is made by Pyodide in Node.js: install node "
                           "(tools/system-deps.sh)")
    return found


def compile_zips(runtime: Path, stdlib: Path, wheels: list[Path], also_on_path: list[Path],
                 imports: list[str]) -> None:
    """In the standard library ``stdlib`` and the ``wheels``, in place, bytecode instead of
    the source of each module that importing ``imports`` loads (with the wheels and
    ``also_on_path`` on the path); compiled by the Pyodide runtime in ``runtime``."""
    with tempfile.TemporaryDirectory(prefix="tcplab-pyc-") as tmp:
        host = Path(tmp)
        for i, path in enumerate([stdlib, *wheels, *also_on_path]):
            shutil.copy2(path, host / f"{i}.zip")
        job = {"stdlib": {"zip": "/host/0.zip", "out": "/host/0.out",
                          "prefix": STDLIB_PREFIX, "source": STDLIB_PREFIX},
               "wheels": [{"zip": f"/host/{i}.zip", "out": f"/host/{i}.out",
                           "prefix": SITE_PACKAGES, "source": f"/host/{i}.zip/"}
                          for i in range(1, len(wheels) + 1)],
               "also_on_path": [f"/host/{i}.zip" for i in range(
                   len(wheels) + 1, len(wheels) + 1 + len(also_on_path))],
               "imports": imports}
        (host / "jobs.json").write_text(json.dumps(job))
        (host / "compile.py").write_text(_COMPILE)
        runner = host / "run.mjs"
        runner.write_text(_RUNNER % {k: json.dumps(str(v)) for k, v in {
            "mjs": runtime / "pyodide.mjs", "index": f"{runtime}/", "host": host,
            "script": host / "compile.py"}.items()})
        done = subprocess.run([node(), str(runner)], capture_output=True, text=True,
                              timeout=600, check=False)
        if done.returncode:
            raise RuntimeError(f"compiling the site's bytecode failed:\n{done.stderr[-3000:]}")
        for i, path in enumerate([stdlib, *wheels]):
            shutil.copy2(host / f"{i}.out", path)
