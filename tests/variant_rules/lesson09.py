"""Lesson 09, the model checker."""


def _no_copies(v):
    # Without copies, the only SYN that can reach B when A no longer wants it is a
    # retransmitted one (A connects once and closes only once ESTABLISHED): the two-way
    # server is fooled only if a timer may expire. The three-way server waits for the
    # ACK of its own fresh number, which no old SYN carries: never.
    return dict(two_way=v["retransmissions"] >= 1, three_way=False)


RULES = {
    "explore-no-copies": (dict(two_way=True, three_way=False), _no_copies),
}
