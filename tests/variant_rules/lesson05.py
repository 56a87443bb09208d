"""Lesson 05, the finite state machine."""

RULES = {
    # FIN-WAIT-1 --FIN+ACK--> TIME-WAIT; the FIN occupies one number: the last ACK says w+1
    "fsm-fin-ack": (
        dict(state="TIME-WAIT", ack=302),
        lambda v: dict(state="TIME-WAIT", ack=v["w"] + 1)),
    # SYN-SENT --SYN / SYN+ACK--> SYN-RECEIVED; the SYN+ACK acknowledges B's SYN: y+1
    "fsm-simultaneous-open": (
        dict(arrives="SYN", sends="SYN+ACK", ack=301),
        lambda v: dict(arrives="SYN", sends="SYN+ACK", ack=v["y"] + 1)),
}


def _server_at(t: float) -> str:
    """B (the server) at ``t``: SYN at 0.1 s, A's ACK at 0.3 s, A's FIN at 1.1 s, B's
    close() at 2 s, the ACK of B's FIN at 2.2 s (one-way delay 0.1 s)."""
    for until, state in ((0.1, "LISTEN"), (0.3, "SYN-RECEIVED"), (1.1, "ESTABLISHED"),
                         (2.0, "CLOSE-WAIT"), (2.2, "LAST-ACK")):
        if t < until:
            return state
    return "CLOSED"


_PATH = "CLOSED, LISTEN, SYN-RECEIVED, ESTABLISHED, CLOSE-WAIT, LAST-ACK, CLOSED"
RULES["fsm-server-path"] = (dict(states=_PATH, at="CLOSE-WAIT"),
                            lambda v: dict(states=_PATH, at=_server_at(v["t"])))


def _both_close(v):
    """trace-fsm-close: n bytes from A, then A and B close at once (the FINs cross)."""
    x, y, n = v["x"], v["y"], v["n"]
    return dict(state3="ESTABLISHED", ack5=x + 1 + n, seq6=x + 1 + n, state6="FIN-WAIT-1",
                state8="CLOSING", seq8=y + 2, ack8=x + 2 + n, state9="CLOSING")


def _half_close_cards(v):
    """order-fsm-half-close: 9 segments (handshake, A's FIN, B's ACK, B's m bytes, A's ACK,
    B's FIN, A's last ACK), the cards read in sending order from the student's shuffle."""
    from tcplab.grading.ordering import permutation
    shown = permutation(v["shuffle"], 9)
    return dict(order=[shown.index(segment) + 1 for segment in range(9)])


RULES.update({
    "trace-fsm-close": (
        dict(state3="ESTABLISHED", ack5=151, seq6=151, state6="FIN-WAIT-1", state8="CLOSING",
             seq8=30002, ack8=152, state9="CLOSING"), _both_close),
    "order-fsm-half-close": (dict(order=_half_close_cards(dict(shuffle=505))["order"]),
                             _half_close_cards),
})
