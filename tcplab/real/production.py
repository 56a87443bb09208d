"""Lesson 11 on this machine's kernel: the troubles of many connections, on 127.0.0.1.

Four short stories, each with real sockets on the loopback address (no root, no
process started, every socket closed before the function returns), read through
the kernel's table of connections (``/proc/net/tcp``, what ``ss -tan`` prints):

* ``close-wait``: a server accepts connections, the clients close, and the
  server's program never calls ``close()``: its side of each stays in CLOSE-WAIT
  (Linux: st 08), the clients' in FIN-WAIT-2 (st 05);
* ``time-wait``: busy clients close first: each leaves a connection in
  TIME-WAIT (st 06) on its own ephemeral port, for 60 s (TCP_TIMEWAIT_LEN); with
  the ephemeral range of this machine that bounds the rate of new connections
  to one server port: ports / 60 s;
* ``reuse``: the server closes first, so the TIME-WAIT is on the server's port;
  a new listening socket on that port fails with EADDRINUSE, unless it sets
  ``SO_REUSEADDR``;
* ``backlog``: ``listen(1)`` and several clients that the server never accepts:
  the accept queue holds backlog + 1 connections; the SYNs of the others are
  dropped, and they stay in SYN-SENT and retransmit.

A spoofed SYN flood cannot be shown: it needs raw sockets, that is root.  The
kernel's switches that matter are read (``net.ipv4.tcp_syncookies`` ...) and shown.

Each story returns a :class:`Seen`: counts and names only (no port, no byte
count), so that what a notebook prints is the same on every run.  Where the stories
cannot run live (:func:`~.where.mode`) they replay the recording made by
``python tools/record_real.py`` (its key ``"production"``), labelled.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import time
from dataclasses import dataclass, field
from typing import Callable

from ..fsm import State
from ..text import N_, _
from ..trace import say
from . import recording
from .kernel import LINUX_STATES, LINUX_TIME_WAIT, LOOPBACK, _IO_TIMEOUT, kernel_rows, support
from .where import after_failure, mode

STORIES = ("close-wait", "time-wait", "reuse", "backlog")
SYSCTLS = ("net.ipv4.tcp_syncookies", "net.ipv4.tcp_tw_reuse", "net.ipv4.ip_local_port_range",
           "net.ipv4.tcp_max_syn_backlog", "net.core.somaxconn", "net.ipv4.tcp_synack_retries")
_SETTLE = 1.0          # seconds to wait for the kernel's table to show what is expected
_POLL = 0.005


@dataclass(frozen=True)
class Seen:
    """What one story showed: ``counts`` of the kernel's rows by side and Linux state name
    (``{"server": {"CLOSE_WAIT": 5}, ...}``), and facts (``facts``, plain values)."""

    story: str
    counts: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    replay: str = ""          # the label of a recorded run ("" when live)

    def count(self, side: str, name: str) -> int:
        return self.counts.get(side, {}).get(name, 0)

    def summary(self) -> str:
        """What the kernel showed, in words (the same live and replayed: see ``real.mode()``)."""
        return "\n".join(_SUMMARIES[self.story](self))

    def __repr__(self) -> str:
        return "\n".join(([say(self.replay)] if self.replay else []) + [self.summary()])


def seen_data(s: Seen) -> dict:
    return {"story": s.story, "counts": s.counts, "facts": s.facts}


# --------------------------------------------------------------------------- the kernel

def sysctl(name: str) -> str | None:
    """A kernel switch as /proc/sys shows it (tabs as spaces), or None."""
    try:
        with open("/proc/sys/" + name.replace(".", "/"), encoding="ascii") as f:
            return " ".join(f.read().split())
    except OSError:
        return None


def port_range() -> tuple[int, int] | None:
    value = sysctl("net.ipv4.ip_local_port_range")
    if not value:
        return None
    low, high = (int(x) for x in value.split())
    return low, high


class _Opened(list):
    def new(self) -> socket.socket:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.append(s)
        s.settimeout(_IO_TIMEOUT)
        return s

    def close_all(self) -> None:
        for s in reversed(self):
            with contextlib.suppress(OSError):
                s.close()


def _tally(rows, server_port: int, client_ports: set[int]) -> dict:
    counts: dict = {"server": {}, "clients": {}, "listener": {}}
    for r in rows:
        side = ("listener" if r.local == server_port and r.remote == 0 else
                "server" if r.local == server_port and r.remote in client_ports else
                # a client's port may meanwhile serve another connection of this machine
                "clients" if r.local in client_ports and r.remote == server_port else None)
        if side:
            counts[side][r.name] = counts[side].get(r.name, 0) + 1
    return {k: v for k, v in counts.items() if v}


def _watch(server_port: int, client_ports: set[int], done: Callable[[dict], bool]) -> dict:
    """The kernel's table, looked at until ``done(counts)`` or :data:`_SETTLE` seconds."""
    deadline = time.monotonic() + _SETTLE
    while True:
        counts = _tally(kernel_rows({server_port} | client_ports), server_port, client_ports)
        if done(counts) or time.monotonic() > deadline:
            return counts
        time.sleep(_POLL)


def _connected(opened: _Opened, n: int):
    listener = opened.new()
    listener.bind((LOOPBACK, 0))
    listener.listen(n)
    port = listener.getsockname()[1]
    clients, servers = [], []
    for _i in range(n):
        c = opened.new()
        c.connect((LOOPBACK, port))
        clients.append(c)
        s, _addr = listener.accept()
        opened.append(s)
        servers.append(s)
    return listener, port, clients, servers


def _close_wait(opened: _Opened, n: int) -> Seen:
    _listener, port, clients, _servers = _connected(opened, n)
    ports = {c.getsockname()[1] for c in clients}
    for c in clients:
        c.close()                     # the clients close; the server's program never does
    counts = _watch(port, ports, lambda k: k.get("server", {}).get("CLOSE_WAIT", 0) == n
                    and k.get("clients", {}).get("FIN_WAIT2", 0) == n)
    return Seen("close-wait", counts, {"connections": n})


def _time_wait(opened: _Opened, n: int) -> Seen:
    _listener, port, clients, servers = _connected(opened, n)
    ports = {c.getsockname()[1] for c in clients}
    for c, s in zip(clients, servers):
        c.close()                     # the client closes first ...
        s.recv(1)                     # ... the server reads the end of file and closes too
        s.close()
    counts = _watch(port, ports, lambda k: k.get("clients", {}).get("TIME_WAIT", 0) == n)
    rng = port_range()
    facts = {"connections": n, "time_wait": LINUX_TIME_WAIT,
             "ports": None if rng is None else rng[1] - rng[0] + 1,
             "range": None if rng is None else list(rng)}
    return Seen("time-wait", counts, facts)


def _bind_again(port: int, reuse: bool) -> str:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if reuse:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((LOOPBACK, port))
        s.listen(1)
        return "listening"
    except OSError as exc:
        return errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    finally:
        s.close()


def _restart(opened: _Opened, first_reuse: bool) -> tuple[dict, str, str]:
    """A server (SO_REUSEADDR or not) closes first, stops, and starts again on its port."""
    listener = opened.new()
    if first_reuse:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((LOOPBACK, 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    client = opened.new()
    client.connect((LOOPBACK, port))
    ports = {client.getsockname()[1]}
    server, _addr = listener.accept()
    opened.append(server)
    server.close()                    # the server closes first: TIME-WAIT on its side
    client.recv(1)
    client.close()
    listener.close()                  # the server program stops ...
    counts = _watch(port, ports, lambda k: k.get("server", {}).get("TIME_WAIT", 0) == 1)
    # ... and starts again on the same port, without and with SO_REUSEADDR
    return counts, _bind_again(port, False), _bind_again(port, True)


def _reuse(opened: _Opened) -> Seen:
    counts, plain_without, plain_with = _restart(opened, False)
    _counts, reuse_without, reuse_with = _restart(opened, True)
    facts = {"without": plain_without, "with": plain_with,
             "both_without": reuse_without, "both_with": reuse_with}
    return Seen("reuse", counts, facts)


def _backlog(opened: _Opened, backlog: int, clients: int) -> Seen:
    listener = opened.new()
    listener.bind((LOOPBACK, 0))
    listener.listen(backlog)          # and never accept()
    port = listener.getsockname()[1]
    ports = set()
    for _i in range(clients):
        c = opened.new()
        c.setblocking(False)
        c.connect_ex((LOOPBACK, port))
        ports.add(c.getsockname()[1])
    full = backlog + 1
    counts = _watch(port, ports, lambda k: k.get("server", {}).get("ESTABLISHED", 0) == full
                    and k.get("clients", {}).get("SYN_SENT", 0) == clients - full)
    time.sleep(0.05)                  # what is still SYN-SENT now stays so until a retry
    counts = _tally(kernel_rows({port} | ports), port, ports)
    return Seen("backlog", counts, {"backlog": backlog, "clients": clients})


def kernel_story(story: str, n: int = 5) -> Seen:
    """One story live on 127.0.0.1 (raises OSError when the loopback refuses)."""
    if story not in STORIES:
        raise ValueError(f"story must be one of {', '.join(STORIES)}, not {story!r}")
    opened = _Opened()
    try:
        if story == "close-wait":
            return _close_wait(opened, n)
        if story == "time-wait":
            return _time_wait(opened, n)
        if story == "reuse":
            return _reuse(opened)
        return _backlog(opened, 1, n)
    finally:
        opened.close_all()


def record_data() -> dict:
    """What ``tools/record_real.py`` keeps: every story, and the kernel's switches."""
    return {"stories": {s: seen_data(kernel_story(s)) for s in STORIES},
            "sysctls": {name: sysctl(name) for name in SYSCTLS}}


# --------------------------------------------------------------------------- live or replay

def _replayed(story: str, label: str) -> Seen:
    d = recording.load()["production"]["stories"][story]
    return Seen(story, d["counts"], d["facts"], replay=label)


def trouble(story: str) -> Seen:
    """The story on this machine's kernel; where it cannot run live (or the live run
    fails), the recorded one, labelled."""
    if story not in STORIES:
        raise ValueError(f"story must be one of {', '.join(STORIES)}, not {story!r}")
    how = mode()
    if not how.live:
        return _replayed(story, how.label())
    try:
        return kernel_story(story)
    except OSError as exc:
        fallback = after_failure(f"the kernel's side could not be played: {exc}")
        if fallback is None:
            raise
        return _replayed(story, fallback.label())


def switches() -> str:
    """The kernel's switches of lesson 11, live or as recorded (``real.mode()`` says which)."""
    how = mode()
    if how.live and support().table is not None:
        values = {name: sysctl(name) for name in SYSCTLS}
    else:
        values = recording.load()["production"]["sysctls"]
    return "\n".join(f"{name} = {values.get(name) or _('(not readable here)')}"
                            for name in SYSCTLS)


# --------------------------------------------------------------------------- in words

#: Linux's state names to the numbers of /proc/net/tcp's ``st`` column
_CODES = {name: code for code, (name, _state) in LINUX_STATES.items()}


def _states(seen: Seen, side: str) -> str:
    """``CLOSE_WAIT (st 08) × 5``: the names ss prints, the numbers /proc/net/tcp shows."""
    found = seen.counts.get(side, {})
    return ", ".join(f"{name} (st {_CODES[name]:02X}) × {k}" if name in _CODES else
                     f"{name} × {k}" for name, k in sorted(found.items())) or _("no row")


def _close_wait_text(s: Seen) -> list[str]:
    return [_("{n} clients closed; the server's program never called close().").format(
                n=s.facts["connections"]),
            _("the server's side (its port): {states}").format(states=_states(s, "server")),
            _("the clients' side: {states}").format(states=_states(s, "clients"))]


def _time_wait_text(s: Seen) -> list[str]:
    lines = [_("{n} clients closed first, then the server.").format(n=s.facts["connections"]),
             _("the clients' side: {states}").format(states=_states(s, "clients")),
             _("the server's side (its port): {states}").format(states=_states(s, "server"))]
    if s.facts.get("ports"):
        low, high = s.facts["range"]
        tw = s.facts["time_wait"]
        lines.append(_("ephemeral ports {low}–{high}: {ports} ports / {tw:g} s = {rate:.0f} new "
                       "connections per second to one server address and port, at most")
                     .format(low=low, high=high, ports=s.facts["ports"], tw=tw,
                             rate=s.facts["ports"] / tw))
    return lines


def _reuse_text(s: Seen) -> list[str]:
    f = s.facts
    return [_("the server closed first: its side (its port): {states}").format(
                states=_states(s, "server")),
            _("the old server without SO_REUSEADDR; the new one without it: {a}; with it: {b}")
            .format(a=_(f["without"]), b=_(f["with"])),
            _("the old server with SO_REUSEADDR; the new one without it: {a}; with it: {b}")
            .format(a=_(f["both_without"]), b=_(f["both_with"]))]


def _backlog_text(s: Seen) -> list[str]:
    return [_("listen({backlog}), never accept(); {clients} clients connect.").format(
                backlog=s.facts["backlog"], clients=s.facts["clients"]),
            _("the server's side: {states}").format(states=_states(s, "server")),
            _("the clients' side: {states}").format(states=_states(s, "clients"))]


_SUMMARIES = {"close-wait": _close_wait_text, "time-wait": _time_wait_text,
              "reuse": _reuse_text, "backlog": _backlog_text}

N_("listening")       # a result of _bind_again, said in the language spoken
