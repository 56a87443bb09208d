"""Virtual time → y: linear, except that quiet stretches are drawn short."""

from __future__ import annotations

from bisect import bisect_right


class _TimeScale:
    """Virtual time → y, linear except in quiet stretches, which are drawn short."""

    def __init__(self, times, start, end, px_per_s, gap_s, gap_px, y0, compress=True):
        ts = sorted({round(t, 9) for t in times if start <= t <= end} | {start, end})
        self.knots_t = [ts[0]]
        self.knots_y = [y0]
        self.breaks: list[tuple[float, float, float, float]] = []
        self.runs: list[tuple[float, float]] = []
        run_start = ts[0]
        for a, b in zip(ts, ts[1:]):
            g = b - a
            ya = self.knots_y[-1]
            if compress and g > gap_s:
                yb = ya + gap_px
                self.breaks.append((a, b, ya, yb))
                self.runs.append((run_start, a))
                run_start = b
            else:
                yb = ya + g * px_per_s
            self.knots_t.append(b)
            self.knots_y.append(yb)
        self.runs.append((run_start, ts[-1]))
        self.start, self.end = start, end

    def y(self, t: float) -> float:
        kt, ky = self.knots_t, self.knots_y
        if t <= kt[0]:
            return ky[0]
        if t >= kt[-1]:
            return ky[-1]
        i = bisect_right(kt, t) - 1
        if kt[i + 1] == kt[i]:
            return ky[i]
        return ky[i] + (t - kt[i]) / (kt[i + 1] - kt[i]) * (ky[i + 1] - ky[i])


def _nice_step(px_per_s: float, min_px: float = 36.0) -> float:
    for exp in range(-4, 6):
        for m in (1, 2, 5):
            step = m * 10.0 ** exp
            if step * px_per_s >= min_px:
                return step
    return 1e6


def _fmt_time(t: float, decimals: int) -> str:
    s = f"{t:.{decimals}f}"
    return s[1:] if s.startswith("-") and s.strip("-0.") == "" else s


def _fmt_span(g: float) -> str:
    if g >= 10:
        return f"≈ {g:.0f} s"
    if g >= 1:
        return f"≈ {g:.1f} s".replace(".0 s", " s")
    return f"≈ {g:.2g} s"
