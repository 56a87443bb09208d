"""The browser-only site (make site): build time, size, and each lesson in chromium.

    .venv/bin/python benchmarks/bench_site.py

Builds the site into a temporary folder (downloads cached in .cache/site/), then opens
every notebook at lab/index.html?path=<nb> in one chromium: the time from opening the
page to the kernel being idle (target ≤ 15 s; each lesson in a fresh browser context, as
on a student's first visit), split into the page, Pyodide's runtime and wheels, and the
kernel's imports; and the time of Run ▸ Run All Cells (target ≤ 10 s each).  The
driving code is the site test's (tools/site/drive.py).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_all import Row, print_rows  # noqa: E402
from tools.site import build, drive, size  # noqa: E402

READY_TARGET_S = 15.0
RUN_TARGET_S = 10.0


def mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def main() -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="tcplab-site-") as tmp:
        site = Path(tmp) / "_site"
        t0 = time.perf_counter()
        build.build_in_site_env(site, ROOT / ".cache" / "site")
        rows.append(Row("site: build (downloads cached)", f"{time.perf_counter() - t0:.0f} s"))
        total, packed = size.site_size(site)
        for n, path in size.biggest(site):
            print(f"  {mb(n):>9}  {path}")
        rows.append(Row("site: size on disk / gzipped", f"{mb(total)} / {mb(packed)}",
                        "as small as it can be"))
        with drive.SiteBrowser(site) as browser:
            for nb in build.notebooks(ROOT):
                run = browser.run_notebook(nb)
                split = ", ".join(f"{k} {v:.1f} s" for k, v in run.split.items())
                print(f"{nb}: kernel ready {run.ready_s:.1f} s ({split}), run all "
                      f"{run.run_s:.1f} s{'  (' + run.failure + ')' if run.failure else ''}",
                      flush=True)
                stem = nb.removesuffix(".ipynb")
                rows.append(Row(f"site: kernel ready, {stem}", f"{run.ready_s:.1f} s",
                                f"≤ {READY_TARGET_S:.0f} s", "", run.ready_s <= READY_TARGET_S))
                rows.append(Row(f"site: run all, {stem}", f"{run.run_s:.1f} s",
                                f"≤ {RUN_TARGET_S:.0f} s", "",
                                not run.failure and run.run_s <= RUN_TARGET_S))
            if browser.outside:
                rows.append(Row("site: requests outside the site", str(len(browser.outside)),
                                "0", "", False))
    return rows


if __name__ == "__main__":
    print_rows(main(), "browser-only site")
