"""Build the browser-only edition (JupyterLite, Pyodide kernel) into _site/: `make site`.

fetch (registries, cache, integrity) → pyodide (the runtime and its lock) → wheels (the
kernel's other packages) → config (jupyter-lite.json, landing page) → build (main); size
(how big the site is).  serve and drive open the built site in chromium, for
tests/test_site.py and benchmarks/bench_site.py.
"""
