"""Execute the workbook's notebooks in place, as they are committed.

    .venv/bin/python tools/run_notebooks.py [notebooks/NN-name.ipynb ...]   (default: all)

Each notebook runs top to bottom in a fresh kernel (this Python), from notebooks/, and is
saved with its outputs but without widget state: a reader without a kernel (GitHub,
nbconvert, an untrusted JupyterLab) then sees each lab's static snapshot instead of an
empty widget.  nbval (make test) checks the saved outputs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

ROOT = Path(__file__).resolve().parents[1]


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                   record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:                 # no timestamps: diffs show only real changes
        cell.metadata.pop("execution", None)
    # one stream output per cell and stream, however the kernel happened to flush it
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})
    elapsed = time.perf_counter() - t0
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nbformat.write(nb, path)
    return elapsed


def main(args: list[str]) -> None:
    paths = [Path(a) for a in args] or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    for path in paths:
        print(f"{path.name:<32} {run(path):6.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
