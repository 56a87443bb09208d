"""The real TCP of this machine, seen through two sockets on 127.0.0.1.

tcplab's hosts live in virtual time; this module asks the operating system's
own TCP.  :func:`real_story` opens a listening socket and a client socket on
the loopback address 127.0.0.1 (nothing ever leaves the machine), plays the
story of lesson 02 with socket calls, and after every step reads each side's
state as the kernel reports it, in two ways:

* ``TCP_INFO``: the socket option ``getsockopt(IPPROTO_TCP, TCP_INFO)``, whose
  first byte (``tcpi_state``) is the state of the connection behind a socket
  the program still holds (Linux);
* the kernel's table of connections, ``/proc/net/tcp`` (what ``ss -tan``
  prints; ``ss`` is the fallback when ``/proc`` is hidden): it lists
  connections that no socket holds any more, such as one in TIME-WAIT.

The same story is played on a tcplab :class:`~tcplab.network.Network` with
fixed ISNs (:func:`predict`), and the result (:class:`RealStory`) shows both
side by side, with a note for every difference.

Rules this module keeps (tests check them):

* only the address 127.0.0.1 is ever bound or connected to (:data:`LOOPBACK`),
  only ephemeral ports (port 0: the kernel chooses);
* every socket it opens is closed before :func:`real_story` returns, also when
  a step fails or the kernel is interrupted (``KeyboardInterrupt``);
* it starts no process, except ``ss`` when ``/proc/net/tcp`` cannot be read,
  with a timeout (``subprocess.run`` kills it on timeout or interrupt);
* it needs no root, and never waits for TIME-WAIT to end (60 s on Linux).

On macOS and Windows (no Linux ``TCP_INFO``, no ``/proc/net/tcp``) nothing is
opened: :func:`support` explains what cannot be shown, and :func:`real_story`
returns tcplab's prediction alone.
"""

from __future__ import annotations

import contextlib
import html
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

from .fsm import State
from .network import Network

__all__ = [
    "LOOPBACK", "LINUX_STATES", "LINUX_TIME_WAIT", "PROC_NET_TCP", "STORY", "Support",
    "support", "supported", "explanation", "Observation", "Row", "Step", "Prediction",
    "RealStory", "predict", "real_story", "kernel_rows",
]

#: The only address this module ever binds or connects to.
LOOPBACK = "127.0.0.1"

#: Linux's TCP state numbers (include/net/tcp_states.h), as ``tcpi_state`` and the
#: ``st`` column of /proc/net/tcp give them, with the tcplab State each one is.
LINUX_STATES: dict[int, tuple[str, State]] = {
    1: ("ESTABLISHED", State.ESTABLISHED),
    2: ("SYN_SENT", State.SYN_SENT),
    3: ("SYN_RECV", State.SYN_RECEIVED),
    4: ("FIN_WAIT1", State.FIN_WAIT_1),
    5: ("FIN_WAIT2", State.FIN_WAIT_2),
    6: ("TIME_WAIT", State.TIME_WAIT),
    7: ("CLOSE", State.CLOSED),
    8: ("CLOSE_WAIT", State.CLOSE_WAIT),
    9: ("LAST_ACK", State.LAST_ACK),
    10: ("LISTEN", State.LISTEN),
    11: ("CLOSING", State.CLOSING),
    12: ("NEW_SYN_RECV", State.SYN_RECEIVED),   # a request not yet a full socket
    13: ("BOUND_INACTIVE", State.CLOSED),       # bound, not connected (Linux 6.8+)
}

#: How long Linux keeps a connection in TIME-WAIT: TCP_TIMEWAIT_LEN, 60 s, a constant
#: compiled into the kernel (include/net/tcp.h), not computed from an MSL.
LINUX_TIME_WAIT = 60.0

#: Linux's table of IPv4 TCP connections (a module attribute so tests can hide it).
PROC_NET_TCP = "/proc/net/tcp"

#: ``ss``'s names of the states (``ss -tan``).
_SS_STATES = {
    "ESTAB": State.ESTABLISHED, "SYN-SENT": State.SYN_SENT, "SYN-RECV": State.SYN_RECEIVED,
    "FIN-WAIT-1": State.FIN_WAIT_1, "FIN-WAIT-2": State.FIN_WAIT_2,
    "TIME-WAIT": State.TIME_WAIT, "UNCONN": State.CLOSED, "CLOSE": State.CLOSED,
    "CLOSE-WAIT": State.CLOSE_WAIT, "LAST-ACK": State.LAST_ACK, "LISTEN": State.LISTEN,
    "CLOSING": State.CLOSING,
}

_TCP_INFO_LEN = 104     # bytes of struct tcp_info asked for; tcpi_state is byte 0
_SETTLE = 1.0           # seconds to wait for the kernel to reach a step's state
_POLL = 0.002           # seconds between two looks while waiting
_IO_TIMEOUT = 2.0       # seconds for any blocking socket call


# --------------------------------------------------------------------------- support

@dataclass(frozen=True)
class Support:
    """What this machine lets the lesson see (``bool(support())``: everything)."""

    system: str               # "Linux", "Darwin", "Windows", ...
    tcp_info: bool            # TCP_INFO gives a Linux tcpi_state
    table: str | None         # "/proc/net/tcp", "ss", or None
    explanation: str          # a sentence or two for the student

    @property
    def full(self) -> bool:
        return self.tcp_info and self.table is not None

    @property
    def partial(self) -> bool:
        return self.tcp_info or self.table is not None

    def __bool__(self) -> bool:
        return self.full

    def __repr__(self) -> str:
        return self.explanation

    def _repr_html_(self) -> str:
        colour = "#2b8a3e" if self.full else ("#e67700" if self.partial else "#c92a2a")
        return (f'<div class="tcplab-real-support" style="border-left:4px solid {colour};'
                f'padding:6px 10px;font-family:sans-serif">'
                f'{html.escape(self.explanation)}</div>')


def _linux() -> bool:
    return sys.platform.startswith("linux")


def _tcp_info_works() -> bool:
    """Linux's TCP_INFO on a fresh socket (nothing bound, nothing sent) says CLOSE."""
    if not _linux() or not hasattr(socket, "TCP_INFO"):
        return False
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, _TCP_INFO_LEN)
    except OSError:
        return False
    return len(info) > 0 and info[0] in (7, 13)


def _proc_works() -> bool:
    try:
        with open(PROC_NET_TCP, encoding="ascii") as f:
            head = f.readline()
    except OSError:
        return False
    return head.split()[:3] == ["sl", "local_address", "rem_address"]


def _ss_path() -> str | None:
    return shutil.which("ss") if _linux() else None


def _ss_works() -> bool:
    path = _ss_path()
    if path is None:
        return False
    try:
        done = subprocess.run([path, "-tanH"], capture_output=True, text=True, timeout=2.0)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _table_source() -> str | None:
    if _proc_works():
        return PROC_NET_TCP
    if _ss_works():
        return "ss"
    return None


_ELSEWHERE = {
    "macOS": "On macOS, run `netstat -an -p tcp | grep 127.0.0.1` in a terminal while "
              "a connection closes to see its states, TIME_WAIT included.",
    "Windows": "On Windows, run `netstat -an` in a terminal while a connection closes to "
               "see its states, TIME_WAIT included.",
}


def support() -> Support:
    """What this machine can show: Linux's TCP_INFO, and its table of connections."""
    system = platform.system() or sys.platform
    system = {"Darwin": "macOS"}.get(system, system)
    tcp_info = _tcp_info_works()
    table = _table_source()
    source = "the ss command" if table == "ss" else table
    if tcp_info and table:
        text = (f"This machine ({system}) shows TCP's real states: each socket's state "
                f"through TCP_INFO, and every connection, closed sockets' TIME-WAIT "
                f"included, in the kernel's table ({source}).")
    elif _linux() and (tcp_info or table):
        have, miss = (("TCP_INFO", "the kernel's table of connections (/proc/net/tcp, "
                       "or the ss command), so a TIME-WAIT that no socket holds stays "
                       "hidden") if tcp_info else
                      (f"the kernel's table ({source})",
                       "TCP_INFO, so a socket's own state is not shown"))
        text = (f"This machine ({system}) shows only part of TCP's real states: it has "
                f"{have}, but not {miss}.")
    else:
        missing = ("Linux's TCP_INFO socket option (its first byte is the connection's "
                   "state) and Linux's table of connections (/proc/net/tcp, or the ss "
                   "command)")
        text = (f"This machine ({system}) cannot show TCP's real states to tcplab: that "
                f"needs {missing}, "
                + ("and neither can be read here." if _linux() else
                   f"which {system} does not have.")
                + " The lesson still shows tcplab's predictions; run it on Linux (Binder, "
                "a JupyterHub) to see the kernel's side. "
                + _ELSEWHERE.get(system, ""))
    return Support(system, tcp_info, table, text.strip())


def supported() -> bool:
    """True when TCP_INFO and the kernel's table of connections can both be read."""
    return support().full


def explanation() -> str:
    """What this machine can and cannot show, for the student."""
    return support().explanation


# --------------------------------------------------------------------------- reading the kernel

@dataclass(frozen=True)
class Row:
    """One row of the kernel's table of connections (IPv4, 127.0.0.1 only)."""

    local: int                # local port
    remote: int               # remote port (0 for a listening socket)
    code: int | None          # Linux state number (None when read from ss)
    state: State | None
    timer: float | None = None    # seconds left on the TIME-WAIT timer, if known
    line: str = ""            # the line as the kernel wrote it

    @property
    def name(self) -> str:
        if self.code is not None and self.code in LINUX_STATES:
            return LINUX_STATES[self.code][0]
        return str(self.state) if self.state is not None else "?"


_LOOPBACK_HEX = {"0100007F", "7F000001"}     # 127.0.0.1 in /proc's byte order (LE, BE)


def _clock_ticks() -> int:
    try:
        return int(os.sysconf("SC_CLK_TCK")) or 100
    except (AttributeError, ValueError, OSError):
        return 100


def _read_proc(ports: set[int]) -> list[Row]:
    with open(PROC_NET_TCP, encoding="ascii") as f:
        lines = f.read().splitlines()[1:]
    ticks = _clock_ticks()
    rows = []
    for line in lines:
        f = line.split()
        if len(f) < 6:
            continue
        (lip, lport), (rip, rport) = (a.split(":") for a in f[1:3])
        lport, rport = int(lport, 16), int(rport, 16)
        if lip not in _LOOPBACK_HEX or lport not in ports:
            continue
        code = int(f[3], 16)
        timer_kind, when = f[5].split(":")
        timer = int(when, 16) / ticks if code == 6 and int(timer_kind, 16) == 3 else None
        state = LINUX_STATES.get(code, ("", None))[1]
        rows.append(Row(lport, rport, code, state, timer, line.strip()))
    return rows


def _ss_seconds(text: str) -> float | None:
    total, found = 0.0, False
    for value, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|sec|min)", text):
        total += float(value) * {"ms": 0.001, "sec": 1.0, "min": 60.0}[unit]
        found = True
    return total if found else None


def _read_ss(ports: set[int]) -> list[Row]:
    path = _ss_path()
    if path is None:
        raise OSError("the ss command is not available")
    done = subprocess.run([path, "-tanoH"], capture_output=True, text=True, timeout=2.0,
                          check=True)
    rows = []
    for line in done.stdout.splitlines():
        f = line.split()
        if len(f) < 5:
            continue
        local, remote = f[3], f[4]
        lip, _, lport = local.rpartition(":")
        _, _, rport = remote.rpartition(":")
        if lip != LOOPBACK or not lport.isdigit() or int(lport) not in ports:
            continue
        state = _SS_STATES.get(f[0])
        timer = None
        m = re.search(r"timer:\(timewait,([^,)]*)", line)
        if m:
            timer = _ss_seconds(m.group(1))
        rows.append(Row(int(lport), int(rport) if rport.isdigit() else 0, None, state,
                        timer, line.strip()))
    return rows


def kernel_rows(ports, source: str | None = None) -> list[Row]:
    """The rows of the kernel's table whose local port is one of ``ports`` on 127.0.0.1.

    ``source`` is ``"/proc/net/tcp"`` or ``"ss"`` (default: whichever works here);
    an empty list when neither does.
    """
    ports = {int(p) for p in ports if p}
    source = source or _table_source()
    if not ports or source is None:
        return []
    return _read_ss(ports) if source == "ss" else _read_proc(ports)


def _tcp_info_state(sock: socket.socket | None) -> tuple[int | None, State | None]:
    if sock is None or sock.fileno() < 0:
        return None, None
    try:
        code = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, _TCP_INFO_LEN)[0]
    except (OSError, AttributeError):
        return None, None
    return code, LINUX_STATES.get(code, ("", None))[1]


# --------------------------------------------------------------------------- the story

@dataclass(frozen=True)
class StoryStep:
    """One step of the story: the socket calls, and the same step in tcplab."""

    key: str
    sockets: str       # what the two programs do, with socket calls
    tcplab: str        # the same step told to tcplab's hosts ("" : nothing to tell)


#: The story of lesson 02, told with sockets (A the client, B the server).
STORY: tuple[StoryStep, ...] = (
    StoryStep("listen", "B: listen()", "b.listen()"),
    StoryStep("connect", "A: connect()", "a.connect('B')"),
    StoryStep("accept", "B: accept(), stops listening", ""),
    StoryStep("data", "A: sendall(b'hello'); B: recv()", "a.send(b'hello')"),
    StoryStep("shutdown", "A: shutdown(SHUT_WR); B: recv() → b''", "a.close()"),
    StoryStep("reply", "B: sendall(b'bye'); A: recv()", "b.send(b'bye')"),
    StoryStep("server-close", "B: close(); A: recv() → b''", "b.close()"),
    StoryStep("client-close", "A: close()", ""),
)

_STEP_INDEX = {s.key: i for i, s in enumerate(STORY)}


def _tcplab_calls(a, b) -> dict[str, Callable[[], None]]:
    return {"listen": b.listen, "connect": lambda: a.connect("B"),
            "data": lambda: a.send(b"hello"), "shutdown": a.close,
            "reply": lambda: b.send(b"bye"), "server-close": b.close}


@dataclass(frozen=True)
class Prediction:
    """tcplab's side of the story: the states each host enters in each step."""

    msl: float
    steps: tuple[tuple[tuple[State, ...], tuple[State, ...]], ...]   # (A entered, B entered)
    ends: tuple[tuple[State, State], ...]                            # (A, B) after each step
    history_a: tuple[State, ...]
    history_b: tuple[State, ...]
    time_wait: float                   # how long tcplab's A waits in TIME-WAIT (2*msl)
    net: Network = field(repr=False, compare=False)

    def history(self, side: str) -> tuple[State, ...]:
        return {"A": self.history_a, "B": self.history_b}[_side(side)]

    def cell(self, i: int, side: str) -> str:
        entered = self.steps[i][0 if _side(side) == "A" else 1]
        end = self.ends[i][0 if _side(side) == "A" else 1]
        return " → ".join(map(str, entered)) if entered else f"{end} (stays)"

    def table(self) -> str:
        head = ("step", "the programs (sockets)", "tcplab", "A in tcplab", "B in tcplab")
        rows = [(str(i + 1), s.sockets, s.tcplab or "(nothing)", self.cell(i, "A"),
                 self.cell(i, "B")) for i, s in enumerate(STORY)]
        return (f"tcplab's prediction (network msl = {self.msl:g} s, A iss=100, B iss=300)\n"
                + _text_table(head, rows))

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        head = ("step", "the programs (sockets)", "tcplab", "A in tcplab", "B in tcplab")
        rows = [[str(i + 1), s.sockets, s.tcplab or "(nothing)", self.cell(i, "A"),
                 self.cell(i, "B")] for i, s in enumerate(STORY)]
        return _html_table(f"tcplab's prediction (network msl = {self.msl:g} s, "
                           f"A iss=100, B iss=300)", [head], rows)


def predict(msl: float = 30.0) -> Prediction:
    """Play :data:`STORY` on a tcplab network (A iss=100, B iss=300, delay 0.1 s).

    Each step is one second of virtual time, enough for every segment it causes
    to arrive; the story stops before A's TIME-WAIT ends (after 2*msl).
    """
    net = Network(seed=0, delay=0.1, msl=msl)
    a, b = net.host("A", iss=100), net.host("B", iss=300)
    calls = _tcplab_calls(a, b)
    steps, ends = [], []
    for i, step in enumerate(STORY):
        before = len(a.history), len(b.history)
        if step.key in calls:
            calls[step.key]()
        net.run(until=float(i + 1))
        steps.append((tuple(a.history[before[0]:]), tuple(b.history[before[1]:])))
        ends.append((a.state, b.state))
    tw = a.endpoint.time_wait if hasattr(a.endpoint, "time_wait") else 2 * msl
    return Prediction(float(msl), tuple(steps), tuple(ends), tuple(a.history),
                      tuple(b.history), float(tw), net)


# --------------------------------------------------------------------------- observations

@dataclass(frozen=True)
class Observation:
    """One side of the connection, as the kernel reports it at one moment."""

    t: float                      # seconds since the step's call returned
    socket: State | None          # TCP_INFO of the socket the program holds (None: none)
    socket_code: int | None
    table: State | None           # the connection's row in the kernel's table (None: no row)
    table_code: int | None
    timer: float | None = None    # seconds left on that row's TIME-WAIT timer
    listener: bool = False        # the socket held is the listening socket
    rows: tuple[Row, ...] = ()    # the rows read, for the curious

    @property
    def state(self) -> State:
        """The connection's state by the kernel: its row, else its socket, else CLOSED."""
        if self.table is not None:
            return self.table
        if self.socket is not None and not self.listener:
            return self.socket
        return State.CLOSED

    def _key(self) -> tuple:
        return (self.socket, self.socket_code, self.table, self.table_code, self.listener)

    def cells(self) -> tuple[str, str]:
        sock = _show(self.socket, self.socket_code)
        if self.listener and self.socket is not None:
            sock += " (listener)"
        tab = _show(self.table, self.table_code)
        if self.timer is not None:
            tab += f" ({self.timer:.1f} s left)"
        return sock, tab


def _show(state: State | None, code: int | None) -> str:
    if state is not None:
        return str(state)
    return "—" if code is None else f"state {code}?"


@dataclass(frozen=True)
class Step:
    """One step as the kernel showed it: each side's distinct observations, in order."""

    index: int
    story: StoryStep
    a: tuple[Observation, ...]
    b: tuple[Observation, ...]
    settled: bool                 # the kernel reached tcplab's end state within the wait
    waited: float                 # seconds spent waiting for it

    def side(self, side: str) -> tuple[Observation, ...]:
        return self.a if _side(side) == "A" else self.b

    def last(self, side: str) -> Observation:
        return self.side(side)[-1]

    def seen(self, side: str) -> list[State]:
        """The connection states seen in this step, repeats removed."""
        out: list[State] = []
        for o in self.side(side):
            if not out or out[-1] is not o.state:
                out.append(o.state)
        return out


def _side(side: str) -> str:
    s = str(side).upper()
    if s not in ("A", "B"):
        raise ValueError(f"side must be 'A' (the client) or 'B' (the server), got {side!r}")
    return s


# --------------------------------------------------------------------------- running the kernel

class _Sockets:
    """The story's sockets; every socket is registered at once and closed in ``close``."""

    def __init__(self, source: str | None, tcp_info: bool):
        self.source = source
        self.tcp_info = tcp_info
        self.opened: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.client: socket.socket | None = None
        self.conn: socket.socket | None = None
        self.server_port = 0
        self.client_port = 0
        self.connected = False

    def new(self) -> socket.socket:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.opened.append(s)
        s.settimeout(_IO_TIMEOUT)
        return s

    def close(self) -> None:
        for s in reversed(self.opened):
            with contextlib.suppress(OSError):
                s.close()

    # ---------------------------------------------------------------- the steps

    def listen(self) -> None:
        self.listener = self.new()
        self.listener.bind((LOOPBACK, 0))
        self.listener.listen(1)
        self.server_port = self.listener.getsockname()[1]

    def connect(self) -> None:
        self.client = self.new()
        self.client.bind((LOOPBACK, 0))
        self.client_port = self.client.getsockname()[1]
        self.client.connect((LOOPBACK, self.server_port))
        self.connected = True

    def accept(self) -> None:
        self.conn, _ = self.listener.accept()
        self.opened.append(self.conn)
        self.conn.settimeout(_IO_TIMEOUT)
        self.listener.close()

    def data(self) -> None:
        self.client.sendall(b"hello")
        _recv_exactly(self.conn, 5)

    def shutdown(self) -> None:
        self.client.shutdown(socket.SHUT_WR)
        if self.conn.recv(16) != b"":
            raise RuntimeError("B received data after A's shutdown(SHUT_WR)")

    def reply(self) -> None:
        self.conn.sendall(b"bye")
        _recv_exactly(self.client, 3)

    def server_close(self) -> None:
        self.conn.close()
        if self.client.recv(16) != b"":
            raise RuntimeError("A received data after B's close()")

    def client_close(self) -> None:
        self.client.close()

    # ---------------------------------------------------------------- looking

    def observe(self, t: float) -> tuple[Observation, Observation]:
        rows: list[Row] = []
        if self.source is not None:
            rows = kernel_rows({self.client_port, self.server_port}, self.source)
        a_row = next((r for r in rows if self.connected and r.local == self.client_port
                      and r.remote == self.server_port), None)
        b_row = next((r for r in rows if self.connected and r.local == self.server_port
                      and r.remote == self.client_port), None)
        listening = next((r for r in rows if r.local == self.server_port
                          and r.state is State.LISTEN), None)
        if b_row is None and not self.connected:
            b_row = listening            # before anyone connects, B's connection is its listener

        def side(sock, row, listener=False) -> Observation:
            code, state = _tcp_info_state(sock) if self.tcp_info else (None, None)
            return Observation(t, state, code, row.state if row else None,
                               row.code if row else None, row.timer if row else None,
                               listener and state is not None, (row,) if row else ())

        b_sock = self.conn if self.conn is not None else self.listener
        a = side(self.client, a_row)
        b = side(b_sock, b_row, listener=b_sock is self.listener)
        return a, b


def _recv_exactly(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise RuntimeError(f"the connection ended after {len(data)} of {n} bytes")
        data += chunk
    return data


def _watch(socks: _Sockets, target: tuple[State, State], settle: float
           ) -> tuple[list[Observation], list[Observation], bool, float]:
    """Look right away, then every few ms until both sides are in ``target`` (or time is up)."""
    start = time.perf_counter()
    seen_a: list[Observation] = []
    seen_b: list[Observation] = []
    while True:
        now = time.perf_counter() - start
        a, b = socks.observe(now)
        if not seen_a or a._key() != seen_a[-1]._key():
            seen_a.append(a)
        elif a.timer is not None:
            seen_a[-1] = a                    # keep the latest timer reading
        if not seen_b or b._key() != seen_b[-1]._key():
            seen_b.append(b)
        if (a.state, b.state) == target:
            return seen_a, seen_b, True, now
        if now >= settle:
            return seen_a, seen_b, False, now
        time.sleep(_POLL)


def real_story(msl: float = 30.0, *, settle: float = _SETTLE) -> "RealStory":
    """Play :data:`STORY` with real sockets on 127.0.0.1, and with tcplab; compare.

    After each step, look at both sides at once and then every few
    milliseconds until the kernel reaches the state tcplab predicts, or
    ``settle`` seconds pass; record every distinct thing seen.  ``msl`` is
    the tcplab network's MSL.  Every socket is closed before this returns,
    whatever happens.  On a machine that cannot show TCP's states, no socket
    is opened and the result holds tcplab's prediction alone.
    """
    prediction = predict(msl)
    sup = support()
    if not (_linux() and sup.partial):
        return RealStory(prediction, (), sup, None, (0, 0))
    socks = _Sockets(sup.table, sup.tcp_info)
    steps: list[Step] = []
    error = None
    try:
        for i, story_step in enumerate(STORY):
            getattr(socks, story_step.key.replace("-", "_"))()
            a, b, ok, waited = _watch(socks, prediction.ends[i], settle)
            steps.append(Step(i, story_step, tuple(a), tuple(b), ok, waited))
    except OSError as exc:      # the loopback refused: say so, do not break the lesson
        error = (f"step {len(steps) + 1} ({STORY[len(steps)].sockets}) failed: {exc}")
    finally:
        socks.close()
    return RealStory(prediction, tuple(steps), sup, error,
                     (socks.client_port, socks.server_port))


# --------------------------------------------------------------------------- the result

_NOTE_TEXT = {
    "listener": (
        "B's listening socket stays in LISTEN. In the kernel the handshake makes a new "
        "connection that waits, already ESTABLISHED, in the listen queue until accept() "
        "hands it to the program; in RFC 9293 and tcplab, B's one TCB goes LISTEN → "
        "SYN-RECEIVED → ESTABLISHED itself."),
    "accept": (
        "accept() is no event of TCP: the handshake is over before it is called, so "
        "tcplab has nothing to do here. accept() only hands the connection, with a new "
        "socket, to B's program."),
    "time-wait-socket": (
        "A's socket reports CLOSED through TCP_INFO, while the kernel's table shows A's "
        "connection in TIME-WAIT: when B's FIN arrives, Linux moves the connection out "
        "of the socket into a small 'time-wait' record and marks the socket closed. "
        "Only the table shows TIME-WAIT."),
    "client-close": (
        "A's close() changes nothing in TCP: the connection is already in TIME-WAIT, "
        "and close() only gives the socket back. In tcplab (RFC 9293's CLOSE call) "
        "closing in TIME-WAIT is an error, so tcplab does nothing; after close() only "
        "the kernel's table still shows the connection."),
    "no-table": (
        "The kernel's table cannot be read on this machine, so A's TIME-WAIT, which no "
        "socket holds, cannot be seen here."),
}


@dataclass(frozen=True)
class Note:
    number: int
    refs: tuple[tuple[int, str], ...]     # (step index, side) it explains
    text: str


class RealStory:
    """The kernel's states next to tcplab's, step by step, with notes on every difference.

    ``steps`` holds what the kernel showed (empty when this machine cannot
    show it), ``prediction`` what tcplab predicts; ``notes()`` explains each
    difference.  Prints as a text table; displays as HTML in Jupyter.
    """

    def __init__(self, prediction: Prediction, steps: tuple[Step, ...], support: Support,
                 error: str | None, ports: tuple[int, int]):
        self.prediction = prediction
        self.steps = steps
        self.support = support
        self.error = error
        self.client_port, self.server_port = ports
        self._notes = self._explain()

    # ---------------------------------------------------------------- reading

    @property
    def shown(self) -> bool:
        """True when the kernel's side was seen, every step of it."""
        return len(self.steps) == len(STORY)

    def step(self, key: int | str) -> Step:
        """A step by number (1 … 8) or key ("shutdown", "server-close" ...)."""
        i = _STEP_INDEX[key] if isinstance(key, str) else key - 1
        if not 0 <= i < len(self.steps):
            raise LookupError(f"the kernel's side of step {key!r} was not seen on this "
                              "machine: " + (self.error or self.support.explanation))
        return self.steps[i]

    def kernel(self, side: str, key: int | str) -> State:
        """The connection's state by the kernel at the end of a step."""
        return self.step(key).last(side).state

    def history(self, side: str) -> list[State]:
        """The states the kernel showed for one side, in order, starting with CLOSED."""
        out = [State.CLOSED]
        for s in self.steps:
            for state in s.seen(side):
                if out[-1] is not state:
                    out.append(state)
        return out

    def predicted(self, side: str) -> list[State]:
        """tcplab's history of the same side over the same story."""
        return list(self.prediction.history(side))

    def unseen(self, side: str) -> list[State]:
        """States in tcplab's history of ``side`` that the kernel never showed (in order)."""
        seen = set(self.history(side))
        out: list[State] = []
        for s in self.predicted(side):
            if s not in seen and s not in out:
                out.append(s)
        return out

    def time_wait_left(self) -> float | None:
        """Seconds left on A's TIME-WAIT timer, the last time the kernel's table was read."""
        for s in reversed(self.steps):
            for o in reversed(s.a):
                if o.timer is not None:
                    return o.timer
        return None

    def look_again(self) -> str:
        """What the kernel's table says about A's connection now (TIME-WAIT ages, then goes)."""
        if not self.steps or not self.support.table:
            return ("The kernel's table cannot be read on this machine: "
                    + (self.error or "see what real.support() says."))
        rows = [r for r in kernel_rows({self.client_port}, self.support.table)
                if r.remote == self.server_port]
        where = (f"A's connection ({LOOPBACK} port {self.client_port} → port "
                 f"{self.server_port})")
        if not rows:
            return f"{where} is gone from the kernel's table: its TIME-WAIT is over."
        r = rows[0]
        left = f", {r.timer:.1f} s left" if r.timer is not None else ""
        return f"{where} is in {r.state or r.name} in the kernel's table{left}."

    def rows(self) -> str:
        """The kernel's own lines for A's connection at the end of the story."""
        if not self.steps:
            return ""
        return "\n".join(r.line for r in self.steps[-1].last("A").rows)

    # ---------------------------------------------------------------- the notes

    def _explain(self) -> list[Note]:
        notes: dict[str, tuple[list, str]] = {}

        def add(key: str, i: int, side: str, text: str) -> None:
            refs, _ = notes.setdefault(key, ([], text))
            if (i, side) not in refs:
                refs.append((i, side))

        p = self.prediction
        unseen_at: dict[State, list[tuple[int, str]]] = {}
        for st in self.steps:
            i = st.index
            for side in "AB":
                entered = p.steps[i][0 if side == "A" else 1]
                end = p.ends[i][0 if side == "A" else 1]
                seen = st.seen(side)
                last = st.last(side)
                if last.listener and last.table is not None and last.table != last.socket:
                    add("listener", i, side, _NOTE_TEXT["listener"])
                for s in entered[:-1]:
                    if s not in seen:
                        unseen_at.setdefault(s, []).append((i, side))
                for o in st.side(side):
                    if (o.socket is State.CLOSED and o.table is State.TIME_WAIT):
                        add("time-wait-socket", i, side, _NOTE_TEXT["time-wait-socket"])
                if State.FIN_WAIT_1 in seen and State.FIN_WAIT_2 in seen:
                    o2 = next(o for o in st.side(side) if o.state is State.FIN_WAIT_2)
                    add("delayed-ack", i, side, (
                        f"A was seen in FIN-WAIT-1 for about {o2.t * 1000:.0f} ms: B's "
                        "kernel delays its ACK of the FIN (a delayed ACK, allowed by RFC "
                        "9293 §3.8.6.3 up to 0.5 s; Linux waits about 40 ms, hoping to "
                        "send data with it), while tcplab acknowledges at once."))
                if last.state is not end:
                    text = (f"{side} ended the step in {last.state} by the kernel, "
                            f"{end} by tcplab")
                    if end is State.TIME_WAIT and last.table is None and not \
                            self.support.table:
                        text = _NOTE_TEXT["no-table"]
                    elif not st.settled:
                        text += f" (the kernel did not get there within {st.waited:.1f} s)"
                    add(f"end-{i}-{side}", i, side, text + ".")
            if st.story.key == "accept":
                add("accept", i, "B", _NOTE_TEXT["accept"])
            if st.story.key == "client-close":
                add("client-close", i, "A", _NOTE_TEXT["client-close"])
        if unseen_at:
            names = ", ".join(f"{s} ({', '.join(f'{side}, step {i + 1}' for i, side in refs)})"
                              for s, refs in unseen_at.items())
            text = (f"tcplab passes through {names} within a step; the kernel showed only "
                    "where the step ended. On 127.0.0.1 the other side answers within "
                    "microseconds, often inside the same system call, before the program "
                    "can look.")
            if State.SYN_RECEIVED in unseen_at:
                text += (" B's SYN-RECEIVED is over before accept() is even called: the "
                         "kernel answers the SYN and completes the handshake by itself.")
            for s, refs in unseen_at.items():
                for i, side in refs:
                    add("unseen", i, side, text)
        left = self.time_wait_left()
        if left is not None:
            i = max(i for i, s in enumerate(self.steps) if any(o.timer for o in s.a))
            add("time-wait-length", i, "A", (
                f"The kernel's timer for A's TIME-WAIT had {left:.1f} s left: Linux keeps "
                f"TIME-WAIT for TCP_TIMEWAIT_LEN = {LINUX_TIME_WAIT:g} s, a constant of the "
                f"kernel, whatever the MSL. tcplab waits 2MSL = 2 × {p.msl:g} s = "
                f"{p.time_wait:g} s" + (" (the same number here, only because tcplab's "
                                       "msl is 30 s)" if p.time_wait == LINUX_TIME_WAIT
                                       else "") + ". The story does not wait for it."))
        ordered = sorted(notes.items(), key=lambda kv: min(kv[1][0]))
        return [Note(n + 1, tuple(refs), text) for n, (_, (refs, text)) in enumerate(ordered)]

    def notes(self) -> list[Note]:
        return list(self._notes)

    def _refs(self, i: int, side: str) -> str:
        return ", ".join(str(n.number) for n in self._notes if (i, side) in n.refs)

    # ---------------------------------------------------------------- showing

    HEAD = ("step", "the programs", "", "socket (TCP_INFO)", "kernel's table",
            "tcplab predicts", "note")

    def _rows(self) -> list[tuple[str, ...]]:
        rows = []
        for st in self.steps:
            for side in "AB":
                obs = st.side(side)
                socks = _chain(o.cells()[0] for o in obs)
                tables = _chain(o.cells()[1] for o in obs)
                first = side == "A"
                rows.append((str(st.index + 1) if first else "", st.story.sockets if first
                             else "", side, socks, tables,
                             self.prediction.cell(st.index, side), self._refs(st.index, side)))
        return rows

    def caption(self) -> str:
        if not self.steps:
            return self.support.explanation
        source = "ss" if self.support.table == "ss" else self.support.table
        return (f"The kernel of this machine ({self.support.system}) and tcplab, step by "
                f"step: A (client, port {self.client_port}) and B (server, port "
                f"{self.server_port}) on {LOOPBACK}; kernel's table: "
                f"{source or 'not readable here'}")

    def histories(self) -> str:
        """tcplab's history and the kernel's, aligned state by state."""
        lines = []
        for side in "AB":
            if not self.steps:
                lines.append(f"{side}  tcplab: " + " → ".join(map(str, self.predicted(side))))
                lines.append("   kernel: (not shown on this machine)")
                continue
            pred, kern = _align(self.predicted(side), self.history(side) if self.steps
                                else [])
            widths = [max(len(p), len(k)) for p, k in zip(pred, kern)]
            lines.append(f"{side}  tcplab: " + "   ".join(p.ljust(w) for p, w in
                                                          zip(pred, widths)).rstrip())
            lines.append("   kernel: " + "   ".join(k.ljust(w) for k, w in
                                                     zip(kern, widths)).rstrip())
        return "\n".join(lines)

    def table(self) -> str:
        if not self.steps:
            out = [self.support.explanation if not self.error else self.error, "",
                   self.prediction.table()]
            return "\n".join(out)
        out = [self.caption(), _text_table(self.HEAD, self._rows())]
        if self.error:
            out.append(self.error)
        out += [f"{n.number}. {n.text}" for n in self._notes]
        return "\n".join(out)

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        if not self.steps:
            return (f"<p>{html.escape(self.error or self.support.explanation)}</p>"
                    + self.prediction._repr_html_())
        head = [[("step", 1, 2), ("the programs", 1, 2), ("", 1, 2), ("the kernel says", 2, 1),
                 ("tcplab predicts", 1, 2), ("note", 1, 2)],
                ["socket (TCP_INFO)", "kernel's table"]]
        out = _html_table(self.caption(), head, [list(r) for r in self._rows()], group=2)
        if self.error:
            out += f"<p>{html.escape(self.error)}</p>"
        items = "".join(f"<li value='{n.number}'>{html.escape(n.text)}</li>"
                        for n in self._notes)
        return out + f'<ol style="font-family:sans-serif;font-size:90%">{items}</ol>'


def _chain(cells) -> str:
    out: list[str] = []
    for c in cells:
        base = re.sub(r" \([\d.]+ s left\)$", "", c)
        if out and re.sub(r" \([\d.]+ s left\)$", "", out[-1]) == base:
            out[-1] = c
        else:
            out.append(c)
    return " → ".join(out)


def _align(pred: list[State], kern: list[State]) -> tuple[list[str], list[str]]:
    """Line the two histories up (longest common subsequence); gaps are '·'."""
    n, m = len(pred), len(kern)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = (lcs[i + 1][j + 1] + 1 if pred[i] is kern[j]
                         else max(lcs[i + 1][j], lcs[i][j + 1]))
    top, bottom, i, j = [], [], 0, 0
    while i < n or j < m:
        if i < n and j < m and pred[i] is kern[j]:
            top.append(str(pred[i])); bottom.append(str(kern[j])); i += 1; j += 1  # noqa: E702
        elif j >= m or (i < n and lcs[i + 1][j] >= lcs[i][j + 1]):
            top.append(str(pred[i])); bottom.append("·"); i += 1  # noqa: E702
        else:
            top.append("·"); bottom.append(str(kern[j])); j += 1  # noqa: E702
    return top, bottom


def _text_table(head, rows) -> str:
    widths = [max([len(head[c])] + [len(r[c]) for r in rows]) for c in range(len(head))]
    line = lambda cells: "  ".join(x.ljust(w) for x, w in zip(cells, widths)).rstrip()  # noqa
    return "\n".join([line(head)] + [line(r) for r in rows])


def _html_table(caption: str, heads, rows, *, group: int = 1) -> str:
    """An HTML table; a header cell is a string or (text, colspan, rowspan)."""
    th = ("padding:3px 8px;text-align:left;border-bottom:1px solid #999;"
          "background:#f1f3f5;vertical-align:bottom")
    out = [f'<table class="tcplab-real" style="border-collapse:collapse;font-family:'
           f'sans-serif;font-size:90%"><caption style="text-align:left;padding:4px 0">'
           f'{html.escape(caption)}</caption><thead>']
    for head in heads:
        cells = []
        for h in head:
            text, cols, rows_ = (h, 1, 1) if isinstance(h, str) else h
            span = (f' colspan="{cols}"' if cols > 1 else "") + \
                   (f' rowspan="{rows_}"' if rows_ > 1 else "")
            cells.append(f'<th{span} style="{th}">{html.escape(text)}</th>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</thead><tbody>")
    for n, row in enumerate(rows):
        band = "#ffffff" if (n // group) % 2 == 0 else "#f8f9fa"
        top = "border-top:1px solid #ced4da;" if group > 1 and n % group == 0 else ""
        style = f"padding:3px 8px;text-align:left;vertical-align:top;{top}"
        out.append(f'<tr style="background:{band}">'
                   + "".join(f'<td style="{style}">{html.escape(str(cell))}</td>'
                             for cell in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)
