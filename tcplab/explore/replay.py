"""A counterexample replayed on a real network, as a lab session, checked step by step.

Each packet gets a plan: it travels plainly (``("natural", transit)``: it arrives one
transit time after it was sent), it is held and released when the step delivers it
(``("hold",)``), or it is lost (``("drop",)``).  A first replay holds every packet that
cannot simply travel with the lab's delay; a second one, timed from the first, lets
every packet that can travel plainly with the transit time that makes it arrive exactly
when the step delivers it.

This module sits below :mod:`tcplab.explore.counterexample`: ``cx`` below is a
:class:`~tcplab.explore.Counterexample`, ``s`` one of its steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..network import Network
from ..session import LabConfig, Session
from .world import HOSTS

__all__ = ["REPLAY_DELAY", "ReplayError", "IsnLabConfig", "ExplorerSession", "replay"]

#: The one-way delay of the network a counterexample is replayed on (seconds).
REPLAY_DELAY = 0.01


class ReplayError(RuntimeError):
    """A counterexample could not be replayed on a real network as the explorer saw it."""


class _IsnList:
    """An ISN source for a real endpoint: the next value of a list per connection."""

    def __init__(self, values):
        self.values = tuple(values)
        self.count = 0

    def __call__(self, now: float) -> int:
        value = self.values[min(self.count, len(self.values) - 1)]
        self.count += 1
        return value


@dataclass(frozen=True)
class IsnLabConfig(LabConfig):
    """A LabConfig whose hosts take a list of ISNs, one per connection (the last repeats)."""

    isns: tuple = ()

    def build(self) -> Network:
        net = Network(seed=self.seed, delay=self.delay, loss=self.loss,
                      duplicate=self.duplicate, msl=self.msl, jitter=self.jitter)
        for name, values in zip(self.hosts, self.isns):
            net.host(name, handshake=self.handshake, iss=_IsnList(values),
                     time_wait=self.time_wait)
        return net


class ExplorerSession(Session):
    """A lab session that also knows ("copy", i): the network copies held segment i
    (the copy, injected now, is held too)."""

    def _apply(self, action):
        if action[0] == "copy":
            held = self.held_holds()
            index = action[1]
            if not 0 <= index < len(held):
                raise ValueError(f"there is no held segment number {index}")
            seg = held[index].segments[0]
            rule = self.net.hold(lambda s: True, count=1)
            self.holds.append(rule)
            self.net.inject(seg)
            return seg
        return super()._apply(action)


# --------------------------------------------------------------------------- plans

def _fates(cx) -> dict[int, tuple]:
    """A first plan for each packet: ("natural", REPLAY_DELAY), ("hold",) or ("drop",).

    A packet travels plainly (arrives one delay after it was sent) if every step between
    its sending and its arrival is a call or the arrival of a plain packet sent before it;
    otherwise it is held and released when the step delivers it.
    """
    emitted_at: dict[int, int] = {}
    delivered_at: dict[int, int] = {}
    order: dict[int, int] = {}
    fate: dict[int, tuple] = {}
    copied: set[int] = set()
    for n, s in enumerate(cx.steps):
        for p in s.info["emitted"]:
            emitted_at[p.id] = n
            order[p.id] = len(order)
        kind = s.action[0]
        if kind == "deliver":
            delivered_at[s.info["packet"].id] = n
        elif kind == "lose":
            fate[s.info["packet"].id] = ("drop",)
        elif kind == "duplicate":
            copied.add(s.info["packet"].id)
            copied.add(s.info["copy"].id)
    for pid in order:
        if pid in copied:
            fate[pid] = ("hold",)          # the network copies held segments only
            continue
        if pid in fate:
            continue
        k = delivered_at.get(pid)
        natural = k is not None
        for n in range(emitted_at[pid] + 1, k if natural else 0):
            s = cx.steps[n]
            if s.action[0] == "time":
                natural = False
                break
            if s.action[0] == "deliver":
                q = s.info["packet"].id
                if fate.get(q) != ("natural", REPLAY_DELAY) or order[q] > order[pid]:
                    natural = False
                    break
        fate[pid] = ("natural", REPLAY_DELAY) if natural else ("hold",)
    for pid in copied:
        fate[pid] = ("hold",)
    return fate


def _timed(cx, times: dict) -> dict[int, tuple]:
    """A better plan from the times of a first replay: every packet that can travels
    plainly, with the transit time that makes it arrive exactly when the step delivers
    it (at most MSL); only copies, expired packets and very slow ones are held."""
    msl = cx._model.msl
    fate: dict[int, tuple] = {}
    copied: set[int] = set()
    delivered: set[int] = set()
    for s in cx.steps:
        kind = s.action[0]
        if kind == "lose":
            fate[s.info["packet"].id] = ("drop",)
        elif kind == "duplicate":
            copied.update((s.info["packet"].id, s.info["copy"].id))
        elif kind == "deliver":
            delivered.add(s.info["packet"].id)
        elif kind == "time":
            for p in s.info.get("expired", ()):
                fate.setdefault(p.id, ("hold",))
    for pid, sent in times["sent"].items():
        if pid in fate:
            continue
        if pid in copied:
            fate[pid] = ("hold",)
            continue
        arrive = times["arrived"].get(pid, times["end"] + REPLAY_DELAY)
        transit = round(arrive - sent, 9)
        fate[pid] = ("natural", transit) if 0 < transit <= msl else ("hold",)
    for pid in copied:
        fate[pid] = ("hold",)
    return fate


# --------------------------------------------------------------------------- a replay

class _Replay:
    """One replay of ``cx`` on a lab session, following the plan ``fate``."""

    def __init__(self, cx, fate: dict[int, tuple]):
        self.cx = cx
        self.fate = fate
        copies = any(s.action[0] == "duplicate" for s in cx.steps)
        self.session = (ExplorerSession if copies else Session)(cx.config)
        self.net = self.session.net
        self.held: list[int] = []   # packet ids held, in the order their holds were made
        self.times = {"sent": {}, "arrived": {}, "end": 0.0}

    def run(self) -> tuple:
        prev = self.cx.initial
        for s in self.cx.steps:
            getattr(self, "_" + s.action[0])(s, prev)
            for p in s.info["emitted"]:
                self.times["sent"][p.id] = self.net.now
            self._check(s)
            prev = s.world
        self._set_delay(REPLAY_DELAY)
        self.times["end"] = self.net.now
        return self.session, self.times

    def _set_delay(self, v: float) -> None:
        if self.session.net.delay != v:
            self.session.do("set", "delay", v)

    def _prepare(self, s) -> None:
        """Arm faults and set the delay for the segments step ``s`` will send."""
        plans = [self.fate[p.id] for p in s.info["emitted"]]
        kinds = [f[0] for f in plans]
        i = 0
        while i < len(kinds) and kinds[i] != "natural":
            i += 1
        rest = plans[i:]
        if (any(f[0] != "natural" for f in rest) or kinds.count("hold") > 1
                or kinds.count("drop") > 1 or len({f[1] for f in rest}) > 1):
            raise ReplayError(f"step {s.number} sends {len(kinds)} segments that would "
                              f"need, in this order: {', '.join(kinds)}; a lab arms one "
                              f"hold and one drop for the next segments sent, and they "
                              f"share one delay")
        if rest:
            self._set_delay(rest[0][1])
        for f, p in zip(plans[:i], s.info["emitted"]):
            self.session.do("arm", f[0])
            if f[0] == "hold":
                self.held.append(p.id)

    def _check(self, s) -> None:
        """The real endpoints are in the explorer's states, with its numbers."""
        for i, h in enumerate(HOSTS):
            real = self.session.net.hosts[h].endpoint
            want = s.world.eps[i]
            a = (real.state, real.iss, real.irs, real.snd_una, real.snd_nxt, real.rcv_nxt)
            b = (want.state, want.iss, want.irs, want.snd_una, want.snd_nxt, want.rcv_nxt)
            if a != b:
                raise ReplayError(
                    f"after step {s.number} ({s.text}) the real {h} is {a[0]} with "
                    f"iss/irs/snd_una/snd_nxt/rcv_nxt {a[1:]}, the explorer's {b[0]} with "
                    f"{b[1:]}")

    # one method per kind of step

    def _call(self, s, prev) -> None:
        self._prepare(s)
        h = s.info["host"]
        i = HOSTS.index(h)
        call = self.cx._model.scripts[i][prev.pos[i]]
        args = ()
        if call.name == "connect":
            args = (HOSTS[1 - i],)
        elif call.name == "send":
            args = (self.cx._model.payload,)
        self.session.do("call", h, call.name, *args)

    def _time(self, s, prev) -> None:
        self._prepare(s)
        ev = self.session.do("step")
        h, name, _ = s.info["timer"]
        if ev is None or ev.kind != "timer" or (ev.host, ev.timer) != (h, name):
            raise ReplayError(f"step {s.number} ({s.text}): the real network's next "
                              f"event is {ev}, not {h}'s {name} timer")

    def _deliver(self, s, prev) -> None:
        p = s.info["packet"]
        if self.fate[p.id][0] == "hold":
            self._set_delay(REPLAY_DELAY)
            self.session.do("release", self.held.index(p.id))
            self.held.remove(p.id)
        self._prepare(s)
        ev = self.session.do("step")
        if ev is None or ev.kind != "arrive" or ev.segment != p.segment:
            raise ReplayError(f"step {s.number} ({s.text}): the real network's next "
                              f"event is {ev}, not that arrival")
        self.times["arrived"][p.id] = self.net.now

    def _duplicate(self, s, prev) -> None:
        p, c = s.info["packet"], s.info["copy"]
        self._set_delay(REPLAY_DELAY)
        self.session.do("copy", self.held.index(p.id))
        self.held.append(c.id)

    def _lose(self, s, prev) -> None:
        """The lost packet's drop was armed when it was sent: nothing to do now."""


def replay(cx):
    """The counterexample on a lab session: timed plainly if possible, else with holds."""
    session, times = _Replay(cx, _fates(cx)).run()
    try:
        timed, _ = _Replay(cx, _timed(cx, times)).run()
    except ReplayError:
        return session
    return timed
