"""Lesson 02, the four-way close."""


def _fin_seq(v):
    u = v["x"] + 1 + v["n"]
    return dict(u=u, ack=u + 1)


def _half_close_fin(v):
    w = v["v"] + v["n"]
    return dict(seq=w, ack=v["u"] + 1, last_ack=w + 1)


RULES = {
    "close-fin-seq": (dict(u=1251, ack=1252), _fin_seq),
    "close-half-close-fin": (dict(seq=7301, ack=2002, last_ack=7302), _half_close_fin),
    # B's FIN leaves at 2 s
    "close-time-wait": (
        dict(duration=40.0, closed=42.1),
        lambda v: dict(duration=2 * v["msl"], closed=2.0 + v["delay"] + 2 * v["msl"])),
}


def _close_with_data(v):
    """trace-close: A's n bytes acknowledged; FIN u; B's m bytes from v; FIN w; last ACK."""
    u = v["x"] + 1 + v["n"]
    vv = v["y"] + 1                      # B has sent nothing but its SYN
    w = vv + v["m"]
    return dict(seq3=u, state3="FIN-WAIT-1", ack4=u + 1, state4="CLOSE-WAIT", seq5=vv,
                ack5=u + 1, ack6=w, state6="FIN-WAIT-2", seq7=w, ack7=u + 1,
                state7="LAST-ACK", ack8=w + 1, state8="TIME-WAIT")


def _half_close_cards(v):
    """order-half-close: B's data, A's ACK, A's FIN, B's ACK, B's data, A's ACK of it,
    B's FIN, A's last ACK (A's second ACK and B's FIN cross: the order they left in)."""
    from tcplab.grading.ordering import permutation
    shown = permutation(v["shuffle"], 8)          # card i shows segment shown[i-1]
    return dict(order=[shown.index(segment) + 1 for segment in range(8)])


RULES.update({
    "trace-close": (
        dict(seq3=301, state3="FIN-WAIT-1", ack4=302, state4="CLOSE-WAIT", seq5=30001,
             ack5=302, ack6=30301, state6="FIN-WAIT-2", seq7=30301, ack7=302,
             state7="LAST-ACK", ack8=30302, state8="TIME-WAIT"), _close_with_data),
    "order-half-close": (dict(order=[1, 6, 4, 2, 3, 8, 5, 7]), _half_close_cards),
})
