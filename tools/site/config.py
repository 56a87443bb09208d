"""The site's settings: jupyter-lite.json (from site/jupyter-lite.json), the landing
page (site/index.html), and the build's own configuration.

Browser storage is per release: JupyterLite keeps a student's edited notebooks in the
browser (IndexedDB) under ``contentsStorageName``, where an edited copy would hide the
notebook of a newer release at the same path.  Naming the storage after tcplab's version
gives each release fresh notebooks, and leaves the old edits where they were.
"""

from __future__ import annotations

import datetime
import html
import json
import re
import tomllib
from pathlib import Path

from .pyodide import canonical

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"


def release(root: Path) -> str:
    """tcplab's version, from pyproject.toml."""
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]


def jupyter_lite_json(template: Path, version: str, preload: list[str]) -> dict:
    """jupyter-lite.json: storage named after the release, the kernel's packages preloaded
    from the site's own lock, and no fallback to PyPI."""
    config = json.loads(template.read_text().replace("{version}", version))
    kernel = config["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]
    kernel["loadPyodideOptions"]["packages"] = [canonical(p) for p in preload]
    assert kernel["disablePyPIFallback"] is True
    return config


def landing_page(template: Path, version: str, notebooks: dict[str, Path]) -> str:
    """site/index.html with the release and the lists of lessons (English, and Chinese
    under zh/) filled in; ``notebooks`` maps each lesson's path in the site to its file."""
    def items(chinese: bool) -> str:
        return "\n".join(
            f'<li><a href="lab/index.html?path={html.escape(path)}">'
            f"{html.escape(title(nb))}</a></li>" for path, nb in notebooks.items()
            if path.startswith("zh/") == chinese)
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    return (template.read_text().replace("{version}", html.escape(version))
            .replace("{date}", date).replace("{lessons}", items(False))
            .replace("{lessons_zh}", items(True)))


def title(notebook: Path) -> str:
    """The notebook's first heading (``# 05 · The state machine …`` → ``The state
    machine …``), else its file name."""
    for cell in json.loads(notebook.read_text())["cells"]:
        if cell["cell_type"] == "markdown":
            first = "".join(cell["source"]).strip().splitlines()[:1]
            if first and first[0].startswith("#"):
                return re.sub(r"^#+\s*(\d+\s*[·—-]\s*)?", "", first[0]).strip()
            break
    return notebook.stem


def build_config(lite_dir: Path, output: Path, extensions: list[Path]) -> dict:
    """jupyter_lite_config.json: only the listed labextensions (not every one installed
    beside the build, such as nbgrader's), no source maps."""
    return {"LiteBuildConfig": {
        "lite_dir": str(lite_dir), "output_dir": str(output),
        "contents": [str(lite_dir / "contents")],
        "ignore_sys_prefix": ["federated_extensions"],
        "federated_extensions": [str(e) for e in extensions],
        "apps": ["lab"], "no_sourcemaps": True, "no_unused_shared_packages": True}}
