"""The kernel's packages that Pyodide's lock does not have, added to the lock so that
the kernel loads them before the first cell (no ``%pip`` for the student).

- tcplab itself, built from the working tree (``pip wheel --no-deps``);
- ipywidgets and its comm from PyPI, at the versions that match the widget manager put
  into the site (the jupyterlab_widgets labextension of the build);
- the kernel extension's own wheels (piplite, pyodide_kernel and its ipykernel stand-in),
  where the site already serves them.

Each becomes a lock entry whose ``depends`` are its ``Requires-Dist`` as they evaluate
under Pyodide (so ``graphviz-pure; sys_platform != 'emscripten'`` drops out).
"""

from __future__ import annotations

import email.parser
import json
import subprocess
import sys
import zipfile
from importlib.metadata import version as installed_version
from pathlib import Path

from packaging.requirements import Requirement

from . import fetch
from .pyodide import NOT_IMPORTED, canonical

#: pinned with the build's widget manager: ipywidgets 8.1.9 ships with jupyterlab_widgets
#: 3.0.17 (version skew between the two is the classic "model not found")
WIDGETS = {"ipywidgets": "8.1.9", "jupyterlab_widgets": "3.0.17", "comm": "0.2.3"}

#: where the kernel extension's wheels are in the site (and in the build's environment)
KERNEL_EXTENSION = "extensions/@jupyterlite/pyodide-kernel-extension/static/pypi"

#: the kernel extension's wheels the kernel loads (name prefix of the wheel file); its
#: widgetsnbextension stand-ins are not imported (pyodide.NOT_IMPORTED)
KERNEL_WHEELS = ("piplite-", "pyodide_kernel-", "ipykernel-")


def pyodide_markers(python: str) -> dict:
    return {"sys_platform": "emscripten", "platform_system": "Emscripten",
            "platform_machine": "wasm32", "os_name": "posix",
            "implementation_name": "cpython", "platform_python_implementation": "CPython",
            "python_version": ".".join(python.split(".")[:2]), "python_full_version": python,
            "extra": ""}


def check_widget_manager() -> None:
    """The site's widget manager is the build environment's jupyterlab_widgets."""
    have = installed_version("jupyterlab_widgets")
    if have != WIDGETS["jupyterlab_widgets"]:
        raise RuntimeError(
            f"the build has jupyterlab_widgets {have} but the kernel gets "
            f"{WIDGETS['jupyterlab_widgets']} (tools/site/wheels.py): install the `site` "
            "extra (pip install -e '.[site]') or update WIDGETS")


def tcplab_wheel(root: Path, dest: Path, cache: Path) -> Path:
    """tcplab as a wheel, from the working tree as it is.

    Its build backend (setuptools, from PyPI once) is kept in the cache and pip builds from
    there alone, so that the build needs no network once the cache is filled.
    """
    backend = cache / "build-backend"
    if not list(backend.glob("setuptools-*.whl")):
        subprocess.run([sys.executable, "-m", "pip", "download", "-q",
                        "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
                        "--dest", str(backend), "setuptools>=70.1"], check=True)
    for old in dest.glob("tcplab-*.whl"):
        old.unlink()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check",
                    "-q", "--no-deps", "--no-index", "--find-links", str(backend),
                    "-w", str(dest), str(root)], check=True)
    (wheel,) = dest.glob("tcplab-*.whl")
    return wheel


def pypi_widgets(cache: Path, python: str) -> list[Path]:
    """The widgets' wheels the kernel imports (jupyterlab_widgets is the page's part)."""
    return fetch.pypi_wheels([f"{n}=={v}" for n, v in WIDGETS.items()
                              if canonical(n) not in NOT_IMPORTED], cache, python)


def kernel_extension_wheels() -> list[Path]:
    """The kernel extension's own wheels, from the build's environment."""
    folder = Path(sys.prefix) / "share/jupyter/labextensions" / KERNEL_EXTENSION.split(
        "/", 1)[1]
    wheels = sorted(w for w in folder.glob("*.whl") if w.name.startswith(KERNEL_WHEELS))
    if len(wheels) != len(KERNEL_WHEELS):
        raise RuntimeError(f"expected {KERNEL_WHEELS} in {folder}, found {wheels}")
    return wheels


def lock_entry(wheel: Path, file_name: str, python: str) -> dict:
    """A pyodide-lock.json entry for a pure wheel."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode())
    env = pyodide_markers(python)
    depends = sorted({canonical(r.name) for r in map(Requirement, meta.get_all(
        "Requires-Dist") or []) if r.marker is None or r.marker.evaluate(env)}
                     - NOT_IMPORTED)
    imports = sorted({n.split("/")[0].removesuffix(".py") for n in names
                      if ".dist-info/" not in n and ".data/" not in n
                      and (n.endswith(".py") or "/" in n)})
    return {"name": meta["Name"], "version": meta["Version"], "file_name": file_name,
            "sha256": fetch.sha256(wheel), "depends": depends, "imports": imports,
            "install_dir": "site", "package_type": "package", "unvendored_tests": False}


def prune_kernel_extension(output: Path) -> list[str]:
    """Take out of the built site the kernel extension's wheels the kernel does not load
    (its widgetsnbextension stand-ins), from its folder and from its piplite index, and
    point jupyter-lite.json at the index as it now is; the names taken out."""
    folder = output / KERNEL_EXTENSION
    dropped = sorted(w.name for w in folder.glob("*.whl") if not w.name.startswith(KERNEL_WHEELS))
    for name in dropped:
        (folder / name).unlink()
    index_file = folder / "all.json"
    index = json.loads(index_file.read_text())
    for project in index.values():
        for version, files in list(project["releases"].items()):
            project["releases"][version] = [f for f in files if f["filename"] not in dropped]
            if not project["releases"][version]:
                del project["releases"][version]
    index = {name: project for name, project in index.items() if project["releases"]}
    index_file.write_text(json.dumps(index, indent=2, sort_keys=True))
    config_file = output / "jupyter-lite.json"
    config = json.loads(config_file.read_text())
    kernel = config["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]
    old = f"./{KERNEL_EXTENSION}/all.json"
    kernel["pipliteUrls"] = [f"{old}?sha256={fetch.sha256(index_file)}"
                             if url.split("?")[0] == old else url
                             for url in kernel["pipliteUrls"]]
    config_file.write_text(json.dumps(config, indent=2))
    return dropped
