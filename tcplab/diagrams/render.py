"""Running a Graphviz layout program, the same way on every machine.

The default renderer is ``graphviz-pure``, a dependency of tcplab: a port of
Graphviz's ``dot`` that installs from PyPI and writes the same bytes on every
platform, which is what lets nbval compare the notebooks' saved pictures.  If
it cannot run, a ``dot`` on PATH is used instead.  If neither can, the error
says what to install.

There is one code path per kind of machine: :func:`render` pipes DOT text into
whichever program :func:`renderer` found and returns its output.  In the browser-only
edition (Pyodide) there are no programs: the SVG comes from the layouts bundled with
tcplab (:mod:`.layouts`), or else from Graphviz compiled to WebAssembly (:mod:`.wasm`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from functools import lru_cache
from pathlib import Path

from . import layouts, wasm

__all__ = ["render", "renderer", "RendererNotFound", "CANDIDATES"]

#: Programs tried, in order: graphviz-pure (beside this Python first), then dot on PATH.
CANDIDATES = ("graphviz-pure", "dot")


class RendererNotFound(RuntimeError):
    """No Graphviz layout program could be run."""


def _graphviz_pure_paths() -> list[str]:
    names = ["graphviz-pure.exe", "graphviz-pure"] if os.name == "nt" else ["graphviz-pure"]
    dirs = [sysconfig.get_path("scripts"), str(Path(sys.executable).parent)]
    found = [str(Path(d) / n) for d in dirs if d for n in names]
    on_path = shutil.which("graphviz-pure")
    if on_path:
        found.append(on_path)
    return found


def _works(program: str) -> bool:
    try:
        done = subprocess.run([program, "-Tsvg"], input=b"digraph{a}", capture_output=True,
                              timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and b"<svg" in done.stdout


def _find(candidates: tuple[str, ...]) -> str:
    tried = []
    for name in candidates:
        paths = _graphviz_pure_paths() if name == "graphviz-pure" else [shutil.which(name)]
        for path in paths:
            if path and path not in tried:
                tried.append(path)
                if os.path.exists(path) and _works(path):
                    return path
    raise RendererNotFound(
        "tcplab draws its state diagrams with Graphviz, but no Graphviz program could be "
        "run (tried graphviz-pure beside this Python and 'dot' on PATH"
        + (f": {', '.join(tried)}" if tried else "") + "). "
        "Install the Python package graphviz-pure into this environment "
        "(python -m pip install graphviz-pure), or install Graphviz itself "
        "(conda install -c conda-forge graphviz, apt install graphviz, brew install graphviz).")


@lru_cache(maxsize=None)
def _cached(candidates: tuple[str, ...]) -> str:
    return _find(candidates)


#: What :func:`renderer` answers in the browser-only edition.
IN_BROWSER_RENDERER = "bundled layouts, then Graphviz in WebAssembly (viz.js)"


def renderer(candidates: tuple[str, ...] = CANDIDATES) -> str:
    """The path of the layout program that will be used (found once, then remembered)."""
    if wasm.IN_BROWSER:
        return IN_BROWSER_RENDERER
    return _cached(tuple(candidates))


def forget() -> None:
    """Forget the program found (tests hide programs and look again)."""
    _cached.cache_clear()


def render(source: str, fmt: str = "svg", *, candidates: tuple[str, ...] = CANDIDATES) -> bytes:
    """Lay out the DOT ``source`` and return it as ``fmt`` ("svg", "png", "json" ...)."""
    if wasm.IN_BROWSER:
        return _render_in_browser(source, fmt)
    program = renderer(candidates)
    done = subprocess.run([program, f"-T{fmt}"], input=source.encode("utf-8"),
                          capture_output=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(program).name} failed ({done.returncode}): "
                           f"{done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def _render_in_browser(source: str, fmt: str) -> bytes:
    if fmt != "svg":
        raise RendererNotFound(
            f"The browser edition draws pictures as SVG only, not {fmt}: save the "
            "picture as .svg, or use tcplab in a Python installation for other formats.")
    bundled = layouts.lookup(source)
    return bundled if bundled is not None else wasm.render_svg(source)


if wasm.IN_BROWSER:
    # Graphviz in WebAssembly loads asynchronously: start now, so that it is ready
    # before the first picture outside the bundle (a lab's first unusual click).
    wasm.start_loading()
