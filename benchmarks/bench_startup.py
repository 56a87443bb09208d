"""Start-up and notebooks: how long a student waits.

  * ``import tcplab`` in a fresh interpreter (the import alone, measured inside the
    new process), median of 10;
  * every notebook of the workbook (notebooks/[0-9]*.ipynb), run top to bottom from a
    fresh kernel with nbclient, as "Restart Kernel and Run All Cells" does: the time
    includes starting the kernel (its share, an empty notebook's time, is printed);
  * with ``--suite``: the whole test suite's wall time, ``python -m pytest -q -p
    no:cacheprovider`` once (minutes: opt-in).

Run:  .venv/bin/python benchmarks/bench_startup.py [--suite]     (or: make bench)
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_all import Row, ms, print_rows  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TARGET_IMPORT = 0.150
TARGET_NOTEBOOK = 5.0

IMPORT_PROBE = ("import time; t0 = time.perf_counter(); import tcplab; "
                "print(time.perf_counter() - t0)")


def import_time(runs: int = 10) -> tuple[float, float]:
    """(median import time, median whole-process time) of `import tcplab`, fresh each."""
    inside, whole = [], []
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True,
                             text=True, check=True, cwd=ROOT, env=env)
        whole.append(time.perf_counter() - t0)
        inside.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(inside), statistics.median(whole)


def run_notebook(path: Path) -> float:
    """Seconds to run ``path`` top to bottom in a fresh kernel (kernel start included)."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute(
        stderr=subprocess.DEVNULL)      # the kernel's own start-up warnings
    return time.perf_counter() - t0


def kernel_only() -> float:
    """A one-cell notebook: what starting a kernel costs."""
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute(
        stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def suite_time() -> tuple[float, int, str]:
    """(seconds, exit status, pytest's last line) of the whole test suite."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return seconds, done.returncode, (lines[-1] if lines else done.stderr[-200:])


def main(suite: bool = False) -> list[Row]:
    rows = []
    imp, proc = import_time()
    print(f"import tcplab: {ms(imp)} median of 10 (whole `python -c 'import tcplab'` process: "
          f"{ms(proc)})")
    rows.append(Row("5. import tcplab (fresh interpreter, median of 10)", ms(imp),
                    f"< {ms(TARGET_IMPORT, 0)}", "", imp < TARGET_IMPORT))

    kernel = kernel_only()
    print(f"a fresh kernel running one cell: {kernel:.2f} s (part of every figure below)")
    for path in sorted(NOTEBOOKS.glob("[0-9]*.ipynb")):
        try:
            seconds = run_notebook(path)
        except Exception as exc:   # a notebook being written may not run: say so, go on
            message = re.sub(r"\s+", " ", re.sub(r"\x1b\[[0-9;]*m", "", str(exc))).strip()
            print(f"{path.name:<34} failed: {type(exc).__name__}: {message[-300:]}")
            rows.append(Row(f"5. notebook {path.stem}: run all, fresh kernel",
                            f"failed ({type(exc).__name__})", f"< {TARGET_NOTEBOOK:.0f} s",
                            "", False))
            continue
        print(f"{path.name:<34} {seconds:6.2f} s")
        rows.append(Row(f"5. notebook {path.stem}: run all, fresh kernel", f"{seconds:.1f} s",
                        f"< {TARGET_NOTEBOOK:.0f} s", f"kernel start alone: {kernel:.1f} s",
                        seconds < TARGET_NOTEBOOK))

    if suite:
        seconds, status, last = suite_time()
        print(f"test suite: {seconds:.0f} s wall ({os.cpu_count()} cores), exit {status}: "
              f"{last}")
        rows.append(Row(f"5. whole test suite (pytest, {os.cpu_count()} cores), wall time",
                        f"{seconds:.0f} s", "", f"exit {status}: {last}"[:80], None))
    else:
        rows.append(Row("5. whole test suite, wall time", "not measured (run with --suite)"))
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suite", action="store_true",
                        help="also time the whole test suite once (minutes)")
    print_rows(main(suite=parser.parse_args().suite))
