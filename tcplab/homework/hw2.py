"""Homework 2: an old SYN arriving late, and why TIME-WAIT lasts 2MSL.

Part A's story (:func:`old_syn_story`): A's first SYN is stuck in a router; the
connection comes and goes; B listens again and the old SYN is released.  Part B's
(:func:`close_story`): a four-way close where a fault rule of the student's may lose a
segment.  Both are played on the homework's network (:data:`HOMEWORK`); the notebook lets
the student try Part B on :data:`PRACTICE`, another network with other times, so that
what they see there is not the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..network import Network
from ..segment import Flag


@dataclass(frozen=True)
class Setting:
    """A network and the moments its hosts close (Part B)."""

    seed: int
    delay: float
    msl: float
    a_closes: float
    b_closes: float


HOMEWORK = Setting(seed=31, delay=0.1, msl=20.0, a_closes=1.0, b_closes=2.0)
PRACTICE = Setting(seed=5, delay=0.25, msl=15.0, a_closes=1.5, b_closes=3.5)
SEED, DELAY, MSL = HOMEWORK.seed, HOMEWORK.delay, HOMEWORK.msl
#: a student's MSL, drawn from their seed (none is the practice network's 15 s)
MSLS = (10.0, 20.0, 25.0, 30.0, 40.0)

#: What each graded answer is.
KINDS = {"q1_flags": "flags", "q1_ack": "int", "q2_flags": "flags", "q2_seq": "int",
         "q3_three_way": "state", "q3_two_way": "state", "q5_again": "seconds",
         "q5_closed": "seconds", "q6_flags": "flags", "q6_b_told_closed_normally": "bool"}


def msl(seed: int = SEED) -> float:
    """The MSL of the network of ``seed``: ``MSL`` for the demo, else one of ``MSLS``."""
    return MSL if seed == SEED else MSLS[seed % len(MSLS)]


def old_syn_story(handshake: str = "three-way", release: bool = True, seed: int = SEED):
    """Part A: ``(net, a, b, t_release)``; the old SYN is released at ``t_release``."""
    net = Network(seed=seed, delay=DELAY, msl=msl(seed))
    a = net.host("A", handshake=handshake)
    b = net.host("B", handshake=handshake)
    stuck = net.hold(lambda s: s.src == "A" and s.flags == Flag.SYN, count=1)
    b.listen()
    a.connect("B")           # this SYN is stuck in a router; A sends it again at t = 1 s
    net.run(until=2.0)
    a.close()
    net.run(until=3.0)
    b.close()
    net.run()                # the connection is over, TIME-WAIT included
    b.listen()               # B waits for a new connection
    t_release = net.now
    if release:
        stuck.release()      # ... and the old SYN finally arrives
        net.run(until=t_release + 2.0)
    return net, a, b, t_release


def before_release(seed: int = SEED):
    """Part A's story until B listens again, the old SYN still stuck: ``(net, a, b, t)``."""
    return old_syn_story(release=False, seed=seed)


def close_story(lose: Callable | None = None, time_wait: float | None = None,
                setting: Setting = HOMEWORK):
    """Part B: open at t = 0, A closes at ``a_closes``, B at ``b_closes``: ``(net, a, b)``.

    ``lose(net)`` is called just after B's close() (to add a fault rule); ``time_wait`` is
    A's TIME-WAIT in seconds (None: 2MSL).
    """
    net = Network(seed=setting.seed, delay=setting.delay, msl=setting.msl)
    a = net.host("A", time_wait=time_wait)
    b = net.host("B")
    b.listen()
    a.connect("B")
    net.run(until=setting.a_closes)
    a.close()
    net.run(until=setting.b_closes)
    b.close()
    if lose is not None:
        lose(net)
    net.run()
    return net, a, b


def lose_last_ack(net) -> None:
    """The answer to question 4: drop A's ACK of B's FIN, once."""
    net.drop(lambda s: s.src == "A" and s.flags == Flag.ACK, count=1)


def _after(net, t0: float, src: str):
    return next(s for t, s in net.sent if t > t0 and s.src == src)


def answers(seed: int = SEED) -> dict:
    """Every graded answer of the form of a value, read from the stories."""
    net, a, b, t = old_syn_story(seed=seed)
    reply, refusal = _after(net, t, "B"), _after(net, t, "A")
    two_way = old_syn_story("two-way", seed=seed)[2]
    lost = close_story(lose_last_ack, setting=with_seed(seed))[0]
    fins = [t for t, s in lost.sent if s.src == "B" and Flag.FIN in s.flags]
    closed = [r.time for r in lost.trace if r.kind == "state" and r.host == "A"][-1]
    net6, _, b6 = close_story(lose_last_ack, time_wait=0, setting=with_seed(seed))
    last = [s for _, s in net6.sent if s.src == "A"][-1]
    return {"q1_flags": str(reply.flags), "q1_ack": reply.ack,
            "q2_flags": str(refusal.flags), "q2_seq": refusal.seq,
            "q3_three_way": b.state.name, "q3_two_way": two_way.state.name,
            "q5_again": fins[1], "q5_closed": closed, "q6_flags": str(last.flags),
            "q6_b_told_closed_normally": b6.error is None}


def with_seed(seed: int) -> Setting:
    """Part B's homework network for the student whose seed is ``seed``."""
    return Setting(seed, HOMEWORK.delay, msl(seed), HOMEWORK.a_closes, HOMEWORK.b_closes)


# --------------------------------------------------------------------------- question 4
# The student's lose_last_ack is a function: it runs in the kernel (it cannot be sent to
# another process), but what it made happen is compared, as plain data, with the story
# played in a fresh process.

def record(net, a, b) -> dict:
    """What a Part B story did, as plain data (only exact ints, floats and strings)."""
    def seg(s) -> list:
        return [_str(s.src), _int(s.flags._value_), _int(s.seq), _int(s.ack)]
    return {"fins": [seg(s) for _, s in net.sent if s.src == "B" and Flag.FIN in s.flags],
            "lost": [seg(r.segment) for r in net.trace if r.kind in ("drop", "lost")],
            "states": [_str(a.state._name_), _str(b.state._name_)],
            "b_error": b.error is None}


def _int(v) -> int:
    if type(v) is not int:
        raise TypeError(f"not a plain int: {type(v).__name__}")
    return v


def _str(v) -> str:
    if type(v) is not str:
        raise TypeError(f"not a plain str: {type(v).__name__}")
    return v


def expected_record(seed: int = SEED) -> dict:
    return record(*close_story(lose_last_ack, setting=with_seed(seed)))


def behaves(test: str, given: dict, seed: int = SEED) -> bool:
    """Whether the record of the student's story passes ``test`` (a grade id of q4)."""
    right = expected_record(seed)
    if test == "q4-fin-again":
        return (given["fins"] == right["fins"] and given["states"] == ["CLOSED", "CLOSED"]
                and given["b_error"] is True)
    if test == "q4-only-that-ack":
        return given["lost"] == right["lost"]
    raise ValueError(f"no such test: {test!r}")
