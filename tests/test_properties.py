"""Property-based tests: random application calls, random faults, and what must hold anyway.

Two hosts A and B with random ISNs (``iss=None``).  A test draws a sequence of
operations: application calls chosen among *all* calls (legal or not), steps of
the network, runs for a while, fault rules (drop / duplicate / hold) and
releases of held segments, on a network with random loss, duplication and
jitter.  After every operation the invariants are checked.

Per-connection bookkeeping for the data property: a connection is named by the
ISN of its sender.  Bytes A's application hands over while A's ISN is ``i`` go
to ``sent["A", i]``; bytes delivered to B while B's IRS (the peer's ISN) is
``i`` go to ``got["B", i]``.  Then ``got["B", i]`` must always be a prefix of
``sent["A", i]``: in order, nothing duplicated, nothing invented, and nothing
carried over from another connection.  (With an abort or an RST the data of a
connection may be cut short, which a prefix allows.  The ISNs are random 32-bit
numbers, so two connections never share one.)
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tcplab import Flag, IllegalEvent, Network, State
from tcplab.fsm import Event

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CALLS = ("listen", "connect", "send", "close", "abort")
CALL_EVENT = {"listen": Event.LISTEN, "connect": Event.CONNECT, "send": Event.SEND,
              "close": Event.CLOSE, "abort": Event.ABORT}
STATES = frozenset(State)

#: predicates a lesson might write for a fault rule
MATCHES = {
    "SYN": lambda s: s.flags == Flag.SYN,
    "SYN+ACK": lambda s: s.flags == Flag.SYN | Flag.ACK,
    "FIN": lambda s: Flag.FIN in s.flags,
    "data": lambda s: bool(s.data),
    "pure ACK": lambda s: s.flags == Flag.ACK and not s.data,
    "RST": lambda s: Flag.RST in s.flags,
    "from A": lambda s: s.src == "A",
    "from B": lambda s: s.src == "B",
    "any": lambda s: True,
}

networks = st.fixed_dictionaries({
    "seed": st.integers(min_value=0, max_value=2**16),
    "loss": st.sampled_from([0.0, 0.0, 0.1, 0.2, 0.3]),
    "duplicate": st.sampled_from([0.0, 0.0, 0.1, 0.3]),
    "jitter": st.sampled_from([0.0, 0.0, 0.05, 0.5]),
    "msl": st.sampled_from([2.0, 5.0, 30.0]),
})

_call = st.tuples(st.just("call"), st.sampled_from("AB"), st.sampled_from(CALLS),
                  st.binary(min_size=1, max_size=1200))
_step = st.tuples(st.just("step"), st.integers(min_value=1, max_value=12))
_run = st.tuples(st.just("run"), st.sampled_from([0.05, 0.3, 1.0, 4.0, 20.0, 70.0]))
_rule = st.tuples(st.just("rule"), st.sampled_from(["drop", "duplicate", "hold"]),
                  st.sampled_from(sorted(MATCHES)), st.sampled_from([1, 1, 2, None]))
_release = st.tuples(st.just("release"))

#: one operation; calls and steps are drawn most often, so that connections happen
operations = st.sampled_from(["call"] * 4 + ["step"] * 3 + ["run", "rule", "release"]).flatmap(
    {"call": _call, "step": _step, "run": _run, "rule": _rule, "release": _release}.get)

#: how a story may begin, so that the deeper states are reached often; what follows
#: is random (and may well be a second listen() or connect(), which must be refused)
OPENINGS = {
    "nothing": [],
    "B listens": [("call", "B", "listen", b"")],
    "B listens, A connects": [("call", "B", "listen", b""), ("call", "A", "connect", b"")],
    "simultaneous open": [("call", "A", "connect", b""), ("call", "B", "connect", b"")],
    "established": [("call", "B", "listen", b""), ("call", "A", "connect", b""),
                    ("run", 1.0)],
    "established, data both ways": [
        ("call", "B", "listen", b""), ("call", "A", "connect", b""),
        ("call", "A", "send", b"request" * 100), ("run", 1.0),
        ("call", "B", "send", b"response" * 100)],
}
openings = st.sampled_from(sorted(OPENINGS)).map(OPENINGS.get)


# --------------------------------------------------------------------------- the harness

class World:
    """A network with hosts A and B, the bookkeeping, and the invariant checks."""

    def __init__(self, seed, loss, duplicate, jitter, msl):
        self.net = Network(seed=seed, loss=loss, duplicate=duplicate, jitter=jitter, msl=msl)
        self.hosts = {name: self.net.host(name) for name in "AB"}
        self.sent: dict[tuple[str, int], bytes] = {}
        self.got: dict[tuple[str, int], bytes] = {}
        self.rules = []
        self.illegal = 0

    @staticmethod
    def other(name):
        return "B" if name == "A" else "A"

    def snapshot(self, h):
        ep = h.endpoint
        return (h.state, list(h.history), h.received, h.error, h.iss, h.peer,
                dict(ep.timers), ep.unsent, ep.unacked, len(getattr(h, "transitions", ())),
                len(self.net.trace), len(self.net.sent), self.net.now)

    # ---- application calls: only IllegalEvent may be raised, and then nothing changes
    def call(self, name, what, data=b"x"):
        h = self.hosts[name]
        legal = CALL_EVENT[what] in h.legal_calls()
        before = self.snapshot(h)
        other_before = self.snapshot(self.hosts[self.other(name)])
        args = {"connect": (self.other(name),), "send": (data,)}.get(what, ())
        try:
            getattr(h, what)(*args)
        except IllegalEvent as exc:
            assert not legal, f"{what}() is legal in {before[0]} yet raised {exc}"
            assert exc.state is before[0]
            assert str(before[0]) in str(exc)
            assert self.snapshot(h) == before, f"illegal {what}() changed {name}"
            assert self.snapshot(self.hosts[self.other(name)]) == other_before
            self.illegal += 1
            return False
        assert legal, f"{what}() is not legal in {before[0]} yet did not raise"
        if what == "send":
            key = (name, h.iss)
            self.sent[key] = self.sent.get(key, b"") + bytes(data)
        return True

    # ---- the network: never raises; deliveries are attributed per connection
    def step(self):
        before = {n: (len(h.received), h.endpoint.irs) for n, h in self.hosts.items()}
        event = self.net.step()
        for n, h in self.hosts.items():
            length, irs_before = before[n]
            new = h.received[length:]
            if new:
                irs = h.endpoint.irs if h.endpoint.irs is not None else irs_before
                assert irs is not None, f"{n} delivered {new!r} outside any connection"
                self.got[(n, irs)] = self.got.get((n, irs), b"") + new
        self.check()
        return event

    def run_for(self, seconds):
        target = self.net.now + seconds
        while (t := self.net.next_time()) is not None and t <= target:
            self.step()
        self.net.run(until=target)          # nothing is left before `target`: moves the clock
        assert self.net.now == target

    def run(self, limit=100_000):
        for _ in range(limit):
            if self.step() is None:
                return
        raise AssertionError("the network never became idle")

    # ---- invariants
    def check(self):
        for name, h in self.hosts.items():
            assert h.state in STATES
            assert h.history[0] is State.CLOSED and h.history[-1] is h.state
            assert all(x is not y for x, y in zip(h.history, h.history[1:]))
        for (receiver, isn), got in self.got.items():
            sent = self.sent.get((self.other(receiver), isn), b"")
            assert sent.startswith(got), (
                f"{receiver} received {got!r} in the connection whose ISN is {isn}, "
                f"which is not a prefix of what was sent: {sent!r}")

    def check_time_wait(self):
        """Every TIME-WAIT that ended by its timer lasted time_wait (2MSL) after it was
        entered or after the peer's FIN came again (which restarts the timer)."""
        for name, h in self.hosts.items():
            tw = h.endpoint.time_wait
            entered = None
            for r in self.net.trace:
                if r.host != name:
                    continue
                if r.kind == "state" and r.state is State.TIME_WAIT:
                    entered, starts = r.time, [r.time]
                elif entered is not None and r.kind == "arrive" and Flag.FIN in r.segment.flags:
                    starts.append(r.time)
                elif entered is not None and r.kind == "state":
                    if r.detail.startswith(str(Event.TIMEOUT_2MSL)):
                        assert r.state is State.CLOSED
                        assert r.time - entered >= tw - 1e-9
                        assert any(r.time == pytest.approx(t + tw) for t in starts), \
                            f"{name} left TIME-WAIT at {r.time} (entered {entered}, 2MSL {tw})"
                    else:                       # left early only by abort or RST
                        assert r.detail.split(" /")[0] in ("abort", "RST"), r.detail
                    entered = None

    def heal_and_close(self):
        """Release what is held, stop the fault rules, close both sides, let it run."""
        for rule in self.rules:
            rule.cancel()
            if hasattr(rule, "release"):
                rule.release()
        for name in "AB":
            h = self.hosts[name]
            if CALL_EVENT["close"] in h.legal_calls():
                self.call(name, "close")
        self.run()
        for name, h in self.hosts.items():
            peer = self.hosts[self.other(name)]
            if h.state in (State.CLOSED, State.LISTEN):
                continue
            # RFC 9293 has no FIN-WAIT-2 timer: a host whose peer aborted (RST lost)
            # or gave up waits there for a FIN that will never come.
            assert h.state is State.FIN_WAIT_2, f"{name} stuck in {h.state}"
            assert peer.state in (State.CLOSED, State.LISTEN)
            peer_ended = [r for r in self.net.trace if r.host == peer.name and
                          (r.kind == "give-up" or (r.kind == "call" and r.detail == "abort()"))]
            assert peer_ended, f"{name} in FIN-WAIT-2 but {peer.name} never gave up nor aborted"
        self.check_time_wait()
        assert self.net.idle


def apply(world, op):
    kind = op[0]
    if kind == "call":
        _, name, what, data = op
        world.call(name, what, data)
        world.check()
    elif kind == "step":
        for _ in range(op[1]):
            if world.step() is None:
                break
    elif kind == "run":
        world.run_for(op[1])
    elif kind == "rule":
        _, action, match, count = op
        if action == "hold" and count is None:
            count = 3                   # a hold of everything would only stall the story
        world.rules.append(getattr(world.net, action)(MATCHES[match], count=count))
    elif kind == "release":
        for rule in world.rules:
            if hasattr(rule, "release"):
                rule.release()


# --------------------------------------------------------------------------- properties

@SETTINGS
@given(networks, openings, st.lists(operations, min_size=10, max_size=60))
def test_random_calls_and_faults_keep_the_invariants(params, opening, ops):
    world = World(**params)
    for op in opening + ops:
        apply(world, op)
    world.heal_and_close()
    world.check()


@SETTINGS
@given(networks, st.lists(st.tuples(st.sampled_from("AB"), st.sampled_from(CALLS)),
                          min_size=1, max_size=30))
def test_illegal_calls_raise_and_change_nothing(params, calls):
    """Calls only, no network steps: the table alone decides what is legal."""
    world = World(**params)
    for name, what in calls:
        world.call(name, what, b"data")
        world.check()


@SETTINGS
@given(networks, openings, st.lists(operations, min_size=1, max_size=25))
def test_same_operations_same_seed_same_run(params, opening, ops):
    runs = []
    for _ in range(2):
        world = World(**params)
        for op in opening + ops:
            apply(world, op)
        runs.append((list(world.net.trace), list(world.net.sent),
                     [h.received for h in world.hosts.values()]))
    assert runs[0] == runs[1]


def full_exchange(seed, loss, duplicate, jitter, len_a, len_b, b_closes_first):
    """connect, data both ways, close both; checks the outcome."""
    rng = random.Random(seed)
    data_a, data_b = rng.randbytes(len_a), rng.randbytes(len_b)
    world = World(seed=seed, loss=loss, duplicate=duplicate, jitter=jitter, msl=30.0)
    net, a, b = world.net, world.hosts["A"], world.hosts["B"]
    b.listen()
    a.connect("B")
    if data_a:
        world.call("A", "send", data_a)          # queued in SYN-SENT
    a_closed = b_served = False
    for _ in range(200_000):
        if not b_served and b.state in (State.ESTABLISHED, State.CLOSE_WAIT):
            if data_b:
                world.call("B", "send", data_b)
            b_served = True
        if (not a_closed and a.state in (State.ESTABLISHED, State.CLOSE_WAIT)
                and (b_served or not b_closes_first)):
            world.call("A", "close")
            a_closed = True
        if b_served and b.state in (State.ESTABLISHED, State.CLOSE_WAIT) and \
                (a_closed or b_closes_first):
            world.call("B", "close")
        if world.step() is None:
            break
    else:
        raise AssertionError("the exchange never ended")
    world.check()
    world.check_time_wait()
    if a.error is None and b.error is None:
        assert b.received == data_a
        assert a.received == data_b
        assert a.state is State.CLOSED and b.state is State.CLOSED
        assert a.history[-1] is State.CLOSED
    else:
        # someone gave up or was reset: what arrived is still exact, only perhaps short
        assert data_a.startswith(b.received)
        assert data_b.startswith(a.received)
        gave_up = net.trace.of("give-up")
        assert gave_up or any(r.kind == "notify" and "reset" in r.detail for r in net.trace)


exchanges = dict(
    seed=st.integers(min_value=0, max_value=2**16),
    loss=st.floats(min_value=0.0, max_value=0.3),
    duplicate=st.floats(min_value=0.0, max_value=0.3),
    jitter=st.sampled_from([0.0, 0.01, 0.1, 0.5]),
    b_closes_first=st.booleans(),
)
WINDOW = 4096   # the receive window every host advertises by default


@SETTINGS
@given(len_a=st.integers(min_value=0, max_value=WINDOW),
       len_b=st.integers(min_value=0, max_value=WINDOW), **exchanges)
def test_full_exchange_delivers_every_byte_once_in_order(**kwargs):
    """connect, data both ways, close both: under loss, duplication and reordering every
    byte arrives exactly once and in order, unless a side gave up and says so."""
    full_exchange(**kwargs)


@SETTINGS
@given(len_a=st.integers(min_value=WINDOW + 1, max_value=2 * WINDOW),
       len_b=st.integers(min_value=WINDOW + 1, max_value=2 * WINDOW), **exchanges)
def test_full_exchange_of_more_than_a_window(**kwargs):
    """The same with more than a window of data each way: close() must wait for the
    queued bytes, and the FIN goes after them whatever arrives meanwhile (a FIN queued
    behind data was once never sent from CLOSING)."""
    full_exchange(**kwargs)


def test_simultaneous_close_while_our_fin_waits_behind_queued_data():
    """A's FIN must wait for the bytes queued before it (more than B's window); if B's
    FIN arrives meanwhile (FIN-WAIT-1 -> CLOSING), A must still send its FIN once the
    data is out, or both sides wait for ever (A in CLOSING, B in FIN-WAIT-2).
    The smallest case the full-exchange property above finds."""
    net = Network(seed=0)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    b.listen()
    a.connect("B")
    net.run()
    a.send(b"x" * 5000)          # B's window is 4096: 904 bytes wait in A's buffer
    a.close()                    # FIN-WAIT-1; the FIN waits behind them
    b.close()                    # B's FIN reaches A first: A goes to CLOSING
    net.run()
    assert b.received == b"x" * 5000
    assert any(Flag.FIN in s.flags for t, s in net.sent if s.src == "A"), \
        "A never sent its FIN"
    assert a.state is State.CLOSED and b.state is State.CLOSED
    assert a.error is None and b.error is None


def test_a_stale_syn_meeting_a_half_open_connection_does_not_start_an_ack_storm():
    """A's old SYN, held in the network, reaches B after B aborted (its RST lost) and
    listens again, while A is still ESTABLISHED: B (SYN-RECEIVED) and A (ESTABLISHED)
    find each other's segments unacceptable.  Whatever they answer, with duplicate=0.3
    the network must still become idle (B gives up after its retransmissions).  Before
    the endpoint rate-limited its ACKs to unacceptable empty segments (RFC 5961 §7),
    each duplicated ACK started another chain of the ACK war: an exponential storm."""
    net = Network(seed=0, duplicate=0.3)
    a, b = net.host("A"), net.host("B")
    held = net.hold(lambda s: s.flags == Flag.SYN)   # A's first SYN gets stuck ...
    a.connect("B")
    a.abort()                                        # ... and A gives that attempt up
    b.listen()
    a.connect("B")                                   # a new connection, a new ISN
    net.run(until=1)
    assert a.state is b.state is State.ESTABLISHED
    net.drop(lambda s: Flag.RST in s.flags, count=1)
    b.abort()                                        # B's RST is lost: A is half-open
    net.run(until=2)
    b.listen()
    held.release()                                   # the stale SYN reaches B
    for _ in range(20_000):
        if net.step() is None:
            break
    else:
        pytest.fail(f"still busy after 20000 events, at t={net.now:.1f} s only: "
                    f"{len(net.sent)} segments sent, an ACK storm")
    assert b.state is State.LISTEN        # the stale attempt was given up (or reset)
