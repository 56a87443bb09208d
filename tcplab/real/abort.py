"""Abort versus close: the abortive release on the real kernel, next to tcplab's abort().

The story (lesson 08, section 6): B's program reads nothing for a while, so its
receive window fills; A's program goes on writing until its kernel holds data it
cannot send yet; then A ends the connection, in one of two ways:

* ``close()``, the orderly release: A's kernel sends what it still holds, then its
  FIN; B reads every byte, then end of file (``recv()`` returns ``b""``);
* an *abort*: ``SO_LINGER`` on with a linger time of 0, then ``close()``.  A's
  kernel throws its queued data away and sends RST; B's program reads what had
  already reached B, and then ``recv()`` fails with ``ECONNRESET`` ("connection
  reset by peer").  No TIME-WAIT is left behind.

:func:`kernel_release` plays one of them with real sockets on 127.0.0.1,
:func:`tcplab_release` the same with tcplab's ``a.close()`` / ``a.abort()``, and
:func:`abort_vs_close` puts all four side by side (:class:`Releases`).  Every
number comes from the run; the kernel's depend on its buffer sizes.
"""

from __future__ import annotations

import contextlib
import errno
import html
import socket
import struct
import time
from dataclasses import asdict, dataclass

from ..fsm import State
from ..network import Network
from ..segment import Flag
from ..stories import X, Y, opening, play
from ..text import N_, _
from ..trace import say
from . import recording
from .kernel import LOOPBACK, _IO_TIMEOUT, _linux, kernel_rows, support
from .tables import _html_table, _text_table
from .where import Mode, after_failure, mode

HOWS = ("close", "abort")
_CHUNK = 1000                 # bytes per send() of A's program
_LIMIT = 4_000_000            # A stops writing here at the latest
_RCVBUF = 4096                # B's receive buffer (the kernel may double it)
_SNDBUF = 8192                # A's send buffer

#: tcplab's story: A (this mss) hands SENT bytes to its TCP, B advertises WINDOW bytes.
SENT, MSS, WINDOW = 1000, 100, 200


@dataclass(frozen=True)
class Release:
    """One run: how A ended the connection, and what B's program saw."""

    who: str                  # "tcplab" or "kernel"
    how: str                  # "close" or "abort"
    sent: int                 # bytes A's program handed over before ending
    received: int             # bytes B's program read
    ending: str               # what B's last recv() gave: "end of file" or the error
    control: str              # what ended it on the wire: "FIN" or "RST" (kernel: inferred)
    a_after: State | None     # A's connection right after the call (tcplab's state, or the
                              # kernel's table: None = no row, nothing left behind)
    table: bool = True        # the kernel's table could be read (a_after means something)

    @property
    def lost(self) -> int:
        return self.sent - self.received


# --------------------------------------------------------------------------- tcplab

def tcplab_release(how: str, *, sent: int = SENT, window: int = WINDOW) -> Release:
    """A (mss :data:`MSS`) sends ``sent`` bytes into B's window of ``window`` (the
    lesson's :data:`SENT` and :data:`WINDOW`; an exercise gives each student others), and
    0.05 s later closes or aborts."""
    if how not in HOWS:
        raise ValueError(f"how must be 'close' or 'abort', not {how!r}")
    net = Network(seed=0, delay=0.1)
    a = net.host("A", iss=X, mss=MSS)
    b = net.host("B", iss=Y, window=window)
    play(net, opening())
    a.send(b"x" * sent)
    net.run(until=1.05)
    getattr(a, how)()
    a_after = a.state
    net.run(until=net.now + 30.0)
    last = next(s for _, s in reversed(net.sent) if s.src == "A"
                and (Flag.RST in s.flags or Flag.FIN in s.flags))
    # the English words (str.__str__ of a trace.Words): like the kernel's row, this is data
    # that the exercise compares ("reset" in ending), not prose in the language spoken
    ending = f"error: {str.__str__(b.error)}" if b.error else "end of file"
    control = "RST" if Flag.RST in last.flags else "FIN"
    return Release("tcplab", how, sent, len(b.received), ending, control, a_after)


# --------------------------------------------------------------------------- the kernel

def _fill(a: socket.socket) -> int:
    """Write until A's kernel can take no more (B is not reading); the bytes taken."""
    a.setblocking(False)
    sent = 0
    try:
        while sent < _LIMIT:
            sent += a.send(b"x" * _CHUNK)
    except (BlockingIOError, InterruptedError):
        pass
    finally:
        a.settimeout(_IO_TIMEOUT)
    return sent


def _drain(b: socket.socket) -> tuple[int, str]:
    got = 0
    while True:
        try:
            data = b.recv(65536)
        except OSError as exc:
            name = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
            return got, f"error: {name} ({exc.strerror or exc})"
        if not data:
            return got, "end of file"
        got += len(data)


def _run_kernel(how: str, source: str | None, opened: list) -> Release:
    def new() -> socket.socket:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        opened.append(s)
        s.settimeout(_IO_TIMEOUT)
        return s

    listener = new()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _RCVBUF)   # inherited
    listener.bind((LOOPBACK, 0))
    listener.listen(1)
    a = new()
    a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SNDBUF)
    a.connect((LOOPBACK, listener.getsockname()[1]))
    ports = a.getsockname()[1], listener.getsockname()[1]
    b, _ = listener.accept()
    opened.append(b)
    b.settimeout(_IO_TIMEOUT)
    sent = _fill(a)
    time.sleep(0.02)                       # let the kernel settle: B's window is full
    if how == "abort":
        a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    a.close()
    a_after = _row(source, *ports)
    received, ending = _drain(b)
    control = "RST" if "ECONNRESET" in ending else "FIN" if ending == "end of file" else "?"
    return Release("kernel", how, sent, received, ending, control, a_after, source is not None)


def _row(source: str | None, local: int, remote: int) -> State | None:
    if source is None:
        return None
    return next((r.state for r in kernel_rows({local}, source) if r.remote == remote), None)


def kernel_release(how: str) -> Release | None:
    """The same story with real sockets on 127.0.0.1 (None when not on Linux)."""
    if how not in HOWS:
        raise ValueError(f"how must be 'close' or 'abort', not {how!r}")
    if not _linux():
        return None
    opened: list[socket.socket] = []
    try:
        return _run_kernel(how, support().table, opened)
    finally:
        for s in reversed(opened):
            with contextlib.suppress(OSError):
                s.close()


def release_data(r: Release) -> dict:
    """What the recording keeps of a live run (``tools/record_real.py``)."""
    return {**asdict(r), "a_after": recording.state_data(r.a_after)}


def replayed_release(how: str) -> Release:
    """The recorded run of ``close`` or ``abort`` (:mod:`.recording`)."""
    d = dict(recording.load()["release"][how])
    return Release(**{**d, "a_after": recording.state(d["a_after"])})


# --------------------------------------------------------------------------- side by side

#: who plays the release, as the table shows it ("tcplab" stays tcplab)
_WHO = {"tcplab": "tcplab", "kernel": N_("kernel")}


class Releases:
    """tcplab's close() and abort(), and the kernel's (None where not shown); ``replay`` is
    the label of recorded kernel runs ("" when live)."""

    HEAD = (N_("who"), N_("A ends with"), N_("A's program sent"), N_("B's program read"),
            N_("never arrived"), N_("B's last recv()"), N_("on the wire"),
            N_("A's connection right after"))

    def __init__(self, runs: dict[tuple[str, str], Release | None], explanation: str,
                 error: str | None = None, replay: str = ""):
        self.runs = runs
        self.explanation = explanation
        self.error = error
        self.replay = replay

    def _who(self, who: str) -> str:
        return _("kernel (recorded)") if self.replay and who == "kernel" else _(_WHO[who])

    def run(self, who: str, how: str) -> Release | None:
        return self.runs[(who, how)]

    @property
    def shown(self) -> bool:
        return all(self.runs[("kernel", h)] is not None for h in HOWS)

    def _rows(self) -> list[tuple[str, ...]]:
        rows = []
        for (who, how), r in self.runs.items():
            call = {"close": "close()", "abort": "abort()" if who == "tcplab"
                    else "SO_LINGER 0, close()"}[how]
            if r is None:
                rows.append((_(_WHO[who]), call, _("(not shown here)"), "", "", "", "", ""))
                continue
            rows.append((self._who(who), call, str(r.sent), str(r.received), str(r.lost),
                         _ending(r), _("{control} (inferred)").format(control=r.control)
                         if who == "kernel" else r.control, _after(r)))
        return rows

    def summary(self) -> str:
        """What does not change from run to run (no byte counts of the kernel)."""
        lines = []
        for (who, how), r in self.runs.items():
            if r is None:
                lines.append(_("{who}, {how}: not shown here.").format(who=_(_WHO[who]), how=how)
                             + " " + say(self.error or self.explanation))
                continue
            arrived = (_("every byte arrived") if r.lost == 0 else
                       _("some bytes never arrived") if who == "kernel" else
                       _("{lost} of {sent} bytes never arrived").format(lost=r.lost,
                                                                        sent=r.sent))
            lines.append(_("{who}, {how}: {arrived}; B's last recv(): {ending}; A's connection "
                           "right after: {after}.").format(
                who=self._who(who), how=how, arrived=arrived, ending=_ending(r),
                after=_after(r)))
        return "\n".join(lines)

    def table(self) -> str:
        out = [say(self.replay)] if self.replay else []
        out.append(_text_table([_(h) for h in self.HEAD], self._rows()))
        if not self.shown:
            out.append(say(self.error or self.explanation))
        return "\n".join(out)

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        page = f"<p><b>{html.escape(say(self.replay))}</b></p>" if self.replay else ""
        page += _html_table(_("Orderly close versus abort, in tcplab and in this machine's "
                              "kernel"), [[_(h) for h in self.HEAD]],
                            [list(r) for r in self._rows()])
        if not self.shown:
            page += f"<p>{html.escape(say(self.error or self.explanation))}</p>"
        return page


def _after(r: Release) -> str:
    if not r.table:
        return _("(the kernel's table cannot be read here)")
    return str(r.a_after) if r.a_after else _("nothing left (no row in the kernel's table)")


def _ending(r: Release) -> str:
    """B's last recv() as shown: ``Release.ending`` is English data (compared, recorded);
    its own words (the error's text) are quoted as they are."""
    if r.ending == "end of file":
        return _("end of file")
    if r.ending.startswith("error: "):
        return _("error: {error}").format(error=r.ending[len("error: "):])
    return r.ending


def abort_vs_close() -> Releases:
    """Both endings, in tcplab and (on Linux) with real sockets on 127.0.0.1; where they
    cannot run live (:func:`~.where.mode`) or the live run fails, the recorded kernel's,
    labelled."""
    runs: dict[tuple[str, str], Release | None] = {}
    for how in HOWS:
        runs[("tcplab", how)] = tcplab_release(how)
    where = mode()
    if not where.live:
        return _replayed(runs, where)
    error = None
    for how in HOWS:
        try:
            runs[("kernel", how)] = kernel_release(how)
        except OSError as exc:               # the loopback refused: say so
            runs[("kernel", how)] = None
            error = f"the kernel's side could not be played: {exc}"
    fallback = after_failure(error) if error else None
    if fallback is not None:
        return _replayed(runs, fallback)
    return Releases(runs, support().explanation, error)


def _replayed(runs: dict, where: Mode) -> Releases:
    runs.update({("kernel", how): replayed_release(how) for how in HOWS})
    return Releases(runs, where.text, replay=where.label())
