"""Where tcplab runs: a Python installation, or the browser-only edition (Pyodide).

One place decides, so that every module that must behave differently in the browser
(no programs to run, no sockets, slower Python) asks the same question.
"""

from __future__ import annotations

import sys

__all__ = ["IN_BROWSER"]

#: True under Pyodide (JupyterLite's kernel): WebAssembly, no subprocess, no sockets,
#: no threads, and Python several times slower than on the same machine natively.
IN_BROWSER = sys.platform == "emscripten"
