"""Lesson 06, simultaneous open and resets."""

RULES = {
    # RFC 9293 Figure 7: A repeats its SYN (seq=x) and acknowledges B's (y+1); 2 SYN + 2 SYN+ACK
    "corner-simultaneous-open": (
        dict(seq=2000, ack=7001, segments=4),
        lambda v: dict(seq=v["x"], ack=v["y"] + 1, segments=4)),
    # §3.10.7.1, CLOSED, a segment without ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
    "corner-closed-port": (
        dict(flags="RST+ACK", seq=0, ack=3001, a="CLOSED"),
        lambda v: dict(flags="RST+ACK", seq=0, ack=v["x"] + 1, a="CLOSED")),
    # §3.10.7.1, a segment with ACK (B's SYN+ACK, ack=x+1): <SEQ=SEG.ACK><CTL=RST>, at
    # B's RCV.NXT; §3.10.7.4: back to LISTEN after a passive open, else CLOSED
    "corner-rst-syn-received": (
        dict(seq=651, passive="LISTEN", active="CLOSED"),
        lambda v: dict(seq=v["x"] + 1, passive="LISTEN", active="CLOSED")),
    # §3.10.5: in CLOSE-WAIT a reset at SND.NXT = x+1+n (SYN x, data x+1 … x+n, no FIN)
    "corner-abort": (
        dict(sends="RST", seq=1021, b="CLOSED"),
        lambda v: dict(sends="RST", seq=v["x"] + 1 + v["n"], b="CLOSED")),
}


def _open_then_reset(v):
    """trace-open-and-reset: the SYNs cross (SYN+ACK: seq = own ISN, ack = peer's ISN + 1);
    A's n bytes from x+1; B's abort: RST at SND.NXT = y+1 (tcplab, like Linux: RST+ACK)."""
    x, y, n = v["x"], v["y"], v["n"]
    return dict(state3="SYN-RECEIVED", ack3=x + 1, ack4=y + 1, seq5=x + 1, ack6=x + 1 + n,
                flags7="RST+ACK", seq7=y + 1, ack7=x + 1 + n)


def _open_cards(v):
    """order-simultaneous-open: 8 segments; the two SYNs and the two SYN+ACKs are sent at
    the same moment (either order is right: the first possible one is given here)."""
    from tcplab.grading.ordering import permutation
    shown = permutation(v["shuffle"], 8)
    return dict(order=[shown.index(segment) + 1 for segment in range(8)])


RULES.update({
    "trace-open-and-reset": (
        dict(state3="SYN-RECEIVED", ack3=101, ack4=30001, seq5=101, ack6=151,
             flags7="RST+ACK", seq7=30001, ack7=151), _open_then_reset),
    "order-simultaneous-open": (dict(order=_open_cards(dict(shuffle=1706))["order"]),
                                _open_cards),
})
