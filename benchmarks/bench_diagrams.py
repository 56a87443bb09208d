"""Event to picture: how long a lab waits for its state diagram after each event.

Prints, for a stream of events of a full connection (handshake, data, close, TIME-WAIT),
the median and p95 of:
  * tcplab: state_diagram(a, b).svg() after each event (layout cached, restyled);
  * a plain re-render: the same highlighted DOT text laid out again by Graphviz
    (graphviz-pure, or dot), which is what a naive widget would do.

Run:  .venv/bin/python benchmarks/bench_diagrams.py      (or: make bench)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_all import Row, ms, print_rows, quantiles, ratio  # noqa: E402

from tcplab import Network  # noqa: E402
from tcplab.diagrams import state_diagram  # noqa: E402
from tcplab.diagrams.render import render, renderer  # noqa: E402


def events():
    """Yield (net, a, b) after every event of a realistic story, 40 events or so."""
    net = Network(seed=1)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    b.listen()
    yield net, a, b
    a.connect("B")
    yield net, a, b
    for _ in range(3):
        net.step()
        yield net, a, b
    a.send(b"hello" * 200)
    b.send(b"world" * 50)
    net.drop(lambda s: s.src == "A" and bool(s.data), count=1)
    while net.now < 5 and net.step():
        yield net, a, b
    a.close()
    while net.now < 7 and net.step():
        yield net, a, b
    b.close()
    while net.step():
        yield net, a, b


def main(repeats: int = 5) -> list[Row]:
    fast, slow = [], []
    state_diagram().svg()                       # first layout, as a lab's first display
    for _ in range(repeats):
        for net, a, b in events():
            t0 = time.perf_counter()
            d = state_diagram(a, b)
            d.svg()
            fast.append(time.perf_counter() - t0)
    for net, a, b in events():
        d = state_diagram(a, b)
        t0 = time.perf_counter()
        render(d.source)
        slow.append(time.perf_counter() - t0)
    fm, fp = quantiles(fast)
    sm, sp = quantiles(slow)
    print(f"renderer: {renderer()}")
    print(f"{'event → state diagram SVG':<42} {'median':>10} {'p95':>10}   n")
    print(f"{'tcplab (cached layout, restyled)':<42} {fm * 1e3:>8.3f}ms {fp * 1e3:>8.3f}ms "
          f"  {len(fast)}")
    print(f"{'plain Graphviz re-render of the same DOT':<42} {sm * 1e3:>8.3f}ms "
          f"{sp * 1e3:>8.3f}ms   {len(slow)}")
    print(f"speed-up (median): {sm / fm:,.0f}x")
    return [Row("event → one state-diagram SVG (cached layout, restyled), median (p95)",
                f"{ms(fm)} ({ms(fp)})", "",
                f"plain Graphviz re-render: {ms(sm)} ({ratio(sm, fm)} slower)", None)]


if __name__ == "__main__":
    print_rows(main())
