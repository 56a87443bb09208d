"""Lesson 10, Wireshark's relative sequence numbers."""

RULES = {
    # each direction counted from its ISN: the SYN is 0, A's data 1 … n, the FIN n+1;
    # B's SYN is 0, so A acknowledges 1; B acknowledges the FIN with n+2
    "wireshark-relative-fin": (dict(fin_seq=41, fin_ack=1, b_ack=42),
                               lambda v: dict(fin_seq=v["n"] + 1, fin_ack=1, b_ack=v["n"] + 2)),
}
