"""`make site`: the browser-only edition into _site/ (python -m tools.site.build).

    python -m tools.site.build [--output _site] [--cache .cache/site]

Downloads (once, into the cache) come from the npm registry and PyPI only; with a filled
cache the build needs no network.  The site: JupyterLite's lab with the Pyodide kernel,
the Pyodide runtime served from the site itself (static/pyodide/), the kernel's packages
preloaded from the site's own lock (static/pyodide/pyodide-lock.json), tcplab and the
widgets also in the site's piplite index (pypi/), the notebooks as its contents, and
@viz-js/viz at static/viz/viz.js for the diagrams.

For a quick start, the site ships only the wheels the kernel imports (pyodide.py's
NOT_IMPORTED), their bytecode made in advance by Pyodide in Node.js (bytecode.py), and a
sitecustomize that keeps the kernel's start from searching the notebooks' folder
(boot_imports.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_core.paths import jupyter_path

from . import bytecode, config, fetch, pyodide, size, wheels

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_VERSION = "314.0.6"
VIZ_VERSION = "3.31.0"
#: the labextensions the site needs: the kernel, and the widget manager
EXTENSIONS = ("@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager")
#: what the kernel loads before the first cell (dependencies follow from the lock)
PRELOAD = ("micropip", "piplite", "ipykernel", "comm", "pyodide-kernel", "jedi", "ipython",
           "ipywidgets", "tcplab")

#: what gets bytecode: the modules the kernel's start imports, and the widgets (tcplab
#: stays source: bytecode.py says why)
BYTECODE_FOR = ["piplite", "pyodide_kernel", "ipywidgets"]


def notebooks(root: Path = ROOT) -> list[str]:
    """The lessons, by their path in the site, in order: the English edition, then the
    Chinese one (zh/, the same file names)."""
    english = sorted(p.name for p in (root / "notebooks").glob("*.ipynb"))
    chinese = sorted(f"zh/{p.name}" for p in (root / "notebooks" / "zh").glob("*.ipynb"))
    return english + chinese


def labextension(name: str) -> Path:
    for base in jupyter_path("labextensions"):
        if (Path(base) / name / "package.json").exists():
            return Path(base) / name
    raise RuntimeError(f"labextension {name} is not installed beside the build: "
                       "install the `site` extra (pip install -e '.[site]')")


def prepare(lite: Path, cache: Path, root: Path) -> dict:
    """The build's input folder ``lite`` (empty): runtime, lock, wheels, contents,
    settings."""
    static, pypi, contents = lite / "static" / "pyodide", lite / "pypi", lite / "contents"
    for d in (static, pypi, contents):
        d.mkdir(parents=True)
    dist = fetch.npm_unpacked("pyodide", PYODIDE_VERSION, cache)
    lock = pyodide.install_runtime(dist, static)
    python = lock["info"]["python"]
    wheels.check_widget_manager()
    ours = [wheels.tcplab_wheel(root, pypi, cache), *wheels.pypi_widgets(cache, python)]
    for wheel in ours[1:]:
        shutil.copy2(wheel, pypi / wheel.name)
    extra = {w: f"../../pypi/{w.name}" for w in ours}
    extra |= {w: f"../../{wheels.KERNEL_EXTENSION}/{w.name}"
              for w in wheels.kernel_extension_wheels()}
    entries = {pyodide.canonical(e["name"]): e for e in
               (wheels.lock_entry(w, url, python) for w, url in extra.items())}
    roots = {d for e in entries.values() for d in e["depends"]} - set(entries)
    site_lock = pyodide.pure_lock(lock, set(pyodide.KERNEL_ROOTS) | roots, cache, static)
    site_lock["packages"] |= entries
    pyodide.closure(site_lock["packages"], PRELOAD)      # everything preloaded resolves
    add_bytecode(dist, static, pypi, site_lock)
    pyodide.write_lock(site_lock, static)
    for nb in notebooks(root):
        (contents / nb).parent.mkdir(exist_ok=True)
        shutil.copy2(root / "notebooks" / nb, contents / nb)
    if (root / "notebooks" / "captures").is_dir():
        shutil.copytree(root / "notebooks" / "captures", contents / "captures")
    version = config.release(root)
    (lite / "jupyter-lite.json").write_text(json.dumps(
        config.jupyter_lite_json(root / "site" / "jupyter-lite.json", version,
                                 list(PRELOAD)), indent=2))
    return {"version": version, "lock": site_lock}


def add_bytecode(runtime: Path, static: Path, pypi: Path, lock: dict) -> None:
    """Bytecode for the standard library and the wheels the site serves, compiled by the
    Pyodide ``runtime`` (tools/site/bytecode.py), and the lock's hashes of the wheels as
    they now are.  (The kernel extension's own three small wheels
    are served from its folder, as they are.)"""
    ours = sorted(static.glob("*.whl")) + sorted(pypi.glob("*.whl"))
    bytecode.compile_zips(runtime, static / "python_stdlib.zip", ours,
                          wheels.kernel_extension_wheels(), BYTECODE_FOR)
    for entry in lock["packages"].values():
        wheel = (static / entry["file_name"]).resolve()
        if wheel in {w.resolve() for w in ours}:
            entry["sha256"] = fetch.sha256(wheel)


#: the older forms of a web font, which a browser asks for only if it cannot read WOFF2
#: (JupyterLab's CSS lists WOFF2 first; every browser JupyterLab 4 runs in reads it)
LEGACY_FONTS = (".eot", ".ttf", ".svg", ".woff")


def drop_legacy_fonts(build_dir: Path) -> list[str]:
    """Take out the older forms of each font the site also has as WOFF2 (Font Awesome's:
    2.8 MB of the site); the names taken out."""
    dropped = sorted(f.name for f in build_dir.iterdir() if f.suffix in LEGACY_FONTS
                     and f.with_suffix(".woff2").exists())
    for name in dropped:
        (build_dir / name).unlink()
    return dropped


def add_viz(output: Path, cache: Path) -> None:
    """@viz-js/viz's browser module, unchanged, where the diagram renderer loads it."""
    viz = fetch.npm_unpacked("@viz-js/viz", VIZ_VERSION, cache)
    dest = output / "static" / "viz"
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(viz / "dist" / "viz.js", dest / "viz.js")
    shutil.copy2(viz / "LICENSE", dest / "LICENSE") if (viz / "LICENSE").exists() else None
    (dest / "VERSION").write_text(f"@viz-js/viz {VIZ_VERSION}\n")


def build(output: Path, cache: Path, root: Path = ROOT) -> dict:
    """Build the site into ``output`` (replaced); what was built.

    The build's input folder is a temporary one: two builds at once (a test and `make
    site`) share only the download cache.
    """
    started = time.perf_counter()
    output, cache = output.resolve(), cache.resolve()
    with tempfile.TemporaryDirectory(prefix="tcplab-lite-") as tmp:
        lite = Path(tmp)
        info = prepare(lite, cache, root)
        shutil.rmtree(output, ignore_errors=True)
        extensions = [labextension(name) for name in EXTENSIONS]
        (lite / "jupyter_lite_config.json").write_text(
            json.dumps(config.build_config(lite, output, extensions), indent=2))
        done = subprocess.run([sys.executable, "-m", "jupyterlite_core", "build",
                               "--lite-dir", str(lite), "--output-dir", str(output)],
                              cwd=lite, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"jupyter lite build failed:\n{done.stdout[-3000:]}"
                           f"\n{done.stderr[-3000:]}")
    wheels.prune_kernel_extension(output)
    drop_legacy_fonts(output / "build")
    add_viz(output, cache)
    (output / "index.html").write_text(config.landing_page(
        root / "site" / "index.html", info["version"],
        {nb: root / "notebooks" / nb for nb in notebooks(root)}))
    (output / "VERSION").write_text(info["version"] + "\n")
    info["seconds"] = time.perf_counter() - started
    return info


#: The build's own environment (made by `make site` and `make test`). JupyterLite's
#: labextensions (the Pyodide kernel's) must not be installed beside the workbook's own
#: JupyterLab: it would load them and break ("Shared module @jupyterlite/services doesn't
#: exist in shared scope").
SITE_VENV = ROOT / ".venv-site"


def build_in_site_env(output: Path, cache: Path) -> None:
    """Build with the site environment's Python: for the tests and the benchmark, which
    run in the workbook's environment."""
    python = SITE_VENV / "bin" / "python"
    if not python.exists():
        raise RuntimeError(f"the site is built in its own environment, {SITE_VENV}, which "
                           "is missing: `make site` or `make test` makes it")
    done = subprocess.run([str(python), "-m", "tools.site.build", "--output", str(output),
                           "--cache", str(cache)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"make site failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "_site")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "site")
    args = parser.parse_args(argv)
    info = build(args.output, args.cache)
    total, packed = size.site_size(args.output)
    print(f"tcplab {info['version']}: site built in {args.output} in {info['seconds']:.0f} s, "
          f"{total / 1e6:.0f} MB ({packed / 1e6:.0f} MB gzipped); serve it with: "
          f"python3 -m http.server -d {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
