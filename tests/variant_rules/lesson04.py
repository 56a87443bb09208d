"""Lesson 04, TIME-WAIT and 2MSL."""

RULES = {
    # TIME-WAIT lasts 2MSL from the moment A enters it
    "time-wait-closed-at": (
        dict(closed=63.1),
        lambda v: dict(closed=v["entered"] + 2 * v["msl"])),
    # B's first RTO is 1 s (RFC 6298); the repeated FIN+ACK (t=3.0 s) reaches A at 3.1 s
    # and restarts A's 2MSL there
    "time-wait-lost-ack": (
        dict(rto=1.0, closed=63.1),
        lambda v: dict(rto=1.0, closed=2.0 + 1.0 + 0.1 + 2 * v["msl"])),
    # a CLOSED A resets; B leaves LAST-ACK when that RST arrives: repeated FIN at 3.0 s,
    # at A 3.1 s, the RST back at B 3.2 s
    "time-wait-no-wait": (
        dict(reply="RST", b="CLOSED"),
        lambda v: dict(reply="RST", b="CLOSED" if v["t"] > 2.0 + 1.0 + 2 * 0.1 else "LAST-ACK")),
    # RFC 793's clock: one tick every 4 µs, t / 4 µs
    "time-wait-clock-isn": (
        dict(early=155000, late=655000),
        lambda v: dict(early=round(v["early"] / 4e-6), late=round(v["late"] / 4e-6))),
    # a segment lives at most one MSL from when it left A (0.34 s); A may connect again
    # 2MSL after it entered TIME-WAIT (0.62 s)
    "time-wait-old-segment": (
        dict(dead_by=1.34, reconnect=2.62),
        lambda v: dict(dead_by=0.34 + v["msl"], reconnect=0.62 + 2 * v["msl"])),
}


def _close_blanks(v):
    """trace-lost-last-ack: data x+1 … x+n, A's FIN x+1+n, B's FIN y+1; the lost ACK and its
    repetition both x+2+n, y+2; B's repeated FIN keeps seq=y+1."""
    x, y, n = v["x"], v["y"], v["n"]
    return dict(ack5=x + 1 + n, seq6=x + 1 + n, state6="FIN-WAIT-1", ack7=x + 2 + n,
                state8="LAST-ACK", seq9=x + 2 + n, ack9=y + 2, state9="TIME-WAIT",
                seq10=y + 1, state11="TIME-WAIT")


def _incarnation_cards(v):
    """order-incarnation: 7 segments of the first incarnation, then the new handshake (3),
    whose clock ISNs lie above the old numbers; card i shows permutation(shuffle)[i-1]."""
    from tcplab.grading.ordering import permutation
    shown = permutation(v["shuffle"], 10)
    return dict(order=[shown.index(segment) + 1 for segment in range(10)])


RULES.update({
    "trace-lost-last-ack": (
        dict(ack5=151, seq6=151, state6="FIN-WAIT-1", ack7=152, state8="LAST-ACK", seq9=152,
             ack9=30002, state9="TIME-WAIT", seq10=30001, state11="TIME-WAIT"), _close_blanks),
    "order-incarnation": (dict(order=[10, 6, 4, 3, 2, 5, 9, 1, 7, 8]), _incarnation_cards),
})
