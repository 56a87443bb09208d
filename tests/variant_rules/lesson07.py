"""Lesson 07, simultaneous close, retransmission and a SYN in TIME-WAIT."""


def _simultaneous_close(v):
    # B's FIN is y+1; A's ACK of it reaches B one delay after A sent it, which A did when
    # B's FIN arrived (t = 1 + delay): B enters TIME-WAIT at 1 + 2 delay, for 2MSL
    return dict(state="CLOSING", ack=v["y"] + 2, b_closed=1.0 + 2 * v["delay"] + 2 * v["msl"])


def _retransmit(v):
    # the FIN again one RTO after the first (t = 5 s), its ACK one round trip later
    fin_wait_2 = 5.0 + v["rto"] + 2 * v["delay"]
    return dict(seq=v["x"] + 1, fin_wait_2=fin_wait_2,
                state="FIN-WAIT-1" if v["look"] < fin_wait_2 else "FIN-WAIT-2")


def _time_wait_syn(v):
    # RFC 1122: reopen for a SYN above the old numbers (seq >= RCV.NXT);
    # RFC 793: RST for a SYN inside [RCV.NXT, RCV.NXT + window), else the first check
    # (the sequence number) fails and is answered with an ACK
    inside = v["rcv_nxt"] <= 9500 < v["rcv_nxt"] + 4096
    return dict(reopen_4000="ACK", rfc793_4000="ACK", reopen_9500="SYN+ACK",
                rfc793_9500="RST+ACK" if inside else "ACK")


RULES = {
    "corner-simultaneous-close": (dict(state="CLOSING", ack=902, b_closed=61.2),
                                  _simultaneous_close),
    # A's FIN is x+1 (no data), so B acknowledges x+2; B's FIN is y+1
    "corner-fin-ack": (dict(seq=6001, ack=4002, state="TIME-WAIT"),
                       lambda v: dict(seq=v["y"] + 1, ack=v["x"] + 2, state="TIME-WAIT")),
    "corner-retransmit": (dict(seq=601, state="FIN-WAIT-1", fin_wait_2=6.2), _retransmit),
    "corner-time-wait-syn": (dict(reopen_4000="ACK", rfc793_4000="ACK", reopen_9500="SYN+ACK",
                                  rfc793_9500="ACK"), _time_wait_syn),
}
