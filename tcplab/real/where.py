"""Live or replay: can this environment play lesson 08's stories on a real kernel?

One decision for every story of :mod:`tcplab.real`, made here and nowhere else
(:func:`mode`).  *Live* needs all of: Linux, the TCP_INFO socket option, the
kernel's table of connections (``/proc/net/tcp`` or ``ss``), and sockets on
127.0.0.1 that connect.  Anywhere else the stories are *replays* of a recording
made on a Linux machine (:mod:`.recording`), each labelled as one, with the
reason in words:

* the browser edition (JupyterLite, Pyodide: ``sys.platform == "emscripten"``):
  Python runs in WebAssembly inside the page, with no sockets, no /proc, no
  programs to start;
* macOS and Windows (no Linux TCP_INFO, no /proc/net/tcp);
* servers that hide part of it (a Binder or JupyterHub container without /proc,
  without ``ss``, or whose sockets are refused).

The environment variable ``TCPLAB_REAL`` chooses instead: ``replay`` always
replays (for the lecture, and to test the replays), ``live`` always runs the
live code, which then shows whatever part the machine lets it see (maybe only
tcplab's prediction); unset or ``auto``, this module decides.

Lesson 10 asks the same of Wireshark's tshark (:func:`tshark_mode`): live where
the program runs, else the recording of its output.
"""

from __future__ import annotations

import html
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass

from ..text import N_, _
from ..trace import say, words
from . import recording
from .kernel import _IO_TIMEOUT, LOOPBACK, Support, _linux, support

#: The environment variable that forces a mode: "live", "replay" or "auto" (the default).
VARIABLE = "TCPLAB_REAL"
_CHOICES = ("auto", "live", "replay")


@dataclass(frozen=True)
class Mode:
    """How lesson 08's stories run here: ``live`` or not, and why (``reason``, in words)."""

    live: bool
    reason: str
    support: Support

    def label(self) -> str:
        """The line a replayed result prints first (empty when live)."""
        return "" if self.live else recording.label(self.reason)

    @property
    def text(self) -> str:
        if self.live:
            return _("{support} The stories below run live, on this machine's kernel "
                     "({reason}).").format(support=say(self.support.explanation),
                                           reason=say(self.reason))
        return f"{say(self.support.explanation)} {say(self.label())}"

    def __bool__(self) -> bool:
        return self.live

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        colour = "#2b8a3e" if self.live else "#1c7ed6"
        return (f'<div class="tcplab-real-mode" style="border-left:4px solid {colour};'
                f'padding:6px 10px;font-family:sans-serif">{html.escape(self.text)}</div>')


def browser() -> bool:
    """True in the browser edition (Pyodide, WebAssembly)."""
    return sys.platform == "emscripten"


def _loopback_works() -> bool:
    """One connection on 127.0.0.1, opened and closed at once: are sockets allowed here?"""
    opened: list[socket.socket] = []
    try:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        opened.append(listener)
        listener.bind((LOOPBACK, 0))
        listener.listen(1)
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        opened.append(client)
        client.settimeout(_IO_TIMEOUT)
        client.connect(listener.getsockname())
        listener.settimeout(_IO_TIMEOUT)
        opened.append(listener.accept()[0])
        return True
    except OSError:
        return False
    finally:
        for s in reversed(opened):
            s.close()


def _why_not(sup: Support) -> str | None:
    """Why the stories cannot run live here (None: they can)."""
    if browser():
        return words(N_("this environment cannot open sockets (browser edition)"))
    if not _linux():
        return words(N_("this machine ({system}) has neither Linux's TCP_INFO nor its table "
                        "of connections"), system=sup.system)
    if not sup.tcp_info:
        return words(N_("Linux's TCP_INFO socket option does not work here"))
    if sup.table is None:
        return words(N_("the kernel's table of connections cannot be read here (no "
                        "/proc/net/tcp, no ss command), as on some JupyterHub and Binder "
                        "servers"))
    if not _loopback_works():
        return words(N_("this server does not let a program connect sockets on 127.0.0.1"))
    return None


def _replay_asked() -> str:
    return words(N_("{variable}=replay asks for the recording"), variable=VARIABLE)


def _live_asked() -> str:
    return words(N_("{variable}=live asks for a live run"), variable=VARIABLE)


def choice() -> str:
    """``TCPLAB_REAL`` as given ("auto" when unset)."""
    value = os.environ.get(VARIABLE, "").strip().lower() or "auto"
    if value not in _CHOICES:
        raise ValueError(f"{VARIABLE}={value!r}: use one of {', '.join(_CHOICES)} "
                         f"(or leave it unset, which is 'auto')")
    return value


def mode() -> Mode:
    """Live or replay, here and now, with the reason (see the module's help)."""
    asked = choice()
    sup = support()
    if asked == "replay":
        return Mode(False, _replay_asked(), sup)
    if asked == "live":
        return Mode(True, _live_asked(), sup)
    why = _why_not(sup)
    if why is None:
        return Mode(True, words(N_("Linux, TCP_INFO, the kernel's table and sockets on "
                                   "127.0.0.1 all work here")), sup)
    return Mode(False, why, sup)



def after_failure(error: str) -> Mode | None:
    """A live run that failed half-way (a server refusing some socket call): unless
    ``TCPLAB_REAL=live`` asked for the live run, the recording replaces it (None: keep the
    failure, reported)."""
    if choice() != "auto":
        return None
    return Mode(False, words(N_("the live run failed here ({error})"), error=error), support())

# --------------------------------------------------------------------------- tshark (lesson 10)

@dataclass(frozen=True)
class ToolMode:
    """Can Wireshark's tshark run here (``live``), and why (not)."""

    live: bool
    reason: str


def _tshark_works() -> bool:
    path = shutil.which("tshark")
    if path is None:
        return False
    try:
        done = subprocess.run([path, "--version"], capture_output=True, timeout=30.0)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def tshark_mode() -> ToolMode:
    """Live when tshark runs here; ``TCPLAB_REAL`` forces the same way as for the kernel."""
    asked = choice()
    if asked == "replay":
        return ToolMode(False, _replay_asked())
    if asked == "live":
        return ToolMode(True, _live_asked())
    if browser():
        return ToolMode(False, words(N_("this environment cannot start programs such as "
                                        "tshark (browser edition)")))
    if not _tshark_works():
        return ToolMode(False, words(N_("tshark is not installed here (Debian and Ubuntu: "
                                        "apt-get install tshark; or open the file in "
                                        "Wireshark)")))
    return ToolMode(True, words(N_("tshark runs here")))
