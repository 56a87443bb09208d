"""Lesson 03, why the handshake has three segments (the old SYN)."""

from functools import lru_cache

from tcplab.experiments import stale_syn_experiment

RULES = {
    # A is CLOSED: it resets B's SYN+ACK, <SEQ=SEG.ACK><CTL=RST>, SEG.ACK = x+1
    "stale-syn-rst": (
        dict(flags="RST", seq=501),
        lambda v: dict(flags="RST", seq=v["x"] + 1)),
    # two segments: B is ESTABLISHED once it has answered, A ignores the SYN+ACK
    "stale-syn-two-way-state": (
        dict(a="CLOSED", b="ESTABLISHED"),
        lambda v: dict(a="CLOSED", b="ESTABLISHED")),
    # from the SYN's arrival: SYN+ACK out, RST back, one round trip
    "stale-syn-listen-again": (
        dict(after=0.5),
        lambda v: dict(after=2 * v["delay"])),
    # the old SYN in TIME-WAIT: A's ACK carries ack=y+2, B resets with seq=y+2, and that
    # acceptable RST ends A's TIME-WAIT (RFC 9293, Linux's default)
    "stale-syn-time-wait": (
        dict(flags="RST", seq=902, a="CLOSED"),
        lambda v: dict(flags="RST", seq=v["y"] + 2, a="CLOSED")),
}


@lru_cache(maxsize=64)
def _table(seed: int) -> dict:
    """The experiment's table as the student reads it: the runs per row in which B became
    ESTABLISHED for nobody."""
    rows = stale_syn_experiment(seed=seed, handshakes=("two-way",)).rows
    return {row.handshake: row.established for row in rows}


# the two-way count is read off the student's own table; with three segments an old SYN
# never opens a connection (B waits for an ACK A never sends), so the three-way count is 0
RULES["stale-syn-experiment"] = (
    dict(two_way=105, three_way=0),
    lambda v: dict(two_way=_table(v["seed"])["two-way"], three_way=0))
