"""Simulation throughput: many connections with random delays, losses and duplicates,
as the lessons' Monte-Carlo experiments play them, in segments per second.

One connection: B listens, A connects; once established A sends 1,200 bytes and
closes, B sends 200 bytes; B closes when A's FIN arrives; A waits out TIME-WAIT (2MSL);
every segment may be delayed (0.1 s + up to 0.05 s of jitter, so segments overtake
each other), lost (5%) or duplicated (2%).  Each connection is its own network with
its own seed, as an experiment's runs are.

Side by side, the same model on SimPy (the discrete-event library a Python user would
reach for): the SAME protocol code, tcplab's sans-IO ``Endpoint``, driven by SimPy's
environment instead of tcplab's ``Network``: one SimPy process per host reading its
inbox (a ``simpy.Store``), one process per segment on the wire and per timer, the
same random draws in the same order.  Only the event engine differs.  The SimPy model
keeps no trace, while tcplab's network records every event (what a lesson shows): so
tcplab runs twice, with its trace and with ``record=False`` (counts only, still a
little more than SimPy keeps), and the target (the whole run >= 2x SimPy, issue 18) is
judged like with like, on the run without a trace; the ratio with the trace is printed
beside it.  Each engine runs the same seeds chunk by chunk in turn, each chunk three
times, and the fastest of the three counts, timed in this process's CPU time (the
machine may be shared: other processes' load then neither counts nor falls on one
engine more than another).

Where the time goes: every Endpoint call is timed (by the wall clock: the CPU clock
costs more than a short call), in both models; the rest is the engine's ("engine
alone").  The Endpoint is shared, so the whole-run ratio can never
exceed the engine-alone ratio, whatever the Endpoint costs.

Memory: 100,000 connections, with the resident set size after every 10,000
(after a garbage collection): it must stay flat.  Two ways:
  * as the lessons' experiments run: a fresh network per connection, keeping only
    counters;
  * one long-running network (``record=False``: counts instead of a trace; ``keep=1``:
    each host remembers only its last finished connection's history, transitions and
    received bytes), 100 pairs of hosts opening connection after connection.

Run:  .venv/bin/python benchmarks/bench_simulation.py      (or: make bench)
"""

from __future__ import annotations

import gc
import os
import random
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_all import Row, print_rows  # noqa: E402

from tcplab import Network  # noqa: E402
from tcplab.endpoint import Endpoint, StartTimer, StopTimer, Transmit  # noqa: E402
from tcplab.fsm import State  # noqa: E402

# issue 18: "the whole >= 2x SimPy" (the first target, 3x, was set before the shared
# Endpoint was measured at half of each run; the engine alone is reported beside it)
TARGET_SPEEDUP = 2.0
REPEATS = 3                     # each chunk of seeds, per engine: the fastest counts
MEMORY_CONNECTIONS = 100_000
BATCH = 10_000


@dataclass(frozen=True)
class Model:
    delay: float = 0.1
    jitter: float = 0.05
    loss: float = 0.05
    duplicate: float = 0.02
    msl: float = 30.0
    a_data: bytes = b"a" * 1200
    b_data: bytes = b"b" * 200


MODEL = Model()


class App:
    """The applications on A and B, reacting to their endpoint's state after each event."""

    __slots__ = ("a_done", "b_sent", "b_closed")

    def __init__(self):
        self.a_done = self.b_sent = self.b_closed = False

    def react(self, a_state, b_state, a_call, b_call) -> None:
        if not self.a_done and a_state is State.ESTABLISHED:
            self.a_done = True
            a_call("send", MODEL.a_data)
            a_call("close")
        if not self.b_sent and b_state is State.ESTABLISHED:
            self.b_sent = True
            b_call("send", MODEL.b_data)
        elif not self.b_closed and b_state is State.CLOSE_WAIT:
            self.b_closed = True
            b_call("close")


# --------------------------------------------------------------------------- tcplab

def tcplab_connection(seed: int, m: Model = MODEL, record: bool = True
                      ) -> tuple[int, State, State]:
    """One connection on tcplab's Network: (segments sent, A's and B's final state)."""
    net = Network(seed=seed, delay=m.delay, jitter=m.jitter, loss=m.loss,
                  duplicate=m.duplicate, msl=m.msl, **({} if record else {"record": False}))
    a, b = net.host("A"), net.host("B")
    app = App()
    a_call = lambda name, *args: getattr(a, name)(*args)  # noqa: E731
    b_call = lambda name, *args: getattr(b, name)(*args)  # noqa: E731
    b.listen()
    a.connect("B")
    while net.step() is not None:
        app.react(a.state, b.state, a_call, b_call)
    return net.counts["send"], a.state, b.state


def tcplab_counts_only(seed: int) -> tuple[int, State, State]:
    return tcplab_connection(seed, record=False)


# --------------------------------------------------------------------------- SimPy

def simpy_connection(seed: int, m: Model = MODEL) -> tuple[int, State, State]:
    """The same connection, the same Endpoints, on SimPy's event engine."""
    import simpy

    env = simpy.Environment()
    rng = random.Random(seed)
    iss = lambda now: rng.getrandbits(32)  # noqa: E731  (as Network's random ISNs)
    eps = {n: Endpoint(n, iss=iss, time_wait=2 * m.msl) for n in ("A", "B")}
    inbox = {n: simpy.Store(env) for n in eps}
    generation = {n: {} for n in eps}
    sent = [0]
    app = App()

    def wire(seg, transit):
        yield env.timeout(transit)
        inbox[seg.dst].put((seg, None, 0))

    def timer(name, which, gen, delay):
        yield env.timeout(delay)
        inbox[name].put((None, which, gen))

    def transmit(seg):
        if m.loss and rng.random() < m.loss:
            return
        copies = 2 if m.duplicate and rng.random() < m.duplicate else 1
        for _ in range(copies):
            transit = m.delay + (rng.random() * m.jitter if m.jitter else 0.0)
            env.process(wire(seg, transit))

    def apply(name, outputs):
        gens = generation[name]
        for out in outputs:
            if isinstance(out, Transmit):
                sent[0] += 1
                transmit(out.segment)
            elif isinstance(out, StartTimer):
                gens[out.timer] = gen = gens.get(out.timer, 0) + 1
                env.process(timer(name, out.timer, gen, out.delay))
            elif isinstance(out, StopTimer):
                gens[out.timer] = gens.get(out.timer, 0) + 1

    def call(name):
        ep = eps[name]
        return lambda what, *args: apply(name, getattr(ep, what)(*args, now=env.now))

    a_call, b_call = call("A"), call("B")

    def host(name):
        ep, box, gens = eps[name], inbox[name], generation[name]
        while True:
            seg, which, gen = yield box.get()
            if seg is not None:
                apply(name, ep.receive(seg, now=env.now))
            elif gens.get(which) == gen:
                apply(name, ep.timer_expired(which, now=env.now))
            else:
                continue                      # a timer stopped or restarted since
            app.react(eps["A"].state, eps["B"].state, a_call, b_call)

    b_call("listen")
    a_call("connect", "B")
    env.process(host("A"))
    env.process(host("B"))
    env.run()
    return sent[0], eps["A"].state, eps["B"].state


# --------------------------------------------------------------------------- measuring

def throughput(run, n: int, first_seed: int = 0, clock=time.process_time):
    """(segments, seconds, finals) for n connections (seconds of this process's CPU)."""
    segments = 0
    finals: dict[tuple[State, State], int] = {}
    t0 = clock()
    for seed in range(first_seed, first_seed + n):
        s, fa, fb = run(seed)
        segments += s
        finals[(fa, fb)] = finals.get((fa, fb), 0) + 1
    return segments, clock() - t0, finals


class EndpointClock:
    """Adds up the time spent inside Endpoint methods (the protocol), whoever calls them:
    the rest of a run is the event engine's."""

    METHODS = ("listen", "connect", "send", "close", "abort", "receive", "timer_expired")

    def __init__(self):
        self.seconds = 0.0
        self.saved = {}

    def __enter__(self):
        clock = self
        perf = time.perf_counter
        for name in self.METHODS:
            original = self.saved[name] = getattr(Endpoint, name)

            def timed(*args, _original=original, **kwargs):
                t0 = perf()
                try:
                    return _original(*args, **kwargs)
                finally:
                    clock.seconds += perf() - t0
            setattr(Endpoint, name, timed)
        return self

    def __exit__(self, *exc):
        for name, original in self.saved.items():
            setattr(Endpoint, name, original)


def engine_share(runs: dict, n: int, chunk: int = 100, repeats: int = REPEATS) -> dict:
    """{name: (engine seconds, protocol seconds)} for n connections of each run, chunk
    by chunk in turn, each chunk ``repeats`` times (the fastest counting); and the
    segments of those connections."""
    out = {name: [0.0, 0.0] for name in runs}
    segments = 0
    for first in range(0, n, chunk):
        best = {}
        for _ in range(repeats):
            for name, run in runs.items():
                with EndpointClock() as clock:
                    segs, seconds, _ = throughput(run, min(chunk, n - first),
                                                  first_seed=first, clock=time.perf_counter)
                if name not in best or seconds < sum(best[name]):
                    best[name] = (seconds - clock.seconds, clock.seconds)
        segments += segs
        for name, (engine, protocol) in best.items():
            out[name][0] += engine
            out[name][1] += protocol
    return {name: tuple(v) for name, v in out.items()}, segments


def interleaved(runs: dict, n: int, chunk: int = 100, repeats: int = REPEATS) -> dict:
    """Like throughput() for each of ``runs``, chunk by chunk in turn (the same seeds), so
    that the load of a busy machine falls on every engine alike; each chunk ``repeats``
    times, the fastest counting."""
    out = {name: [0, 0.0, {}] for name in runs}
    for first in range(0, n, chunk):
        size = min(chunk, n - first)
        best = {}
        for _ in range(repeats):
            for name, run in runs.items():
                segs, secs, finals = throughput(run, size, first_seed=first)
                if name not in best or secs < best[name][1]:
                    best[name] = (segs, secs, finals)
        for name, (segs, secs, finals) in best.items():
            acc = out[name]
            acc[0] += segs
            acc[1] += secs
            for k, v in finals.items():
                acc[2][k] = acc[2].get(k, 0) + v
    return {name: tuple(v) for name, v in out.items()}


def print_shares(shares: dict, segments: float, n: int) -> dict:
    """Print where the time goes; {run: the SimPy engine's time / that run's engine's}."""
    theirs_engine = shares["simpy"][0]
    names = {"ours": "tcplab (with its trace)", "counts": "tcplab (record=False)",
             "simpy": "SimPy (no trace)"}
    print(f"where the time goes ({n} connections each, timed around every Endpoint call; "
          f"µs per segment):")
    for name, (engine, protocol) in shares.items():
        print(f"  {names[name]:<24} protocol (Endpoint) {1e6 * protocol / segments:5.1f}, "
              f"engine {1e6 * engine / segments:5.1f}, whole "
              f"{1e6 * (engine + protocol) / segments:5.1f}")
    ratios = {name: theirs_engine / engine for name, (engine, _) in shares.items()
              if name != "simpy"}
    print(f"  engine alone: tcplab {ratios['counts']:.1f}x SimPy's without a trace, "
          f"{ratios['ours']:.1f}x with it; the shared Endpoint keeps the whole-run ratio "
          f"below these (with a free Endpoint the whole would reach them)")
    return ratios


def rss_mib() -> float:
    """The resident set size now, in MiB (after gc.collect(), by the callers).

    The current RSS, not the peak (ru_maxrss): in `make bench` other benchmarks ran
    before in the same process, and their peak would hide any growth here."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:                                   # not Linux: the peak, in KiB or bytes
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (2**20 if sys.platform == "darwin" else 1024)


def memory(total: int = MEMORY_CONNECTIONS, batch: int = BATCH):
    """A fresh network per connection: peak RSS after each batch."""
    peaks = []
    segments = 0
    t0 = time.perf_counter()
    for start in range(0, total, batch):
        s, _, _ = throughput(tcplab_connection, batch, first_seed=1_000_000 + start)
        segments += s
        gc.collect()
        peaks.append(rss_mib())
    return peaks, segments, time.perf_counter() - t0


def long_running(total: int = MEMORY_CONNECTIONS, batch: int = BATCH, pairs: int = 100,
                 m: Model = MODEL, keep: int | None = 1):
    """One network (record=False), ``pairs`` pairs of hosts, each opening a new
    connection as soon as its last one is closed on both sides: peak RSS every batch.
    ``keep`` is the network's option (None: the hosts remember every connection, and
    grow by about 25 MiB per 10k connections)."""
    net = Network(seed=7, delay=m.delay, jitter=m.jitter, loss=m.loss,
                  duplicate=m.duplicate, msl=m.msl, record=False, keep=keep)
    hosts = [(net.host(f"A{i}"), net.host(f"B{i}")) for i in range(pairs)]
    pair_of = {h.name: i for i, pair in enumerate(hosts) for h in pair}
    apps: list[App] = [App() for _ in range(pairs)]
    calls = [(lambda what, *args, h=a: getattr(h, what)(*args),
              lambda what, *args, h=b: getattr(h, what)(*args)) for a, b in hosts]
    started = done = 0

    def start(i: int) -> None:
        nonlocal started
        a, b = hosts[i]
        apps[i] = App()
        b.listen()
        a.connect(b.name)
        started += 1

    for i in range(pairs):
        start(i)
    peaks = []
    t0 = time.perf_counter()
    closed = State.CLOSED
    while done < total:
        event = net.step()
        if event is None:
            break
        i = pair_of.get(event.host)
        if i is None:
            continue
        a, b = hosts[i]
        apps[i].react(a.state, b.state, *calls[i])
        if a.state is closed and b.state is closed:
            done += 1
            if done % batch == 0:
                gc.collect()
                peaks.append(rss_mib())
            if started < total:
                start(i)
    seconds = time.perf_counter() - t0
    ends = [h.endpoint for pair in hosts for h in pair]
    kept = sum(len(e.received) for e in ends) / 2**20
    entries = sum(len(e.history) + len(e.transitions) for e in ends)
    print(f"(what the {2 * pairs} hosts keep at the end, with keep={keep}: "
          f"{kept:.2f} MiB received (Endpoint.received), {entries:,} states and edges "
          f"(Endpoint.history, .transitions))")
    return peaks, net.counts.get("send", 0), seconds


def remembering_all(total: int) -> str:
    """The peer of the long-running row: the same network with keep=None (each host
    remembers every connection), over at most 3 batches since it grows."""
    peaks, _, _ = long_running(min(total, 3 * BATCH), keep=None)
    return (f"keep=None (every connection remembered): {growth_per_batch(peaks):+.1f} MiB "
            f"per {BATCH // 1000}k")


def growth_per_batch(peaks: list[float]) -> float:
    return (peaks[-1] - peaks[0]) / max(1, len(peaks) - 1)


def main(n: int = 2_000, memory_connections: int = MEMORY_CONNECTIONS) -> list[Row]:
    tcplab_connection(0)                       # warm up imports and caches
    runs = {"ours": tcplab_connection, "counts": tcplab_counts_only}
    rows = []
    missing = ""
    try:
        import simpy  # noqa: F401
        simpy_connection(0)
        runs["simpy"] = simpy_connection
    except ImportError as exc:
        missing = f"SimPy not installed ({exc.name}): pip install -e '.[bench]'"
        print(missing)
    results = interleaved(runs, n)
    ours, counts_only, theirs = results["ours"], results["counts"], results.get("simpy")
    print(f"{n} connections each (delay {MODEL.delay} s + jitter {MODEL.jitter} s, "
          f"loss {MODEL.loss:.0%}, duplicates {MODEL.duplicate:.0%}):")
    print(f"{'engine':<34} {'segments':>9} {'seconds':>8} {'segments/s':>11} "
          f"{'connections/s':>14}")
    for name, result in (("tcplab Network (with its trace)", ours),
                         ("tcplab Network (record=False)", counts_only),
                         ("SimPy + tcplab Endpoint", theirs)):
        if result is None:
            continue
        segs, secs, finals = result
        print(f"{name:<34} {segs:>9,} {secs:>8.2f} {segs / secs:>11,.0f} {n / secs:>14,.0f}")
    outcome = ", ".join(f"{a}/{b}: {c}" for (a, b), c in sorted(
        ours[2].items(), key=lambda kv: -kv[1]))
    print(f"final states (A/B) on tcplab: {outcome}")
    our_rate = ours[0] / ours[1]
    like_rate = counts_only[0] / counts_only[1]
    what = "3. simulation: connections with delays/loss/duplicates, segments/s"
    target = f"whole >= {TARGET_SPEEDUP:.0f}x SimPy"
    if theirs is not None:
        their_rate = theirs[0] / theirs[1]
        same = "the same segments" if theirs[0] == ours[0] and theirs[2] == ours[2] else (
            f"{abs(theirs[0] - ours[0])} segments differ (events at equal times may be "
            f"ordered differently)")
        print(f"models agree: {same}")
        like, traced = like_rate / their_rate, our_rate / their_rate
        print(f"whole run: tcplab {like:.2f}x SimPy like with like (no trace on either "
              f"side), {traced:.2f}x with tcplab's trace (SimPy keeps none)")
        half = n // 2
        shares, segments = engine_share({"ours": tcplab_connection,
                                         "counts": tcplab_counts_only,
                                         "simpy": simpy_connection}, half)
        engine_ratio = print_shares(shares, segments, half)
        rows.append(Row(what, f"{like_rate:,.0f}/s (no trace)", target,
                        f"SimPy (same Endpoint, no trace): {their_rate:,.0f}/s; tcplab "
                        f"{like:.2f}x (with its trace: {our_rate:,.0f}/s, {traced:.2f}x); "
                        f"engine alone {engine_ratio['counts']:.1f}x "
                        f"({engine_ratio['ours']:.1f}x with the trace)",
                        like >= TARGET_SPEEDUP))
    else:
        rows.append(Row(what, f"{like_rate:,.0f}/s (no trace)", target, missing, None))

    if memory_connections:
        k = BATCH // 1000
        for name, run in (("a fresh network per connection (as the lessons' experiments)",
                           memory),
                          ("one long-running network (record=False, keep=1), 100 host pairs",
                           long_running)):
            peaks, segs, secs = run(memory_connections)
            growth = growth_per_batch(peaks)
            print(f"\n{memory_connections:,} connections, {name}: {segs:,} segments in "
                  f"{secs:.0f} s ({segs / secs:,.0f}/s); RSS after every {BATCH:,} (MiB):")
            print("  " + " ".join(f"{p:.1f}" for p in peaks))
            short = ("fresh network each" if run is memory
                     else "one long-running network (record=False, keep=1)")
            rows.append(Row(f"3. memory, {memory_connections // 1000}k connections, {short}: "
                            f"RSS growth per {k}k after the first {k}k",
                            f"{growth:+.2f} MiB (RSS {peaks[-1]:.0f} MiB)", "flat (< 1 MiB)",
                            "" if run is memory else remembering_all(memory_connections),
                            abs(growth) < 1.0))
    return rows


if __name__ == "__main__":
    print_rows(main())
