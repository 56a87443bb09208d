"""The canned stories the notebooks tell, as data: a network config and a list of actions.

A scenario is replayable: :func:`play` builds its network and applies its
actions, and a lab opens at the same moment with
``ConnectionLab.from_scenario(name)``.  Actions are those of
:class:`tcplab.session.Session`: ``("call", host, name, *args)``,
``("step",)``, ``("run",)`` / ``("run", until)``, ``("arm", "drop" | "hold" |
"duplicate")``, ``("release", index)``, ``("set", name, value)``,
``("inject", segment)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .session import LabConfig, Session
from .stories import (ISN_CONNECT_AT, ISN_FORGED_AT, ISN_SEEN_AT, SIMULTANEOUS_CLOSE,
                      SIMULTANEOUS_OPEN, closing, forged_rst, isn_guess, isn_guess_script,
                      opening, stale_syn_in_time_wait_script, stale_syn_script)

__all__ = ["Scenario", "SCENARIOS", "get", "play", "names"]


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    story: str
    config: LabConfig
    actions: tuple[tuple, ...]


def _isn_guess_scenario(iss: str) -> Scenario:
    """The isn-guess story's A and B, the lab open just after C's forged RST is injected.

    C's own part (it learns A's ISN on a connection of its own) is played by
    :func:`tcplab.stories.isn_guess`; the lab keeps only A and B and the RST C forges.
    """
    g = isn_guess(iss)
    outcome = ("it is exactly B's RCV.NXT: deliver it and watch B reset" if iss == "clock"
               else "A's real ISN has a keyed hash added, so the guess misses: deliver it "
                    "and watch B drop it")
    story = (f"ISNs by {'the 4 µs clock (RFC 793)' if iss == 'clock' else 'RFC 6528'}. "
             f"At t = {ISN_SEEN_AT:g} s a third host C connected to A and saw A's ISN, "
             f"{g.seen}. At t = {ISN_CONNECT_AT:g} s A connected to B; C sees none of their "
             f"segments, but it guesses A's ISN from the clock, {g.guess}, and at "
             f"t = {ISN_FORGED_AT:g} s puts RST, seq={forged_rst(g.guess).seq} on the wire in "
             f"A's name: {outcome}.")
    name = "isn-guess" if iss == "clock" else f"isn-guess-{iss}"
    title = ("a guessed ISN resets a connection (clock ISNs)" if iss == "clock"
             else "a guessed ISN misses (RFC 6528 ISNs)")
    return Scenario(name, title, story, LabConfig(iss=iss), isn_guess_script(g.guess)[:-1])


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
    Scenario("stale-syn-time-wait", "an old SYN arrives while A is in TIME-WAIT",
             "The stale-syn story, but the router lets the old SYN go at t = 10 s, while A "
             "still waits out its 2MSL and B listens again. Release the old SYN.",
             LabConfig(), (("arm", "hold"),) + stale_syn_in_time_wait_script()),
    _isn_guess_scenario("clock"),
    _isn_guess_scenario("rfc6528"),
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
