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
