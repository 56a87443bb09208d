"""A replayable lab session: a network, two hosts and the list of what the student did.

The labs never mutate a network they cannot rebuild.  Every action (an
application call, "deliver next", "run", arming a fault, releasing a held
segment, moving a slider, injecting a hand-made segment) is appended to ``actions`` and applied; because the
network is deterministic for its seed, replaying the same actions on a fresh
network gives the same run bit for bit.  That makes ``undo`` (replay all but
the last action) and ``reset`` (replay none) exact, whatever happened.

A session has no widgets; :mod:`tcplab.widgets.lab` puts a face on it, and the
scenarios, experiments and model checker replay stories with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from .fsm import IllegalEvent
from .network import Hold, Network
from .replay import Replayable
from .segment import Segment
from .text import _

__all__ = ["Session", "LabConfig", "CALLS"]

#: The application calls a lab offers, with their arguments.
CALLS = ("listen", "connect", "send", "close", "abort")


@dataclass(frozen=True)
class LabConfig:
    """How a lab's network is built: the same config and actions give the same run."""

    seed: int = 0
    delay: float = 0.1
    loss: float = 0.0
    duplicate: float = 0.0
    msl: float = 30.0
    jitter: float = 0.0
    hosts: tuple[str, str] = ("A", "B")
    #: each host's ISN (an int, or None: random from the seed), or one way of choosing
    #: them for both hosts: "clock" (RFC 793's 4 µs clock) or "rfc6528" (clock + keyed hash)
    iss: tuple[int | str | None, int | str | None] | str = (100, 300)
    handshake: str = "three-way"
    time_wait: float | None = None
    payload: bytes = b"hello"

    def host_iss(self) -> tuple:
        """The ``iss`` of each host, in the order of ``hosts``."""
        if isinstance(self.iss, str):
            return (self.iss,) * len(self.hosts)
        if len(self.iss) != len(self.hosts):
            raise ValueError(_("iss gives {given} ISNs for {count} hosts {hosts}").format(
                given=len(self.iss), count=len(self.hosts), hosts=", ".join(self.hosts)))
        return tuple(self.iss)

    def build(self) -> Network:
        net = Network(seed=self.seed, delay=self.delay, loss=self.loss,
                      duplicate=self.duplicate, msl=self.msl, jitter=self.jitter)
        for name, iss in zip(self.hosts, self.host_iss()):
            net.host(name, handshake=self.handshake, iss=iss, time_wait=self.time_wait)
        return net


Action = tuple  # ("call", host, name, *args) | ("step",) | ("run",) | ("arm", kind) |
#                 ("release", index) | ("set", name, value) | ("inject", segment)


class Session(Replayable):
    """A network that remembers how it got where it is.

    ``actions`` is the list of what was done; :meth:`undo` and :meth:`reset`
    rebuild the network by replaying them.
    """

    def __init__(self, config: LabConfig | None = None, actions: Sequence[Action] = ()):
        self.config = config or LabConfig()
        self.actions: list[Action] = []
        self._rebuild(list(actions))

    # ------------------------------------------------------------------ building

    def _fresh(self) -> None:
        self.net = self.config.build()
        self.holds: list[Hold] = []
        self.armed: list[str] = []      # faults waiting for the next segment
        self._rules: dict[str, Any] = {}

    @property
    def hosts(self):
        return [self.net.hosts[n] for n in self.config.hosts]

    def host(self, name: str):
        try:
            return self.net.hosts[name]
        except KeyError:
            raise ValueError(_("this lab has hosts {hosts}, not {name}").format(
                hosts=", ".join(self.config.hosts), name=repr(name))) from None

    # ------------------------------------------------------------------ actions

    def _apply(self, action: Action) -> Any:
        kind = action[0] if action else None
        net = self.net
        if kind == "call":
            host, name, *args = action[1:]
            if name not in CALLS:
                raise ValueError(_("unknown application call {name}").format(name=repr(name)))
            return getattr(self.host(host), name)(*args)
        if kind == "step":
            return net.step()
        if kind == "run":
            net.run(until=action[1] if len(action) > 1 else None)
            return None
        if kind == "arm":
            return self._arm(action[1])
        if kind == "release":
            held = self.held_holds()
            index = action[1]
            if not 0 <= index < len(held):
                raise ValueError(_("there is no held segment number {index}").format(
                    index=index))
            return held[index].release()
        if kind == "set":
            return self._set(*action[1:])
        if kind == "inject":
            return self._inject(action[1:])
        raise ValueError(_("unknown action {action}").format(action=repr(action)))

    def _arm(self, fault: str) -> bool:
        net = self.net
        rule = self._rules.get(fault)
        if rule is not None and rule.active:
            rule.cancel()          # arming twice disarms
            self._rules.pop(fault)
            return False
        if fault == "drop":
            rule = net.drop(lambda s: True, count=1)
        elif fault == "duplicate":
            rule = net.duplicate(lambda s: True, count=1)
        elif fault == "hold":
            rule = net.hold(lambda s: True, count=1)
            self.holds.append(rule)
        else:
            raise ValueError(_("unknown fault {fault}: drop, duplicate or hold").format(
                fault=repr(fault)))
        self._rules[fault] = rule
        return True

    def _set(self, name: str, value: float) -> None:
        net = self.net
        if name == "loss":
            net.loss_rate = float(value)
        elif name == "duplicate":
            net.duplicate_rate = float(value)
        elif name == "delay":
            if not 0 <= value <= net.msl:
                raise ValueError(_("delay must be between 0 and msl ({msl} s)").format(
                    msl=f"{net.msl:g}"))
            net.delay = float(value)
        else:
            raise ValueError(_("unknown setting {name}").format(name=repr(name)))

    def _inject(self, args: tuple) -> None:
        """A hand-made segment on the wire now (its src may name a host or not): what an
        off-path attacker or a tester (packetdrill, scapy) does."""
        if len(args) != 1:
            raise ValueError(_("the inject action takes one segment, as ('inject', "
                               "Segment('A', 'B', Flag.RST, seq, 0)); got {count} arguments")
                             .format(count=len(args)))
        segment = args[0]
        if not isinstance(segment, Segment):
            raise TypeError(_("the inject action takes a tcplab.Segment, such as "
                              "Segment('A', 'B', Flag.RST, seq, 0); got {segment}")
                            .format(segment=repr(segment)))
        self.net.inject(segment)

    # ------------------------------------------------------------------ queries

    def armed_faults(self) -> list[str]:
        """Faults armed and still waiting for a segment."""
        return [k for k, r in self._rules.items() if r.active]

    def held_holds(self) -> list[Hold]:
        return [h for h in self.holds if h.segments]

    def legal(self, host: str) -> set[str]:
        """The application calls the table allows for ``host`` now."""
        return {e.label for e in self.host(host).legal_calls()}

    # ------------------------------------------------------------------ calls

    def try_call(self, host: str, name: str, *args) -> str | None:
        """Make an application call; return the error message if it is illegal."""
        try:
            self.do("call", host, name, *args)
        except IllegalEvent as exc:
            return str(exc)
        return None
