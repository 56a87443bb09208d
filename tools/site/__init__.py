"""Build the browser-only edition (JupyterLite, Pyodide kernel) into _site/: `make site`.

fetch (registries, cache, integrity) → pyodide (the runtime and its lock) → wheels (the
kernel's packages) → config (jupyter-lite.json) → build (main).  The browser driving
shared by the site test and benchmark is in drive.
"""
