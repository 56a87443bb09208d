"""Lesson 11, connection management in production."""

#: Linux's TIME-WAIT (TCP_TIMEWAIT_LEN), whatever the MSL
LINUX = 60.0


def _syn_flood(v):
    # Linux's (and tcplab's) SYN queue holds `backlog` half-open connections; 20 spoofed
    # SYNs that nobody completes fill it if backlog <= 20, and then the client's SYN is
    # dropped (SYN-SENT, retransmitting). Cookies answer a SYN whatever the queue holds.
    return dict(without="SYN-SENT" if v["backlog"] <= 20 else "ESTABLISHED",
                cookies="ESTABLISHED")


RULES = {
    # each port is held for the whole TIME-WAIT: ports / 60 s
    "production-port-rate": (dict(rate=471),
                             lambda v: dict(rate=round((v["high"] - v["low"] + 1) / LINUX))),
    "production-syn-flood": (dict(without="SYN-SENT", cookies="ESTABLISHED"), _syn_flood),
    # linger 0: an RST; what was inside B's window arrived, the rest of A's queue is lost
    "production-linger": (dict(control="RST", lost=800),
                          lambda v: dict(control="RST", lost=v["sent"] - v["window"])),
}
