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


def _story_blanks(v):
    """trace-stale-syn: the retransmitted SYN keeps seq=x; B acknowledges x+1; the FINs take
    x+1 and y+1; the old SYN's answer finds B in SYN-RECEIVED and A, CLOSED, resets it."""
    x, y = v["x"], v["y"]
    return dict(seq2=x, ack3=x + 1, state3="SYN-RECEIVED", ack6=x + 2, seq8=x + 2, ack8=y + 2,
                state8="TIME-WAIT", state9="SYN-RECEIVED", flags10="RST")


def _connection_cards(v):
    """order-stale-syn: 9 segments (SYN, SYN+ACK, ACK, data, its ACK, A's FIN, B's ACK, B's
    FIN, A's ACK); card i shows segment permutation(shuffle)[i-1]."""
    from tcplab.grading.ordering import permutation
    shown = permutation(v["shuffle"], 9)
    return dict(order=[shown.index(segment) + 1 for segment in range(9)])


RULES.update({
    "trace-stale-syn": (
        dict(seq2=100, ack3=101, state3="SYN-RECEIVED", ack6=102, seq8=102, ack8=30002,
             state8="TIME-WAIT", state9="SYN-RECEIVED", flags10="RST"), _story_blanks),
    "order-stale-syn": (dict(order=[1, 2, 5, 9, 3, 4, 8, 7, 6]), _connection_cards),
})
