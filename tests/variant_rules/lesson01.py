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
