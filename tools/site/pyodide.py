"""The Pyodide runtime for the site, and its lock file cut down to what the kernel loads.

The npm package ``pyodide`` holds the runtime only (no wheels).  The packages the kernel
needs (micropip, IPython, jedi and their closure) are pure Python: the same versions come
from PyPI as ``py3-none-any`` wheels.  Their bytes differ from Pyodide's own builds, so each
entry's ``sha256`` and ``file_name`` in ``pyodide-lock.json`` is rewritten (Pyodide checks
them), and the lock keeps only the entries the site ships: anything else is absent, not a
404 or a request to a CDN.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

from . import fetch

#: the runtime's files (the rest of the npm package is docs, types and source maps)
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "package.json")

#: what the kernel loads at start, besides the packages of wheels.py
KERNEL_ROOTS = ("micropip", "jedi", "ipython", "traitlets", "pygments")

#: declared dependencies that nothing in the kernel imports, lessons run included, so the
#: site does not ship them (tests/test_site.py checks every wheel against the modules the
#: kernel holds after each lesson): IPython's matplotlib backend and its six, the widget
#: manager's JavaScript (jupyterlab_widgets and widgetsnbextension are labextensions the
#: page loads, not Python the kernel runs), and packaging (micropip 0.11 has its own)
NOT_IMPORTED = frozenset({"matplotlib-inline", "six", "jupyterlab-widgets",
                          "widgetsnbextension", "packaging"})


def canonical(name: str) -> str:
    """PEP 503 names (the lock's keys), e.g. ``Pygments`` → ``pygments``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(packages: dict, roots) -> list[str]:
    """The lock keys of ``roots`` and everything they depend on (but NOT_IMPORTED),
    sorted."""
    seen: set[str] = set()
    todo = [canonical(r) for r in roots]
    while todo:
        key = todo.pop()
        if key in seen or key in NOT_IMPORTED:
            continue
        if key not in packages:
            raise RuntimeError(f"{key} is needed by the kernel but not in pyodide-lock.json")
        seen.add(key)
        todo += [canonical(d) for d in packages[key]["depends"]]
    return sorted(seen)


def install_runtime(dist: Path, dest: Path) -> dict:
    """Copy the runtime from the unpacked npm package ``dist`` to ``dest``; its lock."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        shutil.copy2(dist / name, dest / name)
    add_sitecustomize(dest / "python_stdlib.zip")
    return json.loads((dist / "pyodide-lock.json").read_text())


#: what Python runs at start in the site (tools/site/boot_imports.py says why)
SITECUSTOMIZE = Path(__file__).with_name("boot_imports.py")


def add_sitecustomize(stdlib: Path) -> None:
    """The standard library ``stdlib`` (a zip) with boot_imports.py as sitecustomize.py.

    RuntimeError if the runtime already has one (it has none up to Pyodide 314)."""
    with zipfile.ZipFile(stdlib, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        if "sitecustomize.py" in zf.namelist():
            raise RuntimeError(f"{stdlib} already has a sitecustomize.py")
        zf.write(SITECUSTOMIZE, "sitecustomize.py")


def pure_lock(lock: dict, roots, cache: Path, dest: Path) -> dict:
    """``lock`` cut down to the closure of ``roots``, its wheels from PyPI copied to ``dest``.

    RuntimeError if an entry of the closure is not a pure-Python package (the npm package
    has no wheels, and PyPI has no Pyodide builds).
    """
    python = ".".join(lock["info"]["python"].split(".")[:2])
    keys = closure(lock["packages"], roots)
    entries = {k: without_unimported(lock["packages"][k]) for k in keys}
    for key, entry in entries.items():
        if entry.get("package_type") != "package" or not entry["file_name"].endswith(
                "-none-any.whl"):
            raise RuntimeError(f"{key} ({entry['file_name']}) is not a pure wheel: "
                               "it is not on PyPI in a form Pyodide can load")
    wheels = fetch.pypi_wheels([f"{e['name']}=={e['version']}" for e in entries.values()],
                               cache, python)
    for entry, wheel in zip(entries.values(), wheels):
        shutil.copy2(wheel, dest / wheel.name)
        entry["file_name"] = wheel.name
        entry["sha256"] = fetch.sha256(wheel)
    return {"info": lock["info"], "packages": entries}


def without_unimported(entry: dict) -> dict:
    """A copy of the lock ``entry`` that does not depend on what is NOT_IMPORTED (Pyodide
    loads a package's ``depends`` with it)."""
    return entry | {"depends": [d for d in entry["depends"]
                                if canonical(d) not in NOT_IMPORTED]}


def write_lock(lock: dict, dest: Path) -> Path:
    path = dest / "pyodide-lock.json"
    path.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    return path
