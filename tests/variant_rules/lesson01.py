"""Lesson 01, the three-way handshake."""

RULES = {
    "handshake-third-segment": (
        dict(seq=701, ack=4001),
        lambda v: dict(seq=v["x"] + 1, ack=v["y"] + 1)),
    "handshake-syn-ack": (
        dict(seq=9000, ack=5001),
        lambda v: dict(seq=v["y"], ack=v["x"] + 1)),
    "handshake-established-times": (
        dict(a=0.5, b=0.75),
        lambda v: dict(a=2 * v["delay"], b=3 * v["delay"])),
    # the SYN again at 1 s, then 3 delays
    "handshake-retransmitted-syn": (
        dict(resent=1.0, seq=2000, b_established=1.6),
        lambda v: dict(resent=1.0, seq=v["x"], b_established=1.0 + 3 * v["delay"])),
    # B's timer: 1 s from its SYN+ACK
    "handshake-lost-third-ack": (
        dict(who="B", bits="SYN+ACK", b_established=1.3, with_data=0.6),
        lambda v: dict(who="B", bits="SYN+ACK", b_established=v["delay"] + 1.0 + 2 * v["delay"],
                       with_data=0.5 + v["delay"])),
}


def _talk(v):
    """The handshake, A's n bytes and B's ACK, B's m bytes and A's ACK (trace-handshake)."""
    x, y, n, m = v["x"], v["y"], v["n"], v["m"]
    return dict(ack2=x + 1, state2="SYN-RECEIVED", flags3="ACK", seq3=x + 1, ack3=y + 1,
                seq4=x + 1, ack5=x + 1 + n, seq6=y + 1, ack7=y + 1 + m)


def _cards(v):
    """order-handshake: the cards in sending order, read from the student's shuffle."""
    from tcplab.grading.ordering import permutation
    shown = permutation(v["shuffle"], 7)          # card i shows segment shown[i-1]
    return dict(order=[shown.index(segment) + 1 for segment in range(7)])


RULES.update({
    "trace-handshake": (
        dict(ack2=101, state2="SYN-RECEIVED", flags3="ACK", seq3=101, ack3=30001, seq4=101,
             ack5=151, seq6=30001, ack7=30121), _talk),
    "order-handshake": (dict(order=[6, 4, 1, 5, 7, 2, 3]), _cards),
})


def _lost_syn_ack(v):
    """A waits in SYN-SENT; B is in SYN-RECEIVED once A's SYN has arrived (at t=delay)."""
    return dict(a="SYN-SENT", b="SYN-RECEIVED" if v["at"] > v["delay"] else "LISTEN")


RULES["handshake-lost-syn-ack"] = (dict(a="SYN-SENT", b="SYN-RECEIVED"), _lost_syn_ack)
