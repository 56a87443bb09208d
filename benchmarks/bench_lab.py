"""Click to picture in ConnectionLab, server side: from a button's click handler to every
output of the lab updated (both state diagrams, the ladder diagram, the log, the clock).

Clicks "deliver next" through a whole connection (handshake, data both ways, close,
TIME-WAIT) and reports the median and p95.  The browser adds its own time on top
(tests/test_browser.py drives a real one).

Run:  .venv/bin/python benchmarks/bench_lab.py      (or: make bench)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_all import Row, ms, print_rows, quantiles  # noqa: E402

from tcplab.widgets import ConnectionLab  # noqa: E402


def clicks():
    lab = ConnectionLab.from_scenario("established")
    lab.panels["A"].buttons["send"].click()
    lab.panels["B"].buttons["send"].click()
    lab.panels["A"].buttons["close"].click()
    times = []
    for _ in range(200):
        if lab.step_button.disabled:
            if lab.host("B").state.name == "CLOSE_WAIT":
                lab.panels["B"].buttons["close"].click()
                continue
            break
        t0 = time.perf_counter()
        lab.step_button.click()
        times.append(time.perf_counter() - t0)
    return times, lab


def main(repeats: int = 10) -> list[Row]:
    times = []
    for _ in range(repeats):
        t, lab = clicks()
        times += t
    median, p95 = quantiles(times)
    print(f"{'ConnectionLab: click → all outputs updated':<44} {'median':>9} {'p95':>9}   n")
    print(f"{'deliver next, a whole connection':<44} {median * 1e3:>7.2f}ms {p95 * 1e3:>7.2f}ms"
          f"   {len(times)}")
    print(f"final: {lab.summary()}")
    return [Row("ConnectionLab click → all outputs updated (server side), median (p95)",
                f"{ms(median)} ({ms(p95)})", "", "", None)]


if __name__ == "__main__":
    print_rows(main())
