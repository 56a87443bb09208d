"""The lecture's stories, each written once.

A story is a few application calls on two hosts, A (the client, ISN x=100)
and B (the server, ISN y=300), with the network run in between.  It is written
here once, as a *script*: a tuple of actions in the vocabulary of
:class:`tcplab.session.Session` — ``("call", host, name, *args)`` and
``("run",)`` / ``("run", until)``, ``("inject", segment)`` (a hand-made
segment put on the wire) — plus ``("drop", match, count)``, a fault on
segments that ``match``.  Three kinds of reader play the same scripts:

* a lab replays them (:mod:`tcplab.scenarios` adds the lab's own faults,
  ``("arm", ...)``, and opens at the story's interesting moment);
* :func:`play` plays them on a bare :class:`~tcplab.network.Network` (the
  tests, the experiments);
* a checker that plays stories with a student's table passes its own ``run``
  (to cap the events of a table that never settles) and ``call`` (to note an
  application call the table refuses) to :func:`play`.

The functions at the bottom (:func:`opened`, :func:`closed_by`,
:func:`stale_syn` ...) build a pair of hosts, play a story on it and return
``(net, a, b)`` at the story's interesting moment; the caller runs on.
Seeds, ISNs and times are those of the lecture: the same story gives the
same trace, wherever it is played.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from .fsm import State
from .isn import predict_clock
from .network import Host, Network
from .segment import Flag, Segment

__all__ = [
    "X", "Y", "pair", "play", "ack_from", "opening", "closing", "four_way_close", "fin_ack_script",
    "lost_last_ack_script", "stale_syn_script", "stale_syn_in_time_wait_script",
    "SIMULTANEOUS_OPEN", "SIMULTANEOUS_CLOSE", "serve", "opened", "half_closed",
    "closed_by", "fin_ack_in_fin_wait_1", "lost_last_ack", "stale_syn",
    "simultaneous_open", "simultaneous_close", "syn_in_time_wait",
    "lost_third_ack_script", "lost_third_ack", "isn_guess", "IsnGuess", "isn_guess_script",
    "forged_rst", "ISN_SEEN_AT", "ISN_CONNECT_AT", "ISN_FORGED_AT",
    "abort_with_data_script", "abort_with_data",
]

X, Y = 100, 300          # the lecture's x and y: A's and B's initial sequence numbers

Script = tuple[tuple, ...]


def pair(*, seed: int = 0, delay: float = 0.1, msl: float = 30.0,
         handshake: str = "three-way", a_iss: Any = X, b_iss: Any = Y,
         **host_options) -> tuple[Network, Host, Host]:
    """A network with the two hosts of every story, A and B; ``host_options`` go to both."""
    net = Network(seed=seed, delay=delay, msl=msl)
    a = net.host("A", iss=a_iss, handshake=handshake, **host_options)
    b = net.host("B", iss=b_iss, handshake=handshake, **host_options)
    return net, a, b


# --------------------------------------------------------------------------- the scripts

def _run_to(until: float | None) -> tuple:
    return ("run",) if until is None else ("run", until)


def opening(until: float | None = 1.0, *, client: str = "A", server: str = "B") -> Script:
    """The three-way handshake: the server listens, the client connects; run to ``until``
    (None: until nothing is left to happen)."""
    return (("call", server, "listen"), ("call", client, "connect", server), _run_to(until))


def closing(host: str = "A", until: float | None = 2.0) -> Script:
    """``host`` closes its direction (the half-close); run to ``until``."""
    return (("call", host, "close"), _run_to(until))


def four_way_close(first: str = "A") -> Script:
    """Opened at t=1 s, ``first`` closes; at t=2 s the other closes; run to the end
    (``first`` waits out its TIME-WAIT)."""
    other = "B" if first == "A" else "A"
    return opening() + closing(first) + (("call", other, "close"), ("run",))


def _stale_syn_connection(sent_by_a: bytes = b"") -> Script:
    """The connection of the stale-SYN stories, once A's first SYN is stuck: A's
    retransmitted SYN opens it (t=1 s), A sends ``sent_by_a`` at t=2 s (if any), A closes
    (t=2 s, or 2.9 s after data), B closes at t=3 s; A is then in TIME-WAIT."""
    data = (("call", "A", "send", sent_by_a), ("run", 2.9)) if sent_by_a else ()
    return ((("call", "B", "listen"), ("call", "A", "connect", "B"), ("run", 2.0)) + data
            + (("call", "A", "close"), ("run", 3.0), ("call", "B", "close")))


def stale_syn_script() -> Script:
    """The lecture's delayed connection request, once A's first SYN is stuck (held): A
    retransmits, the connection comes and goes, and B listens again."""
    return _stale_syn_connection() + (("run",), ("call", "B", "listen"))


def stale_syn_in_time_wait_script(sent_by_a: bytes = b"", release_at: float = 10.0) -> Script:
    """Lesson 03's old SYN during A's TIME-WAIT: the story of :func:`stale_syn_script`,
    but B listens again at ``release_at`` (10 s), while A still waits out its 2MSL — the
    moment the stuck SYN comes out.  With ``sent_by_a``, A sends those bytes before it
    closes (5000 bytes put A's numbers beyond B's receive window)."""
    return _stale_syn_connection(sent_by_a) + (("run", release_at), ("call", "B", "listen"))


#: A and B both call connect() at the same moment: the two SYNs cross.
SIMULTANEOUS_OPEN: Script = (("call", "A", "connect", "B"), ("call", "B", "connect", "A"))

#: A and B both call close() at the same moment: the two FINs cross (CLOSING).
SIMULTANEOUS_CLOSE: Script = (("call", "A", "close"), ("call", "B", "close"))


def ack_from(host: str) -> Callable[[Segment], bool]:
    """A match for a segment from ``host`` whose only control bit is ACK."""
    return lambda s: s.src == host and s.flags == Flag.ACK


def fin_ack_script() -> Script:
    """Opened; B's separate ACK of A's FIN will be lost; A closes at t=1 s and B at
    t=1.15 s, so B's FIN+ACK also acknowledges A's FIN (FIN-WAIT-1 → TIME-WAIT)."""
    return opening() + (("drop", ack_from("B"), 1), ("call", "A", "close"), ("run", 1.15),
                        ("call", "B", "close"))


def lost_last_ack_script() -> Script:
    """Opened; A closes at t=1 s, B at t=2 s, and A's last ACK will be lost."""
    return opening() + closing("A") + (("call", "B", "close"), ("drop", ack_from("A"), 1))


def lost_third_ack_script(data_at: float | None = None) -> Script:
    """The handshake whose third segment (A's ACK, sent at t=0.2 s) is lost; with
    ``data_at``, A sends b"hello" at that time (before B's SYN+ACK timer fires at
    t=1.1 s); run until nothing is left to happen."""
    script = (("drop", ack_from("A"), 1),) + opening(None if data_at is None else data_at)
    if data_at is not None:
        script += (("call", "A", "send", b"hello"), ("run",))
    return script


def abort_with_data_script() -> Script:
    """Opened; B's window is full (A's data waits, some unacknowledged, some unsent) and
    A aborts at t=1.05 s, before any of it is acknowledged."""
    return opening() + (("call", "A", "send", b"x" * 3000), ("run", 1.05),
                        ("call", "A", "abort"), ("run",))


# --------------------------------------------------------------------------- playing

def _run(net: Network, until: float | None = None) -> None:
    net.run(until=until)


def _call(host: Host, name: str, *args) -> Any:
    return getattr(host, name)(*args)


def play(net: Network, script: Script, *, run: Callable[..., None] = _run,
         call: Callable[..., Any] = _call) -> Network:
    """Play ``script`` on ``net`` (its hosts by name); returns ``net``.

    ``run(net, until)`` and ``call(host, name, *args)`` default to the
    network's own ``run`` and the host's own call (an illegal call raises).
    """
    for action in script:
        kind = action[0]
        if kind == "call":
            _, host, name, *args = action
            call(net.hosts[host], name, *args)
        elif kind == "run":
            run(net, action[1] if len(action) > 1 else None)
        elif kind == "inject":
            net.inject(action[1])
        elif kind == "drop":
            _, match, count = action
            net.drop(match, count=count)
        else:
            raise ValueError(f"a story has no action {action!r}: call, run, inject or drop")
    return net


def serve(host: Host) -> None:
    """A server's application, after each event: it closes when its client has closed,
    and listens again once its connection is gone."""
    if host.state is State.CLOSE_WAIT:
        host.close()
    if host.state is State.CLOSED:
        host.listen()


# --------------------------------------------------------------------------- the stories

def _played(script: Script, **options) -> tuple[Network, Host, Host]:
    net, a, b = pair(**options)
    play(net, script)
    return net, a, b


def opened(**options) -> tuple[Network, Host, Host]:
    """B listens, A connects; at t=1 s both are ESTABLISHED (A: SYN-SENT on the way, B:
    SYN-RECEIVED).  ``options`` go to :func:`pair`."""
    return _played(opening(), **options)


def half_closed(**options) -> tuple[Network, Host, Host]:
    """Opened; A closes at t=1 s; at t=2 s A is in FIN-WAIT-2, B in CLOSE-WAIT (may still
    send)."""
    return _played(opening() + closing("A"), **options)


def closed_by(first: str = "A", **options) -> tuple[Network, Host, Host]:
    """The four-way close, ``first`` closing first, played to the end: both CLOSED."""
    return _played(four_way_close(first), **options)


def fin_ack_in_fin_wait_1(**options) -> tuple[Network, Host, Host]:
    """Opened; B's separate ACK of A's FIN is lost and B closes at once (t=1.15 s): its
    FIN+ACK also acknowledges A's FIN, which takes A from FIN-WAIT-1 straight to TIME-WAIT.
    Returned just after B's close()."""
    return _played(fin_ack_script(), **options)


def lost_last_ack(**options) -> tuple[Network, Host, Host]:
    """Opened; A closes at t=1 s, B at t=2 s, and A's last ACK will be lost: B repeats its
    FIN from LAST-ACK.  Returned just after B's close()."""
    return _played(lost_last_ack_script(), **options)


def lost_third_ack(data_at: float | None = None, **options) -> tuple[Network, Host, Host]:
    """The third segment of the handshake is lost.  A is ESTABLISHED at t=0.2 s, B stays
    in SYN-RECEIVED: without ``data_at``, B's retransmitted SYN+ACK (t=1.1 s) is answered
    by A's ACK again; with ``data_at`` (say 0.5), A's first data segment carries the
    acknowledgment and completes B's handshake.  Played to the end."""
    return _played(lost_third_ack_script(data_at), **options)


def abort_with_data(**options) -> tuple[Network, Host, Host]:
    """A sends 3000 bytes, B's window is small (1000 bytes), and A aborts at t=1.05 s with
    data unacknowledged and unsent: one RST, both CLOSED, B told "connection reset".
    Played to the end."""
    options.setdefault("window", 1000)
    return _played(abort_with_data_script(), **options)


def stale_syn(handshake: str = "three-way", **options) -> tuple[Network, Host, Host]:
    """A's first SYN is stuck in a router; the connection comes and goes; B listens again
    and the old SYN finally arrives.  Returned when everything has happened."""
    net, a, b = pair(handshake=handshake, **options)
    stuck = net.hold(lambda s: s.src == "A" and s.flags == Flag.SYN, count=1)
    play(net, stale_syn_script())
    stuck.release()
    net.run()
    return net, a, b


def simultaneous_open(**options) -> tuple[Network, Host, Host]:
    """A and B connect at the same moment (t=0); returned before anything is delivered."""
    return _played(SIMULTANEOUS_OPEN, **options)


def simultaneous_close(**options) -> tuple[Network, Host, Host]:
    """Opened; A and B close at the same moment (t=1 s); returned before the FINs arrive."""
    return _played(opening() + SIMULTANEOUS_CLOSE, **options)


def syn_in_time_wait(rule: str, *, old_iss: int = Y, new_iss: int = 1000,
                     seed: int = 0, delay: float = 0.1) -> tuple[Network, Host, Host]:
    """A closes first and is in TIME-WAIT at t=3 s; B, CLOSED, connects again with the
    ISN ``new_iss`` (``old_iss`` before t=2.5 s).  A follows ``rule`` (``time_wait_syn``:
    "challenge-ack", "rfc793" or "reopen").  Returned just after B's connect()."""
    net = Network(seed=seed, delay=delay)
    a = net.host("A", iss=X, time_wait_syn=rule)
    b = net.host("B", iss=lambda now: old_iss if now < 2.5 else new_iss)
    play(net, opening() + closing("A") + closing("B", 3.0))
    b.connect("A")
    return net, a, b


#: the isn-guess story's moments: C sees A's ISN, A connects to B, C forges its RST
ISN_SEEN_AT, ISN_CONNECT_AT, ISN_FORGED_AT = 1.0, 10.0, 11.0


def forged_rst(guess: int) -> Segment:
    """The attacker's RST "from A" to B: if A's ISN is ``guess``, B's RCV.NXT is guess+1
    (A has sent nothing but its SYN), exactly where an RST is accepted."""
    return Segment("A", "B", Flag.RST, (guess + 1) % 2**32, 0)


def isn_guess_script(guess: int) -> Script:
    """A's connection to B in the isn-guess story, with the forged RST: B listens, at
    t=10 s A connects, at t=11 s :func:`forged_rst` (``guess``) is injected in A's name;
    run to t=12 s."""
    return (("call", "B", "listen"), ("run", ISN_CONNECT_AT), ("call", "A", "connect", "B"),
            ("run", ISN_FORGED_AT), ("inject", forged_rst(guess)), ("run", ISN_FORGED_AT + 1))


class IsnGuess(NamedTuple):
    """What :func:`isn_guess` played: the network, its hosts A, B and C (the attacker),
    the ISN C saw (``seen``, A's at t=1 s), its guess of A's next ISN and the ISN A
    really chose for B."""

    net: Network
    a: Host
    b: Host
    c: Host
    seen: int
    guess: int
    actual: int


def isn_guess(iss: str = "clock", *, seed: int = 0) -> IsnGuess:
    """Off-path injection (RFC 6528's threat, as in the Mitnick attack).  A, B and C
    choose their ISNs by ``iss`` ("clock": RFC 793; "rfc6528": clock plus keyed hash).
    At t=1 s A opens a connection to C, so C sees A's ISN; that connection ends.  At
    t=10 s A connects to B.  At t=11 s C, which never sees a segment of A and B, guesses
    A's ISN from the one it saw and the clock, and injects an RST "from A" at the guessed
    RCV.NXT of B.  Against clock ISNs B's connection is reset; against RFC 6528's the
    RST misses the window and is dropped.  Played to t=12 s.  A's part with B is
    :func:`isn_guess_script` (the lab's scenarios "isn-guess" and "isn-guess-rfc6528")."""
    net = Network(seed=seed, delay=0.1, msl=1.0)
    a, b, c = (net.host(name, iss=iss) for name in "ABC")
    play(net, (("call", "C", "listen"), ("run", ISN_SEEN_AT), ("call", "A", "connect", "C"),
               ("run", 2.0)))
    seen = c.endpoint.irs                 # A's SYN to C carried it
    play(net, (("call", "A", "close"), ("run", 3.0), ("call", "C", "close")))
    guess = predict_clock(seen, ISN_SEEN_AT, ISN_CONNECT_AT)
    play(net, isn_guess_script(guess))
    return IsnGuess(net, a, b, c, seen, guess, a.iss)
