"""Lesson 08, the real TCP: what varies is tcplab's model and Linux's rates, never the
kernel's own runs."""

#: Linux's TIME-WAIT (TCP_TIMEWAIT_LEN in include/net/tcp.h): 60 s, whatever the MSL
LINUX = 60.0

RULES = {
    "real-time-wait-length": (dict(tcplab=240.0, linux=60.0),
                              lambda v: dict(tcplab=2 * v["msl"], linux=LINUX)),
    # Little's law: rate × time each one stays
    "real-time-wait-count": (dict(connections=30000),
                             lambda v: dict(connections=int(v["rate"] * LINUX))),
    # the bytes inside B's window are on the wire before the RST and arrive; the queue is
    # flushed; B's recv() fails with ECONNRESET
    "real-abort": (dict(received=200, sends="RST+ACK", told="connection reset"),
                   lambda v: dict(received=v["window"], sends="RST+ACK",
                                  told="connection reset")),
}
