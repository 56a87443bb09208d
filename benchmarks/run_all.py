"""Run every benchmark and print ONE table: each figure, its target, the peer's figure.

    .venv/bin/python benchmarks/run_all.py              (what `make bench` runs)
    .venv/bin/python benchmarks/run_all.py --suite      (also time the whole test suite)
    .venv/bin/python benchmarks/run_all.py --only click,simulation
    .venv/bin/python benchmarks/run_all.py --skip browser --markdown

Every ``benchmarks/bench_*.py`` is a module with a ``main()`` that prints its own
details and returns rows ``(what, figure, target, peer figure, met?)``: strings, and
``met`` True / False / None (no target).  A module whose ``main()`` returns something
else (or nothing) still runs; its figures are what it printed.  Each module also runs
on its own: ``.venv/bin/python benchmarks/bench_click.py``.

Each module runs in a fresh Python process of its own, so that what one leaves behind
does not weigh on the next one's figures.

Benchmarks are measurements, not tests: a target that is not met is reported, never
a failure.  The exit status is 1 only if a benchmark could not run at all (it crashed).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

HERE = Path(__file__).resolve().parent

#: The order of the table (modules not listed here follow, by name).
ORDER = ("click", "diagrams", "lab", "browser", "site", "simulation", "many", "explore",
         "startup", "memory")


class Row(NamedTuple):
    """One line of the summary table."""

    what: str
    figure: str
    target: str = ""
    peer: str = ""
    met: bool | None = None


# --------------------------------------------------------------------------- helpers
# (shared by the bench modules: `from run_all import Row, quantiles, ms, print_rows`)

def quantiles(xs: Iterable[float]) -> tuple[float, float]:
    """Median and p95 (nearest rank) of ``xs``."""
    xs = sorted(xs)
    if not xs:
        return float("nan"), float("nan")
    return statistics.median(xs), xs[min(len(xs) - 1, max(0, round(0.95 * len(xs)) - 1))]


def ms(seconds: float, digits: int | None = None) -> str:
    """Seconds as milliseconds, with a sensible number of digits."""
    x = seconds * 1e3
    if digits is None:
        digits = 3 if x < 0.1 else 2 if x < 10 else 1 if x < 100 else 0
    return f"{x:.{digits}f} ms"


def ratio(slow: float, fast: float) -> str:
    return f"{slow / fast:,.0f}x" if slow / fast >= 10 else f"{slow / fast:.1f}x"


def mark(met: bool | None) -> str:
    return {True: "yes", False: "NO", None: ""}[met]


def as_rows(result) -> list[Row] | None:
    """The rows a module's ``main()`` returned, or None if it returned no rows."""
    if not isinstance(result, (list, tuple)) or not result:
        return None
    rows = []
    for r in result:
        if not isinstance(r, (list, tuple)) or not 2 <= len(r) <= 5:
            return None
        rows.append(Row(*[("" if x is None and i < 4 else x) for i, x in enumerate(r)]))
    return rows


def table(rows: Sequence[Row], markdown: bool = False) -> str:
    headers = ("what", "figure", "target", "peer", "met")
    cells = [(r.what, r.figure, r.target, r.peer, mark(r.met)) for r in rows]
    if markdown:
        esc = lambda s: str(s).replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [max(len(h), *(len(str(row[i])) for row in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    widths[3] = min(widths[3], 60)
    fmt = lambda row: "  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(headers), fmt(["-" * w for w in widths])] + [fmt(r) for r in cells])


def print_rows(rows: Sequence[Row], title: str = "") -> None:
    """What a bench module prints at the end when it runs on its own."""
    print()
    if title:
        print(title)
    print(table(rows))


# --------------------------------------------------------------------------- running

def modules(only: Sequence[str] = (), skip: Sequence[str] = ()) -> list[str]:
    names = sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))
    rank = {n: i for i, n in enumerate(ORDER)}
    names.sort(key=lambda n: (rank.get(n, len(ORDER)), n))
    if only:
        unknown = set(only) - set(names)
        if unknown:
            raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))} "
                             f"(there are: {', '.join(names)})")
        names = [n for n in names if n in only]
    return [n for n in names if n not in skip]


def run(name: str, options: dict) -> tuple[list[Row], bool, float]:
    """bench_<name>'s main() in a fresh Python process of its own (as pyperf runs each
    benchmark: what an earlier module left behind, its imports, caches and objects,
    must not weigh on the next one's figures; a server's 10,000 connections ran 10%
    slower after the diagram benchmarks than on their own, its one pair 5%);
    (rows, crashed?, seconds)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tcplab-bench-") as tmp:
        rows_file = Path(tmp) / "rows.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--one", name,
                   "--rows-to", str(rows_file)] + (["--suite"] if options.get("suite") else [])
        done = subprocess.run(command, cwd=HERE.parent)
        rows = ([Row(*r) for r in json.loads(rows_file.read_text())]
                if rows_file.exists() else None)
    if done.returncode != 0 or rows is None:
        return [Row(f"bench_{name}", f"could not run (exit status {done.returncode}): "
                                     f"see its output above")], True, time.perf_counter() - t0
    if not rows:
        rows = [Row(f"bench_{name}", "see its output above (it returned no rows)")]
    return rows, False, time.perf_counter() - t0


def run_here(name: str, options: dict, rows_to: Path) -> int:
    """In the benchmark's own process: import bench_<name>, call its main() and write
    the rows it returned to ``rows_to`` (JSON; [] if it returned none)."""
    try:
        module = importlib.import_module(f"bench_{name}")
        params = inspect.signature(module.main).parameters
        result = module.main(**{k: v for k, v in options.items() if k in params})
    except (Exception, SystemExit):  # said in full here; the parent marks it as crashed
        traceback.print_exc()
        return 1
    rows_to.write_text(json.dumps([list(r) for r in as_rows(result) or []]))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated names (click, browser ...)")
    parser.add_argument("--skip", default="", help="comma-separated names to leave out")
    parser.add_argument("--suite", action="store_true",
                        help="also time the whole test suite (minutes)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the table as Markdown (for the README)")
    parser.add_argument("--one", help=argparse.SUPPRESS)        # (run() in the child)
    parser.add_argument("--rows-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    if args.one:
        return run_here(args.one, {"suite": args.suite}, args.rows_to)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    skip = [s.strip() for s in args.skip.split(",") if s.strip()]
    names = modules(only, skip)
    all_rows: list[Row] = []
    crashed = []
    started = time.perf_counter()
    for name in names:
        print(f"\n===== bench_{name}", flush=True)
        rows, failed, seconds = run(name, {"suite": args.suite})
        print(f"----- bench_{name}: {seconds:.1f} s", flush=True)
        all_rows += rows
        if failed:
            crashed.append(name)
    print(f"\n===== summary ({time.perf_counter() - started:.0f} s; figures are measurements "
          f"on this machine, not pass/fail)\n")
    print(table(all_rows, markdown=args.markdown))
    met = [r for r in all_rows if r.met is not None]
    print(f"\ntargets met: {sum(bool(r.met) for r in met)} of {len(met)}")
    if crashed:
        print(f"could not run: {', '.join('bench_' + n for n in crashed)}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
