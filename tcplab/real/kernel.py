"""The kernel's side: sockets on 127.0.0.1, TCP_INFO, /proc/net/tcp and ss.

What this machine can show (:func:`support`), the kernel's table of
connections (:func:`kernel_rows`), one look at both sides of the story's
connection (:class:`Observation`), and the story's sockets (``_Sockets``),
which are all closed in one place whatever happens.  The rules this module
keeps are listed in :mod:`tcplab.real`.
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
from dataclasses import dataclass

from ..fsm import State
from ..text import N_
from ..trace import Words, say, words

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
        return say(self.explanation)

    def _repr_html_(self) -> str:
        colour = "#2b8a3e" if self.full else ("#e67700" if self.partial else "#c92a2a")
        return (f'<div class="tcplab-real-support" style="border-left:4px solid {colour};'
                f'padding:6px 10px;font-family:sans-serif">'
                f'{html.escape(say(self.explanation))}</div>')


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
    "Pyodide": "This is the browser edition: Python runs in WebAssembly inside the page, "
               "with no sockets, no /proc and no programs to start.",
}


def support() -> Support:
    """What this machine can show: Linux's TCP_INFO, and its table of connections."""
    system = platform.system() or sys.platform
    system = {"Darwin": "macOS", "Emscripten": "Pyodide"}.get(system, system)
    tcp_info = _tcp_info_works()
    table = _table_source()
    source = N_("the ss command") if table == "ss" else table
    if tcp_info and table:
        text = words(N_("This machine ({system}) shows TCP's real states: each socket's "
                        "state through TCP_INFO, and every connection, closed sockets' "
                        "TIME-WAIT included, in the kernel's table ({source})."),
                     system=system, source=words(source))
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
    return Support(system, tcp_info, table, text if isinstance(text, Words) else text.strip())


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

    def reading(self) -> tuple:
        """What was read of the connection: two equal readings show nothing new."""
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
        if not seen_a or a.reading() != seen_a[-1].reading():
            seen_a.append(a)
        elif a.timer is not None:
            seen_a[-1] = a                    # keep the latest timer reading
        if not seen_b or b.reading() != seen_b[-1].reading():
            seen_b.append(b)
        if (a.state, b.state) == target:
            return seen_a, seen_b, True, now
        if now >= settle:
            return seen_a, seen_b, False, now
        time.sleep(_POLL)
