"""The explorer's step function: from a world, the possible steps and the world after each.

A step is a tuple: ``("call", i)`` host i makes its script's next call; ``("time",)`` time
passes to the earliest running timer, which fires; ``("deliver", j)``, ``("duplicate", j)``,
``("lose", j)`` the network delivers, copies or loses the j-th packet in flight.  The
endpoints are the library's own (:class:`~tcplab.endpoint.Endpoint`): a step copies the one
that acts (``Endpoint.copy``) and drives it through its public calls.  An endpoint in a
world never changes again, so worlds share them: the one that did not act, and the one a
step already taken (from the same endpoint, at the same time) made, which a search
reuses instead of taking the step again.
"""

from __future__ import annotations

from ..endpoint import RETRANSMIT, Endpoint, StartTimer, Transmit
from ..fsm import NO_CONNECTION, State
from .canonical import fingerprint
from .world import HOSTS, World, fast_delivery, fast_packet, signature

__all__ = ["Model"]

_LEGAL_CACHE: dict = {}
#: endpoint steps remembered (then forgotten all at once: the search meets a step again
#: soon after its first time, among the interleavings of the same few worlds)
_MEMO_SIZE = 20_000
_HOST_INDEX = {h: i for i, h in enumerate(HOSTS)}
# NO_CONNECTION as identities: a frozenset of enum members hashes each member in Python
_CLOSED, _LISTEN = State.CLOSED, State.LISTEN
assert NO_CONNECTION == {_CLOSED, _LISTEN}


def _legal(ep: Endpoint) -> frozenset:
    key = (ep.state._name_, ep.handshake, getattr(ep, "time_wait_syn", "challenge-ack"))
    got = _LEGAL_CACHE.get(key)
    if got is None:
        got = frozenset(e.label for e in ep.legal_calls())
        _LEGAL_CACHE[key] = got
    return got


class _Isn:
    """An ISN source that says whether it was asked (a new connection began)."""

    __slots__ = ("value", "used")

    def __init__(self, value: int):
        self.value = value
        self.used = False

    def __call__(self, now: float) -> int:
        self.used = True
        return self.value


#: a step of an endpoint: (the endpoint before, the endpoint after, its outputs, whether
#: it chose an ISN, the segments it sent with their signatures, the timers it started)
_NO_STEP = (None, None, (), False, (), ())
_LOSSES, _DUPS, _RTX, _REORDERS = range(4)


class _Steps(dict):
    """``_DELIVER[j]`` is ``("deliver", j)``, made once (a search takes it thousands of
    times)."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def __missing__(self, j: int) -> tuple:
        step = self[j] = (self.kind, j)
        return step


_CALLS = (("call", 0), ("call", 1))
_TIME = ("time",)
_DELIVER, _DUPLICATE, _LOSE = _Steps("deliver"), _Steps("duplicate"), _Steps("lose")


class _Move:
    """A step in the making: what of the world it has changed so far."""

    __slots__ = ("eps", "flight", "used", "pos", "now", "host", "step", "delivered")

    def __init__(self, w: World):
        self.eps = list(w.eps)
        self.flight = list(w.flight)
        self.used = list(w.used)  # faults used: losses, duplicates, retransmissions, reorders
        self.pos = w.pos
        self.now = w.now
        self.host = None          # the index of the host that acts, if one does
        self.step = _NO_STEP      # what its endpoint did
        self.delivered = None


class Model:
    """The model: scripts, bounds and the step function shared by search and replay."""

    def __init__(self, *, handshake, scripts, bounds, msl, time_wait, iss, max_retries,
                 payload):
        self.handshake = handshake
        self.scripts = scripts
        self.bounds = bounds
        self.msl = msl
        self.time_wait = time_wait
        self.iss = iss
        self.max_retries = max_retries
        self.payload = payload
        self.ids = 0
        self._memo: dict = {}
        self._sigs: dict = {}
        self._equal: dict = {}      # fingerprint -> the endpoint of that state
        self._last = (None, None)   # a world and its earliest timer

    def forget(self) -> None:
        """Forget the endpoint steps remembered (they are taken again when asked)."""
        self._memo.clear()
        self._sigs.clear()
        self._equal.clear()
        self._last = (None, None)

    def initial(self) -> World:
        eps = tuple(Endpoint(h, handshake=self.handshake, iss=self.iss[i][0],
                             time_wait=self.time_wait, max_retries=self.max_retries)
                    for i, h in enumerate(HOSTS))
        return World(eps, 0.0, (), (0, 0, 0, 0), (0, 0), 0, False, {}, 0)

    # ------------------------------------------------------------------ steps

    def actions(self, w: World) -> list[tuple]:
        """The steps possible from ``w``, in the explorer's fixed order."""
        steps = []
        for i in (0, 1):
            script = self.scripts[i]
            pos = w.pos[i]
            if pos < len(script):
                call = script[pos]
                ep = w.eps[i]
                if call.name in _legal(ep) and (call.states is None
                                                or ep.state in call.states):
                    steps.append(_CALLS[i])
        due = False
        first = self._earliest(w)
        if first is not None:
            deadline, _, i, name = first
            due = deadline <= w.now
            if name != RETRANSMIT or w.used[2] < self.bounds.retransmissions:
                steps.append(_TIME)
        flight = w.flight
        if not flight:
            return steps
        if len(flight) == 1:
            distinct = (0,)
        else:   # equal packets (a copy and its original, same age) are one choice
            same = [(p.sig, p.segment.sport, p.segment.dport, p.born, p.incarnation)
                    for p in flight]
            distinct = [j for j, p in enumerate(same) if p not in same[:j]]
        used = w.used
        if not due:
            steps += [_DELIVER[j] for j in distinct]
        if used[1] < self.bounds.duplicates and len(flight) < self.bounds.in_flight:
            steps += [_DUPLICATE[j] for j in distinct]
        if used[0] < self.bounds.losses:
            steps += [_LOSE[j] for j in distinct]
        return steps

    def _earliest(self, w: World):
        """The timer that runs out first: (deadline, order started, host, name), or None."""
        last = self._last
        if last[0] is w:
            return last[1]
        best = None
        for i, ep in enumerate(w.eps):
            for name, deadline in ep.timers.items():
                item = (deadline, w.tseq.get((i, name), 0), i, name)
                if best is None or item < best:
                    best = item
        self._last = (w, best)
        return best

    def apply(self, w: World, action: tuple, info: dict | None = None) -> World | None:
        """The world after ``action``, or None if it would leave the bounds."""
        m = _Move(w)
        kind = action[0]
        if kind == "deliver":       # most steps are
            if not self._deliver(w, m, action[1], info):
                return None
        elif kind == "call":
            self._call(w, m, action[1])
        elif kind == "time":
            self._time(w, m, info)
        elif kind == "duplicate":
            self._duplicate(m, action[1], info)
        elif kind == "lose":
            self._lose(m, action[1], info)
        else:  # pragma: no cover
            raise ValueError(f"unknown step {action!r}")
        return self._settle(w, m, kind, info)

    def _act(self, w: World, m: _Move, i: int, how: tuple, run) -> Endpoint:
        """Host i acts: ``run(ep)`` on a copy of its endpoint (with its next ISN) answers
        its outputs.  An endpoint step depends only on the endpoint, the step and the time
        (and the ISN it would choose), and a world's endpoints never change once made: so
        a step already taken from the same endpoint object is reused, endpoint and
        outputs (the search meets the same step again in most interleavings); and of equal
        endpoints the first made stands for all (see :mod:`.canonical`)."""
        m.host = i
        src = m.eps[i]
        values = self.iss[i]
        isn = None if len(values) == 1 else values[w.conns[i]]
        memo = self._memo
        key = (id(src), how, m.now, isn)
        got = memo.get(key)
        if got is None or got[0] is not src:
            source = None
            if isn is None:
                ep = src.copy()
            else:    # several ISNs for host i: its next connection takes the next one
                source = _Isn(isn)
                ep = src.copy(iss=source)
            outs = tuple(run(ep))
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
                self._equal.clear()
            fp = fingerprint(ep)
            if fp is not None:      # an equal endpoint made before stands for this one
                ep = self._equal.setdefault(fp, ep)
            # equal signatures made one object: keys holding them compare faster
            sigs = self._sigs
            sends = tuple((o.segment, sigs.setdefault(sig, sig)) for o in outs
                          if type(o) is Transmit for sig in (signature(o.segment),))
            starts = tuple(o.timer for o in outs if type(o) is StartTimer)
            # src is held, so that its id is not reused while the entry lives
            got = memo[key] = (src, ep, outs, source is not None and source.used, sends,
                               starts)
        m.eps[i] = got[1]
        m.step = got
        return got[1]

    def _call(self, w: World, m: _Move, i: int) -> None:
        call = self.scripts[i][w.pos[i]]
        name = call.name
        if name == "connect":
            peer = HOSTS[1 - i]
            self._act(w, m, i, name, lambda ep: ep.connect(peer, now=m.now))
        elif name == "send":
            self._act(w, m, i, name, lambda ep: ep.send(self.payload, now=m.now))
        else:
            self._act(w, m, i, name, lambda ep: getattr(ep, name)(now=m.now))
        m.pos = (m.pos[0] + 1, m.pos[1]) if i == 0 else (m.pos[0], m.pos[1] + 1)

    def _time(self, w: World, m: _Move, info: dict | None) -> None:
        deadline, _, i, name = self._earliest(w)
        m.now = max(m.now, deadline)
        if m.now > w.now:
            if info is not None:
                info["expired"] = [p for p in m.flight if m.now - p.born > self.msl]
            m.flight = [p for p in m.flight if m.now - p.born <= self.msl]
        self._act(w, m, i, ("timer", name), lambda ep: ep.timer_expired(name, now=m.now))
        if name == RETRANSMIT:
            m.used[_RTX] += 1
        if info is not None:
            info["timer"] = (HOSTS[i], name, deadline)

    def _deliver(self, w: World, m: _Move, j: int, info: dict | None) -> bool:
        """Deliver packet j (False: the re-ordering it needs is beyond the bounds)."""
        flight = m.flight
        p = flight.pop(j)
        seg = p.segment
        if j:
            sig = p.sig
            s, d = sig[0], sig[1]
            for q in flight[:j]:
                sig = q.sig
                if sig[0] == s and sig[1] == d:
                    m.used[_REORDERS] += 1
                    bound = self.bounds.reorders
                    if bound is not None and m.used[_REORDERS] > bound:
                        return False
                    break
        i = _HOST_INDEX[seg.dst]
        src = m.eps[i]
        state = src.state
        tcb = src.tcb
        before = (state, tcb.rcv_nxt, tcb.snd_una)
        connected = state is not _CLOSED and state is not _LISTEN
        ep = self._act(w, m, i, ("deliver", p.sig, seg.sport, seg.dport),
                       lambda ep: ep.receive(seg, now=m.now))
        tcb = ep.tcb
        accepted = connected and before != (ep.state, tcb.rcv_nxt, tcb.snd_una)
        mine = w.inc[i]
        m.delivered = fast_delivery(p, HOSTS[i], mine is not None and p.incarnation < mine,
                                    accepted)
        if info is not None:
            info["packet"] = p
        return True

    def _duplicate(self, m: _Move, j: int, info: dict | None) -> None:
        p = m.flight[j]
        self.ids += 1
        c = fast_packet(p.segment, p.born, p.incarnation, True, self.ids, p.sig)
        m.flight.insert(j + 1, c)
        m.used[_DUPS] += 1
        if info is not None:
            info["packet"], info["copy"] = p, c

    def _lose(self, m: _Move, j: int, info: dict | None) -> None:
        p = m.flight.pop(j)
        m.used[_LOSSES] += 1
        if info is not None:
            info["packet"] = p

    # ------------------------------------------------------------------ after the step

    def _settle(self, w: World, m: _Move, kind: str, info: dict | None) -> World | None:
        """The new world: the acting host's segments on the wire, its timers ordered,
        the incarnations counted (None if the wire would hold too many segments)."""
        step = m.step
        sends = step[4]
        if len(m.flight) + len(sends) > self.bounds.in_flight:
            self.ids += len(sends)       # (the packets it would have made are numbered)
            return None
        inc, tag = self._incarnations(w, m, kind)
        emitted = []
        tseq, tnext = w.tseq, w.tnext
        # what the acting endpoint sent, then the timers it started (each kind in order)
        for seg, sig in sends:
            self.ids += 1
            p = fast_packet(seg, m.now, tag, False, self.ids, sig)
            m.flight.append(p)
            emitted.append(p)
        if step[5]:
            tseq = dict(tseq)
            for timer in step[5]:
                tseq[(m.host, timer)] = tnext
                tnext += 1
        incarnation, busy = w.incarnation, w.busy
        a, b = m.eps[0].state, m.eps[1].state
        if (a is not _CLOSED and a is not _LISTEN) or (b is not _CLOSED and b is not _LISTEN):
            busy = True
        elif busy:
            incarnation += 1
            busy = False
        conns = w.conns
        if step[3]:     # the acting host chose an ISN: a connection began
            n = min(conns[m.host] + 1, len(self.iss[m.host]) - 1)
            conns = (n, conns[1]) if m.host == 0 else (conns[0], n)
        if info is not None:
            info["emitted"] = emitted
            info["host"] = None if m.host is None else HOSTS[m.host]
            info["outputs"] = list(step[2])
        return World(tuple(m.eps), m.now, tuple(m.flight), tuple(m.used), m.pos, incarnation,
                     busy, tseq, tnext, conns, inc, m.delivered)

    @staticmethod
    def _incarnations(w: World, m: _Move, kind: str) -> tuple:
        """The incarnation each host's connection belongs to after the step, and the one
        the acting host's segments belong to."""
        inc = w.inc
        tag = w.incarnation
        host = m.host
        if host is None:
            return inc, tag
        was = inc[host]
        state = m.eps[host].state
        if state is _CLOSED or state is _LISTEN:
            now_inc = None
        elif was is None:       # a connection begins: by connect(), or by a SYN
            now_inc = m.delivered.packet.incarnation if kind == "deliver" else tag
        else:
            now_inc = was
        if now_inc is not None:
            tag = now_inc
        elif was is not None:
            tag = was           # e.g. the RST of an abort belongs to the connection
        if now_inc != was:
            inc = (now_inc, inc[1]) if host == 0 else (inc[0], now_inc)
        return inc, tag
