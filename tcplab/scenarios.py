"""The canned stories the notebooks tell, as data: a network config and a list of actions.

A scenario is replayable: :func:`play` builds its network and applies its
actions, and a lab opens at the same moment with
``ConnectionLab.from_scenario(name)``.  Actions are those of
:class:`tcplab.session.Session`: ``("call", host, name, *args)``,
``("step",)``, ``("run",)`` / ``("run", until)``, ``("arm", "drop" | "hold" |
"duplicate")``, ``("release", index)``, ``("set", name, value)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .session import LabConfig, Session
from .stories import SIMULTANEOUS_CLOSE, SIMULTANEOUS_OPEN, closing, opening, stale_syn_script

__all__ = ["Scenario", "SCENARIOS", "get", "play", "names"]


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    story: str
    config: LabConfig
    actions: tuple[tuple, ...]


#: The stories are those of :mod:`tcplab.stories`; a lab adds its own faults ("arm").
_SCENARIOS = (
    Scenario("start", "two hosts, nothing done yet",
             "Both hosts are CLOSED. Make B listen, then let A connect.",
             LabConfig(), ()),
    Scenario("handshake", "the three-way handshake, about to happen",
             "B listens and A has just sent its SYN: deliver the segments one by one.",
             LabConfig(), opening()[:2]),
    Scenario("established", "an open connection",
             "The handshake is done; both hosts are ESTABLISHED.",
             LabConfig(), opening()),
    Scenario("close", "the four-way close, about to happen",
             "A has just called close(): deliver the FIN, then close B too.",
             LabConfig(), opening() + closing("A")[:1]),
    Scenario("half-close", "the half-close",
             "A closed its direction; B is in CLOSE-WAIT and may still send.",
             LabConfig(), opening() + closing("A")),
    Scenario("lost-last-ack", "the last ACK is lost",
             "A's last ACK will be dropped: watch B repeat its FIN from LAST-ACK.",
             LabConfig(), opening() + closing("A") + (("call", "B", "close"), ("arm", "drop"))),
    Scenario("lost-third-ack", "the third segment of the handshake is lost",
             "A's SYN+ACK is on its way and A's ACK (the third segment) will be dropped: "
             "run and watch B retransmit its SYN+ACK from SYN-RECEIVED, or let A send "
             "data first and see it complete B's handshake.",
             LabConfig(), opening(0.15) + (("arm", "drop"),)),
    Scenario("abort-with-data", "abort with data in flight",
             "A has handed TCP 3000 bytes and none is acknowledged yet: abort A (RST) and "
             "compare with what close() would have done.",
             LabConfig(), opening() + (("call", "A", "send", b"x" * 3000), ("run", 1.05))),
    Scenario("stale-syn", "an old SYN arrives late (three-way handshake)",
             "A's first SYN was held in the network; A retransmitted it, the connection "
             "came and went, and B listens again. Release the old SYN.",
             LabConfig(), (("arm", "hold"),) + stale_syn_script()),
    Scenario("stale-syn-two-way", "an old SYN arrives late (two-way handshake)",
             "The same story with the broken two-way handshake. Release the old SYN.",
             LabConfig(handshake="two-way"), (("arm", "hold"),) + stale_syn_script()),
    Scenario("simultaneous-open", "simultaneous open",
             "A and B both call connect() at the same moment.",
             LabConfig(), SIMULTANEOUS_OPEN),
    Scenario("simultaneous-close", "simultaneous close",
             "A and B both call close() at the same moment.",
             LabConfig(), opening() + SIMULTANEOUS_CLOSE),
)

SCENARIOS: dict[str, Scenario] = {s.name: s for s in _SCENARIOS}


def names() -> list[str]:
    return list(SCENARIOS)


def get(name: str) -> Scenario:
    try:
        return SCENARIOS[name]
    except (KeyError, TypeError):
        raise ValueError(f"no scenario named {name!r}; there are: "
                         f"{', '.join(SCENARIOS)}") from None


def play(name: str) -> Session:
    """The scenario's session (network, hosts and actions), at its interesting moment."""
    s = get(name)
    return Session(s.config, s.actions)
