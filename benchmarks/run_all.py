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

Benchmarks are measurements, not tests: a target that is not met is reported, never
a failure.  The exit status is 1 only if a benchmark could not run at all (it crashed).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import statistics
import sys
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
    """Import bench_<name> and call its main(); (rows, crashed?, seconds)."""
    t0 = time.perf_counter()
    try:
        module = importlib.import_module(f"bench_{name}")
        params = inspect.signature(module.main).parameters
        kwargs = {k: v for k, v in options.items() if k in params}
        result = module.main(**kwargs)
    except (Exception, SystemExit) as exc:  # one benchmark must not hide the others
        traceback.print_exc()
        return [Row(f"bench_{name}", f"could not run: {type(exc).__name__}: {exc}"[:120])],\
            True, time.perf_counter() - t0
    rows = as_rows(result)
    if rows is None:
        rows = [Row(f"bench_{name}", "see its output above (it returned no rows)")]
    return rows, False, time.perf_counter() - t0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated names (click, browser ...)")
    parser.add_argument("--skip", default="", help="comma-separated names to leave out")
    parser.add_argument("--suite", action="store_true",
                        help="also time the whole test suite (minutes)")
    parser.add_argument("--markdown", action="store_true",
                        help="print the table as Markdown (for the README)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
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
