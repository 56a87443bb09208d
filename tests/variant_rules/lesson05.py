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
