"""A SYN arriving in TIME-WAIT: what this machine's kernel does, next to tcplab's three rules.

The story (lesson 08, section 5): B, the server, closes first, so B's side of the
connection waits in TIME-WAIT; A then connects again *from the same port*
(``SO_REUSEADDR`` and ``bind`` to its old port), so A's new SYN carries the old
connection's socket pair and lands on B's TIME-WAIT.  B's listening socket is
still open, as a server's is.

* :func:`tcplab_rules` plays the story on tcplab once per rule of
  ``time_wait_syn`` ("challenge-ack", "rfc793", "reopen"), B listening again
  whenever its connection is gone (the listening socket of a real server);
* :func:`kernel_reopen` plays it with real sockets on 127.0.0.1 and reports
  what happened, as seen by the programs and the kernel's table;
* :func:`time_wait_syn` puts both side by side (:class:`TimeWaitSyn`).

Nothing is assumed about the kernel: the outcome is what the run showed.  Linux's
rule (``tcp_timewait_state_process`` in net/ipv4/tcp_minisocks.c, RFC 1122
§4.2.2.13): a SYN without ACK reopens the connection when its sequence number is
above the old connection's RCV.NXT, or, with timestamps, when its timestamp is newer
(RFC 6191); the new connection's ISS is then the old SND.NXT + 65537.
"""

from __future__ import annotations

import contextlib
import html
import socket
import time
from dataclasses import asdict, dataclass

from ..fsm import State
from ..network import Network
from ..stories import X, Y, closing, opening, play
from ..text import N_, _
from ..trace import say
from . import recording
from .kernel import LOOPBACK, _IO_TIMEOUT, _linux, kernel_rows, support
from .tables import _html_table, _text_table
from .where import Mode, after_failure, mode

RULES = ("challenge-ack", "rfc793", "reopen")

#: What the reconnecting client sees (the same words for the kernel and for tcplab).
# outcomes are data (compared with each other); _() says them when shown
AT_ONCE = N_("connected at once")
LATER = N_("connected after its SYN was sent again")
REFUSED = N_("refused (RST)")
NOTHING = N_("no connection")

NEW_ISS = 1000          # A's second ISN in tcplab: above the old connection's numbers
_HORIZON = 10.0         # seconds of tcplab's virtual time to wait for the outcome
_AT_ONCE = 0.5          # a real connect() faster than this had no retransmitted SYN
                        # (Linux's first retransmission comes after 1 s, RFC 6298)

_RULE_TEXT = {
    "challenge-ack": N_("RFC 9293 with RFC 5961 (tcplab's default): answer with a challenge "
                        "ACK"),
    "rfc793": N_("RFC 793: the SYN is an error, answer with RST"),
    "reopen": N_("RFC 1122 §4.2.2.13 (Linux, the BSDs): a SYN above RCV.NXT reopens"),
}


@dataclass(frozen=True)
class RuleResult:
    """tcplab's story under one ``time_wait_syn`` rule."""

    rule: str
    answer: str                 # what B's TIME-WAIT sent back to the SYN ("SYN+ACK", ...)
    outcome: str                # AT_ONCE, LATER, REFUSED or NOTHING
    seconds: float | None       # from A's connect() to A's ESTABLISHED (virtual time)
    b_states: tuple[State, ...]  # the states B entered after the SYN


def _play_rule(rule: str, delay: float = 0.1) -> tuple[Network, float]:
    net = Network(seed=0, delay=delay)
    a = net.host("A", iss=lambda now: X if now < 2.5 else NEW_ISS)
    b = net.host("B", iss=Y, time_wait_syn=rule)
    play(net, opening() + closing("B") + closing("A", 3.0))
    if b.state is not State.TIME_WAIT:
        raise RuntimeError(f"tcplab's B should be in TIME-WAIT, not {b.state}")
    a.connect("B")
    start = net.now
    while a.state is State.SYN_SENT and net.now <= start + _HORIZON:
        if net.step() is None:
            break
        if b.state is State.CLOSED:
            b.listen()              # the server's listening socket is still there
    net.run(until=net.now + 1.0)    # B's side of the handshake ends too
    return net, start


def _rule_result(rule: str, delay: float = 0.1) -> RuleResult:
    net, start = _play_rule(rule, delay)
    a, b = net.hosts["A"], net.hosts["B"]
    answer = next((str(s.flags) for t, s in net.sent if t >= start and s.src == "B"),
                  "nothing")
    b_states = tuple(r.state for r in net.trace
                     if r.host == "B" and r.state is not None and r.time >= start)
    seconds = None
    if a.state is State.ESTABLISHED:
        seconds = net.trace.entered("A", State.ESTABLISHED, start) - start
        outcome = AT_ONCE if seconds <= 2 * delay + 1e-9 else LATER
    elif a.error and "refused" in a.error.split(":")[0]:
        outcome = REFUSED
    else:
        outcome = NOTHING
    return RuleResult(rule, answer, outcome, seconds, b_states)


def tcplab_rules(delay: float = 0.1) -> tuple[RuleResult, ...]:
    """The story on tcplab, once per rule (A iss=100 then 1000, B iss=300)."""
    return tuple(_rule_result(rule, delay) for rule in RULES)


# --------------------------------------------------------------------------- the kernel

@dataclass(frozen=True)
class KernelReopen:
    """What the kernel did with the story (every socket closed before it is returned)."""

    client_port: int
    server_port: int
    time_wait_before: bool      # B's side of the old pair was in TIME-WAIT in the table
    outcome: str                # AT_ONCE, LATER, REFUSED or NOTHING
    seconds: float              # how long A's second connect() took
    error: str | None           # the error connect() raised, if any
    accepted: bool              # B's listening socket handed over the new connection
    table_after: State | None   # B's row of the same socket pair afterwards
    sysctls: tuple[tuple[str, str], ...]    # the settings that matter, as read


def _sysctls() -> tuple[tuple[str, str], ...]:
    out = []
    for name in ("tcp_timestamps", "tcp_rfc1337"):
        try:
            with open(f"/proc/sys/net/ipv4/{name}", encoding="ascii") as f:
                out.append((f"net.ipv4.{name}", f.read().strip()))
        except OSError:
            out.append((f"net.ipv4.{name}", "unreadable"))
    return tuple(out)


def _row(source: str, local: int, remote: int) -> State | None:
    return next((r.state for r in kernel_rows({local}, source) if r.remote == remote), None)


def _wait_for(source: str, local: int, remote: int, state: State, wait: float = 1.0) -> bool:
    end = time.perf_counter() + wait
    while time.perf_counter() < end:
        if _row(source, local, remote) is state:
            return True
        time.sleep(0.002)
    return False


def _socket(opened: list) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    opened.append(s)
    s.settimeout(_IO_TIMEOUT)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return s


def _run_kernel(source: str, opened: list, timeout: float) -> KernelReopen:
    listener = _socket(opened)
    listener.bind((LOOPBACK, 0))
    listener.listen(4)
    sp = listener.getsockname()[1]
    client = _socket(opened)
    client.bind((LOOPBACK, 0))
    cp = client.getsockname()[1]
    client.connect((LOOPBACK, sp))
    conn, _ = listener.accept()
    opened.append(conn)
    conn.close()                                  # B closes first ...
    if client.recv(16) != b"":
        raise RuntimeError("A received data after B's close()")
    client.close()                                # ... then A: B's side waits in TIME-WAIT
    before = _wait_for(source, sp, cp, State.TIME_WAIT)
    again = _socket(opened)
    again.bind((LOOPBACK, cp))                    # the same port: the same socket pair
    again.settimeout(timeout)
    start = time.perf_counter()
    error = None
    try:
        again.connect((LOOPBACK, sp))
    except OSError as exc:
        error = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    accepted = False
    if error is None:
        listener.settimeout(_IO_TIMEOUT)
        new, _ = listener.accept()
        opened.append(new)
        accepted = True
    outcome = (NOTHING if error and "timed out" in error else
               REFUSED if error else AT_ONCE if seconds < _AT_ONCE else LATER)
    return KernelReopen(cp, sp, before, outcome, seconds, error, accepted,
                        _row(source, sp, cp), _sysctls())


def kernel_reopen(timeout: float = 5.0) -> KernelReopen | None:
    """Play the story with real sockets on 127.0.0.1; None when this machine cannot show it
    (not Linux, or the kernel's table cannot be read to see B's TIME-WAIT)."""
    sup = support()
    if not (_linux() and sup.table):
        return None
    opened: list[socket.socket] = []
    try:
        return _run_kernel(sup.table, opened, timeout)
    finally:
        for s in reversed(opened):
            with contextlib.suppress(OSError):
                s.close()


def reopen_data(k: KernelReopen) -> dict:
    """What the recording keeps of a live run (``tools/record_real.py``)."""
    data = asdict(k)
    data.update(seconds=round(k.seconds, 6), table_after=recording.state_data(k.table_after),
                sysctls=[list(p) for p in k.sysctls])
    return data


def replayed_reopen() -> KernelReopen:
    """The recorded run (:mod:`.recording`)."""
    d = dict(recording.load()["reopen"])
    d.update(table_after=recording.state(d["table_after"]),
             sysctls=tuple(tuple(p) for p in d["sysctls"]))
    return KernelReopen(**d)


# --------------------------------------------------------------------------- side by side

class TimeWaitSyn:
    """The kernel's outcome (``kernel``, None when not shown) next to tcplab's three rules;
    ``replay`` is the label of a recorded run ("" when live)."""

    HEAD = (N_("who"), N_("what B's TIME-WAIT does with the SYN"), N_("B sends"),
            N_("B enters"), N_("A's connect()"))

    def __init__(self, kernel: KernelReopen | None, rules: tuple[RuleResult, ...],
                 explanation: str, error: str | None = None, replay: str = ""):
        self.kernel = kernel
        self.rules = rules
        self.explanation = explanation
        self.error = error
        self.replay = replay
        self.who = (N_("the recorded Linux kernel") if replay  # English; _() shows it
                    else N_("this machine's kernel"))

    def rule(self, name: str) -> RuleResult:
        return next(r for r in self.rules if r.rule == name)

    def matching(self) -> list[str]:
        """tcplab's rules whose outcome is the kernel's (empty when the kernel was not seen)."""
        if self.kernel is None:
            return []
        return [r.rule for r in self.rules if r.outcome == self.kernel.outcome]

    def _rows(self, exact: bool) -> list[tuple[str, ...]]:
        rows = []
        for r in self.rules:
            when = f" ({r.seconds:g} s)" if r.seconds is not None else ""
            rows.append((_("tcplab, rule {rule}").format(rule=repr(r.rule)),
                         _(_RULE_TEXT[r.rule]), r.answer,
                         " → ".join(map(str, r.b_states)), _(r.outcome) + when))
        k = self.kernel
        if k is None:
            rows.append((_(self.who), _("(not shown here)"), "", "", ""))
        else:
            when = f" ({k.seconds * 1000:.2f} ms)" if exact else ""
            rows.append((_(self.who), _("(what it did, seen from the programs)"),
                         _("(not seen)"), _("{state} (its row after)").format(
                             state=k.table_after or "—"), _(k.outcome) + when))
        return rows

    def summary(self) -> str:
        """Sentences that do not change from run to run (no ports, no timings)."""
        lines = [(_("tcplab, rule {rule}: B sends {answer}; A is {outcome} ({seconds} s "
                    "after connect()).") if r.seconds is not None else
                  _("tcplab, rule {rule}: B sends {answer}; A is {outcome}.")).format(
            rule=repr(r.rule), answer=r.answer, outcome=_(r.outcome),
            seconds=f"{r.seconds:g}" if r.seconds is not None else "")
            for r in self.rules]
        k = self.kernel
        who = _(self.who)
        who = who[0].upper() + who[1:]
        if k is None:
            lines.append(_("{who}: not shown here.").format(who=who) + " "
                         + say(self.error or self.explanation))
            return "\n".join(lines)
        lines.append(self._kernel_sentence(who, k))
        match = self.matching()
        lines.append(_("The kernel did what tcplab's rule {rules} predicts.").format(
            rules=_(" and ").join(map(repr, match))) if match else
            _("The kernel did what none of tcplab's three rules predicts."))
        return "\n".join(lines)

    @staticmethod
    def _kernel_sentence(who: str, k: "KernelReopen") -> str:
        seen = (_("in TIME-WAIT") if k.time_wait_before else _("NOT seen in TIME-WAIT"))
        outcome = _(k.outcome) + (f" ({k.error})" if k.error else "")
        if k.accepted:
            return _("{who}: B's side was {seen} when A connected again from the same port; A "
                     "was {outcome}; B's listening socket accepted the new connection, which "
                     "the kernel's table shows {state}.").format(
                who=who, seen=seen, outcome=outcome, state=k.table_after)
        return _("{who}: B's side was {seen} when A connected again from the same port; A "
                 "was {outcome}.").format(who=who, seen=seen, outcome=outcome)

    def table(self) -> str:
        out = [say(self.replay)] if self.replay else []
        out.append(_text_table([_(h) for h in self.HEAD], self._rows(exact=True)))
        if self.kernel is not None:
            k = self.kernel
            out.append(_("A: {loopback} port {client}, B: port {server}; {sysctls}").format(
                loopback=LOOPBACK, client=k.client_port, server=k.server_port,
                sysctls=", ".join(f"{n} = {v}" for n, v in k.sysctls)))
        else:
            out.append(say(self.error or self.explanation))
        return "\n".join(out)

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        rows = [list(r) for r in self._rows(exact=True)]
        cap = _("A SYN from the same port arrives in B's TIME-WAIT")
        tail = self.table().splitlines()[-1]
        top = f"<p><b>{html.escape(say(self.replay))}</b></p>" if self.replay else ""
        return (top + _html_table(cap, [[_(h) for h in self.HEAD]], rows)
                + f"<p>{html.escape(tail)}</p>")


def time_wait_syn(timeout: float = 5.0) -> TimeWaitSyn:
    """The story on this machine's kernel (when it can be shown) and on tcplab's three rules;
    where it cannot run live (:func:`~.where.mode`) or the live run fails, the recorded
    kernel's, labelled."""
    rules = tcplab_rules()
    how = mode()
    if not how.live:
        return _replayed(rules, how)
    error = None
    try:
        kernel = kernel_reopen(timeout)
    except (OSError, RuntimeError) as exc:     # the loopback refused: say so
        kernel, error = None, f"the kernel's side could not be played: {exc}"
    fallback = after_failure(error) if error else None
    if fallback is not None:
        return _replayed(rules, fallback)
    return TimeWaitSyn(kernel, rules, support().explanation, error)


def _replayed(rules: tuple[RuleResult, ...], how: Mode) -> TimeWaitSyn:
    return TimeWaitSyn(replayed_reopen(), rules, how.text, replay=how.label())
