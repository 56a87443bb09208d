"""Exercises of lesson 11, connection management in production.

Each checker computes its answer from the library: Linux's ephemeral range and
TIME-WAIT constant (:mod:`tcplab.real`), a toy network whose server forgets to
close, a SYN flood played with and without cookies, and tcplab's abort()
(:func:`tcplab.real.tcplab_release`).  None needs the real kernel.
"""

from __future__ import annotations

from typing import Any

from .. import real
from ..fsm import State
from ..grading.answers import mistake, state_part
from ..grading.framework import Part, compare, exercise
from ..grading.variants import Choice
from ..network import Network
from ..segment import Flag, Segment
from ..text import N_, _

LESSON = "11-production"

#: Linux's default ephemeral range (net.ipv4.ip_local_port_range), as the question gives it.
LINUX_RANGE = (32768, 60999)


# --------------------------------------------------------------------------- variants
# What a student's numbers may be.  Linux's TIME-WAIT is a constant (60 s) and stays so;
# the ephemeral range is a setting (net.ipv4.ip_local_port_range), and a range of a
# multiple of 1000 ports keeps two students' rates at least 16 connections per second
# apart.  The backlog goes past the 20 spoofed SYNs for a few students: then the SYN queue
# has room for the client even without cookies.

_LOWS = range(10000, 41000, 1000)
_HIGHS = range(50999, 65000, 1000)
_BACKLOGS = range(1, 26)
_SENT = range(1000, 5001, 100)
_WINDOWS = range(100, 1000, 50)
#: the spoofed SYNs of the flood
SPOOFED = 20


def port_rate(low: int = LINUX_RANGE[0], high: int = LINUX_RANGE[1]) -> float:
    return (high - low + 1) / real.LINUX_TIME_WAIT


def _number(given: Any) -> float | None:
    if isinstance(given, bool) or not isinstance(given, (int, float)):
        return None
    return float(given)


@exercise("production-port-rate",
          N_("A client opens a new connection to the same server (one address, one port) for "
             "every request and closes it first. Its ephemeral ports are {low}–{high} "
             "(net.ipv4.ip_local_port_range; Linux's default is 32768–60999), and Linux keeps "
             "each closed connection in TIME-WAIT for 60 s. "
             "About how many new connections per second can it keep up, at most? Answer with "
             "checks.check('production-port-rate', rate=...)."), LESSON,
          vary=dict(low=Choice(_LOWS, LINUX_RANGE[0]), high=Choice(_HIGHS, LINUX_RANGE[1])))
def port_rate_exercise(v, /, rate=None, **other):
    low, high = v["low"], v["high"]
    expected = port_rate(low, high)
    ports = high - low + 1
    given = _number(rate)
    close = given is not None and abs(given - expected) <= 1.0
    why = mistake(round(given) if given is not None else rate, _(
        "Each connection holds its port for the whole TIME-WAIT: count the ports of the range "
        "and divide by how long each one is held."), {
        ports: _("{ports} is how many ports there are; each is busy for 60 s, so divide by "
                 "60.").format(ports=ports),
        round(ports / 120): _("That divides by 120 s, 2MSL with an MSL of 60 s; Linux's "
                              "TIME-WAIT is a constant 60 s (TCP_TIMEWAIT_LEN), not 2MSL."),
        round(65536 / 60): _("Only the ephemeral range is used for outgoing connections, not "
                             "all 65,536 port numbers."),
        round(ports / 240): _("RFC 793's 2MSL of 4 minutes is not Linux's TIME-WAIT: Linux "
                              "waits 60 s."),
        **({} if (low, high) == LINUX_RANGE else {round(port_rate()): _(
            "That is the rate of Linux's default range; this client's range is "
            "{low}–{high}.").format(low=low, high=high)}),
    })
    if rate is not None and given is None:
        why = _("Give a number, like rate=100.")
    return compare({"rate": round(expected) if close else rate, **other},
                   [Part("rate", round(expected), why)],
                   praise=_("{ports} ports / 60 s ≈ {rate:.0f} connections per second to one "
                            "server address and port; faster, and connect() fails with "
                            "EADDRNOTAVAIL.").format(ports=ports, rate=expected))


def close_wait_story() -> tuple[str, State]:
    """A toy server forgets to close: who holds the connection in CLOSE-WAIT?"""
    net = Network(seed=0)
    a, b = net.host("A"), net.host("B")
    b.listen(port=80)
    conn = a.connect("B", port=80)
    net.run(until=1)
    b.accept()
    conn.close()
    net.run(until=5)
    side = next(h for h in (a, b) if any(c.state is State.CLOSE_WAIT for c in h.connections))
    return ("server" if side is b else "client"), State.CLOSE_WAIT


@exercise("production-close-wait",
          N_("`ss -tan state close-wait` on a web server lists thousands of connections, and "
             "the number keeps growing. Which side of those connections is this machine, "
             "'server' or 'client' (the peers are its clients), and which socket call does "
             "its program forget? Answer with checks.check('production-close-wait', "
             "side='...', call='...')."), LESSON)
def close_wait_exercise(side=None, call=None, **other):
    expected, _state = close_wait_story()
    given_side = side.strip().lower() if isinstance(side, str) else side
    given_call = (call.strip().lower().rstrip("()").rsplit(".", 1)[-1]
                  if isinstance(call, str) else call)
    parts = [
        Part("side", expected, mistake(given_side, _(
            "Which side receives the FIN first when the clients close?"), {
            "client": _("The clients closed: they sent the FIN and wait in FIN-WAIT-2. "
                        "CLOSE-WAIT is the side that received the FIN and has not closed yet: "
                        "this machine."),
        })),
        Part("call", "close", mistake(given_call, _(
            "CLOSE-WAIT ends with one call of the program: the one that sends its FIN."), {
            "shutdown": _("shutdown(SHUT_WR) would send the FIN too, but the socket (and its "
                          "file descriptor) would still be held: the call that gives it back "
                          "is close()."),
            "recv": _("The program may well have read the end of file (recv() returned b''); "
                      "what it forgot is to answer it."),
            "accept": _("accept() takes a new connection; these connections were accepted "
                        "long ago."),
        })),
    ]
    return compare({"side": given_side, "call": given_call, **other}, parts,
                   praise=_("CLOSE-WAIT is the side that received the FIN; it stays there until "
                            "its program calls close(). Thousands of them: a bug, a code path "
                            "that never closes its sockets (and leaks file descriptors)."))


def flood_story(cookies: bool, backlog: int = 4) -> State:
    """A client connects to B:80 (``backlog``) behind 20 spoofed SYNs; its state 10 s later."""
    net = Network(seed=0)
    a, b = net.host("A"), net.host("B", syn_cookies=cookies)
    b.listen(port=80, backlog=backlog)
    for i in range(SPOOFED):
        net.inject(Segment(f"X{i}", "B", Flag.SYN, 1000 * i, sport=1024 + i, dport=80))
    net.run(until=0.5)
    conn = a.connect("B", port=80)
    net.run(until=10.5)
    return conn.state


@exercise("production-syn-flood",
          N_("B listens on port 80 with backlog {backlog}. Twenty SYNs from spoofed addresses arrive; "
             "then a real client connects. Which state is the client in 10 s later, without "
             "SYN cookies and with them? Answer with checks.check('production-syn-flood', "
             "without='...', cookies='...')."), LESSON,
          vary=dict(backlog=Choice(_BACKLOGS, 4)))
def syn_flood_exercise(v, /, without=None, cookies=None, **other):
    backlog = v["backlog"]
    plain, baked = flood_story(False, backlog), flood_story(True, backlog)
    if plain is State.ESTABLISHED:
        usual = _("The {spoofed} spoofed SYNs take {spoofed} of the SYN queue's {backlog} "
                  "places: the client's SYN finds one free, and is answered.").format(
                      spoofed=SPOOFED, backlog=backlog)
        known = {State.SYN_SENT: _("A SYN is dropped only when the SYN queue is full, and "
                                   "with backlog {backlog} the {spoofed} spoofed SYNs leave "
                                   "room for the client's.").format(
                                       spoofed=SPOOFED, backlog=backlog)}
    else:
        usual = _("Without cookies, a SYN that finds the SYN queue full is dropped: the client "
                  "hears nothing.")
        known = {
            State.ESTABLISHED: _("The {backlog} places of the SYN queue are taken by half-open "
                                 "connections whose SYN+ACK nobody answers; they stay while B "
                                 "retransmits it, minutes. The client's SYN is dropped, again "
                                 "and again.").format(backlog=backlog),
            State.CLOSED: _("A dropped SYN gets no answer, not a RST: the client is not "
                            "refused, it retransmits and waits."),
            State.SYN_RECEIVED: _("The client sent a SYN and got nothing back; SYN-RECEIVED "
                                  "is the state of a side that received a SYN."),
        }
    parts = [
        state_part("without", plain, without, usual, known),
        state_part("cookies", baked, cookies, _(
            "With cookies, B answers the SYN even when the queue is full, and keeps no state."),
            {State.SYN_SENT: _("The SYN cookie is B's SYN+ACK: the client receives it, "
                               "answers with an ACK and is connected; B rebuilds the "
                               "connection from that ACK.")}),
    ]
    if plain is State.ESTABLISHED:
        praise = _("The queue had room: with or without cookies the client is {baked}. A "
                   "flood must fill the SYN queue (more half-open connections than the "
                   "backlog) before cookies make a difference.").format(baked=baked)
    else:
        praise = _("Without cookies the client stays in {plain} and retransmits its "
                   "SYN into a full queue; with them it is {baked}: B's ISN encodes "
                   "the connection, so B needed no place in the queue.").format(
                       plain=plain, baked=baked)
    return compare({"without": without, "cookies": cookies, **other}, parts, praise=praise)


@exercise("production-linger",
          N_("To get rid of TIME-WAIT, a client sets SO_LINGER with a linger time of 0 "
             "(tcplab: linger=0, or abort()). Take lesson 08's story: A hands {sent} bytes to "
             "its TCP, B's window takes {window}, and A ends the connection 0.05 s later. What "
             "ends the connection on the wire, and how many bytes never reach B's program? "
             "Answer with checks.check('production-linger', control='...', lost=...)."),
          LESSON, vary=dict(sent=Choice(_SENT, real.abort.SENT),
                            window=Choice(_WINDOWS, real.abort.WINDOW)))
def linger_exercise(v, /, control=None, lost=None, **other):
    run = real.tcplab_release("abort", sent=v["sent"], window=v["window"])
    given = control.strip().upper() if isinstance(control, str) else control
    parts = [
        Part("control", run.control, mistake(given, _(
            "linger=0 does not close gracefully: which control bit throws a connection away?"),
            {"FIN": _("A FIN is the orderly release, which ends in TIME-WAIT; linger 0 skips "
                      "it with an RST.")})),
        Part("lost", run.lost, mistake(lost, _(
            "The RST throws away what A's TCP still held: count what had not been delivered "
            "yet."), {
            0: _("An RST is not queued behind the data: A's TCP discards every byte it still "
                 "holds, and B discards nothing it has, but never gets the rest."),
            run.sent: _("What was already inside B's window reached B's program before the "
                        "RST."),
        })),
    ]
    return compare({"control": given, "lost": lost, **other}, parts,
                   praise=_("An RST, and {lost} of {sent} bytes lost: linger 0 removes "
                            "TIME-WAIT by destroying the connection, with the data still in "
                            "flight and without TIME-WAIT's protection of the next "
                            "incarnation.").format(lost=run.lost, sent=run.sent))
