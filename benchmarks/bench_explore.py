"""The model checker of lesson 09 (tcplab.explore): states per second, and the time to
each of the lesson's answers at the lesson's bounds (targets: under 2 s each).

* the two-way handshake: time to the shortest counterexample of "B is never
  ESTABLISHED for a connection A never asked for";
* the three-way handshake: time to "no violation within these bounds" (the whole
  reachable space is explored);
* TIME-WAIT = 0 (a counterexample) and 2MSL (no violation) for "after both close,
  nothing of the old connection is accepted by a new one".

States per second are measured on the three-way search (the largest); target (issue 18):
at least 3x the 11,700 states/s the search managed before (on a quiet machine), so that
lesson 09 stays quick in the browser-only edition.  Peer figure: the same search with
``copy.deepcopy`` of the endpoints instead of ``Endpoint.copy`` (the obvious way to
snapshot a sans-IO endpoint), to show what the snapshot costs.

Run:  .venv/bin/python benchmarks/bench_explore.py      (or: make bench)
"""

from __future__ import annotations

import copy
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

try:
    from run_all import Row, print_rows  # noqa: E402
except ImportError:                      # running without the suite's runner
    from typing import NamedTuple

    class Row(NamedTuple):
        what: str
        figure: str
        target: str = ""
        peer: str = ""
        met: bool | None = None

    def print_rows(rows, title=""):
        print()
        for r in rows:
            met = {True: "yes", False: "NO", None: ""}[r.met]
            print(f"{r.what:<62} {r.figure:>14} {r.target:>8} {r.peer:>22} {met}")

from tcplab.endpoint import Endpoint  # noqa: E402
from tcplab.explore import (LESSON_BOUNDS, RECONNECT_SCRIPTS, Bounds, explore,  # noqa: E402
                            no_old_segment_accepted, no_unasked_connection)

TARGET_S = 2.0
#: states per second of the three-way search before issue 18 (a quiet machine), and the
#: speed-up asked for
BEFORE_STATES_PER_S = 11_700
TARGET_SPEEDUP = 3

RUNS = {
    "two-way: shortest counterexample": dict(prop=no_unasked_connection,
                                             handshake="two-way"),
    "three-way: no violation": dict(prop=no_unasked_connection, handshake="three-way"),
    "TIME-WAIT = 0: counterexample": dict(prop=no_old_segment_accepted,
                                          scripts=RECONNECT_SCRIPTS, time_wait=0.0),
    "TIME-WAIT = 2MSL: no violation": dict(prop=no_old_segment_accepted,
                                           scripts=RECONNECT_SCRIPTS),
}


def timed(repeats: int, **kw):
    """The median wall time of ``repeats`` searches, and the last result."""
    prop = kw.pop("prop")
    times = []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = explore(prop, bounds=LESSON_BOUNDS, **kw)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def with_deepcopy(repeats: int):
    """The three-way search with copy.deepcopy as the endpoint snapshot."""
    own = Endpoint.copy

    def deep(ep, **options):
        return own(ep, **options) if options else copy.deepcopy(ep)

    Endpoint.copy = deep
    try:
        return timed(repeats, **RUNS["three-way: no violation"])
    finally:
        Endpoint.copy = own


def main(repeats: int = 5) -> list[Row]:
    print(f"bounds: {LESSON_BOUNDS.describe()}")
    print(f"{'search':<36} {'verdict':<10} {'states':>8} {'transitions':>12} {'depth':>6} "
          f"{'time (median)':>14} {'states/s':>10}")
    rows = []
    results = {}
    for what, kw in RUNS.items():
        seconds, r = timed(repeats, **dict(kw))
        results[what] = (seconds, r)
        print(f"{what:<36} {r.verdict:<10} {r.states:>8,} {r.transitions:>12,} "
              f"{r.depth:>6} {seconds * 1e3:>11.1f} ms {r.states / seconds:>10,.0f}")
    deep_s, deep_r = with_deepcopy(max(1, repeats // 2))
    seconds, three = results["three-way: no violation"]
    print(f"{'three-way, copy.deepcopy snapshots':<36} {deep_r.verdict:<10} "
          f"{deep_r.states:>8,} {deep_r.transitions:>12,} {deep_r.depth:>6} "
          f"{deep_s * 1e3:>11.1f} ms {deep_r.states / deep_s:>10,.0f}")
    rate = three.states / seconds
    rows.append(Row("explore: states per second (three-way search, lesson bounds)",
                    f"{rate:,.0f} states/s",
                    f">= {TARGET_SPEEDUP}x {BEFORE_STATES_PER_S:,}",
                    f"deepcopy: {deep_r.states / deep_s:,.0f} states/s",
                    rate >= TARGET_SPEEDUP * BEFORE_STATES_PER_S))
    # at scale: wider bounds, a new ISN per connection, the first 50,000 states
    wide = Bounds(in_flight=4, losses=1, duplicates=1, retransmissions=2, reorders=2,
                  max_states=50_000)
    big = explore(no_unasked_connection, bounds=wide, iss=((100, 9100), (300, 9300)))
    print(f"{'three-way, wider bounds (50k states)':<36} {big.verdict:<10} "
          f"{big.states:>8,} {big.transitions:>12,} {big.depth:>6} "
          f"{big.seconds * 1e3:>11.1f} ms {big.states_per_second:>10,.0f}")
    print(f"  ({wide.describe()}; ISNs per connection)")
    rows.append(Row("explore: states per second at scale (50,000 states, wider bounds)",
                    f"{big.states_per_second:,.0f} states/s", "", "", None))
    for what in RUNS:
        seconds, r = results[what]
        rows.append(Row(f"explore: {what} ({r.states:,} states)", f"{seconds:.3f} s",
                        f"< {TARGET_S:g} s", "", seconds < TARGET_S))
    return rows


if __name__ == "__main__":
    print_rows(main())
